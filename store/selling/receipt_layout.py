"""The receipt's layout, one for the screen, a text file and an ESC/POS thermal printer.

Widths are counted in cells, not characters: a Chinese character takes two columns on a
terminal and on a thermal printer, so a layout counted in characters would overflow the roll."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.selling.receipt import Receipt

# The same bounds config.toml accepts for [receipt] width.
MIN_WIDTH = 24


MAX_WIDTH = 64


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


def layout_receipt(receipt: Receipt, width: int, cells: Measure, money: Callable[[int], str]) -> list[_Row]:
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
    out.field(_("Reason"), receipt.return_reason)
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
        if tender.reference:  # whole, on a line of its own when it does not fit beside its label
            out.pair(_("Ref."), tender.reference, indent=2)
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
