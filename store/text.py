"""Text typed, pasted or imported into the store: invisible characters are dropped, except
those that hold an emoji sequence together."""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"  # zero width joiner: 👨 ZWJ 👩 ZWJ 👧 is one family emoji, not three
VS16 = "\ufe0f"  # emoji presentation selector (its category is Mn, so it is kept anyway)
BLACK_FLAG = "\U0001f3f4"  # a subdivision flag is this, tag letters, then the cancel tag
TAGS = range(0xE0020, 0xE007F)  # tag characters (Cf): the letters of 🏴󠁧󠁢󠁳󠁣󠁴󠁿's "gbsct"
CANCEL_TAG = "\U000e007f"
SKIN_TONES = range(0x1F3FB, 0x1F400)  # emoji modifiers (Sk)


def _pictographic(ch: str) -> bool:
    """An emoji that can stand in a ZWJ sequence. Python's unicodedata has no
    Extended_Pictographic property; every such character is a symbol, other (So)."""
    return unicodedata.category(ch) == "So"


def _ends_an_emoji(ch: str) -> bool:
    return _pictographic(ch) or ch == VS16 or ord(ch) in SKIN_TONES


def drop_invisible(text: str, keep: str = "") -> str:
    """``text`` without control and format characters (Unicode category C: a bidi override,
    a zero-width space, a byte-order mark, a NUL), except the characters in ``keep`` (such
    as a newline) and those inside an emoji sequence: a zero width joiner between two emoji
    (👨‍👩‍👧, 👩🏽‍💻, 🏳️‍🌈) and the tag characters of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = out[-1] if out else ""
        if ch in keep or unicodedata.category(ch)[0] != "C":
            kept = True
        elif ch == ZWJ:
            after = text[i + 1] if i + 1 < len(text) else ""
            kept = bool(prev and after) and _ends_an_emoji(prev) and _pictographic(after)
        elif ord(ch) in TAGS or ch == CANCEL_TAG:
            kept = prev == BLACK_FLAG or (bool(prev) and ord(prev) in TAGS)
        else:
            kept = False
        if kept:
            out.append(ch)
    return "".join(out)
