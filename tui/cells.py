"""Padding to a width in terminal cells: a Chinese character takes two, so str.ljust
and f-string widths misalign mixed Chinese and ASCII columns."""

from __future__ import annotations

from rich.cells import cell_len


def ljust(text: str, cells: int) -> str:
    return text + " " * max(0, cells - cell_len(text))


def rjust(text: str, cells: int) -> str:
    return " " * max(0, cells - cell_len(text)) + text
