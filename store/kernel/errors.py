"""Errors that carry a message already translated for the person at the terminal."""

from __future__ import annotations


class ZhangguiError(Exception):
    """Base for every error a user may see; ``str(err)`` is the translated message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(ZhangguiError):
    """The input is wrong; nothing was written."""


class NotFound(ZhangguiError):
    """A scanned code, receipt or record does not exist."""


class PermissionDenied(ZhangguiError):
    """Wrong PIN, locked account or a role that may not do this."""


class WrongApprover(PermissionDenied):
    """The PIN was right but this person cannot approve it: it is their own request, the
    approval was given to someone else, or they are not a manager. Another person must."""


class NeedsApproval(PermissionDenied):
    """Allowed only with a manager's PIN; the caller retries with an Approval."""


class StockError(ZhangguiError):
    """Not enough stock, or an IMEI unit that cannot be sold or returned."""


class DatabaseUnavailable(ZhangguiError):
    """The database cannot be opened or written safely (locked, read-only, network, corrupt)."""


class DatabaseBusy(DatabaseUnavailable):
    """Another writer (a second till, a command) held the database for longer than this write
    would wait: nothing was written, and the same write can simply be tried again."""


class DiskFull(DatabaseUnavailable):
    """The disk (or the database's size limit) is full: the write was undone, nothing was saved.
    ``held``: a copy of the sale in progress was kept among the suspended sales all the same."""

    def __init__(self, message: str, held: bool = False) -> None:
        super().__init__(message)
        self.held = held


class ConfigError(ZhangguiError):
    """config.toml is invalid; the message names the key."""


class PrinterError(ZhangguiError):
    """The receipt could not be printed or saved: printer off or unplugged, port, permissions."""
