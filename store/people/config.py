"""The promoter sections of config.toml: [roster], [ladder] and [commission].

Their fields say what they take (store.config.schema reads them, lists and tables too); a
wrong value is one ConfigError naming the key (e.g. ``roster.shifts[2].end``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from store.config.schema import (
    MINUTES_PER_DAY,
    Bool,
    Date,
    Int,
    ListOf,
    Mapping,
    Section,
    Text,
    Time,
    config_error,
    parse_clock,
    setting,
)
from store.kernel.i18n import _

__all__ = ["MINUTES_PER_DAY", "clock_text", "config_error", "parse_clock"]

GRADES = ("A", "B", "C", "D", "E")


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _shift_code(code: str) -> bool:
    return code.isalnum() and not code.isdigit()


def _two_letters() -> str:
    return _("one or two letters")


@dataclass(frozen=True)
class ShiftTemplate:
    """A shift the roster can assign, e.g. early 09:00-15:00 (minutes after midnight)."""

    code: str = setting(spec=Text(2, strip=True, required=True, accept=_shift_code, problem=_two_letters))
    name: str = setting(spec=Text(12, strip=True, required=True))
    start: int = setting(spec=Time(minutes=True))
    end: int = setting(spec=Time(minutes=True))

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def hours_text(self) -> str:
        return f"{clock_text(self.start)}-{clock_text(self.end)}"

    def check_config(self, path: str) -> None:
        if self.end <= self.start:
            raise config_error(f"{path}.end", _("a shift must end after it starts"))


def default_shifts() -> list[ShiftTemplate]:
    return [
        ShiftTemplate("E", "早班", 9 * 60, 15 * 60),
        ShiftTemplate("L", "晚班", 15 * 60, 21 * 60),
        ShiftTemplate("F", "全天", 9 * 60, 21 * 60),
    ]


def default_min_staff() -> dict[str, int]:
    return {"A": 4, "B": 3, "C": 2, "D": 2, "E": 1}


@dataclass
class RosterSection:
    opens: str = setting("09:00", Time())
    closes: str = setting("21:00", Time())
    max_weekly_hours: int = setting(44, Int(1, 168))
    min_rest_hours: int = setting(11, Int(0, 24))
    late_grace_minutes: int = setting(5, Int(0, 120))
    min_staff: dict[str, int] = setting(
        factory=default_min_staff, spec=Mapping(Int(0, 50), keys=GRADES, defaults=default_min_staff)
    )
    shifts: list[ShiftTemplate] = setting(
        factory=default_shifts, spec=ListOf(Section(ShiftTemplate), 1, 9, unique="code")
    )

    @property
    def opens_minute(self) -> int:
        return parse_clock(self.opens, "roster.opens")

    @property
    def closes_minute(self) -> int:
        return parse_clock(self.closes, "roster.closes")

    def shift(self, code: str) -> ShiftTemplate | None:
        return next((s for s in self.shifts if s.code == code), None)

    def check_config(self, path: str) -> None:
        if self.closes_minute <= self.opens_minute:
            raise config_error(f"{path}.closes", _("the store must close after it opens"))


@dataclass(frozen=True)
class LadderLevel:
    """A rung of the promotion ladder and what it takes to reach it."""

    code: str = setting(spec=Text(8, strip=True, required=True))
    name: str = setting(spec=Text(40, strip=True, required=True))
    # fen credited within the ladder's sales window (the file says yuan)
    min_sales: int = setting(0, Int(0, 10**8, scale=100), key="min_sales_yuan")
    min_months: int = setting(0, Int(0, 600))  # whole months since the hire date
    courses: tuple[str, ...] = setting(  # training courses passed
        (), ListOf(Text(40, strip=True, required=True), as_tuple=True)
    )


def default_levels() -> list[LadderLevel]:
    return [
        LadderLevel("L1", "见习促销员"),
        LadderLevel("L2", "促销员", 5_000_000, 3, ("产品知识",)),
        LadderLevel("L3", "高级促销员", 15_000_000, 12, ("产品知识", "销售技巧")),
        LadderLevel("L4", "金牌促销员", 30_000_000, 24, ("产品知识", "销售技巧", "门店管理")),
    ]


@dataclass
class LadderSection:
    sales_window_days: int = setting(90, Int(1, 3660))
    levels: list[LadderLevel] = setting(
        factory=default_levels, spec=ListOf(Section(LadderLevel), 1, unique="code")
    )

    def level(self, code: str) -> LadderLevel | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def next_level(self, code: str) -> LadderLevel | None:
        """The rung above ``code`` ('' or unknown: the first rung)."""
        codes = [lv.code for lv in self.levels]
        if code not in codes:
            return self.levels[0] if self.levels else None
        index = codes.index(code) + 1
        return self.levels[index] if index < len(self.levels) else None


@dataclass(frozen=True)
class CommissionRule:
    """A dated commission rate; an empty category, brand or model matches any."""

    valid_from: date = setting(spec=Date(), key="from")
    valid_to: date | None = setting(None, Date(optional=True), key="to")  # inclusive; None: open-ended
    category: str = setting("", Text(40, strip=True))
    brand: str = setting("", Text(40, strip=True))
    model: str = setting("", Text(80, strip=True))
    # a special-price model: its own rate beats every other rule
    special: bool = setting(False, Bool())
    rate_bp: int = setting(0, Int(0, 10000))  # basis points of the line amount (100 = 1 %)
    per_unit_fen: int = setting(0, Int(0, 10**8))  # a fixed amount per unit sold, in fen

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def check_config(self, path: str) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise config_error(f"{path}.to", _("before the rule's 'from' date"))
        if self.special and not self.model:
            raise config_error(f"{path}.model", _("a special-price rule names its model"))


def default_rules() -> list[CommissionRule]:
    start = date(2020, 1, 1)
    return [
        CommissionRule(start, category="handset", rate_bp=100),
        CommissionRule(start, category="accessory", rate_bp=800),
        CommissionRule(start, category="service", rate_bp=1000),
    ]


@dataclass
class CommissionSection:
    default_rate_bp: int = setting(0, Int(0, 10000))
    rules: list[CommissionRule] = setting(factory=default_rules, spec=ListOf(Section(CommissionRule)))
