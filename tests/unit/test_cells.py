"""Cutting text to terminal cells: Chinese characters are two cells wide, and the middle goes
first so the end that tells two things apart survives."""

from __future__ import annotations

from rich.cells import cell_len

from tui.cells import cut_middle, ljust, rjust


def test_text_that_fits_is_untouched() -> None:
    assert cut_middle("Redmi 15", 8) == "Redmi 15"
    assert cut_middle("华为", 4) == "华为"


def test_the_distinguishing_end_survives() -> None:
    black = cut_middle("Huawei Mate 80 Pro 12GB 512GB 黑色", 22)
    white = cut_middle("Huawei Mate 80 Pro 12GB 512GB 白色", 22)
    assert black != white
    assert black.endswith("黑色") and white.endswith("白色")
    assert black.startswith("Huawei")
    assert cell_len(black) <= 22 and "…" in black


def test_receipt_numbers_keep_their_running_number() -> None:
    cut = cut_middle("DEMO-T1-20261207-00123", 20)
    assert cut.endswith("00123")
    assert cell_len(cut) <= 20


def test_wide_characters_are_never_split() -> None:
    for width in range(1, 14):
        cut = cut_middle("掌柜手机店南京路旗舰店收银一号", width)
        assert cell_len(cut) <= width
        assert "\ufffd" not in cut


def test_padding_counts_cells() -> None:
    assert cell_len(ljust("张三", 10)) == 10
    assert cell_len(rjust("张三", 10)) == 10
    assert ljust("abcdefghijkl", 10) == "abcdefghijkl"
