"""A store's own sell-out feed of one brand and day (``zhanggui sellout``), for the brand's
promoters: the same columns as head office's (store.reports.sellout), from the store's
database. Head office keeps the chain's brand codes (``zhanggui hq map``); a store has them
only when config.toml's [sellout] gives them (its promoters' file needs them), and those
columns are empty otherwise.

The day is the store's calendar day in its time zone: handsets of the receipts of that
business date, receipts of stock made that calendar day, stock on hand at its end (now, for
today). A store that closes after midnight sees that hour's receipts of stock on the next
day here, and on the day closed in head office's file (which follows the closes).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from peewee import JOIN, Case, fn

from store.config.sellout import SelloutSection
from store.kernel.i18n import _
from store.models import ImeiUnit, Product, Sale, SaleLine, StockMovement
from store.reports.sellout import Feed, Handset, Stock, pick_brand


def _utc(day: date, tz: ZoneInfo) -> datetime:
    """The day's local midnight as the database keeps times: naive UTC."""
    return datetime.combine(day, time(0), tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def store_sellout(
    brand: str, day: date, store: str, tz: ZoneInfo, codes: SelloutSection | None = None
) -> Feed:
    known = sorted({str(p.brand) for p in Product.select(Product.brand).distinct()})
    name = pick_brand(brand, known, _("This store has no brand {brand}; brands here: {known}."))
    spellings = [b for b in known if b.casefold() == name.casefold()]
    feed = Feed(name, day)
    codes = codes or SelloutSection()
    ours = codes.store_code(name)
    lines = (
        SaleLine.select(
            SaleLine,
            Sale.receipt_no,
            Sale.store_code,
            Product.sku,
            Product.model,
            ImeiUnit.imei,
            ImeiUnit.imei2,
        )
        .join(Sale, on=(SaleLine.sale == Sale.id))
        .switch(SaleLine)
        .join(Product, on=(SaleLine.product == Product.id))
        .switch(SaleLine)
        .join(ImeiUnit, JOIN.LEFT_OUTER, on=(SaleLine.imei_unit == ImeiUnit.id))
        .where(
            (Sale.business_date == day)
            & (Sale.status == "completed")
            & Product.brand.in_(spellings)
            & (SaleLine.imei_unit.is_null(False) | (Product.category == "handset"))
        )
        .order_by(Sale.receipt_no, SaleLine.line_no)
        .dicts()
    )
    for row in cast(Iterable[dict[str, Any]], lines):
        feed.handsets.append(
            Handset(
                day,
                str(row["store_code"]),
                ours,
                str(row["receipt_no"]),
                str(row["imei"] or ""),
                str(row["imei2"] or ""),
                str(row["sku"]),
                codes.product_codes.get(str(row["sku"]), ""),
                str(row["model"]),
                int(row["qty"]),
                int(row["unit_price"]),
                int(row["total"]),
            )
        )
    start, end = _utc(day, tz), _utc(day + timedelta(days=1), tz)
    received = fn.SUM(
        Case(
            None,
            [((StockMovement.kind == "receive") & (StockMovement.created_at >= start), StockMovement.qty)],
            0,
        )
    )
    stock = (
        Product.select(Product.sku, Product.model, fn.SUM(StockMovement.qty), received)
        .join(StockMovement, on=(StockMovement.product == Product.id))
        .where(
            Product.brand.in_(spellings) & (Product.category == "handset") & (StockMovement.created_at < end)
        )
        .group_by(Product.id)
        .order_by(Product.sku)
        .tuples()
    )
    for sku, model, on_hand, got in cast(Iterable[tuple[Any, ...]], stock):
        if int(on_hand or 0) or int(got or 0):
            code = codes.product_codes.get(str(sku), "")
            feed.stock.append(
                Stock(store, ours, str(sku), code, str(model), int(got or 0), int(on_hand or 0))
            )
    return feed
