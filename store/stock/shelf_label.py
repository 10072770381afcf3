"""A shelf label: the product's name, SKU and price in yuan with a QR code of its barcode (or
SKU, when it has none) that the till's scanner reads. Made like a receipt: always saved as a
text file beside the receipts, and sent as ESC/POS to the receipt printer when one is set up;
a printer that fails leaves the saved file and says why."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from store.kernel.errors import PrinterError
from store.kernel.files import write_durably
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.selling import printer
from store.selling.escpos_lib import QR_ECLEVEL_M, Dummy
from store.selling.receipt_layout import char_cells, printer_cells
from store.selling.receipt_render import CHINESE_MODE_OFF, CHINESE_MODE_ON, qr_half_blocks, qr_matrix
from store.stock.products import product_line

LABELS_FOLDER = "labels"
NAME_LINES = 2  # a longer name is cut: a label has no room for a third line


@dataclass(frozen=True)
class ShelfLabel:
    name: str
    sku: str
    price: int  # fen
    code: str  # what the QR code holds: the barcode, or the SKU


@dataclass(frozen=True)
class LabelDone:
    path: Path  # the saved text file
    printed: bool
    problem: str  # why the printer did not print it ("" when it did, or none is set up)


def shelf_label(product_id: str) -> ShelfLabel:
    line = product_line(product_id)
    return ShelfLabel(line.display_name, line.sku, line.price, line.barcode or line.sku)


def _fit(text: str, width: int, cells: Callable[[str], int], lines: int = NAME_LINES) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` cells; the last ends in … if cut."""
    out: list[str] = []
    current, used = "", 0
    for ch in text:
        size = cells(ch)
        if used + size > width:
            out.append(current)
            current, used = "", 0
            if len(out) == lines:
                last = out[-1]
                while last and sum(cells(c) for c in last) + 1 > width:
                    last = last[:-1]
                out[-1] = last + "…"
                return out
        current += ch
        used += size
    if current:
        out.append(current)
    return out


def _centre(text: str, width: int) -> str:
    return " " * max(0, (width - sum(char_cells(c) for c in text)) // 2) + text


def render_text(label: ShelfLabel, width: int = 32) -> str:
    lines = [_centre(row.strip(), width) for row in _fit(label.name, width, char_cells)]
    lines.append(_centre(format_fen(label.price), width))
    lines.append(_centre(_("SKU {sku}").format(sku=label.sku), width))
    for border in (2, 1, 0):
        matrix = qr_matrix(label.code, border)
        if len(matrix) <= width:
            lines.extend(_centre(row, width) for row in qr_half_blocks(matrix))
            break
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_escpos(label: ShelfLabel, width: int = 32) -> bytes:
    """Raw GB18030 text in Chinese mode, as receipts are printed (store.selling.receipt_render)."""
    dummy: Any = Dummy()
    dummy.hw("INIT")
    dummy._raw(CHINESE_MODE_ON)
    dummy.set(align="center", bold=True)
    for row in _fit(label.name, width, printer_cells):
        dummy._raw(row.strip().encode("gb18030", errors="replace") + b"\n")
    # Double height and width: the price is what a customer reads from across the counter.
    dummy.set(align="center", bold=True, double_height=True, double_width=True)
    dummy._raw(format_fen(label.price).replace("¥", "￥").encode("gb18030", errors="replace") + b"\n")
    dummy.set(align="center", normal_textsize=True, bold=False)
    dummy._raw(_("SKU {sku}").format(sku=label.sku).encode("gb18030", errors="replace") + b"\n")
    dummy.qr(label.code, native=True, size=6 if width < 48 else 8, ec=QR_ECLEVEL_M)
    dummy._raw(b"\n")
    dummy.set(align="left")
    dummy._raw(CHINESE_MODE_OFF)
    dummy.cut()
    return cast(bytes, dummy.output)


def file_name(sku: str) -> str:
    """A SKU as a file name on any system: letters, digits, - and _ kept, the rest _."""
    return "label-" + (re.sub(r"[^0-9A-Za-z_-]", "_", sku) or "_") + ".txt"


def save_text(label: ShelfLabel, directory: Path, width: int = 32) -> Path:
    """``<directory>/labels/label-<sku>.txt``, written so a crash leaves the old or the new file."""
    folder = directory / LABELS_FOLDER
    target = folder / file_name(label.sku)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_durably(target, render_text(label, width).encode("utf-8"))
    except OSError as exc:
        raise PrinterError(
            _("The label could not be saved to {path}: {reason}").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target


def make_label(
    product_id: str, *, directory: Path, width: int = 32, printer_kind: str = "none", printer_target: str = ""
) -> LabelDone:
    """Save the product's shelf label, and print it when a printer is set up."""
    label = shelf_label(product_id)
    path = save_text(label, directory, width)
    if printer_kind == "none":
        return LabelDone(path, False, "")
    try:
        printer.print_receipt(render_escpos(label, width), printer_kind, printer_target)
    except PrinterError as exc:
        return LabelDone(path, False, str(exc))
    return LabelDone(path, True, "")
