"""Sales, commission, targets and hours per promoter: the logged-in promoter's progress,
the leaderboard and the month report (table, CSV, XLSX).

Sales are the lines credited to each promoter on receipts that were not voided; returns
subtract, in the month of the return, and take back commission by the rule of the
original sale's day (see store.people.commission). Units are handsets."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from store.config.loader import Config
from store.db.connection import write
from store.kernel import moment
from store.kernel.errors import DatabaseUnavailable, ValidationError
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.models import Staff, database
from store.people import commission as rules_maths
from store.people import timeclock
from store.people.roster import shifts_between
from store.people.targets import month_days, month_of, parse_month, percent, projected, targets_for
from store.reports import writers
from store.reports.table import Column, Kind, Table, text_table
from store.selling.sales import business_date


@dataclass
class Figures:
    amount: int = 0  # fen, net of returns
    units: int = 0  # handsets, net of returns
    commission: int = 0  # fen, net of returns
    returned: int = 0  # fen refunded on returns credited to this promoter (negative or 0)
    by_brand: dict[str, list[int]] = field(default_factory=dict)  # brand -> [amount, units]

    def brand(self, name: str) -> tuple[int, int]:
        amount, units = self.by_brand.get(name, [0, 0])
        return amount, units


def _period_sql(column: str, days: list[date]) -> str:
    """A CASE giving the index of the last rule boundary on or before ``column`` (-1: before
    all). Dates are ISO text in SQLite, so text comparison is date order."""
    if not days:
        return "-1"
    whens = " ".join(
        f"WHEN {column} >= '{d.isoformat()}' THEN {i}" for i, d in reversed(list(enumerate(days)))
    )
    return f"(CASE {whens} ELSE -1 END)"


# The sales of a span of days inside one rule period: the period is the same for every row,
# so it is added in Python, and the product comes first in the GROUP BY because sorting the
# month's lines is most of the cost and ids of the few promoters share long prefixes.
_LIVE_SQL = """
SELECT sl.product_id, sl.promoter_id, SUM(sl.total), SUM(sl.qty)
FROM sale s CROSS JOIN sale_line sl ON sl.sale_id = s.id
WHERE s.business_date BETWEEN ? AND ? AND s.status = 'completed' AND +sl.original_line_id IS NULL {only}
GROUP BY 1, 2
"""
_SUMMARY_SQL = """
SELECT product_id, promoter_id, SUM(amount), SUM(qty)
FROM promoter_day_sales
WHERE business_date BETWEEN ? AND ? AND promoter_id != '' {only}
GROUP BY 1, 2
"""
# Returns are few: the index of original ids finds them without reading the month's sales.
_RETURNS_SQL = """
SELECT sl.product_id, sl.promoter_id, {period} AS period, SUM(sl.total), SUM(sl.qty)
FROM sale s CROSS JOIN sale_line sl ON sl.sale_id = s.id
JOIN sale_line ol ON ol.id = sl.original_line_id JOIN sale os ON os.id = ol.sale_id
WHERE s.original_id > '' AND +s.business_date BETWEEN ? AND ? AND s.status = 'completed'
  AND +sl.original_line_id IS NOT NULL {only}
GROUP BY 1, 2, 3
"""
_FILL_SQL = """
INSERT INTO promoter_day_sales (business_date, promoter_id, product_id, amount, qty)
SELECT s.business_date, sl.promoter_id, sl.product_id, SUM(sl.total), SUM(sl.qty)
FROM sale s CROSS JOIN sale_line sl ON sl.sale_id = s.id
WHERE s.business_date BETWEEN ? AND ? AND s.status = 'completed' AND +sl.original_line_id IS NULL
GROUP BY 1, 2, 3
"""
# Only today's sales can be voided and every sale is dated the day it is rung, so a day two
# days back cannot change any more; the margin covers a till whose clock is a day out.
SETTLED_AFTER_DAYS = 2
# Summarising a day costs more than reading its lines once (a row per day, promoter and
# product is written, then read back), so a call summarises only this many missing days and
# reads the other missing days line by line: a store whose promoter screens are open has at
# most a day or two missing, and a month nobody looked at yet still reports at the speed of
# reading its lines once, filling in as it is looked at.
SUMMARISE_DAYS_PER_CALL = 1


def settled_through(today: date) -> date:
    """The last day whose sales are summarised rather than read line by line."""
    return today - timedelta(days=SETTLED_AFTER_DAYS)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days, each (first, last)."""
    runs: list[list[date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _day_span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _period_of(day: date, days: list[date]) -> int:
    """The index of the last rule boundary on or before ``day`` (-1: before all)."""
    return bisect_right(days, day) - 1


def _by_period(first: date, last: date, days: list[date]) -> list[tuple[date, date, int]]:
    """first..last cut where a rule period starts: (from, to, period index) each."""
    parts = []
    start = first
    for boundary in days:
        if start < boundary <= last:
            parts.append((start, boundary - timedelta(days=1), _period_of(start, days)))
            start = boundary
    parts.append((start, last, _period_of(start, days)))
    return parts


def summarised_days(first: date, last: date) -> set[date]:
    """The days first..last already in promoter_day_sales (each has its marker row)."""
    span = _day_span(first, last)
    if not span:
        return set()
    # One primary-key seek per day: a range scan would read every summary row of the month.
    marks = ", ".join("?" for _ in span)
    rows = database.obj.execute_sql(
        "SELECT business_date FROM promoter_day_sales"
        f" WHERE business_date IN ({marks}) AND promoter_id = '' AND product_id = ''",
        [d.isoformat() for d in span],
    ).fetchall()
    return {date.fromisoformat(str(day)[:10]) for (day,) in rows}


def _summarise(first: date, last: date, limit: int | None = SUMMARISE_DAYS_PER_CALL) -> set[date]:
    """Summarise up to ``limit`` (None: all) of the days first..last not summarised yet,
    earliest first; the days that are summarised afterwards. A read-only database
    summarises nothing new."""
    done = summarised_days(first, last)
    missing = [day for day in _day_span(first, last) if day not in done]
    chosen = missing if limit is None else missing[:limit]
    if not chosen:
        return done
    runs = _runs(chosen)
    db = database.obj

    def _fill() -> None:
        for start, end in runs:
            db.execute_sql(
                "DELETE FROM promoter_day_sales WHERE business_date BETWEEN ? AND ?",
                (start.isoformat(), end.isoformat()),
            )
            db.execute_sql(_FILL_SQL, (start.isoformat(), end.isoformat()))
        for day in chosen:
            db.execute_sql(
                "INSERT INTO promoter_day_sales (business_date, promoter_id, product_id, amount, qty) "
                "VALUES (?, '', '', 0, 0)",
                (day.isoformat(),),
            )

    try:
        write(_fill)
    except DatabaseUnavailable:
        return done
    return done | set(chosen)


def summarise_all(first: date, last: date, config: Config, today: date | None = None) -> int:
    """Summarise every settled day first..last at once (the incremental path takes a few a
    call); how many days were added."""
    settled = min(last, settled_through(today or business_date(moment(None), config.tz)))
    if settled < first:
        return 0
    before = len(summarised_days(first, settled))
    return len(_summarise(first, settled, limit=None)) - before


def summarise_recent(config: Config, today: date | None = None) -> int:
    """Summarise every settled day of this month and the last that is not yet: what day
    close would do, run by the console in the background and by the demo, so a store in use
    reports a month from its summary. How many days were added (a read-only or busy
    database adds none and leaves the reports reading lines)."""
    day = today or business_date(moment(None), config.tz)
    first = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = settled_through(day)
    added = 0
    # A day per transaction: the console runs this beside the till, and a sale's commit
    # should wait for one day's summary at most, not for two months of them.
    while last >= first:
        before = len(summarised_days(first, last))
        now_done = len(_summarise(first, last, limit=1))
        if now_done == before:
            return added
        added += now_done - before
    return added


def sales_figures(
    first: date,
    last: date,
    config: Config,
    promoter_id: str | None = None,
    today: date | None = None,
) -> dict[str, Figures]:
    """Figures per promoter for business dates first..last (optionally one promoter).
    Settled days already in promoter_day_sales come from it (a few missing ones are added
    each call); the other days, the last two and today, and every return are read line by line."""
    section = config.commission
    days = rules_maths.boundaries(section.rules)
    only = "AND sl.promoter_id = ?" if promoter_id is not None else ""
    extra: list[Any] = [promoter_id] if promoter_id is not None else []
    db = database.obj
    settled = min(last, settled_through(today or business_date(moment(None), config.tz)))
    summarised = _summarise(first, settled) if settled >= first else set()
    # Summarised and live parts of one group are added up before the commission is rounded,
    # so the result does not depend on which days happen to be summarised yet.
    groups: dict[tuple[str, str, int, bool], list[int]] = {}

    def add(product: str, promoter: str, period: int, amount: int, qty: int, is_return: bool) -> None:
        group = groups.get((promoter, product, period, is_return))
        if group is None:
            groups[(promoter, product, period, is_return)] = [int(amount), int(qty)]
        else:
            group[0] += int(amount)
            group[1] += int(qty)

    summary = _SUMMARY_SQL.format(only=only.replace("sl.", ""))
    live = _LIVE_SQL.format(only=only)
    parts = [(summary, run) for run in _runs(sorted(summarised))]
    parts += [(live, run) for run in _runs([d for d in _day_span(first, last) if d not in summarised])]
    for sql, (run_first, run_last) in parts:
        for start, end, period in _by_period(run_first, run_last, days):
            for product, promoter, amount, qty in db.execute_sql(
                sql, [start.isoformat(), end.isoformat(), *extra]
            ):
                add(product, promoter, period, amount, qty, False)
    back = _RETURNS_SQL.format(period=_period_sql("os.business_date", days), only=only)
    for product, promoter, period, amount, qty in db.execute_sql(
        back, [first.isoformat(), last.isoformat(), *extra]
    ):
        add(product, promoter, period, amount, qty, True)
    products = {
        row[0]: row
        for row in db.execute_sql('SELECT "id", "category", "brand", "model" FROM "product"').fetchall()
    }
    items: dict[str, rules_maths.Item] = {}
    chosen: dict[tuple[str, int], Any] = {}
    figures: dict[str, Figures] = defaultdict(Figures)
    for (promoter, product_id, period, is_return), (amount, qty) in groups.items():
        key = (product_id, period)
        item = items.get(product_id)
        if item is None:
            _id, category, brand, model = products.get(product_id, (product_id, "", "", ""))
            item = items[product_id] = rules_maths.Item(category, brand, model)
        if key not in chosen:
            day = days[period] if period >= 0 else date.min
            chosen[key] = rules_maths.pick_rule(section.rules, item, day)
        handsets = qty if item.category == "handset" else 0
        target = figures[promoter]
        target.amount += amount
        target.units += handsets
        target.commission += rules_maths.commission(amount, qty, chosen[key], section.default_rate_bp)
        if is_return:
            target.returned += amount
        brand = target.by_brand.setdefault(item.brand, [0, 0])
        brand[0] += int(amount)
        brand[1] += handsets
    return dict(figures)


def _today(config: Config, now: datetime | None) -> date:
    return business_date(moment(now), config.tz)


@dataclass(frozen=True)
class BrandProgress:
    brand: str
    amount: int
    units: int
    target_amount: int
    target_units: int


@dataclass(frozen=True)
class Progress:
    """The logged-in promoter's month so far."""

    month: str
    today_amount: int
    today_units: int
    amount: int  # month to date
    units: int
    commission: int
    target_amount: int
    target_units: int
    amount_percent: int | None
    units_percent: int | None
    projected_amount: int
    projected_units: int
    rank: int  # on the leaderboard by amount, 1 = first
    brands: list[BrandProgress]


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    staff_id: str
    code: str
    name: str
    amount: int
    units: int
    amount_percent: int | None


def _promoters() -> list[Staff]:
    return list(Staff.select().where(Staff.role == "promoter", Staff.status != "left").order_by(Staff.code))


def leaderboard_from(
    month: str, figures: dict[str, Figures], members: list[Staff] | None = None
) -> list[LeaderRow]:
    """Promoters by amount this month (ties: more units, then code); everyone who sold is on it."""
    people = {m.id: m for m in (members if members is not None else _promoters())}
    for extra in set(figures) - set(people):
        member = Staff.get_or_none(Staff.id == extra)
        if member is not None:
            people[extra] = member
    targets = targets_for(month)
    rows = []
    for member in people.values():
        got = figures.get(member.id, Figures())
        target = targets.get((member.id, ""))
        rows.append((member, got, percent(got.amount, target.amount) if target else None))
    rows.sort(key=lambda r: (-r[1].amount, -r[1].units, r[0].code))
    return [
        LeaderRow(i, m.id, m.code, m.name, got.amount, got.units, pct)
        for i, (m, got, pct) in enumerate(rows, 1)
    ]


def leaderboard(config: Config, now: datetime | None = None) -> list[LeaderRow]:
    today = _today(config, now)
    month = month_of(today)
    first, _last = month_days(month)
    return leaderboard_from(month, sales_figures(first, today, config, today=today))


def progress(staff_id: str, config: Config, now: datetime | None = None) -> Progress:
    today = _today(config, now)
    month = month_of(today)
    first, last = month_days(month)
    everyone = sales_figures(first, today, config, today=today)
    mine = everyone.get(staff_id, Figures())
    today_figures = sales_figures(today, today, config, promoter_id=staff_id, today=today).get(
        staff_id, Figures()
    )
    targets = targets_for(month)
    overall = targets.get((staff_id, ""))
    target_amount = overall.amount if overall else 0
    target_units = overall.units if overall else 0
    days_gone = (today - first).days + 1
    days_in_month = (last - first).days + 1
    brands = [
        BrandProgress(brand, *mine.brand(brand), t.amount, t.units)
        for (sid, brand), t in sorted(targets.items(), key=lambda kv: kv[0][1])
        if sid == staff_id and brand
    ]
    board = leaderboard_from(month, everyone)
    rank = next((row.rank for row in board if row.staff_id == staff_id), len(board) + 1)
    return Progress(
        month=month,
        today_amount=today_figures.amount,
        today_units=today_figures.units,
        amount=mine.amount,
        units=mine.units,
        commission=mine.commission,
        target_amount=target_amount,
        target_units=target_units,
        amount_percent=percent(mine.amount, target_amount),
        units_percent=percent(mine.units, target_units),
        projected_amount=projected(mine.amount, days_gone, days_in_month),
        projected_units=projected(mine.units, days_gone, days_in_month),
        rank=rank,
        brands=brands,
    )


# ---- the month report --------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    code: str
    name: str
    level: str
    rostered: int  # minutes
    worked: int  # minutes
    late: int  # days late
    absent: int  # rostered days missed
    amount: int
    units: int
    returned: int
    commission: int
    target_amount: int
    target_units: int

    @property
    def amount_percent(self) -> int | None:
        return percent(self.amount, self.target_amount)


@dataclass(frozen=True)
class MonthReport:
    month: str
    through: date  # the last day counted (today for the running month)
    rows: list[ReportRow]
    store_amount: int
    store_units: int
    store_target_amount: int
    store_target_units: int


def month_report(month: str, config: Config, now: datetime | None = None) -> MonthReport:
    """Hours, attendance, sales, commission and targets of everyone who is a promoter, sold
    or worked in ``month``. A month still running counts up to today; a future month is refused."""
    month = parse_month(month)
    today = _today(config, now)
    first, last = month_days(month)
    if first > today:
        raise ValidationError(_("{month} has not started yet.").format(month=month))
    through = min(last, today)
    figures = sales_figures(first, through, config, today=today)
    rostered: dict[str, int] = defaultdict(int)
    for shift in shifts_between(first, last):
        rostered[shift.staff_id] += shift.minutes
    worked = timeclock.worked_minutes(first, through)
    late: dict[str, int] = defaultdict(int)
    absent: dict[str, int] = defaultdict(int)
    for day in timeclock.attendance(first, through, config.tz, config.roster.late_grace_minutes, now):
        late[day.staff_id] += 1 if day.late else 0
        absent[day.staff_id] += 1 if day.absent else 0
    targets = targets_for(month)
    involved = set(figures) | set(rostered) | set(worked)
    members = [
        m
        for m in Staff.select().order_by(Staff.code)
        if m.id in involved or (m.role == "promoter" and m.status != "left")
    ]
    levels = {lv.code: lv.name for lv in config.ladder.levels}
    rows = []
    for member in members:
        got = figures.get(member.id, Figures())
        target = targets.get((member.id, ""))
        rows.append(
            ReportRow(
                code=member.code,
                name=member.name,
                level=levels.get(member.level, member.level),
                rostered=rostered.get(member.id, 0),
                worked=worked.get(member.id, 0),
                late=late.get(member.id, 0),
                absent=absent.get(member.id, 0),
                amount=got.amount,
                units=got.units,
                returned=got.returned,
                commission=got.commission,
                target_amount=target.amount if target else 0,
                target_units=target.units if target else 0,
            )
        )
    store_target = targets.get((None, ""))
    return MonthReport(
        month=month,
        through=through,
        rows=rows,
        store_amount=sum(f.amount for f in figures.values()),
        store_units=sum(f.units for f in figures.values()),
        store_target_amount=store_target.amount if store_target else 0,
        store_target_units=store_target.units if store_target else 0,
    )


def _hours(minutes: int) -> str:
    return timeclock.hours_text(minutes)


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def report_headers() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Level"),
        _("Rostered h"),
        _("Worked h"),
        _("Late"),
        _("Absent"),
        _("Sales"),
        _("Units"),
        _("Returns"),
        _("Commission"),
        _("Target"),
        _("Reached"),
    ]


def report_rows(report: MonthReport) -> list[list[str]]:
    return [
        [
            r.code,
            r.name,
            r.level,
            _hours(r.rostered),
            _hours(r.worked),
            str(r.late),
            str(r.absent),
            format_fen(r.amount, symbol=False),
            str(r.units),
            format_fen(r.returned, symbol=False),
            format_fen(r.commission, symbol=False),
            format_fen(r.target_amount, symbol=False) if r.target_amount else "",
            _pct(r.amount_percent),
        ]
        for r in report.rows
    ]


def as_text(report: MonthReport) -> str:
    title = _("Promoters {month} (through {day})").format(month=report.month, day=report.through.isoformat())
    total = _("Store: sales {amount}, {units} handsets").format(
        amount=format_fen(report.store_amount), units=report.store_units
    )
    if report.store_target_amount:
        total += " " + _("({pct} of target {target})").format(
            pct=_pct(percent(report.store_amount, report.store_target_amount)),
            target=format_fen(report.store_target_amount),
        )
    table = writers.as_text(text_table(report_headers(), report_rows(report)))
    return f"{title}\n{table}\n{total}\n"


_CSV_FIELDS = (
    ("month", Kind.TEXT),
    ("code", Kind.TEXT),
    ("name", Kind.TEXT),
    ("level", Kind.TEXT),
    ("rostered_minutes", Kind.INT),
    ("worked_minutes", Kind.INT),
    ("late_days", Kind.INT),
    ("absent_days", Kind.INT),
    ("sales_fen", Kind.FEN),
    ("units", Kind.INT),
    ("returns_fen", Kind.FEN),
    ("commission_fen", Kind.FEN),
    ("target_fen", Kind.FEN),
    ("target_units", Kind.INT),
)
_XLSX_KINDS = (
    Kind.TEXT,
    Kind.TEXT,
    Kind.TEXT,
    Kind.HOURS,
    Kind.HOURS,
    Kind.INT,
    Kind.INT,
    Kind.FEN,
    Kind.INT,
    Kind.FEN,
    Kind.FEN,
    Kind.FEN,
    Kind.TEXT,
)


def as_csv(report: MonthReport) -> str:
    """Machine-readable: amounts in fen and hours in minutes, one row a person."""
    table = Table([Column(name, kind) for name, kind in _CSV_FIELDS])
    for r in report.rows:
        table.add(
            report.month,
            r.code,
            r.name,
            r.level,
            r.rostered,
            r.worked,
            r.late,
            r.absent,
            r.amount,
            r.units,
            r.returned,
            r.commission,
            r.target_amount,
            r.target_units,
        )
    return writers.to_csv(table)


def write_xlsx(report: MonthReport, path: Path) -> None:
    """One sheet: numbers as numbers (yuan with two decimals, hours with two decimals)."""
    table = Table(
        [Column(h, k) for h, k in zip(report_headers(), _XLSX_KINDS, strict=True)], title=report.month
    )
    for r in report.rows:
        table.add(
            r.code,
            r.name,
            r.level,
            r.rostered,
            r.worked,
            r.late,
            r.absent,
            r.amount,
            r.units,
            r.returned,
            r.commission,
            r.target_amount,
            _pct(r.amount_percent),
        )
    writers.write_xlsx(path, table)


def default_month(config: Config, now: datetime | None = None) -> str:
    return month_of(_today(config, now))


def previous_month(month: str) -> str:
    first, _last = month_days(month)
    return month_of(first - timedelta(days=1))
