"""Padding to a width in terminal cells: a Chinese character takes two, so str.ljust
and f-string widths misalign mixed Chinese and ASCII columns."""

from __future__ import annotations

from rich.cells import cell_len


def ljust(text: str, cells: int) -> str:
    return text + " " * max(0, cells - cell_len(text))


def rjust(text: str, cells: int) -> str:
    return " " * max(0, cells - cell_len(text)) + text


def cut_middle(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` cells, cut in the middle with "…" when it does not fit: the
    end is what tells two things apart (a receipt's running number, a handset's colour, a
    file's name), so it survives, as does the start that says what kind of thing it is."""
    if cell_len(text) <= cells:
        return text
    if cells <= 1:
        return "…"[:cells]
    room = cells - 1
    keep_head = room // 2
    keep_tail = room - keep_head
    return _take(text, keep_head) + "…" + _take(text[::-1], keep_tail)[::-1]


def _take(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits in ``cells`` (a wide character never split)."""
    taken = 0
    for index, ch in enumerate(text):
        width = cell_len(ch)
        if taken + width > cells:
            return text[:index]
        taken += width
    return text
