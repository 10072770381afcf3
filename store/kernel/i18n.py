"""gettext set-up shared by store and tui: one domain, catalogs under store/locale."""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "zhanggui"
LANGUAGES = ("zh_CN", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


class _Catalog(gettext.GNUTranslations):
    """A catalog without the entries that translate a message into itself: the message is
    what gettext gives back for one it does not know. The English catalog is nearly all such
    entries (1,520 of 1,587), half a megabyte of strings held twice for the console's life."""

    def _parse(self, fp: Any) -> None:  # GNUTranslations reads the file here, once
        super()._parse(fp)
        catalog: dict[object, str] = vars(self)["_catalog"]  # (GNUTranslations' own, untyped)
        # gettext looks a message it does not find up as a plural's first form: an entry
        # whose message is also a plural's stays. Plural keys are tuples, never equal to
        # their text (kept), and so is the header (key ""). A new dict: one never shrinks.
        plurals = {key[0] for key in catalog if isinstance(key, tuple)}
        vars(self)["_catalog"] = {
            key: text for key, text in catalog.items() if not key or key != text or key in plurals
        }


def detect_language() -> str:
    """The language the environment asks for, else Chinese: the console is made for shops in China.

    Only a locale variable naming English or Chinese counts. ``C``, ``C.UTF-8``, ``POSIX`` or
    nothing at all (common on shop Linux boxes) is not a wish for English; Python's own
    ``locale.getlocale()`` would report ``C.UTF-8`` as ``en_US``, so it is not asked."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        for value in os.environ.get(var, "").split(":"):
            if value.startswith("zh"):
                return "zh_CN"
            if value.startswith("en"):
                return "en"
    return "zh_CN"


def set_language(language: str | None) -> str:
    """Install the catalog for ``language`` ('' or None: from the environment)."""
    global _translation, _language
    lang = language or detect_language()
    if lang.startswith("zh"):
        lang = "zh_CN"
    elif lang.startswith("en"):
        lang = "en"
    if lang not in LANGUAGES:
        lang = "en"
    _translation = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True, class_=_Catalog
    )
    _language = lang
    return lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with ``_``."""
    return message
