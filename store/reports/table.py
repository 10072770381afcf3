"""The table every report and export is built as: typed columns and rows of plain values.

A cell holds None (empty) or the value its column's kind says: text a str, int an int, fen and yuan an
int number of fen, permille an int (a share in thousandths), hours an int number of minutes,
date a ``datetime.date``. Writers decide how each kind looks (text, CSV, spreadsheet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum


class Kind(Enum):
    TEXT = "text"
    INT = "int"
    FEN = "fen"  # CSV: the number of fen
    YUAN = "yuan"  # a fen amount that CSV writes as yuan (12.50), for people's files
    PERMILLE = "permille"
    HOURS = "hours"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    columns: list[Column]
    rows: list[Sequence[object]] = field(default_factory=list)
    title: str = ""  # the sheet name in a workbook

    @property
    def headers(self) -> list[str]:
        return [c.title for c in self.columns]

    def add(self, *cells: object) -> None:
        self.rows.append(cells)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> Table:
    """A table of text columns, for a screen-shaped report whose cells are already formatted."""
    return Table([Column(h) for h in headers], [list(r) for r in rows], title)
