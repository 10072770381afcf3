"""Text, CSV and XLSX from a Table.

- text: tabulate with display-width-aware columns (wcwidth), so a Chinese name takes the two
  cells it takes on the terminal and every row is the same width;
- CSV: UTF-8 with a byte-order mark and CRLF (Excel on a Chinese Windows reads it right), and
  every text cell neutralised;
- XLSX: ints as numbers, fen as yuan numbers with a '#,##0.00' format, shares as percentages,
  dates as dates, strings neutralised and written as strings."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wcwidth import wcswidth

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.reports.table import Kind, Table

BOM = "\ufeff"
_FORMULA_START = "=+-@\t\r"
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def neutralise(field: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula:
    such a field is exported with a leading apostrophe, shown as text."""
    if field and field[0] in _FORMULA_START:
        return "'" + field
    return field


def _minutes_text(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _display(kind: Kind, value: object) -> str:
    """A cell as a person reads it on screen."""
    if value is None:
        return ""
    if kind in (Kind.FEN, Kind.YUAN) and isinstance(value, int):
        return format_fen(value, symbol=False)
    if kind is Kind.PERMILLE and isinstance(value, int):
        return f"{value / 10:.1f}%"
    if kind is Kind.HOURS and isinstance(value, int):
        return _minutes_text(value)
    if kind is Kind.INT and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def as_text(table: Table, *, maxcolwidths: Sequence[int | None] | None = None) -> str:
    """The table aligned for a terminal (no trailing newline): a wide (Chinese) character
    counts as two cells, and every line is padded to the same display width."""
    rows = [[_display(c.kind, v) for c, v in zip(table.columns, row, strict=False)] for row in table.rows]
    align = ["left" if c.kind in (Kind.TEXT, Kind.DATE) else "right" for c in table.columns]
    from tabulate import tabulate  # with wcwidth: ~0.1 s, paid by the commands that print a table

    text: str = tabulate(
        rows,
        headers=table.headers,
        disable_numparse=True,
        colalign=align if rows else None,
        maxcolwidths=list(maxcolwidths) if maxcolwidths else None,
    )
    lines = text.split("\n")
    width = max(_width(line) for line in lines)
    return "\n".join(line + " " * (width - _width(line)) for line in lines)


def _width(line: str) -> int:
    return max(wcswidth(line), len(line))


def _csv_cell(kind: Kind, value: object) -> str:
    """Machine-readable: numbers as plain numbers (fen, per mille, minutes), dates ISO, text
    neutralised. A number typed as a number can never be a formula, so it is left alone."""
    if value is None:
        return ""
    if kind is Kind.YUAN and isinstance(value, int):
        whole, cents = divmod(abs(value), 100)
        return f"{'-' if value < 0 else ''}{whole}.{cents:02d}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(*tables: Table) -> str:
    """The tables one after another, a blank line between, as CSV text starting with a BOM."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        writer.writerow([neutralise(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([_csv_cell(c.kind, v) for c, v in zip(table.columns, row, strict=False)])
    return out.getvalue()


def write_csv(path: Path, *tables: Table) -> Path:
    _write_bytes(path, to_csv(*tables).encode("utf-8"))
    return path


def _xlsx_cell(kind: Kind, value: object) -> tuple[Any, str | None]:
    """The value for a spreadsheet cell and its number format."""
    if value is None or value == "":
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        if kind in (Kind.FEN, Kind.YUAN):
            return Decimal(value).scaleb(-2), "#,##0.00"
        if kind is Kind.PERMILLE:
            return Decimal(value).scaleb(-3), "0.0%"
        if kind is Kind.HOURS:
            return Decimal(value) / 60, "0.00"
        return value, None
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    return neutralise(str(value)), "@"


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = (name.translate(_SHEET_FORBIDDEN).strip("'") or "-")[:28]
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:25]}~{n}"
        n += 1
    taken.add(title.lower())
    return title


def xlsx_bytes(*tables: Table, widths: Sequence[float] | None = None) -> bytes:
    """A workbook with a sheet a table: a bold header row, frozen; typed cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables or (Table([]),):
        sheet = book.create_sheet(sheet_title(table.title or _("Report"), taken))
        sheet.append([neutralise(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for r, row in enumerate(table.rows, start=2):
            for c, (column, value) in enumerate(zip(table.columns, row, strict=False), start=1):
                cell_value, number_format = _xlsx_cell(column.kind, value)
                if cell_value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=cell_value)
                if isinstance(cell_value, str):
                    cell.data_type = "s"  # never 'f', whatever the text starts with
                if number_format:
                    cell.number_format = number_format
        for c, width in enumerate(widths or (), start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, *tables: Table, widths: Sequence[float] | None = None) -> Path:
    _write_bytes(path, xlsx_bytes(*tables, widths=widths))
    return path


def _write_bytes(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a full disk never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
