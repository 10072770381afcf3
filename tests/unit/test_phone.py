from __future__ import annotations

import pytest

from store.kernel.errors import ValidationError
from store.kernel.phone import mask, normalise_mobile


@pytest.mark.parametrize(
    "typed",
    [
        "+86 138-0013-8000",
        "13800138000",
        " 138 0013 8000 ",
        "0086 13800138000",
        "+86-13800138000",
        "１３８００１３８０００",  # full-width digits from a Chinese input method
    ],
)
def test_normalise_mobile(typed: str) -> None:
    assert normalise_mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("138a0013800", "Not a mobile number: 138a0013800"),
        ("phone", "Not a mobile number: phone"),
        ("", "Not a mobile number: "),
        ("   ", "Not a mobile number:    "),
        ("1380013800", "Not a valid mainland mobile number: 1380013800"),
        ("138001380001", "Not a valid mainland mobile number: 138001380001"),
        ("010-12345678", "Not a valid mainland mobile number: 010-12345678"),
        ("021 6888 8888", "Not a valid mainland mobile number: 021 6888 8888"),
        ("+1 650 253 0000", "Not a valid mainland mobile number: +1 650 253 0000"),
        ("+852 9123 4567", "Not a valid mainland mobile number: +852 9123 4567"),
    ],
)
def test_refused(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalise_mobile(typed)
    assert str(err.value) == message


def test_message_is_truncated() -> None:
    with pytest.raises(ValidationError) as err:
        normalise_mobile("1" * 500)
    assert len(str(err.value)) < 80


def test_mask() -> None:
    assert mask("13800138000") == "138****8000"
    assert mask("12345") == "12345"
