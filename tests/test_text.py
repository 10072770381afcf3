"""Invisible characters are dropped from what is typed, pasted or imported, except those that
hold an emoji sequence together."""

from __future__ import annotations

import pytest

from store.text import drop_invisible

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: one emoji, not three
CODER = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻: skin tone, then the joiner
RAINBOW = "\U0001f3f3\ufe0f\u200d\U0001f308"  # 🏳️‍🌈: variation selector, then the joiner
PIRATE = "\U0001f3f4\u200d\u2620\ufe0f"  # 🏴‍☠️: the joiner before a BMP symbol
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # 🏴󠁧󠁢󠁳󠁣󠁴󠁿
HEART_ON_FIRE = "\u2764\ufe0f\u200d\U0001f525"  # ❤️‍🔥
THUMBS_DARK = "\U0001f44d\U0001f3ff"  # 👍🏿: a modifier, no joiner


@pytest.mark.parametrize("emoji", [FAMILY, CODER, RAINBOW, PIRATE, SCOTLAND, HEART_ON_FIRE, THUMBS_DARK])
def test_emoji_sequences_are_kept_whole(emoji: str) -> None:
    assert drop_invisible(f"王{emoji}先生") == f"王{emoji}先生"
    assert drop_invisible(emoji) == emoji


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reno\u200b 12", "Reno 12"),  # zero-width space
        ("\ufeffOPPO", "OPPO"),  # byte-order mark
        ("abc\u202edcba", "abcdcba"),  # a right-to-left override that would reverse the rest
        ("a\x00b\x1b[31mc\x07", "ab[31mc"),
        ("王\u200d小明", "王小明"),  # a joiner between letters joins nothing
        ("\u200d\U0001f468", "\U0001f468"),  # nor at the start
        ("\U0001f468\u200d", "\U0001f468"),  # nor at the end
        ("\U0001f468\u200d\u200d\U0001f469", "\U0001f468\u200d\U0001f469"),  # a doubled joiner: one
        ("\U0001f468\u200dA", "\U0001f468A"),  # an emoji then a letter
        ("A\U000e0067\U000e007f", "A"),  # tag characters outside a flag
    ],
)
def test_other_format_and_control_characters_are_dropped(text: str, expected: str) -> None:
    assert drop_invisible(text) == expected


def test_keep_keeps_the_characters_asked_for() -> None:
    assert drop_invisible("第一行\n第二行\t", keep="\n") == "第一行\n第二行"
