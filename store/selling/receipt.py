"""Receipts: one layout for the screen, a text file and an ESC/POS thermal printer.

Widths are counted in cells, not characters: a Chinese character takes two columns on a
terminal and on a thermal printer, so a layout counted in characters would overflow the roll.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import qrcode
import qrcode.constants
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from peewee import JOIN, SQL

from store.kernel.errors import NotFound, PrinterError, ValidationError
from store.kernel.files import write_durably
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.kernel.phone import mask
from store.models import ImeiUnit, Product, Sale, SaleLine, Staff, Tender
from store.referrals import codes

# The same bounds config.toml accepts for [receipt] width.
MIN_WIDTH = 24
MAX_WIDTH = 64

TENDER_NAMES = {
    "cash": N_("Cash"),
    "wechat": N_("WeChat Pay"),
    "alipay": N_("Alipay"),
    "card": N_("Card"),
    "voucher": N_("Referral voucher"),
}
KIND_TITLES = {
    "sale": N_("Sales receipt"),
    "return": N_("Return receipt"),
    "exchange": N_("Exchange receipt"),
}

# M survives a creased or smudged receipt and still fits a 35-character receipt number in a
# version 2-3 symbol, narrow enough for a 32-column roll with a quiet zone.
QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QR_BORDER = 2

ESC = b"\x1b"
FS = b"\x1c"
# Chinese thermal printers (Xprinter, Gprinter, Sprt...) read bytes >= 0x80 as GB18030/GBK
# double-byte characters only in Chinese character mode; FS & enters it, FS . leaves it.
CHINESE_MODE_ON = FS + b"&"
CHINESE_MODE_OFF = FS + b"."


def tender_label(kind: str) -> str:
    return _(TENDER_NAMES[kind]) if kind in TENDER_NAMES else kind


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    imei: str | None
    qty: int  # negative on a returned line
    unit_price: int
    discount: int  # fen taken off this line (negative on a returned line: the discount given back)
    total: int  # unit_price * qty - discount

    @property
    def is_return(self) -> bool:
        return self.qty < 0


@dataclass(frozen=True)
class ReceiptTender:
    kind: str
    amount: int
    tendered: int
    change: int
    reference: str

    @property
    def label(self) -> str:
        """Translated when read, so a receipt built earlier follows a language switch."""
        return tender_label(self.kind)


@dataclass(frozen=True)
class Receipt:
    sale_id: str
    receipt_no: str
    store_name: str
    header: tuple[str, ...]
    footer: tuple[str, ...]
    created_at: datetime  # aware, in the store's time zone
    kind: str  # sale / return / exchange
    voided: bool
    reprint: bool
    original_receipt_no: str
    cashier: str
    promoters: tuple[str, ...]
    customer_name: str
    customer_phone: str  # masked: 138****8000
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    discount: int
    total: int
    tenders: tuple[ReceiptTender, ...]
    change: int
    qr_payload: str
    # The customer's 老带新 code, printed with its own QR so a friend can be referred by
    # scanning the receipt; "" without a customer (or when referrals are off).
    referral_code: str = ""
    referral_note: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return _(KIND_TITLES.get(self.kind, KIND_TITLES["sale"]))

    @property
    def local_time(self) -> str:
        return self.created_at.strftime("%Y-%m-%d %H:%M:%S")


# ---- building ---------------------------------------------------------------


def _clean(text: str) -> str:
    """Control characters in a name would be printer commands on an ESC/POS roll."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).strip()


def _text_lines(text: str) -> tuple[str, ...]:
    return tuple(_clean(line) for line in text.splitlines()) if text.strip() else ()


def build_receipt(
    sale_id: str,
    *,
    store_name: str,
    header: str,
    footer: str,
    tz: ZoneInfo,
    reprint: bool = False,
    referrals: bool = True,
    referral_note: str = "",
) -> Receipt:
    """``referrals``: print the customer's referral code and QR, with ``referral_note``
    ([referrals] receipt_note) under it."""
    sale = Sale.get_or_none(Sale.id == sale_id)
    if sale is None:
        raise NotFound(_("No receipt {code}.").format(code=sale_id[:40]))
    rows = list(
        SaleLine.select(SaleLine, Product, ImeiUnit, Staff)
        .join(Product)
        .switch(SaleLine)
        .join(ImeiUnit, JOIN.LEFT_OUTER)
        .switch(SaleLine)
        .join(Staff, on=(SaleLine.promoter == Staff.id))
        .where(SaleLine.sale == sale.id)
        .order_by(SaleLine.line_no)
    )
    lines = tuple(
        ReceiptLine(
            name=_clean(row.product.display_name),
            imei=row.imei_unit.imei if row.imei_unit is not None else None,
            qty=row.qty,
            unit_price=row.unit_price,
            discount=row.discount,
            total=row.total,
        )
        for row in rows
    )
    promoters: list[str] = []
    for row in rows:
        name = _clean(row.promoter.name)
        if name not in promoters:
            promoters.append(name)
    tenders = tuple(
        ReceiptTender(
            kind=t.kind, amount=t.amount, tendered=t.tendered, change=t.change, reference=t.reference
        )
        # rowid: the order they were taken in (UUIDv7 ids are not ordered within a millisecond).
        for t in Tender.select().where(Tender.sale == sale.id).order_by(SQL("rowid"))
    )
    customer = sale.customer
    original = sale.original
    # An erased customer is nobody to refer friends any more.
    code = ""
    if referrals and customer is not None and customer.erased_at is None:
        # code_of gives a row an older version made its code on the way.
        code = customer.referral_code or codes.code_of(customer.id)
    created: datetime = sale.created_at
    return Receipt(
        sale_id=sale.id,
        receipt_no=sale.receipt_no,
        store_name=_clean(store_name),
        header=_text_lines(header),
        footer=_text_lines(footer),
        created_at=created.replace(tzinfo=UTC).astimezone(tz),
        kind=sale.kind,
        voided=sale.status == "voided",
        reprint=reprint,
        original_receipt_no=original.receipt_no if original is not None else "",
        cashier=_clean(sale.staff.name),
        promoters=tuple(promoters),
        customer_name=_clean(customer.name) if customer is not None else "",
        customer_phone=mask(customer.phone) if customer is not None else "",
        lines=lines,
        subtotal=sale.subtotal,
        discount=sale.discount,
        total=sale.total,
        tenders=tenders,
        change=sum(t.change for t in tenders),
        qr_payload=sale.receipt_no,
        referral_code=code,
        referral_note=_text_lines(referral_note) if code else (),
    )


# ---- cell widths and wrapping -----------------------------------------------

Measure = Callable[[str], int]


def char_cells(ch: str) -> int:
    """Terminal cells of one character: East Asian Wide and Fullwidth take two."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_width(text: str) -> int:
    return sum(char_cells(ch) for ch in text)


def printer_cells(ch: str) -> int:
    """In Chinese mode a printer draws ASCII half-width and every multi-byte GB18030 character
    full-width, including ones a terminal shows narrow (×, §, ·), so it is measured by bytes."""
    return 1 if ch < "\x80" else 2


def _wrap(text: str, width: int, cells: Measure) -> list[str]:
    """Break at spaces where possible, anywhere otherwise (Chinese has no spaces)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for ch in paragraph:
            w = cells(ch)
            if w > width:  # only on an absurdly narrow column; never overflow it
                ch, w = "?", 1
            if used + w > width:
                cut = line.rfind(" ")
                if ch != " " and cut > 0:
                    out.append(line[:cut].rstrip())
                    line = line[cut + 1 :]
                else:
                    out.append(line.rstrip())
                    line = ""
                used = sum(cells(c) for c in line)
                while line and used + w > width:  # a single over-long word: hard break
                    out.append(line)
                    line, used = "", 0
                if ch == " " and not line:
                    continue
            line += ch
            used += w
        out.append(line.rstrip())
    return out


def _truncate(text: str, width: int, cells: Measure) -> str:
    out, used = "", 0
    for ch in text:
        w = cells(ch)
        if used + w > width:
            break
        out += ch
        used += w
    return out


# ---- layout -----------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    style: str  # title / center / left / qr
    text: str


class _Layout:
    """The receipt as rows that fit ``width`` cells as measured by ``cells``."""

    def __init__(self, width: int, cells: Measure) -> None:
        if not MIN_WIDTH <= width <= MAX_WIDTH:
            raise ValidationError(
                _("A receipt is {low} to {high} characters wide.").format(low=MIN_WIDTH, high=MAX_WIDTH)
            )
        self.width = width
        self.rows: list[_Row] = []
        self.cells = cells

    def measure(self, text: str) -> int:
        return sum(self.cells(ch) for ch in text)

    def add(self, style: str, text: str, indent: int = 0) -> None:
        for part in _wrap(text, self.width - indent, self.cells):
            self.rows.append(_Row(style, " " * indent + part))

    def rule(self) -> None:
        self.rows.append(_Row("left", "-" * self.width))

    def pair(self, label: str, value: str, indent: int = 0) -> None:
        """``label`` on the left, ``value`` ending at the last cell; the label wraps, never the value."""
        value = _truncate(value, self.width - indent, self.cells)
        room = self.width - indent - self.measure(value) - 1
        if room >= 2:
            parts = _wrap(label, room, self.cells)
        else:
            self.add("left", label, indent)
            parts = [""]
        for part in parts[:-1]:
            self.rows.append(_Row("left", " " * indent + part))
        last = parts[-1]
        gap = self.width - indent - self.measure(last) - self.measure(value)
        self.rows.append(_Row("left", " " * indent + last + " " * gap + value))

    def field(self, label: str, value: str, indent: int = 0) -> None:
        if value:
            self.add("left", _("{label}: {value}").format(label=label, value=value), indent)


def _layout(receipt: Receipt, width: int, cells: Measure, money: Callable[[int], str]) -> list[_Row]:
    out = _Layout(width, cells)
    if receipt.voided:
        out.add("center", "*** " + _("VOID") + " ***")
    if receipt.reprint:
        out.add("center", "*** " + _("REPRINT") + " ***")
    out.add("title", receipt.store_name)
    for text in receipt.header:
        out.add("center", text)
    out.add("center", receipt.title)
    out.rule()
    # Short label: "Receipt: S001-T1-20261127-0001" still fits a 32-column roll.
    out.field(_("Receipt no."), receipt.receipt_no)
    out.field(_("Original receipt"), receipt.original_receipt_no)
    out.field(_("Date"), receipt.local_time)
    out.field(_("Cashier"), receipt.cashier)
    out.field(_("Promoter"), ", ".join(receipt.promoters))
    customer = " ".join(p for p in (receipt.customer_name, receipt.customer_phone) if p)
    out.field(_("Customer"), customer)
    out.rule()
    for line in receipt.lines:
        # Every item's amount ends at the last cell, whatever the width of its name.
        amount = money(line.total)
        name_room = width - out.measure(amount) - 1
        name_rows = _wrap(line.name, name_room, cells)
        out.pair(name_rows[0], amount)
        for rest in name_rows[1:]:
            out.rows.append(_Row("left", rest))
        detail = f"{line.qty} x {money(line.unit_price)}"
        if line.is_return:
            detail += " " + _("Returned")
        out.add("left", detail, indent=2)
        if line.discount:
            out.field(_("Discount"), money(-line.discount), indent=2)
        if line.imei:
            out.add("left", f"IMEI {line.imei}", indent=2)
    out.rule()
    # A refund reads better as a positive "Refund" than as a negative "Total".
    sign = -1 if receipt.total < 0 else 1
    out.pair(_("Subtotal"), money(receipt.subtotal))
    if receipt.discount:
        out.pair(_("Discount"), money(-receipt.discount))
    out.pair(_("Refund") if sign < 0 else _("Total"), money(sign * receipt.total))
    for tender in receipt.tenders:
        out.pair(tender.label, money(sign * tender.tendered))
        if tender.reference:
            out.field(_("Ref."), tender.reference, indent=2)
    if receipt.change:
        out.pair(_("Change"), money(receipt.change))
    out.rule()
    out.rows.append(_Row("qr", receipt.qr_payload))
    for text in receipt.footer:
        out.add("center", text)
    if receipt.referral_code:
        out.rule()
        out.add("center", _("Referral code {code}").format(code=receipt.referral_code))
        out.rows.append(_Row("qr", receipt.referral_code))
        for text in receipt.referral_note:
            out.add("center", text)
    if receipt.voided:
        out.add("center", "*** " + _("VOID") + " ***")
    return out.rows


# ---- plain text ---------------------------------------------------------------


def qr_matrix(payload: str, border: int = QR_BORDER) -> list[list[bool]]:
    """The QR modules (True = dark) including ``border`` modules of quiet zone."""
    code = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return cast(list[list[bool]], code.get_matrix())


_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_half_blocks(matrix: list[list[bool]]) -> list[str]:
    """Two module rows per text row: terminal cells are about twice as tall as wide, so the
    code comes out roughly square. A filled glyph is a dark module, as on paper."""
    rows: list[str] = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * len(upper)
        rows.append("".join(_HALF_BLOCKS[(a, b)] for a, b in zip(upper, lower, strict=True)))
    return rows


def _text_qr(payload: str, width: int) -> list[str]:
    for border in range(QR_BORDER, -1, -1):
        matrix = qr_matrix(payload, border)
        if len(matrix) <= width:
            pad = " " * ((width - len(matrix)) // 2)
            return [pad + row for row in qr_half_blocks(matrix)]
    return []  # too long for this roll; the receipt number is printed above anyway


def render_text(receipt: Receipt, width: int = 32, *, with_qr: bool = True) -> str:
    lines: list[str] = []
    for row in _layout(receipt, width, char_cells, format_fen):
        if row.style == "qr":
            if with_qr:
                lines.extend(_text_qr(row.text, width))
        elif row.style in ("title", "center"):
            lines.append(" " * ((width - cell_width(row.text)) // 2) + row.text)
        else:
            lines.append(row.text)
    return "\n".join(line.rstrip() for line in lines) + "\n"


# ---- ESC/POS ------------------------------------------------------------------


def _printer_money(fen: int) -> str:
    # U+00A5 is a four-byte sequence in GB18030 that GB2312/GBK printer fonts lack; the
    # full-width U+FFE5 is in every Chinese printer font (GBK A3A4).
    return format_fen(fen).replace("¥", "￥")


def _gb18030(text: str) -> bytes:
    return text.encode("gb18030", errors="replace")


def render_escpos(receipt: Receipt, width: int = 32) -> bytes:
    """Text is written raw as GB18030 in Chinese mode: python-escpos's text() "magic" sends
    GB18030 only when a line holds a CJK ideograph and otherwise switches single-byte code
    pages (ESC t), which turns ￥, full-width punctuation and Chinese mode itself into garbage."""
    printer: Any = Dummy()
    printer.hw("INIT")  # ESC @
    printer._raw(CHINESE_MODE_ON)
    style = ""
    for row in _layout(receipt, width, printer_cells, _printer_money):
        if row.style != style:
            if row.style == "title":
                # Double height only: double width would halve the columns the layout counted on.
                printer.set(align="center", bold=True, double_height=True)
            else:
                align = "center" if row.style in ("center", "qr") else "left"
                if style == "title":
                    printer.set(normal_textsize=True, bold=False, align=align)
                else:
                    printer.set(align=align)
            style = row.style
        if row.style == "qr":
            # Dot size 6 keeps a version 3 code about 2 cm wide on a 384-dot (58 mm) head.
            printer.qr(row.text, native=True, size=6 if width < 48 else 8, ec=QR_ECLEVEL_M)
            printer._raw(b"\n")
        else:
            printer._raw(_gb18030(row.text.rstrip()) + b"\n")
    printer.set(align="left")
    printer._raw(CHINESE_MODE_OFF)
    printer.cut()
    return cast(bytes, printer.output)


# ---- saving -------------------------------------------------------------------


def save_text(receipt: Receipt, directory: Path, width: int = 32) -> Path:
    """Write ``<receipt_no>.txt`` so that a crash leaves either the old file or the new one."""
    text = render_text(receipt, width)
    name = f"{receipt.receipt_no}.txt"
    if Path(name).name != name or name.startswith("."):
        raise PrinterError(_("Receipt number {no} cannot be a file name.").format(no=receipt.receipt_no))
    target = directory / name
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_durably(target, text.encode("utf-8"))
    except OSError as exc:
        raise PrinterError(
            _("The receipt could not be saved to {path}: {reason}").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target
