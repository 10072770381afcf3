from __future__ import annotations

import gettext
import re
import socket
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import qrcode
from rich.cells import cell_len

from store.crm import sale_customer as customers
from store.kernel import i18n
from store.kernel.auth import Approval
from store.kernel.errors import PrinterError, ZhangguiError
from store.kernel.money import format_fen
from store.models import Sale
from store.selling import checkout, refunds, sale_lookup, sale_voids
from store.selling.cart import Cart
from store.selling.printer import print_receipt
from store.selling.receipt import Receipt, build_receipt
from store.selling.receipt_layout import cell_width
from store.selling.receipt_render import QR_BORDER, QR_ERROR_CORRECTION, render_escpos, render_text, save_text
from store.stock import catalog
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import forge_approval, scan

STORE = "测试店"
HEADER = "深圳市南山区科技园\n电话 0755-8888 8888"
FOOTER = "谢谢惠顾 Thank you\n七天无理由退货"
WIDTHS = (32, 48)
WECHAT_REF = "4200001234202612070000000042"
HALF_BLOCKS = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def manager_ok(shop: Shop) -> Approval:
    return forge_approval(shop.manager.id, shop.manager.name)


def receipt_for(shop: Shop, sale: Sale, reprint: bool = False) -> Receipt:
    return build_receipt(
        sale.id, store_name=STORE, header=HEADER, footer=FOOTER, tz=shop.till.tz, reprint=reprint
    )


def ring_sale(shop: Shop) -> Sale:
    """The manager rings, the promoter is credited: a phone by IMEI and two cases, paid
    5,000.00 by WeChat and the rest in cash with change, for customer 张三."""
    cart = Cart(staff_id=shop.manager.id, staff_role="manager", discount_limit_percent=30)
    cart.set_promoter(shop.promoter.id)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("6900000000011"), 2)
    cart.customer_id = customers.find_or_create("13800138000", "张三").id
    cart.add_tender("wechat", 500000, WECHAT_REF)
    cart.add_tender("cash", 200000)
    return checkout.commit_sale(cart, shop.till)


def ring_return(shop: Shop, sale: Sale) -> Sale:
    """The phone comes back; the refund goes back as it was paid, WeChat and cash."""
    phone_line = next(r.line for r in sale_lookup.returnable_lines(sale) if r.line.imei_unit is not None)
    cart = Cart(staff_id=shop.manager.id, staff_role="manager", discount_limit_percent=30)
    cart.add_return_line(phone_line, 1, sale_lookup.returned_qty(phone_line.id))
    cart.approve_return()  # the manager ringing it answers for it in their own role
    cart.set_return_reason("defective")
    refunds.take_as_paid(cart)
    return checkout.commit_sale(cart, shop.till)


def ring_chinese(shop: Shop) -> Sale:
    """Chinese product names of different lengths, one long enough to wrap on 58 mm."""
    protector = catalog.create_product(
        sku="MATE60-FILM",
        brand="华为",
        model="Mate 60 Pro 钢化膜 全屏高清防指纹",
        category="accessory",
        price=5900,
        barcode="6900000000028",
    )
    charger = catalog.create_product(
        sku="CHG-66W",
        brand="华为",
        model="66W 超级快充充电器",
        category="accessory",
        price=14900,
        barcode="6900000000035",
    )
    stock.receive(protector, staff_id=shop.manager.id, qty=5)
    stock.receive(charger, staff_id=shop.manager.id, qty=5)
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    cart.add_scan(scan("6900000000028"), 2)
    cart.add_scan(scan("6900000000035"))
    cart.add_scan(scan("6900000000011"))
    cart.set_line_discount(1, 500)
    cart.add_tender("alipay", cart.due)
    return checkout.commit_sale(cart, shop.till)


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_width(line) <= width, (width, line)
        assert cell_len(line) <= width, (width, line)


def item_rows(receipt: Receipt, text: str) -> list[str]:
    """The text row of each item that carries its line total."""
    rows = []
    for item in receipt.lines:
        amount = format_fen(item.total)
        found = [ln for ln in text.splitlines() if ln.endswith(amount) and item.name.startswith(ln[:4])]
        assert found, (item.name, text)
        rows.append(found[0])
    return rows


def is_qr_row(line: str) -> bool:
    return bool(line) and set(line) <= set(HALF_BLOCKS) and set(line) != {" "}


def qr_blocks(text: str) -> list[list[str]]:
    """The half-block rows of each QR code on a text receipt, top to bottom (the receipt
    number's, then the customer's referral code's)."""
    blocks: list[list[str]] = []
    previous = False
    for line in text.splitlines():
        row = is_qr_row(line)
        if row and not previous:
            blocks.append([])
        if row:
            blocks[-1].append(line)
        previous = row
    return blocks


def decode_half_blocks(text: str, block: int = 0) -> list[list[bool]]:
    """Turn the half-block rows of one QR code on a text receipt back into QR modules."""
    rows = qr_blocks(text)[block]
    start = min(len(r) - len(r.lstrip(" ")) for r in rows)
    width = max(len(r) for r in rows) - start
    matrix: list[list[bool]] = []
    for row in rows:
        cells = row[start:].ljust(width)
        matrix.append([HALF_BLOCKS[c][0] for c in cells])
        matrix.append([HALF_BLOCKS[c][1] for c in cells])
    return matrix


def trim(matrix: list[list[bool]]) -> list[list[bool]]:
    """The bounding box of the dark modules: the symbol without its quiet zone."""
    rows = [i for i, r in enumerate(matrix) if any(r)]
    cols = [j for j in range(len(matrix[0])) if any(r[j] for r in matrix)]
    return [r[cols[0] : cols[-1] + 1] for r in matrix[rows[0] : rows[-1] + 1]]


# ---- building ---------------------------------------------------------------


def test_receipt_carries_the_sale(shop: Shop) -> None:
    sale = ring_sale(shop)
    r = receipt_for(shop, sale)
    assert r.receipt_no == sale.receipt_no == r.qr_payload
    assert r.kind == "sale" and not r.voided and not r.reprint
    assert r.store_name == STORE and r.header == ("深圳市南山区科技园", "电话 0755-8888 8888")
    assert r.cashier == "王店长" and r.promoters == ("李小红",)
    assert r.customer_name == "张三" and r.customer_phone == "138****8000"
    assert [ln.imei for ln in r.lines] == [shop.imeis[0], None]
    assert [(ln.qty, ln.unit_price, ln.total) for ln in r.lines] == [(1, 599900, 599900), (2, 3900, 7800)]
    assert (r.subtotal, r.discount, r.total) == (607700, 0, 607700)
    assert [(t.kind, t.label, t.amount, t.tendered) for t in r.tenders] == [
        ("wechat", "WeChat Pay", 500000, 500000),
        ("cash", "Cash", 107700, 200000),
    ]
    assert r.change == 200000 - 107700
    # The DB keeps naive UTC; the receipt shows Shanghai time.
    assert r.created_at.utcoffset() == timedelta(hours=8)
    assert r.created_at.astimezone(UTC).replace(tzinfo=None) == sale.created_at
    assert r.local_time == (sale.created_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")


def test_unknown_sale_is_not_found(shop: Shop) -> None:
    with pytest.raises(ZhangguiError):
        build_receipt("nope", store_name=STORE, header="", footer="", tz=shop.till.tz)


# ---- plain text -------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_text_receipt_content_and_width(shop: Shop, width: int) -> None:
    sale = ring_sale(shop)
    r = receipt_for(shop, sale)
    text = render_text(r, width)
    assert_fits(text, width)
    for needle in (
        sale.receipt_no,
        shop.imeis[0],
        "王店长",
        "李小红",
        "138****8000",
        "WeChat Pay",
        "Cash",
        format_fen(607700),
        format_fen(500000),
        format_fen(200000),
        format_fen(92300),
        r.local_time,
        "七天无理由退货",
    ):
        assert needle in text, needle
    assert "13800138000" not in text
    lines = text.splitlines()
    change = next(ln for ln in lines if ln.startswith("Change"))
    total = next(ln for ln in lines if ln.startswith("Total"))
    assert change.endswith(format_fen(92300)) and cell_len(change) == width
    assert total.endswith(format_fen(607700)) and cell_len(total) == width
    assert all(cell_len(row) == width for row in item_rows(r, text))


@pytest.mark.parametrize("width", WIDTHS)
def test_chinese_names_line_up(shop: Shop, width: int) -> None:
    sale = ring_chinese(shop)
    r = receipt_for(shop, sale)
    text = render_text(r, width)
    assert_fits(text, width)
    rows = item_rows(r, text)
    assert len(rows) == 3
    # The amount column ends at the same cell on every item row, measured two ways.
    assert {cell_len(row) for row in rows} == {width}
    assert {cell_width(row) for row in rows} == {width}
    # Narrow enough a roll wraps the long name instead of overflowing; nothing of it is lost.
    amount = format_fen(r.lines[0].total)
    joined = "".join(ln.removesuffix(amount).strip() for ln in text.splitlines())
    assert r.lines[0].name.replace(" ", "") in joined.replace(" ", "")
    if width == 32:
        assert r.lines[0].name not in text  # it did wrap


@pytest.mark.parametrize("width", WIDTHS)
def test_return_receipt(shop: Shop, width: int) -> None:
    sale = ring_sale(shop)
    refund = ring_return(shop, sale)
    r = receipt_for(shop, refund)
    assert r.kind == "return" and r.original_receipt_no == sale.receipt_no
    assert r.lines[0].qty == -1 and r.lines[0].total == -599900 and r.lines[0].imei == shop.imeis[0]
    assert r.total == -599900
    text = render_text(r, width)
    assert_fits(text, width)
    assert "Return receipt" in text and sale.receipt_no in text and refund.receipt_no in text
    assert format_fen(-599900) in text  # the returned line is negative
    refund_row = next(ln for ln in text.splitlines() if ln.startswith("Refund"))
    assert refund_row.endswith(format_fen(599900)) and cell_len(refund_row) == width
    # Why it came back, and where the money went: back to WeChat (its transaction number) and
    # to cash, in proportion to what each paid of the receipt.
    assert r.return_reason == "质量问题 Defective" and "Reason: 质量问题 Defective" in text
    wechat, cash = r.tenders
    assert (wechat.label, wechat.reference, cash.label) == ("Back to WeChat Pay", WECHAT_REF, "Back to Cash")
    assert wechat.amount + cash.amount == -599900
    assert abs(-wechat.amount * 607700 - 599900 * 500000) < 607700  # its share of 607,700, to the fen
    assert WECHAT_REF in text and "Back to WeChat Pay" in text and "Back to Cash" in text


def test_return_receipt_in_chinese(shop: Shop) -> None:
    refund = ring_return(shop, ring_sale(shop))
    i18n.set_language("zh_CN")
    text = render_text(receipt_for(shop, refund), 32)
    assert_fits(text, 32)
    assert "原因：质量问题 Defective" in text
    assert "退回微信支付" in text and "退回现金" in text
    assert (
        WECHAT_REF
        in text.splitlines()[
            text.splitlines().index(next(ln for ln in text.splitlines() if "流水号" in ln)) + 1
        ]
    )


def test_void_and_reprint_are_marked(shop: Shop) -> None:
    sale = ring_sale(shop)
    sale_voids.void_sale(sale.id, approval=manager_ok(shop), till=shop.till)
    text = render_text(receipt_for(shop, sale, reprint=True))
    assert text.count("*** VOID ***") == 2 and "*** REPRINT ***" in text
    assert "VOID" not in render_text(receipt_for(shop, ring_sale_again(shop)))


def ring_sale_again(shop: Shop) -> Sale:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    cart.add_scan(scan(shop.imeis[1]))
    cart.add_tender("card", cart.due)
    return checkout.commit_sale(cart, shop.till)


@pytest.mark.parametrize("width", WIDTHS)
def test_text_qr_is_the_receipt_number(shop: Shop, width: int) -> None:
    r = receipt_for(shop, ring_sale(shop))
    code = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=QR_BORDER)
    code.add_data(r.receipt_no)
    code.make(fit=True)
    expected = code.get_matrix()
    text = render_text(r, width)
    decoded = decode_half_blocks(text)
    assert trim(decoded) == trim(expected)
    # Centred, with its quiet zone: the finder pattern starts QR_BORDER cells into the code.
    qr_rows = qr_blocks(text)[0]
    assert min(len(ln) - len(ln.lstrip()) for ln in qr_rows) == (width - len(expected)) // 2 + QR_BORDER
    assert len(qr_rows) == (len(expected) - 2 * QR_BORDER + 1) // 2
    assert "▀" not in render_text(r, width, with_qr=False)


# ---- translations -------------------------------------------------------------

ZH = {
    "Sales receipt": "销售小票",
    "Receipt no.": "单号",
    "Date": "日期",
    "Cashier": "收银员",
    "Promoter": "促销员",
    "Customer": "顾客",
    "Subtotal": "小计",
    "Discount": "优惠",
    "Total": "合计",
    "Change": "找零",
    "Cash": "现金",
    "WeChat Pay": "微信支付",
    "Alipay": "支付宝",
    "{label}: {value}": "{label}：{value}",
}


class FakeCatalog(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return ZH.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ZH.get(singular if n == 1 else plural, singular if n == 1 else plural)


@pytest.mark.parametrize("width", WIDTHS)
def test_labels_go_through_gettext(shop: Shop, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    sale = ring_sale(shop)
    monkeypatch.setattr(i18n, "_translation", FakeCatalog())
    r = receipt_for(shop, sale)
    text = render_text(r, width)
    assert_fits(text, width)
    for english, chinese in ZH.items():
        if english not in ("{label}: {value}", "Alipay", "Discount"):  # no discount, no Alipay here
            assert chinese in text, chinese
    assert "Subtotal" not in text and "WeChat Pay" not in text
    change = next(ln for ln in text.splitlines() if ln.startswith("找零"))
    assert cell_len(change) == width and change.endswith(format_fen(92300))
    assert "单号：" + sale.receipt_no in text.replace("\n", "")
    data = render_escpos(r, width)
    assert "找零".encode("gb18030") in data and "微信支付".encode("gb18030") in data


def test_english_when_set(shop: Shop) -> None:
    i18n.set_language("en")
    text = render_text(receipt_for(shop, ring_sale(shop)))
    for label in ("Sales receipt", "Receipt no.:", "Cashier", "Promoter", "Customer", "Subtotal", "Total"):
        assert label in text


# ---- ESC/POS ------------------------------------------------------------------

_CONTROL = re.compile(rb"\x1b@|\x1c[&.]|\x1b[!Ea].|\x1bd.|\x1dV[\x00\x01]")


def printed_lines(data: bytes) -> list[str]:
    """The text of each printed line, control sequences dropped; the QR block is skipped."""
    out = []
    for chunk in data.split(b"\n"):
        if b"\x1d(k" in chunk:
            continue
        out.append(_CONTROL.sub(b"", chunk).decode("gb18030"))
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_escpos_stream(shop: Shop, width: int) -> None:
    sale = ring_chinese(shop)
    r = receipt_for(shop, sale)
    data = render_escpos(r, width)
    assert data.startswith(b"\x1b@")
    assert data == render_escpos(r, width)  # deterministic
    # Chinese mode first, then GB18030 text; no single-byte code page switch (ESC t) anywhere.
    assert data.index(b"\x1c&") < data.index(STORE.encode("gb18030"))
    assert "钢化膜".encode("gb18030") in data and "谢谢惠顾".encode("gb18030") in data
    assert b"\x1bt" not in data
    assert "¥".encode("gb18030") not in data and "￥".encode("gb18030") in data
    # Bold, centred store name.
    head = data[: data.index(STORE.encode("gb18030"))]
    assert b"\x1bE\x01" in head and b"\x1ba\x01" in head
    # GS ( k: store the receipt number (fn 80, m '0'), then print it (fn 81).
    no = r.receipt_no.encode()
    store = b"\x1d(k" + (len(no) + 3).to_bytes(2, "little") + b"1P0" + no
    assert store in data
    assert data.index(store) < data.index(b"\x1d(k\x03\x001Q0")
    assert re.search(rb"\x1dV(?:[\x00\x01\x30\x31]|[AB].)$", data)
    # Every printed line fits the roll: ASCII is one cell, each GB18030 character two.
    for line in printed_lines(data):
        assert len(line.encode("gb18030")) <= width, line


# ---- printing and saving --------------------------------------------------------


def test_print_to_file_writes_exactly_the_bytes(shop: Shop, tmp_path: Path) -> None:
    data = render_escpos(receipt_for(shop, ring_sale(shop)))
    target = tmp_path / "lp0"
    print_receipt(data, "file", str(target))
    assert target.read_bytes() == data
    print_receipt(data, "none", "")  # nothing configured: nothing happens


def test_print_to_closed_port_is_a_readable_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ZhangguiError) as info:
        print_receipt(b"\x1b@", "network", f"127.0.0.1:{port}")
    message = str(info.value)
    assert isinstance(info.value, PrinterError)
    assert f"127.0.0.1:{port}" in message and "refused" in message and "Traceback" not in message


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("laser", "x"),
        ("network", "printer:notaport"),
        ("network", "printer:70000"),
        ("network", ""),
        ("usb", "nothex"),
        ("usb", "0416"),
        ("serial", "/dev/ttyUSB0@fast"),
        ("file", ""),
    ],
)
def test_bad_printer_settings_are_errors(kind: str, target: str) -> None:
    with pytest.raises(ZhangguiError) as info:
        print_receipt(b"\x1b@", kind, target)
    assert str(info.value)


def test_print_to_missing_or_forbidden_file(tmp_path: Path) -> None:
    with pytest.raises(PrinterError, match="no such device"):
        print_receipt(b"x", "file", str(tmp_path / "missing" / "lp0"))
    with pytest.raises(PrinterError, match="folder"):
        print_receipt(b"x", "file", str(tmp_path))


def test_save_text(shop: Shop, tmp_path: Path) -> None:
    r = receipt_for(shop, ring_sale(shop))
    path = save_text(r, tmp_path / "receipts", 48)
    assert path == tmp_path / "receipts" / f"{r.receipt_no}.txt"
    assert path.read_text(encoding="utf-8") == render_text(r, 48)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left
    again = save_text(r, tmp_path / "receipts", 32)  # a reprint replaces it
    assert again == path and path.read_text(encoding="utf-8") == render_text(r, 32)


def test_width_out_of_range_is_refused(shop: Shop) -> None:
    r = receipt_for(shop, ring_sale(shop))
    with pytest.raises(ZhangguiError):
        render_text(r, 10)
