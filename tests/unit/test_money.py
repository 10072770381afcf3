from __future__ import annotations

import pytest

from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.money import MAX_FEN, format_fen, parse_money, percent_of


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("12.", 1200),
        ("¥1,299.00", 129900),
        ("￥1，299", 129900),
        ("  ¥ 5999 ", 599900),
        ("0.01", 1),
        ("0", 0),
        ("１２.５", 1250),  # full-width digits from a Chinese input method
        ("10000000", MAX_FEN),
        ("1,500", 150000),
        ("1,500.5", 150050),
        ("1,234,567.89", 123456789),
        ("￥１，５００", 150000),  # full-width digits and comma
    ],
)
def test_parse_money_accepts(text: str, fen: int) -> None:
    value = parse_money(text)
    assert value == fen
    assert type(value) is int


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "Not an amount: -1"),
        ("1.234", "Not an amount: 1.234"),
        ("abc", "Not an amount: abc"),
        ("", "Not an amount: "),
        ("   ", "Not an amount: "),
        ("¥", "Not an amount: ¥"),
        ("1e5", "Not an amount: 1e5"),
        ("NaN", "Not an amount: NaN"),
        ("Infinity", "Not an amount: Infinity"),
        (".5", "Not an amount: .5"),
        ("1 000", "Not an amount: 1 000"),
        ("٣", "Not an amount: ٣"),  # Arabic-Indic digit is not an amount on a Chinese till
        ("9999999999999999999999", "Not an amount: 9999999999999999999999"),
        ("10000000.01", "Amount is too large"),
        ("999999999", "Amount is too large"),
    ],
)
def test_parse_money_refuses(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_money(text)
    assert str(err.value) == message
    assert isinstance(err.value, ZhangguiError)


@pytest.mark.parametrize(
    "text", ["1,5", "15,00", "1,5000", ",500", "1,500,", "1,,500", "1500,00", "1,500.5,0", "１，５"]
)
def test_a_comma_that_does_not_separate_thousands_is_refused(text: str) -> None:
    """'1,5' (a decimal comma) used to be read as ¥15.00."""
    with pytest.raises(ValidationError) as err:
        parse_money(text)
    assert str(err.value) == f"Not an amount: {text} (a comma only separates thousands, as in 1,500.00)"


def test_parse_money_refusal_message_is_truncated() -> None:
    with pytest.raises(ValidationError) as err:
        parse_money("x" * 500)
    assert len(str(err.value)) < 60


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "¥0.00"),
        (1, "¥0.01"),
        (1250, "¥12.50"),
        (129900, "¥1,299.00"),
        (-1, "-¥0.01"),
        (-1250, "-¥12.50"),
        (-123456789, "-¥1,234,567.89"),
    ],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text


def test_format_fen_without_symbol() -> None:
    assert format_fen(-129900, symbol=False) == "-1,299.00"
    assert format_fen(5, symbol=False) == "0.05"


@pytest.mark.parametrize("fen", [0, 1, 99, 100, 1250, 129900, MAX_FEN])
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_money(format_fen(fen)) == fen


def test_percent_of_rounds_half_up_in_integers() -> None:
    assert percent_of(599900, 500) == 29995
    assert percent_of(1, 5000) == 1  # 0.5 fen rounds up
    assert percent_of(1, 4999) == 0
    assert type(percent_of(3333, 333)) is int
