"""The TAC (Type Allocation Code) is an IMEI's first 8 digits: the same for every handset of
one model. An IMEI the store has never seen can still say which model it probably is."""

from __future__ import annotations

from store.models import Product, database
from store.stock import imei


def tac_of(number: str) -> str:
    return imei.normalise(number)[:8]


def models_for_tac(number: str) -> list[Product]:
    """Products with a known unit of the same TAC, the one with most such units first. Two
    range scans on the IMEI indexes (a prefix, not LIKE, so the indexes are used)."""
    tac = tac_of(number)
    if len(tac) != 8 or not tac.isdigit():
        return []
    upper = tac[:-1] + chr(ord(tac[-1]) + 1)
    rows = database.obj.execute_sql(
        "SELECT product_id, COUNT(*) FROM ("
        "  SELECT product_id FROM imei_unit WHERE imei >= ? AND imei < ?"
        "  UNION ALL SELECT product_id FROM imei_unit WHERE imei2 >= ? AND imei2 < ?"
        ") GROUP BY product_id ORDER BY COUNT(*) DESC",
        (tac, upper, tac, upper),
    ).fetchall()
    if not rows:
        return []
    by_id = {p.id: p for p in Product.select().where(Product.id.in_([r[0] for r in rows]) & Product.active)}
    return [by_id[r[0]] for r in rows if r[0] in by_id]
