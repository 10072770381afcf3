"""Text typed, pasted or imported into the store: invisible characters are dropped, except
those that hold an emoji sequence together; files from outside are decoded honestly."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from store.kernel.errors import ValidationError
from store.kernel.i18n import _

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


# ---- files from outside ----------------------------------------------------------------------
BOM = "\ufeff"


def read_text_file(path: Path, encoding: str | None = None) -> str:
    """A text file from outside (a price list, a scanner's IMEI list) as text, or a
    ValidationError saying why not. ``encoding`` (the user's --encoding) is used as given;
    without it: UTF-16 when the file starts with its byte-order mark (Notepad's "Unicode"),
    else UTF-8 with or without a BOM, else GB18030 (what Excel on Chinese Windows saves) but
    only when the text it gives looks like a Chinese price list: a Big5 file from Taiwan or
    Hong Kong also decodes as GB18030, into garbage, and is refused instead of imported.
    A byte-order mark anywhere (two files joined) is dropped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    return decode_text(raw, str(path), encoding).replace(BOM, "")


def decode_text(raw: bytes, name: str, encoding: str | None = None) -> str:
    if encoding:
        try:
            codec = codecs.lookup(encoding.strip())
        except LookupError as exc:
            raise ValidationError(_("Unknown encoding: {encoding}").format(encoding=encoding[:40])) from exc
        try:
            return raw.decode(codec.name)
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("{path} is not {encoding} text (byte {offset} does not fit).").format(
                    path=name, encoding=encoding, offset=exc.start
                )
            ) from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is None or not looks_like_chinese(text):
        raise ValidationError(
            _(
                "{path} is neither UTF-8 nor GB18030 text (a Big5 file from Taiwan or Hong Kong?): "
                "name its encoding with --encoding, e.g. --encoding big5."
            ).format(path=name)
        )
    return text


# Characters GB18030 gives for bytes no Chinese price list holds: the user-defined areas (which
# it maps to the Private Use Area), kana, rare CJK extensions, vertical and compatibility forms.
# Big5 bytes read as GB18030 land there all the time: 華為 becomes 地 and a private-use mark.
_NEVER = (
    range(0x3040, 0x3100),  # hiragana, katakana
    range(0x3400, 0x4DC0),  # CJK extension A
    range(0xE000, 0xF900),  # private use
    range(0xFE10, 0xFE20),  # vertical forms
    range(0xFE30, 0xFE50),  # CJK compatibility forms (︹ ︺)
    range(0x20000, 0x110000),  # CJK extensions B on, and the private use planes
)


def _unusual(ch: str) -> bool:
    """Outside GB2312's punctuation, full-width forms and hanzi (rows 1-3 and 16-87): a
    traditional or rare hanzi, Greek, Cyrillic, pinyin letters, box drawing, a GB18030-only
    symbol. A real price list has a few at most."""
    try:
        row = ch.encode("gb2312")[0] - 0xA0
    except UnicodeEncodeError:
        return True
    return not (1 <= row <= 3 or 16 <= row <= 87)


def looks_like_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads like a Chinese price list, not like bytes of
    another encoding (Big5, Shift-JIS, a binary file) that happened to decode."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    for ch in wide:
        if unicodedata.category(ch) in ("Co", "Cn", "Cs") or any(ord(ch) in block for block in _NEVER):
            return False
    odd = sum(1 for ch in wide if _unusual(ch))
    return odd < 3 or odd * 5 <= len(wide)
