"""The promoter sections of config.toml: [roster], [ladder] and [commission].

They hold lists and tables, so each is read by its own parser here; a wrong value is one
ConfigError naming the key (e.g. ``roster.shifts[2].end``). store.config calls these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from store.errors import ConfigError
from store.i18n import _

GRADES = ("A", "B", "C", "D", "E")
MINUTES_PER_DAY = 24 * 60


def config_error(key: str, problem: str) -> ConfigError:
    return ConfigError(_("config error at '{key}': {problem}").format(key=key, problem=problem))


def parse_clock(text: object, key: str) -> int:
    """'09:00' -> 540 minutes after midnight; '24:00' is the end of the day."""
    if not isinstance(text, str):
        raise config_error(key, _("expected a time like 09:00"))
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise config_error(key, _("expected a time like 09:00"))
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY:
        raise config_error(key, _("expected a time like 09:00"))
    return value


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class ShiftTemplate:
    """A shift the roster can assign, e.g. early 09:00-15:00 (minutes after midnight)."""

    code: str
    name: str
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def hours_text(self) -> str:
        return f"{clock_text(self.start)}-{clock_text(self.end)}"


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
    opens: str = "09:00"
    closes: str = "21:00"
    max_weekly_hours: int = 44
    min_rest_hours: int = 11
    late_grace_minutes: int = 5
    min_staff: dict[str, int] = field(default_factory=default_min_staff)
    shifts: list[ShiftTemplate] = field(default_factory=default_shifts)

    @property
    def opens_minute(self) -> int:
        return parse_clock(self.opens, "roster.opens")

    @property
    def closes_minute(self) -> int:
        return parse_clock(self.closes, "roster.closes")

    def shift(self, code: str) -> ShiftTemplate | None:
        return next((s for s in self.shifts if s.code == code), None)


@dataclass(frozen=True)
class LadderLevel:
    """A rung of the promotion ladder and what it takes to reach it."""

    code: str
    name: str
    min_sales: int = 0  # fen credited within the ladder's sales window
    min_months: int = 0  # whole months since the hire date
    courses: tuple[str, ...] = ()  # training courses passed


def default_levels() -> list[LadderLevel]:
    return [
        LadderLevel("L1", "见习促销员"),
        LadderLevel("L2", "促销员", 5_000_000, 3, ("产品知识",)),
        LadderLevel("L3", "高级促销员", 15_000_000, 12, ("产品知识", "销售技巧")),
        LadderLevel("L4", "金牌促销员", 30_000_000, 24, ("产品知识", "销售技巧", "门店管理")),
    ]


@dataclass
class LadderSection:
    sales_window_days: int = 90
    levels: list[LadderLevel] = field(default_factory=default_levels)

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

    valid_from: date
    valid_to: date | None = None  # inclusive; None: open-ended
    category: str = ""
    brand: str = ""
    model: str = ""
    special: bool = False  # a special-price model: its own rate beats every other rule
    rate_bp: int = 0  # basis points of the line amount (100 = 1 %)
    per_unit_fen: int = 0  # a fixed amount per unit sold, in fen

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def default_rules() -> list[CommissionRule]:
    start = date(2020, 1, 1)
    return [
        CommissionRule(start, category="handset", rate_bp=100),
        CommissionRule(start, category="accessory", rate_bp=800),
        CommissionRule(start, category="service", rate_bp=1000),
    ]


@dataclass
class CommissionSection:
    default_rate_bp: int = 0
    rules: list[CommissionRule] = field(default_factory=default_rules)


# ---- parsing ---------------------------------------------------------------


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise config_error(key, _("expected a table"))
    return value


def _int(value: Any, key: str, low: int = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise config_error(key, _("expected a whole number"))
    if value < low or (high is not None and value > high):
        if high is None:
            raise config_error(key, _("must not be below {low}").format(low=low))
        raise config_error(key, _("between {low} and {high}").format(low=low, high=high))
    return value


def _text(value: Any, key: str, *, required: bool = False, limit: int = 40) -> str:
    if not isinstance(value, str):
        raise config_error(key, _("expected text"))
    value = value.strip()
    if required and not value:
        raise config_error(key, _("must not be empty"))
    if len(value) > limit:
        raise config_error(key, _("at most {n} characters").format(n=limit))
    return str(value)


def _only(values: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for name in values:
        if name not in allowed:
            raise config_error(f"{prefix}.{name}", _("unknown key"))


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise config_error(key, _("expected a list"))
    return value


def _date(value: Any, key: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise config_error(key, _("expected a date like 2026-01-31"))


def parse_roster(raw: Any) -> RosterSection:
    values = _table(raw, "roster")
    section = RosterSection()
    _only(values, {f for f in section.__dataclass_fields__}, "roster")
    if "opens" in values:
        section.opens = _text(values["opens"], "roster.opens")
    if "closes" in values:
        section.closes = _text(values["closes"], "roster.closes")
    opens, closes = parse_clock(section.opens, "roster.opens"), parse_clock(section.closes, "roster.closes")
    if closes <= opens:
        raise config_error("roster.closes", _("the store must close after it opens"))
    if "max_weekly_hours" in values:
        section.max_weekly_hours = _int(values["max_weekly_hours"], "roster.max_weekly_hours", 1, 168)
    if "min_rest_hours" in values:
        section.min_rest_hours = _int(values["min_rest_hours"], "roster.min_rest_hours", 0, 24)
    if "late_grace_minutes" in values:
        section.late_grace_minutes = _int(values["late_grace_minutes"], "roster.late_grace_minutes", 0, 120)
    if "min_staff" in values:
        table = _table(values["min_staff"], "roster.min_staff")
        _only(table, set(GRADES), "roster.min_staff")
        section.min_staff = default_min_staff() | {
            grade: _int(n, f"roster.min_staff.{grade}", 0, 50) for grade, n in table.items()
        }
    if "shifts" in values:
        section.shifts = _parse_shifts(values["shifts"])
    return section


def _parse_shifts(raw: Any) -> list[ShiftTemplate]:
    shifts: list[ShiftTemplate] = []
    for i, item in enumerate(_list(raw, "roster.shifts")):
        key = f"roster.shifts[{i}]"
        table = _table(item, key)
        _only(table, {"code", "name", "start", "end"}, key)
        for needed in ("code", "name", "start", "end"):
            if needed not in table:
                raise config_error(f"{key}.{needed}", _("missing"))
        code = _text(table["code"], f"{key}.code", required=True, limit=2)
        if not code.isalnum() or code.isdigit():
            raise config_error(f"{key}.code", _("one or two letters"))
        name = _text(table["name"], f"{key}.name", required=True, limit=12)
        start = parse_clock(table["start"], f"{key}.start")
        end = parse_clock(table["end"], f"{key}.end")
        if end <= start:
            raise config_error(f"{key}.end", _("a shift must end after it starts"))
        if any(s.code == code for s in shifts):
            raise config_error(f"{key}.code", _("{code} is used twice").format(code=code))
        shifts.append(ShiftTemplate(code, name, start, end))
    if not shifts:
        raise config_error("roster.shifts", _("at least one shift"))
    if len(shifts) > 9:
        raise config_error("roster.shifts", _("at most 9 shifts"))
    return shifts


def parse_ladder(raw: Any) -> LadderSection:
    values = _table(raw, "ladder")
    section = LadderSection()
    _only(values, {"sales_window_days", "levels"}, "ladder")
    if "sales_window_days" in values:
        section.sales_window_days = _int(values["sales_window_days"], "ladder.sales_window_days", 1, 3660)
    if "levels" in values:
        levels: list[LadderLevel] = []
        for i, item in enumerate(_list(values["levels"], "ladder.levels")):
            key = f"ladder.levels[{i}]"
            table = _table(item, key)
            _only(table, {"code", "name", "min_sales_yuan", "min_months", "courses"}, key)
            for needed in ("code", "name"):
                if needed not in table:
                    raise config_error(f"{key}.{needed}", _("missing"))
            code = _text(table["code"], f"{key}.code", required=True, limit=8)
            if any(lv.code == code for lv in levels):
                raise config_error(f"{key}.code", _("{code} is used twice").format(code=code))
            courses = tuple(
                _text(c, f"{key}.courses[{j}]", required=True)
                for j, c in enumerate(_list(table.get("courses", []), f"{key}.courses"))
            )
            levels.append(
                LadderLevel(
                    code=code,
                    name=_text(table["name"], f"{key}.name", required=True),
                    min_sales=_int(table.get("min_sales_yuan", 0), f"{key}.min_sales_yuan", 0, 10**8) * 100,
                    min_months=_int(table.get("min_months", 0), f"{key}.min_months", 0, 600),
                    courses=courses,
                )
            )
        if not levels:
            raise config_error("ladder.levels", _("at least one level"))
        section.levels = levels
    return section


_RULE_KEYS = {"from", "to", "category", "brand", "model", "special", "rate_bp", "per_unit_fen"}


def parse_commission(raw: Any) -> CommissionSection:
    values = _table(raw, "commission")
    section = CommissionSection()
    _only(values, {"default_rate_bp", "rules"}, "commission")
    if "default_rate_bp" in values:
        section.default_rate_bp = _int(values["default_rate_bp"], "commission.default_rate_bp", 0, 10000)
    if "rules" in values:
        rules: list[CommissionRule] = []
        for i, item in enumerate(_list(values["rules"], "commission.rules")):
            key = f"commission.rules[{i}]"
            table = _table(item, key)
            _only(table, _RULE_KEYS, key)
            if "from" not in table:
                raise config_error(f"{key}.from", _("missing"))
            start = _date(table["from"], f"{key}.from")
            end = _date(table["to"], f"{key}.to") if table.get("to", "") != "" else None
            if end is not None and end < start:
                raise config_error(f"{key}.to", _("before the rule's 'from' date"))
            special = table.get("special", False)
            if not isinstance(special, bool):
                raise config_error(f"{key}.special", _("expected true or false"))
            rule = CommissionRule(
                valid_from=start,
                valid_to=end,
                category=_text(table.get("category", ""), f"{key}.category"),
                brand=_text(table.get("brand", ""), f"{key}.brand"),
                model=_text(table.get("model", ""), f"{key}.model", limit=80),
                special=special,
                rate_bp=_int(table.get("rate_bp", 0), f"{key}.rate_bp", 0, 10000),
                per_unit_fen=_int(table.get("per_unit_fen", 0), f"{key}.per_unit_fen", 0, 10**8),
            )
            if rule.special and not rule.model:
                raise config_error(f"{key}.model", _("a special-price rule names its model"))
            rules.append(rule)
        section.rules = rules
    return section
