"""Search keys of a name: full pinyin and initials, with both readings of a polyphonic
surname (曾 is zeng as a surname, ceng elsewhere: a salesperson may type either)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from store.kernel import pinyin

# Surnames whose surname reading differs from the everyday one pypinyin gives out of context.
# Compound surnames come first so that 万俟 is read moqi, not wanqi.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "盖": ("ge",),
    "翟": ("zhai",),
    "员": ("yun",),
    "乐": ("yue",),
    "尉": ("yu",),
    "繁": ("po",),
    "覃": ("qin",),
    "缪": ("miao",),
    "召": ("shao",),
    "折": ("she",),
    "种": ("chong",),
    "秘": ("bi",),
    "冼": ("xian",),
    "过": ("guo",),
    "柏": ("bai",),
    "藏": ("zang",),
}
MAX_KEY = 40


@dataclass(frozen=True)
class NameKeys:
    py: str
    initials: str
    py_alt: str | None = None
    initials_alt: str | None = None


def _clean(syllables: list[str]) -> list[str]:
    """Lower-case ASCII words: 'Tom Li' is two words; emoji and punctuation are no key."""
    out: list[str] = []
    for syllable in syllables:
        word = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in syllable.lower())
        out.extend(word.split())
    return out


def _surname(name: str) -> str:
    for length in (2, 1):
        if name[:length] in SURNAME_READINGS:
            return name[:length]
    return ""


@lru_cache(maxsize=65536)
def name_keys(name: str) -> NameKeys:
    """'曾静' -> zengjing / zj, alternative cengjing / cj; 'Tom Li' -> tomli / tl."""
    if not name:
        return NameKeys("", "")
    surname = _surname(name)
    rest = name[len(surname) :]
    given = _clean(pinyin.syllables(rest))
    reading = list(SURNAME_READINGS.get(surname, ()))
    everyday = _clean(pinyin.syllables(surname)) if surname else []
    syllables = reading + given
    keys = NameKeys("".join(syllables)[:MAX_KEY], "".join(s[0] for s in syllables)[:MAX_KEY])
    if everyday and everyday != reading:
        other = everyday + given
        return NameKeys(
            keys.py,
            keys.initials,
            "".join(other)[:MAX_KEY],
            "".join(s[0] for s in other)[:MAX_KEY],
        )
    return keys


def initials_of(text: str) -> str:
    return "".join(_clean(pinyin.first_letters(text)))
