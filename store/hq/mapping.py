"""A brand's own codes for the chain's stores and products (``zhanggui hq map``).

A brand's sell-out system knows a shop by the code it gave it (its 门店编码) and a model by
its own product code, not by ours; head office keeps both here. A brand is spelled as the
chain's catalog spells it (``apple`` maps Apple's codes); a brand no store has sent yet is
kept as typed. A SKU may be mapped before any store has sold it (a new model announced), so
an unknown SKU is taken, and said; a SKU head office knows as another brand's is refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from store.hq.db import HqDb
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.reports.table import Column, Table

MAX_CODE = 64


@dataclass(frozen=True)
class Mapped:
    brand: str  # as head office spells it
    previous: str | None  # the code it had before; None: it had none
    known: bool = True  # False: a SKU no store has sent yet


def known_brands(hq: HqDb) -> list[str]:
    """Every brand head office has heard of: in the stores' products or in a mapping."""
    rows = hq.execute(
        "SELECT brand FROM hq_products UNION SELECT brand FROM hq_brand_stores"
        " UNION SELECT brand FROM hq_brand_products"
    )
    return sorted({str(r[0]) for r in rows if r[0]}, key=str.casefold)


def spelled(hq: HqDb, brand: str) -> str:
    """``brand`` as head office already spells it, else as typed (trimmed)."""
    name = _text(brand)
    if not name:
        raise ValidationError(_("Give a brand, e.g. Apple."))
    for known in known_brands(hq):
        if known.casefold() == name.casefold():
            return known
    return name


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _code(value: str, empty: str) -> str:
    code = _text(value)
    if not code:
        raise ValidationError(empty)
    if len(code) > MAX_CODE or any(unicodedata.category(ch).startswith("C") for ch in code):
        raise ValidationError(
            _("'{code}' is not a brand's code: at most {n} characters, no control characters.").format(
                code=code[:MAX_CODE], n=MAX_CODE
            )
        )
    return code


def map_store(hq: HqDb, store: str, brand: str, brand_code: str, *, now: datetime) -> Mapped:
    """The brand knows ``store`` as ``brand_code``; one code a store and brand, and one store
    a brand's code (two stores under one code would merge in the brand's figures)."""
    code = _code(
        brand_code, _("The brand's code for the store is empty: give the code the brand knows it by.")
    )
    with hq.transaction():
        if not hq.execute("SELECT 1 FROM hq_stores WHERE code = %s", (store,)):
            raise ValidationError(
                _("Store {code} is not registered at head office (zhanggui hq store add).").format(code=store)
            )
        name = spelled(hq, brand)
        rows = hq.execute("SELECT store_code, brand, brand_code FROM hq_brand_stores")
        mine = [r for r in rows if str(r[1]).casefold() == name.casefold()]
        for other, _brand, taken in mine:
            if taken == code and other != store:
                raise ValidationError(
                    _("{brand}'s code {code} is store {other}'s already; give each store its own.").format(
                        brand=name, code=code, other=other
                    )
                )
        previous = next((str(r[2]) for r in mine if r[0] == store), None)
        hq.execute(
            "DELETE FROM hq_brand_stores WHERE store_code = %s AND brand IN ("
            + ", ".join(["%s"] * (len(mine) or 1))
            + ")",
            (store, *([r[1] for r in mine] or [name])),
        )
        hq.execute(
            "INSERT INTO hq_brand_stores (store_code, brand, brand_code, updated_at) VALUES (%s, %s, %s, %s)",
            (store, name, code, now.isoformat()),
        )
    return Mapped(name, previous)


def map_product(hq: HqDb, sku: str, brand: str, brand_code: str, *, now: datetime) -> Mapped:
    """The brand knows ``sku`` as ``brand_code`` (several SKUs may share a brand's code: one
    model in colours the brand does not tell apart)."""
    wanted = _text(sku)
    if not wanted:
        raise ValidationError(_("Give the SKU, as the stores' catalogs have it."))
    code = _code(
        brand_code, _("The brand's code for the product is empty: give the code the brand knows it by.")
    )
    with hq.transaction():
        name = spelled(hq, brand)
        described = hq.execute("SELECT brand FROM hq_products WHERE sku = %s", (wanted,))
        if described and str(described[0][0]).casefold() != name.casefold():
            raise ValidationError(
                _("SKU {sku} is a {other} product at head office, not {brand}.").format(
                    sku=wanted, other=described[0][0], brand=name
                )
            )
        rows = hq.execute("SELECT brand, brand_code FROM hq_brand_products WHERE sku = %s", (wanted,))
        mine = [r for r in rows if str(r[0]).casefold() == name.casefold()]
        previous = str(mine[0][1]) if mine else None
        for old, _code_was in mine:
            hq.execute("DELETE FROM hq_brand_products WHERE sku = %s AND brand = %s", (wanted, old))
        hq.execute(
            "INSERT INTO hq_brand_products (sku, brand, brand_code, updated_at) VALUES (%s, %s, %s, %s)",
            (wanted, name, code, now.isoformat()),
        )
    return Mapped(name, previous, known=bool(described))


@dataclass(frozen=True)
class BrandCodes:
    stores: dict[str, str]  # our store code -> the brand's
    products: dict[str, str]  # SKU -> the brand's


def brand_codes(hq: HqDb, brand: str) -> BrandCodes:
    folded = brand.casefold()
    stores = {
        str(s): str(c)
        for s, b, c in hq.execute("SELECT store_code, brand, brand_code FROM hq_brand_stores")
        if str(b).casefold() == folded
    }
    products = {
        str(s): str(c)
        for s, b, c in hq.execute("SELECT sku, brand, brand_code FROM hq_brand_products")
        if str(b).casefold() == folded
    }
    return BrandCodes(stores, products)


def mapping_table(hq: HqDb, brand: str | None = None) -> Table:
    """Every mapping (of one brand when given): stores first, then products, by code."""
    table = Table(
        [Column(_("Brand")), Column(_("Kind")), Column(_("Our code")), Column(_("Brand's code"))],
        title=_("Brand codes"),
    )
    folded = brand.strip().casefold() if brand else None
    stores = hq.execute("SELECT brand, store_code, brand_code FROM hq_brand_stores")
    products = hq.execute("SELECT brand, sku, brand_code FROM hq_brand_products")
    for kind, rows in ((_("Store"), stores), (_("Product"), products)):
        for b, ours, theirs in sorted(rows, key=lambda r: (str(r[0]).casefold(), r[1])):
            if folded is None or str(b).casefold() == folded:
                table.add(b, kind, ours, theirs)
    return table
