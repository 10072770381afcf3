"""Sales, units and commission per promoter over a period, and the day summaries that keep the
month report quick.

Sales are the lines credited to each promoter on receipts that were not voided; returns
subtract, in the month of the return, and take back commission by the rule of the
original sale's day (see store.people.commission). Units are handsets. Settled days are
summarised once into a table (store.models.roster) and read from there."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from store.config.loader import Config
from store.db.transaction import write
from store.kernel import moment
from store.kernel.clock import business_date
from store.kernel.errors import DatabaseUnavailable
from store.models import database
from store.people import commission as rules_maths


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


def store_today(config: Config, now: datetime | None) -> date:
    return business_date(moment(now), config.tz)
