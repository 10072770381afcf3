"""Discounts typed as an amount, a percentage or 折 (issue 12)."""

from __future__ import annotations

import pytest

from store.kernel.errors import ValidationError
from store.selling.discounts import parse_discount


@pytest.mark.parametrize(
    ("text", "base", "fen"),
    [
        ("50", 599900, 5000),
        ("¥1,299.00", 599900, 129900),
        ("10%", 599900, 59990),
        ("１０％", 599900, 59990),
        ("12.5%", 10000, 1250),
        ("9折", 599900, 59990),
        ("9.5折", 10000, 500),
        ("95折", 10000, 500),
        ("85折", 10000, 1500),
        ("9折", 9999, 1000),  # pays ¥89.99 (89.991 rounded), so ¥10.00 off
        ("10%", 1, 0),  # a tenth of a fen rounds to nothing off
        ("33%", 100, 33),
    ],
)
def test_a_typed_discount_becomes_fen_of_its_base(text: str, base: int, fen: int) -> None:
    assert parse_discount(text, base) == fen


@pytest.mark.parametrize("text", ["0%", "100%", "150%", "0折", "10折", "-5%", "abc", "9 折扣", "%"])
def test_a_discount_outside_0_to_100_percent_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_discount(text, 10000)
    assert text.strip()[:5] in str(caught.value) or "Not an amount" in str(caught.value)
