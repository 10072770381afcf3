"""Product and price maintenance for managers: find a product (by SKU, barcode, IMEI, the
words of its name or the pinyin of its Chinese, retired ones too), change its price or its
name, retire it and bring it back, add a new one. Every change takes an Actor (a manager
logged in) or an Approval (another manager's PIN), is refused otherwise, is one transaction,
and is audited with what it was before and after."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from peewee import Expression

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment, pinyin
from store.kernel.auth import MANAGER_ROLES, Actor, Approval, manager_authority
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.kernel.i18n import _
from store.kernel.text import drop_invisible
from store.models import ImeiUnit, Product, Staff
from store.stock import catalog, imei
from store.stock import ledger as stock
from store.stock.catalog import clean_text, search_text_for

LIMIT = 50


@dataclass(frozen=True)
class ProductLine:
    """One product as the product list shows it."""

    id: str
    sku: str
    barcode: str
    brand: str
    model: str
    colour: str
    storage: str
    category: str
    price: int  # fen
    cost: int  # fen
    serialized: bool
    active: bool
    on_hand: int

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.brand, self.model, self.storage, self.colour) if p)


def _lines(products: list[Product]) -> list[ProductLine]:
    counts = stock.on_hand_of([p.id for p in products])
    return [
        ProductLine(
            id=p.id,
            sku=p.sku,
            barcode=p.barcode or "",
            brand=p.brand,
            model=p.model,
            colour=p.colour,
            storage=p.storage,
            category=p.category,
            price=p.price,
            cost=p.cost,
            serialized=bool(p.serialized),
            active=bool(p.active),
            on_hand=counts.get(p.id, 0),
        )
        for p in products
    ]


def product_line(product_id: str) -> ProductLine:
    product = Product.get_or_none(Product.id == product_id)
    if product is None:
        raise NotFound(_("That product no longer exists."))
    return _lines([product])[0]


def find_products(text: str = "", *, limit: int = LIMIT) -> list[ProductLine]:
    """What a manager typed or scanned: the product of that barcode, SKU or IMEI, or else every
    product whose name or SKU holds each word; nothing typed: the first products by name.
    Retired products are found too (they can be brought back), after the active ones."""
    typed = drop_invisible(unicodedata.normalize("NFKC", text)).strip()
    if typed:
        exact = Product.select().where((Product.barcode == typed) | (Product.sku == typed))
        found = list(exact.order_by((Product.barcode == typed).desc()).limit(1))
        if not found and imei.looks_like_imei(typed):
            digits = imei.normalise(typed)
            unit = ImeiUnit.get_or_none((ImeiUnit.imei == digits) | (ImeiUnit.imei2 == digits))
            if unit is not None:
                found = [Product.get_by_id(unit.product_id)]
        if found:
            return _lines(found)
    words = typed.lower().split()[:5]
    query = Product.select()
    for word in words:
        query = query.where(Product.search_text.contains(word))
    ordered = query.order_by(Product.active.desc(), Product.brand, Product.model, Product.price)
    found = list(ordered.limit(limit))
    if words and len(found) < limit and all(w.isascii() and w.isalnum() for w in words):
        found = _with_pinyin(found, words, limit)
    return _lines(found)


@lru_cache(maxsize=16384)
def pinyin_keys(name: str) -> tuple[str, str]:
    """The Chinese characters of a product name in pinyin, in full and by initials:
    'Apple 20W 电源适配器 白色' -> ('dianyuanshipeiqibaise', 'dyspqbs')."""
    hanzi = "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff")
    if not hanzi:
        return "", ""
    syllables = [s.lower() for s in pinyin.syllables(hanzi) if s.isascii() and s.isalpha()]
    return "".join(syllables), "".join(s[0] for s in syllables)


def _with_pinyin(found: list[Product], words: list[str], limit: int) -> list[Product]:
    """``found`` and then the products with a Chinese name in which each typed word is in the
    name, the SKU, or the pinyin of its Chinese (in full or by initials): 'cdq' finds 充电器."""
    seen = {p.id for p in found}
    has_chinese = Expression(Product.search_text, "GLOB", "*[^ -~]*")  # any character past ASCII
    candidates = (
        Product.select()
        .where(has_chinese)
        .order_by(Product.active.desc(), Product.brand, Product.model, Product.price)
    )
    more = []
    for product in candidates:
        if product.id in seen:
            continue
        full, initials = pinyin_keys(product.search_text)
        if all(w in product.search_text or w in full or w in initials for w in words):
            more.append(product)
            if len(found) + len(more) >= limit:
                break
    return found + more


def _authority(actor: Actor | None, approval: Approval | None, needed: str) -> tuple[str, str]:
    """(acting staff id, approving manager id); the manager is read afresh inside the write:
    someone demoted, locked or gone since they logged in no longer counts."""
    actor_id, approver_id = manager_authority(actor, approval, needed=needed)
    approver = Staff.get_or_none(Staff.id == approver_id)
    if approver is None or approver.role not in MANAGER_ROLES or not approver.active or approver.locked:
        raise PermissionDenied(needed)
    return actor_id, approver_id


def _product(product_id: str) -> Product:
    product = Product.get_or_none(Product.id == product_id)
    if product is None:
        raise NotFound(_("That product no longer exists."))
    return product


def _change(
    product_id: str,
    action: str,
    needed: str,
    actor: Actor | None,
    approval: Approval | None,
    now: datetime | None,
    changes: dict[str, Any],
) -> ProductLine:
    """Write ``changes`` to the product with an audit row of the fields before and after."""
    manager_authority(actor, approval, needed=needed)  # refused before anything is read
    stamp = moment(now)

    def _tx() -> ProductLine:
        staff_id, approver_id = _authority(actor, approval, needed)
        product = _product(product_id)
        before = {key: getattr(product, key) for key in changes}
        if before == changes:
            raise ValidationError(
                _("Nothing changes: {name} is like that already.").format(name=product.display_name)
            )
        values = dict(changes)
        if {"brand", "model", "colour", "storage"} & set(changes):
            merged = {
                key: values.get(key, getattr(product, key)) for key in ("brand", "model", "storage", "colour")
            }
            values["search_text"] = search_text_for(*merged.values(), product.sku)
        Product.update(**values).where(Product.id == product.id).execute()
        chain.record(
            action,
            staff_id=staff_id,
            approved_by=approver_id,
            entity="product",
            entity_id=product.id,
            before={"sku": product.sku, **before},
            after={"sku": product.sku, **changes},
            at=stamp,
        )
        return product_line(product.id)

    return write(_tx)


def set_price(
    product_id: str,
    price: int,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> ProductLine:
    """The shelf price (fen) from now on; sales already rung keep theirs."""
    return _change(
        product_id,
        "product.price",
        _("Changing a price needs a manager."),
        actor,
        approval,
        now,
        {"price": catalog.check_amount(price)},
    )


def rename(
    product_id: str,
    *,
    brand: str,
    model: str,
    colour: str = "",
    storage: str = "",
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> ProductLine:
    """A product's name: brand, model, storage and colour, as receipts and lists show it."""
    changes = {
        "brand": clean_text(brand, _("Brand")),
        "model": clean_text(model, _("Model")),
        "colour": clean_text(colour, _("Colour"), required=False),
        "storage": clean_text(storage, _("Storage"), required=False),
    }
    return _change(
        product_id, "product.rename", _("Renaming a product needs a manager."), actor, approval, now, changes
    )


def set_active(
    product_id: str,
    active: bool,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> ProductLine:
    """Retire a product (no longer sold or received; its history stays) or bring it back."""
    needed = _("Retiring or bringing back a product needs a manager.")
    return _change(product_id, "product.active", needed, actor, approval, now, {"active": bool(active)})


def add_product(
    *,
    sku: str,
    brand: str,
    model: str,
    category: str,
    price: int,
    cost: int = 0,
    colour: str = "",
    storage: str = "",
    barcode: str = "",
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> ProductLine:
    """A new product of this store (no HQ file needed); handsets are sold by IMEI."""
    needed = _("Adding a product needs a manager.")
    manager_authority(actor, approval, needed=needed)
    stamp = moment(now)

    def _tx() -> ProductLine:
        staff_id, approver_id = _authority(actor, approval, needed)
        product = catalog.create_product(
            sku=sku,
            brand=brand,
            model=model,
            category=category,
            price=price,
            cost=cost,
            colour=colour,
            storage=storage,
            barcode=barcode or None,
            by=staff_id,
            approved_by=approver_id,
            now=stamp,
        )
        return product_line(product.id)

    return write(_tx)
