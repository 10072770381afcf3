"""store/config/schema.py: the one reader every config section is declared for."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from store.config.loader import Config
from store.config.schema import SPEC, Flat, Int, ListOf, Mapping, Section, Text, parse, setting
from store.kernel.errors import ConfigError
from store.referrals.config import parse_referrals


@dataclass(frozen=True)
class Side:
    points: int = setting(0, Int(0, 10))


@dataclass(frozen=True)
class Row:
    code: str = setting(spec=Text(4, strip=True, required=True))
    left: Side = setting(factory=Side, spec=Flat(Side, "left_"))
    place: int = 0  # never read from the file


@dataclass
class Demo:
    size: int = setting(3, Int(1, 9))
    rows: list[Row] = setting(factory=list, spec=ListOf(Section(Row), unique="code", number="place"))
    counts: dict[str, int] = setting(
        factory=dict, spec=Mapping(Int(0), keys=("a", "b"), defaults=lambda: {"a": 1, "b": 2})
    )


def message(table: object) -> str:
    with pytest.raises(ConfigError) as err:
        parse(Demo, table, "demo")
    return str(err.value)


def test_defaults_and_values() -> None:
    assert parse(Demo, {}, "demo") == Demo()
    demo = parse(Demo, {"size": 5, "rows": [{"code": " X "}, {"code": "Y", "left_points": 4}]}, "demo")
    assert demo.size == 5
    assert demo.rows == [Row("X", Side(0), 0), Row("Y", Side(4), 1)]
    assert parse(Demo, {"counts": {"b": 7}}, "demo").counts == {"a": 1, "b": 7}


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ([], "config error at 'demo': expected a table"),
        ({"colour": 1}, "config error at 'demo.colour': unknown key"),
        ({"place": 1}, "config error at 'demo.place': unknown key"),
        ({"size": True}, "config error at 'demo.size': expected a whole number"),
        ({"size": 10}, "config error at 'demo.size': between 1 and 9"),
        ({"rows": {}}, "config error at 'demo.rows': expected a list"),
        ({"rows": [{}]}, "config error at 'demo.rows[0].code': missing"),
        ({"rows": [{"code": "  "}]}, "config error at 'demo.rows[0].code': must not be empty"),
        ({"rows": [{"code": "TOOLONG"}]}, "config error at 'demo.rows[0].code': at most 4 characters"),
        ({"rows": [{"code": "X", "place": 3}]}, "config error at 'demo.rows[0].place': unknown key"),
        (
            {"rows": [{"code": "X", "left_points": 11}]},
            "config error at 'demo.rows[0].left_points': between 0 and 10",
        ),
        (
            {"rows": [{"code": "X", "right_points": 1}]},
            "config error at 'demo.rows[0].right_points': unknown key",
        ),
        ({"rows": [{"code": "X"}, {"code": "X"}]}, "config error at 'demo.rows[1].code': X is used twice"),
        ({"counts": {"c": 1}}, "config error at 'demo.counts.c': unknown key"),
        ({"counts": {"a": -1}}, "config error at 'demo.counts.a': must not be negative"),
    ],
)
def test_one_error_naming_the_key(table: object, expected: str) -> None:
    assert message(table) == expected


def test_every_section_field_is_declared_for_the_schema() -> None:
    """A new setting without a spec would be silently unreadable: every field says what it takes."""
    for section in dataclasses.fields(Config):
        if section.name == "source":
            continue
        assert SPEC in section.metadata, section.name
        value = getattr(Config(), section.name)
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                assert SPEC in f.metadata, f"{section.name}.{f.name}"


def test_referral_rules_are_numbered_in_file_order() -> None:
    rules = [{"from": "2026-01-01", "referrer_points": 10}, {"from": "2026-02-01", "referee_gift": "膜"}]
    section = parse_referrals({"rules": rules})
    assert [r.order for r in section.rules] == [0, 1]
    assert section.rules[1].referee.gift == "膜"
    with pytest.raises(ConfigError, match=r"'referrals.rules\[0\]'"):
        parse_referrals({"rules": [{"from": "2026-01-01"}]})
