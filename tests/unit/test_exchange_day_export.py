"""The store's day file for head office (issue 15): what is in it, the same bytes twice,
--pending, an empty day, an open day refused, phone numbers hashed or in full."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from store.config.hq import HqSection
from store.dayclose import close, drawer
from store.exchange import day_export
from store.exchange.keys import create_signing_key
from store.exchange.reader import read_signed
from store.kernel import FixedClock
from store.kernel.errors import ValidationError
from store.models import AuditLog, Customer, Sale, SaleLine, Tender
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.exchange_helpers import trusting
from tests.store_helpers import forge_actor, manager_actor, promoter_cart, scan

T, TZ = TILL.terminal_id, TILL.tz
SECRET = "chain-secret-0123456789"
HASHED = HqSection(central_crm=False, phone_secret=SECRET)


def _day_with_sales(shop: Shop, today: date) -> list[Sale]:
    drawer.open_session(T, TZ, actor=forge_actor(shop.promoter), counts={10000: 2})
    made = []
    for n in range(3):
        cart = promoter_cart(shop)
        cart.add_scan(scan(shop.case.sku), n + 1)
        cart.add_tender("wechat", cart.due, f"42000000000000000000000000{n:02d}")
        made.append(checkout.commit_sale(cart, shop.till))
    Customer.create(phone="13800138000", name="张三")
    close.close_day(T, today, TZ, counted=20000, tolerance=500, actor=manager_actor(shop))
    return made


def _rows(data: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in data.decode().splitlines()]


def test_a_closed_day_round_trips_and_is_the_same_file_twice(
    shop: Shop, tmp_path: Path, clock: FixedClock
) -> None:
    today = clock.today()  # the business day by the suite's clock: any moment, any month end
    sales = _day_with_sales(shop, today)
    key = create_signing_key("S001").key
    assert day_export.days_not_exported() == [today]
    first = day_export.export_day(today, tmp_path, key=key, hq=HASHED, tz=TZ)
    data = first.path.read_bytes()
    read = read_signed(first.path, trusting(key), kind="day", schema_versions={1})
    m = read.manifest
    assert (m["business_date"], m["sequence"], m["terminals"], m["z_numbers"]) == (
        today.isoformat(),
        1,
        ["T1"],
        {"T1": 1},
    )
    head = AuditLog.select().order_by(AuditLog.seq.desc()).first()
    assert m["audit_head"] == {"seq": head.seq, "hash": head.hash}
    assert m["phones"] == "hmac-sha256" and read.digest == first.digest
    got = {name[: -len(".jsonl")]: _rows(part) for name, part in read.parts.items()}
    assert m["counts"] == {name: len(rows) for name, rows in got.items()}
    assert sorted(s["id"] for s in got["sales"]) == sorted(s.id for s in sales)
    assert (
        sum(int(str(s["total"])) for s in got["sales"]) == sum(s.total for s in sales) == m["net_sales_fen"]
    )
    ids = [s.id for s in sales]
    assert len(got["sale_lines"]) == SaleLine.select().where(SaleLine.sale.in_(ids)).count()
    assert sum(int(str(r["amount"])) for r in got["tenders"]) == sum(s.total for s in sales)
    assert {r["reference"] for r in got["tenders"]} == {
        f"42000000000000000000000000{n:02d}" for n in range(3)
    }
    assert [r["z_no"] for r in got["day_close"]] == [1] and len(got["cash_sessions"]) == 1
    assert [r["kind"] for r in got["stock_movements"]].count("sale") == 3
    assert got["audit"][-1]["hash"] == head.hash
    # The store's first day: its window opens at local midnight, so the set-up's receipts of
    # stock (6 movements) and every audit row up to the close are in it.
    assert len(got["stock_movements"]) == 9
    # The products they name go too, by SKU for head office (without the derived search key).
    assert sorted(p["sku"] for p in got["products"]) == ["CASE-IP15", "IP15-128-BK"]
    assert all("search_text" not in p for p in got["products"])
    assert len(got["audit"]) == AuditLog.select().count()
    assert [line["id"] for line in got["sales"]] == sorted(line["id"] for line in got["sales"])
    assert day_export.days_not_exported() == []
    (tmp_path / "again").mkdir()
    again = day_export.export_day(today, tmp_path / "again", key=key, hq=HASHED, tz=TZ)
    assert again.again and again.sequence == 1 and again.path.read_bytes() == data


def test_phones_are_hashed_unless_head_office_keeps_the_crm(
    shop: Shop, tmp_path: Path, clock: FixedClock
) -> None:
    today = clock.today()
    _day_with_sales(shop, today)
    key = create_signing_key("S001").key
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
    hashed = day_export.export_day(today, tmp_path / "a", key=key, hq=HASHED, tz=TZ)
    part = read_signed(hashed.path, trusting(key), kind="day", schema_versions={1}).parts["customers.jsonl"]
    (row,) = _rows(part)
    want = hmac.new(SECRET.encode(), b"13800138000", hashlib.sha256).hexdigest()
    assert row["phone"] == "hmac-sha256:" + want and "phone_last4" not in row and b"13800138000" not in part
    full = day_export.export_day(today, tmp_path / "b", key=key, hq=HqSection(central_crm=True), tz=TZ)
    read = read_signed(full.path, trusting(key), kind="day", schema_versions={1})
    assert (
        read.manifest["phones"] == "full"
        and _rows(read.parts["customers.jsonl"])[0]["phone"] == "13800138000"
    )
    with pytest.raises(ValidationError, match=r"\[hq\] phone_secret"):
        day_export.export_day(today, tmp_path, key=key, hq=HqSection(), tz=TZ)


def test_an_open_day_is_refused_and_an_empty_day_is_a_file(
    shop: Shop, tmp_path: Path, clock: FixedClock
) -> None:
    today = clock.today()
    tomorrow = today + timedelta(days=1)
    key = create_signing_key("S001").key
    with pytest.raises(ValidationError, match=f"{today} is not closed"):
        day_export.export_day(today, tmp_path, key=key, hq=HASHED, tz=TZ)
    drawer.open_session(T, TZ, actor=forge_actor(shop.promoter), counts={10000: 1})
    close.close_day(T, today, TZ, counted=10000, tolerance=500, actor=manager_actor(shop))
    clock.advance(days=1)
    close.close_day(T, tomorrow, TZ, counted=None, reason="停电", tolerance=500, actor=manager_actor(shop))
    assert day_export.days_not_exported() == [today, tomorrow]
    done = day_export.export_pending(tmp_path, key=key, hq=HASHED, tz=TZ)
    assert [(d.business_date, d.sequence) for d in done] == [(today, 1), (tomorrow, 2)]
    empty = read_signed(done[1].path, trusting(key), kind="day", schema_versions={1})
    assert empty.manifest["counts"]["sales"] == 0 and empty.parts["sales.jsonl"] == b""
    assert len(_rows(empty.parts["audit.jsonl"])) >= 1  # the close itself
    assert (
        day_export.days_not_exported() == []
        and day_export.export_pending(tmp_path, key=key, hq=HASHED, tz=TZ) == []
    )
    assert Tender.select().count() == 0


def test_the_handsets_a_day_names_go_with_their_imeis_only(
    shop: Shop, tmp_path: Path, clock: FixedClock
) -> None:
    """Head office's brand sell-out feed reports handsets by IMEI: the units the day's lines
    and movements name go in the file, by the columns that never change (not their status)."""
    from store.models import ImeiUnit
    from tests.store_helpers import sell

    today = clock.today()  # the business day by the suite's clock: any moment, any month end

    drawer.open_session(T, TZ, actor=forge_actor(shop.promoter), counts={10000: 1})
    sell(shop, shop.imeis[0])
    close.close_day(T, today, TZ, counted=None, reason="x", tolerance=500, actor=manager_actor(shop))
    key = create_signing_key("S001").key
    made = day_export.export_day(today, tmp_path, key=key, hq=HASHED, tz=TZ)
    read = read_signed(made.path, trusting(key), kind="day", schema_versions={1})
    units = _rows(read.parts["imei_units.jsonl"])
    # The set-up's five receipts are in the first day's window, so all five units are named.
    assert sorted(u["imei"] for u in units) == sorted(shop.imeis)
    assert all(set(u) == {"id", "product_id", "imei", "imei2"} for u in units)
    sold = ImeiUnit.get(ImeiUnit.imei == shop.imeis[0])
    assert {"id": sold.id, "product_id": shop.phone.id, "imei": shop.imeis[0], "imei2": None} in units
    assert read.manifest["counts"]["imei_units"] == 5


def test_stock_levels_name_every_product_in_the_first_file_then_what_moved(
    shop: Shop, tmp_path: Path, clock: FixedClock
) -> None:
    """A store may hold stock long before its first file: that file gives the on-hand of every
    product; each later file the levels, at its close, of the products its day moved."""
    from tests.store_helpers import sell

    today = clock.today()  # the business day by the suite's clock: any moment, any month end
    tomorrow = today + timedelta(days=1)
    key = create_signing_key("S001").key
    drawer.open_session(T, TZ, actor=forge_actor(shop.promoter), counts={10000: 1})
    close.close_day(T, today, TZ, counted=None, reason="x", tolerance=500, actor=manager_actor(shop))
    clock.advance(days=1)
    drawer.open_session(T, TZ, actor=forge_actor(shop.promoter), counts={10000: 1})
    sell(shop, case_qty=3)
    close.close_day(T, tomorrow, TZ, counted=None, reason="x", tolerance=500, actor=manager_actor(shop))
    sell(shop, case_qty=1)  # the next day's: not in the levels at tomorrow's close
    done = day_export.export_pending(tmp_path, key=key, hq=HASHED, tz=TZ)
    levels = []
    for made in done:
        read = read_signed(made.path, trusting(key), kind="day", schema_versions={1})
        levels.append(
            {r["product_id"]: (r["id"], r["on_hand"]) for r in _rows(read.parts["stock_levels.jsonl"])}
        )
    assert levels[0] == {
        shop.phone.id: (f"{today}/{shop.phone.id}", 5),
        shop.case.id: (f"{today}/{shop.case.id}", 20),
    }
    assert levels[1] == {shop.case.id: (f"{tomorrow}/{shop.case.id}", 17)}
