"""Head office's sell-out feed of one brand and business day, from the stores' day files.

- Handsets: the lines of the day's completed receipts whose product is the brand's and a
  handset (an IMEI unit on the line, or the category ``handset``), with the unit's IMEIs from
  the file's ``imei_units`` part (a file made before that part existed gives an empty IMEI).
- Receipts and stock, of the brand's handsets (category ``handset``; its chargers and cases
  are not in its sell-out feed): received is the ``receive`` movements of the day's file; on
  hand is each product's latest level the store sent up to the day (``stock_levels``: every
  file names the products it moved, a store's first file every product it holds), so it is
  the store's own figure even for stock held before its first file.
- Notes: every store and SKU in the feed without the brand's code, and every registered
  store whose day head office has not received (its handsets are not in the file yet).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from store.hq.db import HqDb
from store.hq.mapping import brand_codes, known_brands
from store.hq.reports import LATEST_LEVELS
from store.kernel.i18n import _
from store.reports.sellout import Feed, Handset, Note, Stock, pick_brand

_CHUNK = 500


def _marks(items: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(items))


def sellout(hq: HqDb, brand: str, day: date) -> Feed:
    """The feed of ``brand`` (in any case: apple is Apple) on business day ``day``; a brand
    head office has never heard of is refused, naming those it knows."""
    name = pick_brand(
        brand,
        known_brands(hq),
        _("Head office knows no brand {brand}; brands known: {known}."),
    )
    spellings = [
        str(r[0])
        for r in hq.execute("SELECT DISTINCT brand FROM hq_products")
        if str(r[0]).casefold() == name.casefold()
    ] or [name]
    codes = brand_codes(hq, name)
    feed = Feed(name, day)
    iso = day.isoformat()
    lines = hq.execute(
        "SELECT l.store_code, l.body, s.body, p.sku, p.model, p.category"
        " FROM hq_sale_lines l"
        " JOIN hq_sales s ON s.store_code = l.store_code AND s.id = l.sale_id"
        " JOIN hq_store_products sp ON sp.store_code = l.store_code AND sp.id = l.product_id"
        " JOIN hq_products p ON p.sku = sp.sku"
        f" WHERE l.business_date = %s AND s.status = 'completed' AND p.brand IN ({_marks(spellings)})",
        (iso, *spellings),
    )
    picked: list[tuple[str, dict[str, object], dict[str, object], str, str]] = []
    for store, line_body, sale_body, sku, model, category in lines:
        line, sale = json.loads(line_body), json.loads(sale_body)
        if line.get("imei_unit_id") or category == "handset":
            picked.append((str(store), line, sale, str(sku), str(model)))
    units = _units(hq, picked)
    picked.sort(key=lambda p: (p[0], str(p[2].get("receipt_no", "")), int(str(p[1].get("line_no", 0)))))
    for store, line, sale, sku, model in picked:
        imei, imei2 = units.get((store, str(line.get("imei_unit_id") or "")), ("", ""))
        feed.handsets.append(
            Handset(
                day,
                store,
                codes.stores.get(store, ""),
                str(sale.get("receipt_no", "")),
                imei,
                imei2,
                sku,
                codes.products.get(sku, ""),
                model,
                int(str(line["qty"])),
                int(str(line["unit_price"])),
                int(str(line["total"])),
            )
        )
    for row in _stock(hq, spellings, day):
        feed.stock.append(
            Stock(
                row[0],
                codes.stores.get(row[0], ""),
                row[1],
                codes.products.get(row[1], ""),
                row[2],
                row[3],
                row[4],
            )
        )
    feed.notes = _notes(hq, feed, codes.stores, codes.products)
    return feed


def _stock(hq: HqDb, spellings: list[str], day: date) -> list[tuple[str, str, str, int, int]]:
    """(store, SKU, model, received on the day, on hand at its end) of the brand's handsets:
    received from the day's ``receive`` movements, on hand from each product's latest level
    the store sent up to the day (a store's SKU under two product ids adds both)."""
    iso = day.isoformat()
    rows = hq.execute(
        "SELECT x.store_code, p.sku, MIN(p.model), SUM(x.received), SUM(x.on_hand) FROM ("
        " SELECT m.store_code AS store_code, m.product_id AS product_id, m.qty AS received, 0 AS on_hand"
        " FROM hq_stock_movements m WHERE m.business_date = %s AND m.kind = 'receive'"
        " UNION ALL SELECT h.store_code, h.product_id, 0, h.on_hand FROM (" + LATEST_LEVELS + ") h"
        ") x JOIN hq_store_products sp ON sp.store_code = x.store_code AND sp.id = x.product_id"
        " JOIN hq_products p ON p.sku = sp.sku"
        f" WHERE p.category = 'handset' AND p.brand IN ({_marks(spellings)})"
        " GROUP BY x.store_code, p.sku ORDER BY x.store_code, p.sku",
        (iso, iso, *spellings),
    )
    return [
        (str(store), str(sku), str(model), int(received), int(on_hand))
        for store, sku, model, received, on_hand in rows
        if int(received) or int(on_hand)
    ]


def _units(
    hq: HqDb, picked: list[tuple[str, dict[str, object], dict[str, object], str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(store, unit id) -> (IMEI, second IMEI) of the units the lines name."""
    wanted: dict[str, set[str]] = {}
    for store, line, _sale, _sku, _model in picked:
        if line.get("imei_unit_id"):
            wanted.setdefault(store, set()).add(str(line["imei_unit_id"]))
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for store, ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            for rid, body in hq.execute(
                "SELECT id, body FROM hq_records WHERE store_code = %s AND family = 'imei_units'"
                f" AND id IN ({_marks(chunk)})",
                (store, *chunk),
            ):
                unit = json.loads(body)
                found[(store, str(rid))] = (str(unit.get("imei") or ""), str(unit.get("imei2") or ""))
    return found


def _notes(hq: HqDb, feed: Feed, stores: dict[str, str], products: dict[str, str]) -> list[Note]:
    notes: list[Note] = []
    named = sorted({h.store for h in feed.handsets} | {s.store for s in feed.stock})
    for store in named:
        if store not in stores:
            notes.append(
                Note(
                    "store",
                    store,
                    _("no {brand} store code: zhanggui hq map store {store} {brand} CODE").format(
                        brand=feed.brand, store=store
                    ),
                )
            )
    for sku in sorted({h.sku for h in feed.handsets} | {s.sku for s in feed.stock}):
        if sku not in products:
            notes.append(
                Note(
                    "product",
                    sku,
                    _("no {brand} product code: zhanggui hq map product {sku} {brand} CODE").format(
                        brand=feed.brand, sku=sku
                    ),
                )
            )
    iso = feed.day.isoformat()
    for (store,) in hq.execute(
        "SELECT code FROM hq_stores WHERE code NOT IN"
        " (SELECT store_code FROM hq_files WHERE business_date = %s) ORDER BY code",
        (iso,),
    ):
        notes.append(
            Note(
                "store",
                str(store),
                _("its day {day} has not been received: its handsets are not in this file").format(day=iso),
            )
        )
    return notes
