"""Pinyin of Chinese text, for search keys (customer names, product names).

pypinyin loads its dictionaries when it is imported: with its phrase dictionary that is
55.6 MiB of a shop PC's 2 GB and 0.3 s, measured here, kept for the life of the till after the
first new customer; without it, 12 MiB and 45 ms. Phrases only help with words whose reading
depends on the next character (重庆); names and product words are read character by character
well enough to search by, and polyphonic surnames are read by store.crm.names itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def _lazy_pinyin() -> Callable[..., list[str]]:
    # Read by pypinyin at import, so it must be set first. setdefault: a deployment may still
    # ask for phrases explicitly.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import lazy_pinyin

    found: Callable[..., list[str]] = lazy_pinyin
    return found


def syllables(text: str) -> list[str]:
    """One string per character: its pinyin without tone, or the character unchanged (ASCII,
    punctuation) as pypinyin gives it."""
    return list(_lazy_pinyin()(text, errors="default"))


def first_letters(text: str) -> list[str]:
    convert = _lazy_pinyin()  # first: it sets what pypinyin reads at import
    from pypinyin import Style

    style: Any = Style.FIRST_LETTER
    return list(convert(text, style=style))
