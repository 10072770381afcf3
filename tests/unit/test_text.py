"""Invisible characters are dropped from what is typed, pasted or imported, except those that
hold an emoji sequence together."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.kernel.errors import ValidationError
from store.kernel.text import drop_invisible, read_text_file

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


# ---- files from outside ----------------------------------------------------------------------
PRICE_LIST = (
    "sku,brand,model,colour,storage,category,price\n"
    "HW-M60-BK,华为,Mate 60 Pro 手机,雅丹黑,12GB+512GB,handset,6999\n"
    "XM-14-BL,小米,Redmi Note 13 手机,星沙白,8GB+256GB,handset,1299\n"
    "CHG-66W,通用,充电器 数据线 钢化膜 保护壳【热销】,,,accessory,39.90\n"
)
TRADITIONAL = (  # the same list as a Hong Kong or Taiwan supplier writes it
    "sku,brand,model,colour,storage,category,price\n"
    "HW-M60-BK,華為,Mate 60 Pro 手機,雅丹黑,12GB+512GB,handset,6999\n"
    "XM-14-BL,小米,Redmi Note 13 手機,星沙白,8GB+256GB,handset,1299\n"
    "CHG-66W,通用,充電器 數據線 鋼化膜 保護殼【熱銷】,,,accessory,39.90\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_utf8_gb18030_and_utf16_files_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes(PRICE_LIST.encode(encoding))
    assert read_text_file(path) == PRICE_LIST


def test_a_gbk_file_with_a_few_traditional_characters_is_still_read(tmp_path: Path) -> None:
    text = PRICE_LIST + "SS-Z6,三星,Galaxy Z Fold6 港版 臺灣,,,handset,13999\n"
    path = tmp_path / "prices.csv"
    path.write_bytes(text.encode("gbk"))
    assert read_text_file(path) == text


def test_a_big5_file_is_refused_with_a_sentence_naming_encoding(tmp_path: Path) -> None:
    """Big5 bytes also decode as GB18030, into text such as 地 and private-use marks."""
    path = tmp_path / "prices.csv"
    path.write_bytes(TRADITIONAL.encode("big5"))
    TRADITIONAL.encode("big5").decode("gb18030")  # no error: only the content gives it away
    with pytest.raises(ValidationError) as err:
        read_text_file(path)
    assert "--encoding big5" in str(err.value) and str(path) in str(err.value)
    assert read_text_file(path, "big5") == TRADITIONAL


@pytest.mark.parametrize(
    "line",
    [
        "一,華為手機",  # a short Big5 line
        "三星,黑色 港版",
        "OPPO,Reno 12 價格 優惠",
    ],
)
def test_short_big5_texts_are_caught(tmp_path: Path, line: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(line.encode("big5"))
    with pytest.raises(ValidationError):
        read_text_file(path)


def test_byte_order_marks_anywhere_are_dropped(tmp_path: Path) -> None:
    """Two scanner files joined (cat a.txt b.txt) leave a BOM at the start of a line."""
    path = tmp_path / "imeis.txt"
    path.write_bytes("\ufeff353281110000014\n".encode() + "\ufeff353281110000022\n".encode())
    assert read_text_file(path) == "353281110000014\n353281110000022\n"


def test_a_named_encoding_that_does_not_fit_or_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"sku\n\xff\xfe\xfa")
    with pytest.raises(ValidationError) as err:
        read_text_file(path, "utf-8")
    assert str(err.value) == f"{path} is not utf-8 text (byte 4 does not fit)."
    with pytest.raises(ValidationError) as err:
        read_text_file(path, "klingon")
    assert str(err.value) == "Unknown encoding: klingon"
    with pytest.raises(ValidationError) as err:
        read_text_file(tmp_path / "missing.csv")
    assert str(err.value).startswith(f"Cannot read {tmp_path / 'missing.csv'}")


def test_bytes_that_are_no_text_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(ValidationError) as err:
        read_text_file(path)
    assert "--encoding" in str(err.value)
