"""Head office's chain reports, as Tables for the one report writer (store/reports)."""

from __future__ import annotations

from datetime import date, timedelta

from store.hq.db import HqDb
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.reports.table import Column, Kind, Table

_MAX_DAYS = 3660


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _check(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(_("--to {end} is before --from {start}.").format(end=end, start=start))
    if (end - start).days > _MAX_DAYS:
        raise ValidationError(_("Give at most ten years between --from and --to."))


def sales_by_store_day(hq: HqDb, start: date, end: date) -> Table:
    """Completed sales and returns by store and business day: the count of sales, of returns,
    and the net in fen (what the stores' Z reports say)."""
    _check(start, end)
    table = Table(
        [
            Column(_("Store")),
            Column(_("Day"), Kind.DATE),
            Column(_("Sales"), Kind.INT),
            Column(_("Returns"), Kind.INT),
            Column(_("Net"), Kind.YUAN),
        ],
        title=_("Sales by store and day"),
    )
    rows = hq.execute(
        "SELECT store_code, business_date,"
        " SUM(CASE WHEN kind = 'return' THEN 0 ELSE 1 END),"
        " SUM(CASE WHEN kind = 'return' THEN 1 ELSE 0 END), SUM(total)"
        " FROM hq_sales WHERE business_date >= %s AND business_date <= %s AND status = 'completed'"
        " GROUP BY store_code, business_date ORDER BY store_code, business_date",
        (start.isoformat(), end.isoformat()),
    )
    for store, day, sales, returns, net in rows:
        table.add(store, _day(day), int(sales), int(returns), int(net))
    return table


def store_ranking(hq: HqDb, start: date, end: date) -> Table:
    """Every registered store by its net sales over the days, best first (a store that sent
    nothing is last, with zero)."""
    _check(start, end)
    table = Table(
        [
            Column(_("Rank"), Kind.INT),
            Column(_("Store")),
            Column(_("Name")),
            Column(_("Days"), Kind.INT),
            Column(_("Sales"), Kind.INT),
            Column(_("Net"), Kind.YUAN),
        ],
        title=_("Store ranking"),
    )
    rows = hq.execute(
        "SELECT s.code, s.name, COUNT(DISTINCT x.business_date), COUNT(x.id), COALESCE(SUM(x.total), 0)"
        " FROM hq_stores s LEFT JOIN hq_sales x ON x.store_code = s.code AND x.status = 'completed'"
        " AND x.business_date >= %s AND x.business_date <= %s"
        " GROUP BY s.code, s.name",
        (start.isoformat(), end.isoformat()),
    )
    ranked = sorted(rows, key=lambda r: (-int(r[4]), r[0]))
    for n, (code, name, days, sales, net) in enumerate(ranked, start=1):
        table.add(n, code, name, int(days), int(sales), int(net))
    return table


def missing_days(hq: HqDb, start: date, end: date) -> Table:
    """Which registered store has not sent which day: a day without its file at head office."""
    _check(start, end)
    table = Table([Column(_("Store")), Column(_("Day"), Kind.DATE)], title=_("Days not received"))
    received = {
        (code, _day(day))
        for code, day in hq.execute(
            "SELECT store_code, business_date FROM hq_files"
            " WHERE business_date >= %s AND business_date <= %s",
            (start.isoformat(), end.isoformat()),
        )
    }
    stores = [row[0] for row in hq.execute("SELECT code FROM hq_stores ORDER BY code")]
    for code in stores:
        day = start
        while day <= end:
            if (code, day) not in received:
                table.add(code, day)
            day += timedelta(days=1)
    return table
