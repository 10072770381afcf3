"""A receipt rendered: as text with its QR code in half blocks (the screen, a text file), or as
an ESC/POS byte stream for a thermal printer with the QR code printed by the printer."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import qrcode
import qrcode.constants

from store.kernel.errors import PrinterError
from store.kernel.files import write_durably
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.selling.escpos_lib import QR_ECLEVEL_M, Dummy
from store.selling.receipt import Receipt
from store.selling.receipt_layout import cell_width, char_cells, layout_receipt, printer_cells

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
    for row in layout_receipt(receipt, width, char_cells, format_fen):
        if row.style == "qr":
            if with_qr:
                lines.extend(_text_qr(row.text, width))
        elif row.style in ("title", "center"):
            lines.append(" " * ((width - cell_width(row.text)) // 2) + row.text)
        else:
            lines.append(row.text)
    return "\n".join(line.rstrip() for line in lines) + "\n"


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
    for row in layout_receipt(receipt, width, printer_cells, _printer_money):
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
