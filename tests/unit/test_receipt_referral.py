"""The customer's referral code and its QR on the receipt (text and ESC/POS), with the
configured note, and the referral voucher as a named tender."""

from __future__ import annotations

from datetime import date

import pytest

from store.crm import records
from store.kernel import i18n
from store.models import Customer, Sale
from store.referrals.config import ReferralRule, Reward
from store.selling.receipt import Receipt, build_receipt
from store.selling.receipt_render import qr_matrix, render_escpos, render_text
from tests.conftest import Shop
from tests.referral_helpers import DAY, at, customer, later, policy, sell_to, settle, till_with
from tests.store_helpers import manager_ok
from tests.unit.test_receipt import (
    FOOTER,
    HEADER,
    STORE,
    WIDTHS,
    assert_fits,
    decode_half_blocks,
    printed_lines,
    qr_blocks,
    ring_chinese,
    ring_sale,
    trim,
)

NOTE = "推荐好友来店购机，双方有礼"


def receipt_of(shop: Shop, sale: Sale, referrals: bool = True) -> Receipt:
    return build_receipt(
        sale.id,
        store_name=STORE,
        header=HEADER,
        footer=FOOTER,
        tz=shop.till.tz,
        referrals=referrals,
        referral_note=NOTE,
    )


def code_of(sale: Sale) -> str:
    buyer = Customer.get_by_id(sale.customer_id)
    return str(buyer.referral_code)


def qr_store(payload: str) -> bytes:
    """GS ( k, fn 80 (m '0'): store ``payload`` in the printer's QR symbol buffer."""
    data = payload.encode()
    return b"\x1d(k" + (len(data) + 3).to_bytes(2, "little") + b"1P0" + data


@pytest.mark.parametrize("width", WIDTHS)
def test_text_receipt_prints_the_customers_code_its_qr_and_the_note(shop: Shop, width: int) -> None:
    sale = ring_sale(shop)
    code = code_of(sale)
    r = receipt_of(shop, sale)
    assert r.referral_code == code and r.referral_note == (NOTE,)
    text = render_text(r, width)
    assert_fits(text, width)
    lines = text.splitlines()
    label = next(i for i, ln in enumerate(lines) if ln.strip() == f"Referral code {code}")
    assert NOTE in text
    # Two codes: the receipt number's stays first, the customer's comes after its label.
    blocks = qr_blocks(text)
    assert len(blocks) == 2
    assert lines.index(blocks[1][0]) > label > lines.index(blocks[0][-1])
    assert trim(decode_half_blocks(text, 0)) == trim(qr_matrix(r.receipt_no))
    assert trim(decode_half_blocks(text, 1)) == trim(qr_matrix(code))
    # The note follows the code it explains.
    assert next(i for i, ln in enumerate(lines) if NOTE in ln) > lines.index(blocks[1][-1])


@pytest.mark.parametrize("width", WIDTHS)
def test_escpos_stores_the_code_as_a_qr_with_the_chinese_label(shop: Shop, width: int) -> None:
    sale = ring_sale(shop)
    code = code_of(sale)
    i18n.set_language("zh_CN")
    data = render_escpos(receipt_of(shop, sale), width)
    label = "推荐码".encode("gb18030")
    assert label in data and NOTE.encode("gb18030") in data
    assert qr_store(sale.receipt_no) in data and qr_store(code) in data
    # Label, then the code's QR (stored, then printed), then the note.
    stored = data.index(qr_store(code))
    assert (
        data.index(label)
        < stored
        < data.index(b"\x1d(k\x03\x001Q0", stored)
        < data.index(NOTE.encode("gb18030"))
    )
    assert data.index(qr_store(sale.receipt_no)) < data.index(label)
    for line in printed_lines(data):
        assert len(line.encode("gb18030")) <= width, line


def test_a_sale_without_a_customer_has_no_referral_block(shop: Shop) -> None:
    sale = ring_chinese(shop)
    r = receipt_of(shop, sale)
    assert r.referral_code == "" and r.referral_note == ()
    text = render_text(r)
    assert "Referral code" not in text and NOTE not in text
    assert len(qr_blocks(text)) == 1
    data = render_escpos(r)
    assert data.count(b"1P0") == 1 and qr_store(sale.receipt_no) in data  # one symbol stored
    assert NOTE.encode("gb18030") not in data


def test_no_block_when_referrals_are_off_or_the_customer_was_erased(shop: Shop) -> None:
    sale = ring_sale(shop)
    off = render_text(receipt_of(shop, sale, referrals=False))
    assert "Referral code" not in off and NOTE not in off and len(qr_blocks(off)) == 1
    records.erase_customer(str(sale.customer_id), approval=manager_ok(shop))
    erased = render_text(receipt_of(shop, sale))
    assert "Referral code" not in erased and len(qr_blocks(erased)) == 1


def test_no_note_configured_prints_the_code_alone(shop: Shop) -> None:
    sale = ring_sale(shop)
    r = build_receipt(sale.id, store_name=STORE, header="", footer="", tz=shop.till.tz)
    assert r.referral_code == code_of(sale) and r.referral_note == ()
    assert len(qr_blocks(render_text(r))) == 2


def test_a_voucher_tender_is_named_on_the_receipt(shop: Shop) -> None:
    rule = ReferralRule(date(2026, 1, 1), referrer=Reward(voucher_fen=5000), holding_days=0)
    till = till_with(shop, policy(rule))
    old = customer("13800138000", "张老客")
    new = customer("13900139000", "李新客")
    sell_to(shop, till, old, shop.case.sku, when=at(date(2026, 10, 20)))
    sell_to(shop, till, new, shop.case.sku, referrer=old, when=DAY)
    settle(till, later(1))
    paid = sell_to(shop, till, old, shop.case.sku, when=at(later(2)), voucher=1000)
    r = receipt_of(shop, paid)
    assert [(t.kind, t.amount) for t in r.tenders] == [("voucher", 1000), ("cash", 2900)]
    text = render_text(r)
    assert "Referral voucher" in text
    i18n.set_language("zh_CN")
    assert "Referral voucher" not in render_text(r)
