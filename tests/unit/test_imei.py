from __future__ import annotations

import pytest

from store.kernel.errors import ValidationError
from store.stock import imei
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import snapshot

GOOD = imei.with_check_digit("35328111000001")  # a real-looking TAC + serial + Luhn digit
FULL_WIDTH = GOOD.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def test_with_check_digit_makes_a_luhn_valid_number() -> None:
    assert GOOD == "353281110000014"
    assert imei.validate(GOOD) == GOOD


@pytest.mark.parametrize(
    "typed",
    [
        GOOD,
        f" {GOOD} ",
        f"{GOOD[:2]} {GOOD[2:8]} {GOOD[8:14]} {GOOD[14]}",
        f"{GOOD[:8]}-{GOOD[8:14]}-{GOOD[14]}",
        f"{GOOD[:8]}/{GOOD[8:]}",
        f"{GOOD[:8]}\t{GOOD[8:]}",
        FULL_WIDTH,
        f"{FULL_WIDTH[:8]}　{FULL_WIDTH[8:]}",  # ideographic space between full-width digits
    ],
)
def test_normalise_and_validate(typed: str) -> None:
    assert imei.normalise(typed) == GOOD
    assert imei.validate(typed) == GOOD
    assert imei.looks_like_imei(typed)


@pytest.mark.parametrize("digits", [14, 16])
def test_wrong_length_names_the_count(digits: int) -> None:
    text = (GOOD * 2)[:digits]
    with pytest.raises(ValidationError) as err:
        imei.validate(text)
    assert str(err.value) == f"An IMEI has 15 digits; this has {digits}: {text}"


def test_wrong_check_digit() -> None:
    bad = GOOD[:14] + str((int(GOOD[14]) + 1) % 10)
    with pytest.raises(ValidationError) as err:
        imei.validate(bad)
    assert str(err.value) == f"IMEI {bad} has a wrong check digit; scan it again."


@pytest.mark.parametrize("text", ["35328111000001A", "IMEI353281110000012", "3532811100000l2", "", "   "])
def test_letters_and_empty_refused(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        imei.validate(text)
    assert str(err.value).startswith("An IMEI has digits only")


def test_other_scripts_digits_refused() -> None:
    arabic = GOOD.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    with pytest.raises(ValidationError) as err:
        imei.validate(arabic)
    assert str(err.value).startswith("An IMEI has digits only")
    assert not imei.looks_like_imei(arabic)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234567890123", False),
        ("12345678901234", True),
        ("1234567890123456", True),
        ("12345678901234567", False),
        ("6900000000011", False),
        ("CASE-IP15", False),
    ],
)
def test_looks_like_imei(text: str, expected: bool) -> None:
    assert imei.looks_like_imei(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "000000000000000",  # passes the Luhn check
        "111111111111111",
        "999999999999999",
        imei.with_check_digit("00440123456789"),  # reporting body 00: a test IMEI, valid Luhn
    ],
)
def test_placeholder_and_test_imeis_refused(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        imei.validate(text)
    assert str(err.value) == f"{text} is a test or placeholder number, not a handset's IMEI."


def test_a_placeholder_imei_is_not_received(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        stock.receive(shop.phone, staff_id=shop.manager.id, units=[stock.ReceivedUnit("000000000000000")])
    assert "placeholder" in str(err.value)
    assert snapshot() == before


@pytest.mark.parametrize("joiner", ["\ufeff", "\u200b", "\u2060"])
def test_invisible_format_characters_are_dropped(joiner: str) -> None:
    """Two scanner files joined leave a byte-order mark at the start of a line."""
    assert imei.validate(f"{joiner}{GOOD}") == GOOD
    assert imei.validate(f"{GOOD[:8]}{joiner}{GOOD[8:]}") == GOOD
    assert imei.looks_like_imei(f"{joiner}{GOOD}")
