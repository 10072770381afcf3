"""Sending a rendered ESC/POS receipt to the printer configured in [printer].

Every failure (printer off, cable out, wrong port, no permission on the device) comes back as
one PrinterError with a message for the cashier: the sale is already committed, so a print
failure must never look like a crash, and the receipt can be reprinted later.
"""

from __future__ import annotations

import contextlib
import errno
import socket
from typing import Any

from store.config.loader import PRINTER_KINDS
from store.kernel.errors import PrinterError
from store.kernel.i18n import _
from store.selling.escpos_lib import EscposError, File, Network, Serial, Usb

NETWORK_PORT = 9100  # the raw printing port (JetDirect) every network receipt printer listens on
# Long enough for a printer waking from standby, short enough not to freeze the till.
NETWORK_TIMEOUT_SECONDS = 5
SERIAL_BAUD = 9600  # the factory setting of most receipt printers


def print_receipt(data: bytes, kind: str, target: str) -> None:
    """Send ``data`` to the printer. ``target`` by kind: file: a path (a regular file or a device
    node such as /dev/usb/lp0); network: host[:port]; serial: a device such as /dev/ttyUSB0 or
    COM3, optionally @baud; usb: vendor:product as hex ids, e.g. 0416:5011."""
    if kind == "none":
        return
    if kind not in PRINTER_KINDS:
        raise PrinterError(
            _("Unknown printer kind '{kind}'; use one of {kinds}.").format(
                kind=kind[:20], kinds=", ".join(PRINTER_KINDS)
            )
        )
    target = target.strip()
    if not target:
        raise PrinterError(
            _("No printer is set up: give [printer] target for the {kind} printer.").format(kind=kind)
        )
    printer = _printer(kind, target)
    try:
        printer.open()
        printer._raw(data)
        printer.close()
    except (EscposError, OSError, ValueError, AssertionError) as exc:
        _close_quietly(printer)
        raise PrinterError(
            _("Cannot print to {target}: {reason}").format(target=target, reason=_reason(exc))
        ) from exc


def _printer(kind: str, target: str) -> Any:
    """The python-escpos printer object, not yet opened."""
    if kind == "file":
        return File(devfile=target, auto_flush=True)
    if kind == "network":
        host, port = _host_port(target)
        return Network(host=host, port=port, timeout=NETWORK_TIMEOUT_SECONDS)
    # The optional drivers are checked before construction: python-escpos raises from the
    # object's __del__ when they are missing, which would print a traceback on the terminal.
    if kind == "serial":
        device, baud = _serial_target(target)
        if not Serial.is_usable():
            raise PrinterError(_("Serial printing needs pyserial (pip install 'python-escpos[serial]')."))
        return Serial(devfile=device, baudrate=baud)
    vendor, product = _usb_ids(target)
    if not Usb.is_usable():
        raise PrinterError(_("USB printing needs pyusb (pip install 'python-escpos[usb]')."))
    return Usb(idVendor=vendor, idProduct=product)


def _host_port(target: str) -> tuple[str, int]:
    host, sep, port_text = target.rpartition(":")
    if not sep:
        host, port_text = target, str(NETWORK_PORT)
    if host.startswith("[") and host.endswith("]"):  # [IPv6]:port
        host = host[1:-1]
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise PrinterError(
            _("The network printer '{target}' is not host:port, e.g. 192.168.1.50:9100.").format(
                target=target[:60]
            )
        )
    return host, int(port_text)


def _serial_target(target: str) -> tuple[str, int]:
    device, sep, baud_text = target.partition("@")
    if not sep:
        return device, SERIAL_BAUD
    if not device or not baud_text.isdigit() or not 0 < int(baud_text) <= 4_000_000:
        raise PrinterError(
            _("The serial printer '{target}' is not a device[@baud], e.g. /dev/ttyUSB0@9600.").format(
                target=target[:60]
            )
        )
    return device, int(baud_text)


def _usb_ids(target: str) -> tuple[int, int]:
    parts = target.lower().split(":")
    try:
        if len(parts) != 2:
            raise ValueError(target)
        ids = tuple(int(p.removeprefix("0x"), 16) for p in parts)
    except ValueError:
        ids = ()
    if len(ids) != 2 or not all(0 < i <= 0xFFFF for i in ids):
        raise PrinterError(
            _("The USB printer '{target}' is not vendor:product in hex, e.g. 0416:5011.").format(
                target=target[:60]
            )
        )
    return ids[0], ids[1]


def _close_quietly(printer: Any) -> None:
    # The error that made us close is the one to report.
    with contextlib.suppress(EscposError, OSError, ValueError, AssertionError):
        printer.close()


def _reason(exc: BaseException) -> str:
    """The cause in words: python-escpos wraps the OS error in its own, so look underneath."""
    cause: BaseException = exc
    while isinstance(cause, EscposError) and (cause.__cause__ or cause.__context__):
        cause = cause.__cause__ or cause.__context__ or cause
    code = getattr(cause, "errno", None)
    if isinstance(cause, ConnectionRefusedError) or code == errno.ECONNREFUSED:
        return _("the printer refused the connection; is it switched on and is the port right?")
    if isinstance(cause, (TimeoutError, socket.timeout)) or code == errno.ETIMEDOUT:
        return _("the printer did not answer; is it switched on and on the network?")
    if isinstance(cause, socket.gaierror):
        return _("unknown printer address.")
    if isinstance(cause, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return _("permission denied; this user may not use the printer device.")
    if isinstance(cause, FileNotFoundError) or code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return _("no such device or folder; is the printer plugged in?")
    if isinstance(cause, IsADirectoryError):
        return _("that is a folder, not a printer or file.")
    if isinstance(cause, AssertionError):  # python-escpos's way of saying no USB device matched
        return _("no such device; is the printer plugged in?")
    if isinstance(cause, (BrokenPipeError, ConnectionResetError)) or code in (errno.EPIPE, errno.EIO):
        return _("the printer went away while printing; reprint the receipt.")
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(cause)[:120] or type(cause).__name__
