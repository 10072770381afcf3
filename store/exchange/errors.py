"""What can go wrong with a signed file or a signing key, as errors a person can read."""

from __future__ import annotations

from enum import StrEnum

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import _


class Refusal(StrEnum):
    """Why a signed file was refused: for the code (a test, an import log), the sentence is for people."""

    UNREADABLE = "unreadable"  # the file cannot be read from disk
    TOO_LARGE = "too-large"  # the file itself is over the limit
    DAMAGED = "damaged"  # not a whole zip: truncated, or a byte changed in its structure
    NOT_OURS = "not-ours"  # a zip, but not a zhanggui signed file
    UNSAFE_PATH = "unsafe-path"  # an entry naming a path outside the file's root (zip-slip)
    DUPLICATE = "duplicate"  # two entries with one name
    FORMAT = "format"  # a format version this program does not know
    UNKNOWN_STORE = "unknown-store"  # no key registered for the store it names
    WRONG_KEY = "wrong-key"  # signed by a key that is not the named store's
    SIGNATURE = "signature"  # the signature does not match the manifest
    KIND = "kind"  # another kind of file than the one asked for
    SCHEMA = "schema"  # a schema version of the records this program cannot read
    PARTS = "parts"  # a part missing, extra, or not as its manifest says
    BOMB = "bomb"  # a part that would unpack beyond a limit
    LAYOUT = "layout"  # a byte outside the manifest and parts was changed


class FileRefused(ZhangguiError):
    """A signed file was refused whole: nothing in it may be used. ``reason`` says why for the
    code; ``str()`` is the translated sentence naming the file."""

    def __init__(self, name: str, reason: Refusal, why: str) -> None:
        super().__init__(
            _("{file} was refused and nothing in it was used: {why}.").format(file=name, why=why)
        )
        self.name = name
        self.reason = reason
        self.why = why


class FileNotWritten(ZhangguiError):
    """A signed file could not be written (folder missing or read-only, disk full); no part of
    it was left in the folder."""


class SigningKeyError(ZhangguiError):
    """The store's signing key cannot be made, found or read; nothing was signed."""


class KeyExists(SigningKeyError):
    """``keys init`` without --force found a key already there: it was left as it was."""


class NoSigningKey(SigningKeyError):
    """This computer has no signing key for the store."""
