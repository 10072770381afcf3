"""Head office's chain reports, as Tables for the one report writer (store/reports)."""

from __future__ import annotations

from datetime import date, timedelta

from store.hq.db import HqDb
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.reports.table import Column, Kind, Table

_MAX_DAYS = 3660
_EVER = date.min.isoformat()  # the first day of "every day up to --to"


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


def _lines(keys: str, figures: str) -> str:
    """The lines of completed sales between two days (parameters: from, to, from, to), summed
    by ``keys`` of the line (aliased ``l``) into ``figures``; return lines have negative
    quantities and totals, so sums are net. A line's sale is completed unless it is one of
    the few voided sales of those days: read as such (a hashed NOT IN), PostgreSQL scans the
    lines once instead of looking each line's sale up, and the sums per store and product
    are joined to the chain's products after, not every line (4× faster over a year of a
    100-store chain). The same SQL on both databases."""
    return (
        f"SELECT {keys}, {figures} FROM hq_sale_lines l"
        " WHERE l.business_date >= %s AND l.business_date <= %s"
        " AND (l.store_code, l.sale_id) NOT IN (SELECT store_code, id FROM hq_sales"
        " WHERE status <> 'completed' AND business_date >= %s AND business_date <= %s)"
        f" GROUP BY {keys}"
    )


# A sum per store and product joined to the chain's product (by SKU).
_PRODUCT = (
    " JOIN hq_store_products sp ON sp.store_code = x.store_code AND sp.id = x.product_id"
    " JOIN hq_products p ON p.sku = sp.sku"
)


def _share(part: int, whole: int) -> int | None:
    """A share in thousandths, rounded half away from zero (None of a zero whole)."""
    if whole == 0:
        return None
    sign = -1 if (part < 0) != (whole < 0) else 1
    return sign * ((abs(part) * 2000 // abs(whole) + 1) // 2)


def brand_mix(hq: HqDb, start: date, end: date) -> Table:
    """Units and net sales by brand and model over the days, chain-wide, with each model's
    share of the chain's sales; best-selling brand first, its models best first."""
    _check(start, end)
    table = Table(
        [
            Column(_("Brand")),
            Column(_("Model")),
            Column(_("Units"), Kind.INT),
            Column(_("Sales (¥)"), Kind.YUAN),
            Column(_("Share"), Kind.PERMILLE),
        ],
        title=_("Brand and model mix"),
    )
    sums = _lines("l.store_code, l.product_id", "SUM(l.qty) AS units, SUM(l.total) AS net")
    rows = hq.execute(
        "SELECT p.brand, p.model, SUM(x.units), SUM(x.net) FROM (" + sums + ") x" + _PRODUCT + ""
        " GROUP BY p.brand, p.model",
        (start.isoformat(), end.isoformat()) * 2,
    )
    whole = sum(int(r[3]) for r in rows)
    by_brand: dict[str, int] = {}
    for brand, _model, _units, net in rows:
        by_brand[brand] = by_brand.get(brand, 0) + int(net)
    for brand, model, units, net in sorted(rows, key=lambda r: (-by_brand[r[0]], r[0], -int(r[3]), r[1])):
        table.add(brand, model, int(units), int(net), _share(int(net), whole))
    return table


def promoter_league(hq: HqDb, start: date, end: date) -> Table:
    """Every promoter who sold over the days, at every store, by net sales, best first: units,
    net sales and handsets (the units of products in the handset category)."""
    _check(start, end)
    table = Table(
        [
            Column(_("Rank"), Kind.INT),
            Column(_("Store")),
            Column(_("Code")),
            Column(_("Promoter")),
            Column(_("Units"), Kind.INT),
            Column(_("Sales (¥)"), Kind.YUAN),
            Column(_("Handsets"), Kind.INT),
        ],
        title=_("Promoter league"),
    )
    sums = _lines("l.store_code, l.promoter_id, l.product_id", "SUM(l.qty) AS units, SUM(l.total) AS net")
    rows = hq.execute(
        "SELECT x.store_code, x.promoter_id, st.code, st.name, SUM(x.units), SUM(x.net),"
        " SUM(CASE WHEN p.category = 'handset' THEN x.units ELSE 0 END) FROM ("
        + sums
        + ") x"
        + _PRODUCT
        + " LEFT JOIN hq_staff st ON st.store_code = x.store_code AND st.id = x.promoter_id"
        " GROUP BY x.store_code, x.promoter_id, st.code, st.name"
        " ORDER BY SUM(x.net) DESC, x.store_code, x.promoter_id",
        (start.isoformat(), end.isoformat()) * 2,
    )
    for n, (store, promoter, code, name, units, net, handsets) in enumerate(rows, start=1):
        # A promoter no file named yet (a head office upgraded from before staff were sent)
        # shows by the store's id for them.
        table.add(n, store, code or promoter, name or "", int(units), int(net), int(handsets))
    return table


# Each store's latest stock level of each of its products up to a day (%s): the on-hand its
# own ledger said at that day's close (a level a product and day, so one row a product).
LATEST_LEVELS = (
    "SELECT v.store_code AS store_code, v.product_id AS product_id, v.on_hand AS on_hand"
    " FROM hq_stock_levels v"
    " JOIN (SELECT store_code, product_id, MAX(business_date) AS last_day FROM hq_stock_levels"
    " WHERE business_date <= %s GROUP BY store_code, product_id) t"
    " ON t.store_code = v.store_code AND t.product_id = v.product_id AND t.last_day = v.business_date"
)

# On hand (latest levels up to the second day) and units sold (sale, return and void movements
# between the two days) per store and chain product: parameters (from, to, to). A store's SKU
# under two of its product ids adds both.
_ON_HAND = (
    "SELECT x.store_code AS store_code, sp.sku AS sku, SUM(x.qty) AS qty, SUM(x.sold) AS sold FROM ("
    " SELECT m.store_code AS store_code, m.product_id AS product_id, 0 AS qty, -m.qty AS sold"
    " FROM hq_stock_movements m WHERE m.business_date >= %s AND m.business_date <= %s"
    " AND m.kind IN ('sale', 'return', 'void')"
    " UNION ALL SELECT h.store_code, h.product_id, h.on_hand, 0 FROM (" + LATEST_LEVELS + ") h"
    ") x JOIN hq_store_products sp ON sp.store_code = x.store_code AND sp.id = x.product_id"
    " GROUP BY x.store_code, sp.sku"
)


def stock_on_hand(hq: HqDb, start: date, end: date) -> Table:
    """Stock on hand per store and product as of the store's latest day imported up to --to
    (the day shown): each product's latest level the store sent, what its own stock screen
    said at that day's close; and the units sold from --from to --to. Products a store
    neither holds nor sold are left out."""
    _check(start, end)
    table = Table(
        [
            Column(_("Store")),
            Column(_("As of"), Kind.DATE),
            Column(_("SKU")),
            Column(_("Brand")),
            Column(_("Model")),
            Column(_("Sold"), Kind.INT),
            Column(_("On hand"), Kind.INT),
        ],
        title=_("Stock on hand"),
    )
    rows = hq.execute(
        "SELECT h.store_code, f.last_day, h.sku, p.brand, p.model, h.sold, h.qty"
        " FROM (" + _ON_HAND + ") h"
        " JOIN hq_products p ON p.sku = h.sku"
        " JOIN (SELECT store_code, MAX(business_date) AS last_day FROM hq_files"
        " WHERE business_date <= %s GROUP BY store_code) f ON f.store_code = h.store_code"
        " WHERE h.qty <> 0 OR h.sold <> 0"
        " ORDER BY h.store_code, p.brand, p.model, h.sku",
        (start.isoformat(), end.isoformat(), end.isoformat(), end.isoformat()),
    )
    for store, last, sku, brand, model, sold, qty in rows:
        table.add(store, _day(last), sku, brand, model, int(sold), int(qty))
    return table


def slow_movers(hq: HqDb, start: date, end: date, days: int = 30) -> Table:
    """Products the chain holds (on hand at --to, all stores together) that no store has sold
    in the ``days`` days up to --to: the longest unsold first (never sold at the top). --from
    is not used: a product's last sale is looked for as far back as head office holds."""
    _check(start, end)
    if days < 1:
        raise ValidationError(_("--days is at least 1."))
    table = Table(
        [
            Column(_("SKU")),
            Column(_("Brand")),
            Column(_("Model")),
            Column(_("On hand"), Kind.INT),
            Column(_("Stores"), Kind.INT),
            Column(_("Last sale"), Kind.DATE),
            Column(_("Days unsold"), Kind.INT),
        ],
        title=_("Slow movers"),
    )
    since = end - timedelta(days=days)  # a sale after this day is a sale in the last ``days``
    rows = hq.execute(
        "SELECT h.sku, p.brand, p.model, SUM(h.qty), SUM(CASE WHEN h.qty > 0 THEN 1 ELSE 0 END), x.last_day"
        " FROM (" + _ON_HAND + ") h"
        " JOIN hq_products p ON p.sku = h.sku"
        " LEFT JOIN (SELECT sp.sku AS sku, MAX(x.last_day) AS last_day FROM ("
        + _lines(
            "l.store_code, l.product_id", "MAX(CASE WHEN l.qty > 0 THEN l.business_date END) AS last_day"
        )
        + ") x JOIN hq_store_products sp ON sp.store_code = x.store_code AND sp.id = x.product_id"
        " GROUP BY sp.sku) x ON x.sku = h.sku"
        " WHERE x.last_day IS NULL OR x.last_day <= %s"
        " GROUP BY h.sku, p.brand, p.model, x.last_day HAVING SUM(h.qty) > 0"
        " ORDER BY CASE WHEN x.last_day IS NULL THEN 0 ELSE 1 END, x.last_day, h.sku",
        (end.isoformat(), end.isoformat(), end.isoformat(), *(_EVER, end.isoformat()) * 2, since.isoformat()),
    )
    for sku, brand, model, qty, stores, last in rows:
        last_day = _day(last) if last is not None else None
        table.add(
            sku, brand, model, int(qty), int(stores), last_day, (end - last_day).days if last_day else None
        )
    return table
