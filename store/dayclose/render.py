"""The X and Z reports as text that fits a width: 80 columns on screen or in a file, 32 or
48 characters on a 58 or 80 mm receipt roll (a Chinese character takes two cells, measured as
the receipt printer measures it: store.selling.receipt_layout)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from store.dayclose.report import DrawerReport, Line
from store.kernel.errors import PrinterError
from store.kernel.files import write_durably
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.selling.cart_lines import tender_label
from store.selling.receipt_layout import char_cells, printer_cells
from store.stock.catalog import category_name

Measure = Callable[[str], int]
BAR = "█"
# ESC/POS as store.selling.receipt_render sends a receipt, without loading python-escpos.
INIT = b"\x1b@"
CHINESE_MODE_ON = b"\x1c&"
CHINESE_MODE_OFF = b"\x1c."
FEED_AND_CUT = b"\x1dVA\x00"  # GS V 65 0: feed to the cutter, then cut


def _cut(text: str, width: int, cells: Measure, narrow_ascii: bool = False) -> str:
    if narrow_ascii and text.isascii():
        return text[: max(width, 0)]
    out, used = "", 0
    for ch in text:
        if used + cells(ch) > width:
            break
        out += ch
        used += cells(ch)
    return out


class _Text:
    def __init__(self, width: int, cells: Measure) -> None:
        # Both measures count an ASCII character as one cell: a line of ASCII (IMEIs, receipt
        # numbers, amounts; most of a 1,000-sale day's report) is measured by its length, and
        # any other character once a report (unicodedata a character was a third of the Z).
        self.narrow_ascii = cells in (char_cells, printer_cells)
        self.width, self.cells = width, cache(cells)
        self.rows: list[str] = []

    def size(self, text: str) -> int:
        if self.narrow_ascii and text.isascii():
            return len(text)
        return sum(map(self.cells, text))

    def cut(self, text: str, width: int) -> str:
        return _cut(text, width, self.cells, self.narrow_ascii)

    def add(self, text: str) -> None:
        """A line; one too long goes on in the next, each cut to the width."""
        while self.size(text) > self.width:
            head = self.cut(text, self.width)
            self.rows.append(head)
            text = text[len(head) :]
        self.rows.append(text)

    def centre(self, text: str) -> None:
        if self.size(text) > self.width:
            self.add(text)
            return
        pad = (self.width - self.size(text)) // 2
        self.rows.append(" " * pad + text)

    def rule(self, title: str = "") -> None:
        if not title:
            self.rows.append("-" * self.width)
            return
        title = self.cut(f" {title} ", self.width - 4)
        left = (self.width - self.size(title)) // 2
        self.rows.append("-" * left + title + "-" * (self.width - left - self.size(title)))

    def pair(self, label: str, value: str) -> None:
        room = self.width - self.size(value) - 1
        label = self.cut(label, max(room, 0))
        self.rows.append(label + " " * (self.width - self.size(label) - self.size(value)) + value)

    def line(self, row: Line, name: str | None = None, bar: str = "") -> None:
        value = f"{row.count:>4} {format_fen(row.amount):>13}"
        self.pair((name if name is not None else row.name) + bar, value)


def render(report: DrawerReport, width: int = 80, cells: Measure | None = None) -> str:
    """The report as lines of at most ``width`` cells (``cells``: how a character is measured;
    the terminal's by default, printer_cells for a receipt printer)."""
    measure = cells or char_cells
    out = _Text(width, measure)
    _head(out, report)
    _sales(out, report)
    _breakdowns(out, report)
    _referrals_and_imeis(out, report)
    _cash(out, report)
    if report.z_no is not None:
        out.rule(_("Audit chain"))
        out.pair(_("Last row"), f"#{report.audit_seq}")
        out.add(report.audit_head)
    out.rule()
    return "\n".join(out.rows)


def receipt_text(report: DrawerReport, width: int) -> str:
    """For a receipt printer of ``width`` characters (32 on 58 mm, 48 on 80 mm)."""
    return render(report, width, printer_cells)


def _head(out: _Text, report: DrawerReport) -> None:
    if report.z_no is not None:
        out.centre(_("Z report No. {z}").format(z=f"{report.z_no:04d}"))
    else:
        out.centre(_("X report (nothing is closed)"))
    out.centre(f"{report.terminal_id}  {report.business_date.isoformat()}")
    if report.closed_at is not None:
        out.centre(
            _("Closed {at} by {name}").format(
                at=report.closed_at.strftime("%Y-%m-%d %H:%M"), name=report.closed_by
            )
        )


def _sales(out: _Text, report: DrawerReport) -> None:
    out.rule(_("Receipts"))
    out.line(report.sales, _("Sales"))
    out.line(report.exchanges, _("Exchanges"))
    out.line(report.returns, _("Returns"))
    out.line(report.voids, _("Voided"))
    out.pair(_("Discounts"), format_fen(report.discounts))
    if report.approvals:
        out.rule(_("Approved by a manager"))
        for a in report.approvals:
            out.add(f"{a.receipt_no}")
            out.pair(f"  {a.what} {a.reason}".rstrip(), format_fen(a.amount))
            out.pair("  " + _("approved by"), a.approved_by)
    out.rule(_("Tenders"))
    for row in report.tenders:
        out.line(row, tender_label(row.name))
    for ref in report.references:
        out.pair(f"  {ref.receipt_no[-13:]} {tender_label(ref.kind)}", format_fen(ref.amount))
        out.pair("", ref.reference or _("(no reference)"))


def _breakdowns(out: _Text, report: DrawerReport) -> None:
    for title, rows, name in (
        (_("By promoter"), report.promoters, None),
        (_("By category"), report.categories, category_name),
        (_("By brand"), report.brands, None),
        (_("By model"), report.models, None),
    ):
        if rows:
            out.rule(title)
            for row in rows:
                out.line(row, name(row.name) if name else row.name)
    if report.hours:
        out.rule(_("By hour"))
        top = max(abs(h.amount) for h in report.hours) or 1
        room = max(out.width - 26, 0)
        for h in report.hours:
            bar = " " + BAR * max(round(room * max(h.amount, 0) / top), 0) if room else ""
            out.line(h, h.name, out.cut(bar, room + 1))


def _referrals_and_imeis(out: _Text, report: DrawerReport) -> None:
    if report.vouchers.count or report.gifts:
        out.rule(_("Referral rewards"))
        out.line(report.vouchers, _("Vouchers redeemed"))
        for gift in report.gifts:
            out.pair(_("Gift handed over: {gift}").format(gift=gift.name), str(gift.count))
    for title, units in ((_("IMEIs sold"), report.sold), (_("IMEIs returned"), report.returned)):
        if units:
            out.rule(title)
            for unit in units:
                out.pair(unit.imei, unit.receipt_no[-13:])
                out.add("  " + unit.model)


def _cash(out: _Text, report: DrawerReport) -> None:
    for shift in report.shifts:
        out.rule(_("Shift {n}").format(n=shift.seq))
        out.pair(
            f"{shift.opened_at:%H:%M} {shift.opened_by}",
            _("float {amount}").format(amount=format_fen(shift.float)),
        )
        if shift.expected is not None:
            out.pair(_("Expected"), format_fen(shift.expected))
            out.pair(_("Counted"), _("not counted") if shift.counted is None else format_fen(shift.counted))
            if shift.over_short is not None:
                out.pair(_("Over (+) / short (-)"), format_fen(shift.over_short))
            if shift.reason:
                out.add("  " + shift.reason)
    cash = report.cash
    out.rule(_("Cash"))
    for label, amount in cash.lines():
        out.pair(label, format_fen(amount))
    if report.z_no is not None:
        out.pair(_("Counted"), _("not counted") if report.counted is None else format_fen(report.counted))
        if report.over_short is not None:
            out.pair(_("Over (+) / short (-)"), format_fen(report.over_short))
        if report.reason:
            out.add(report.reason)


def escpos(report: DrawerReport, width: int) -> bytes:
    """The report for a thermal printer of ``width`` characters: GB18030 text in Chinese mode,
    then a cut (as receipts are sent: store.selling.receipt_render)."""
    text = receipt_text(report, width).replace("¥", "￥")  # both two cells on the printer
    body = b"".join(line.rstrip().encode("gb18030", errors="replace") + b"\n" for line in text.splitlines())
    return INIT + CHINESE_MODE_ON + body + CHINESE_MODE_OFF + FEED_AND_CUT


def file_name(report: DrawerReport) -> str:
    kind = f"Z{report.z_no:04d}" if report.z_no is not None else "X"
    return f"{kind}-{report.terminal_id}-{report.business_date:%Y%m%d}.txt"


def save_text(report: DrawerReport, directory: Path) -> Path:
    """Keep the report as an 80-column text file (a crash leaves the old file or the new)."""
    target = directory / file_name(report)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_durably(target, (render(report) + "\n").encode("utf-8"))
    except OSError as exc:
        raise PrinterError(
            _("The report could not be saved to {path}: {reason}").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target
