"""Products and what a scanned or typed code means."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.kernel.money import MAX_FEN, format_fen
from store.kernel.text import drop_invisible
from store.models import ImeiUnit, Product
from store.stock import imei

CATEGORIES = ("handset", "accessory", "service")
CATEGORY_NAMES = {"handset": N_("handset"), "accessory": N_("accessory"), "service": N_("service")}
MAX_TEXT = 60


def clean_text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Trim, fold full-width forms, drop control characters; length-checked."""
    folded = unicodedata.normalize("NFKC", value).strip()
    folded = drop_invisible(folded)
    if required and not folded:
        raise ValidationError(_("{field} is required.").format(field=field))
    if len(folded) > limit:
        raise ValidationError(_("{field} is too long (at most {n} characters).").format(field=field, n=limit))
    return folded


def search_text_for(*parts: str) -> str:
    return " ".join(p.lower() for p in parts if p)


def category_name(category: str) -> str:
    """A product category in the user's language."""
    return _(CATEGORY_NAMES[category]) if category in CATEGORY_NAMES else category


def check_amount(amount: object) -> int:
    """A price or cost handed over by code: whole fen, 0 up to MAX_FEN."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationError(_("A price or cost cannot be negative."))
    if amount > MAX_FEN:
        raise ValidationError(_("A price is at most {max}.").format(max=format_fen(MAX_FEN)))
    return amount


def create_product(
    *,
    sku: str,
    brand: str,
    model: str,
    category: str,
    price: int,
    cost: int = 0,
    colour: str = "",
    storage: str = "",
    barcode: str | None = None,
    serialized: bool | None = None,
    by: str = "",
    approved_by: str = "",
    now: datetime | None = None,
) -> Product:
    sku = clean_text(sku, _("SKU"), limit=32)
    brand = clean_text(brand, _("Brand"))
    model = clean_text(model, _("Model"))
    colour = clean_text(colour, _("Colour"), required=False)
    storage = clean_text(storage, _("Storage"), required=False)
    # A blank barcode is no barcode: "" would collide in the unique index with the next blank one.
    barcode = (clean_text(barcode, _("Barcode"), required=False, limit=32) if barcode else None) or None
    if category not in CATEGORIES:
        raise ValidationError(_("Unknown category: {c}").format(c=category))
    for amount in (price, cost):
        check_amount(amount)
    is_serialized = category == "handset" if serialized is None else serialized

    def _create() -> Product:
        if Product.get_or_none(Product.sku == sku) is not None:
            raise ValidationError(_("SKU {sku} already exists.").format(sku=sku))
        if barcode and Product.get_or_none(Product.barcode == barcode) is not None:
            raise ValidationError(_("Barcode {code} already exists.").format(code=barcode))
        product = Product.create(
            sku=sku,
            barcode=barcode,
            brand=brand,
            model=model,
            colour=colour,
            storage=storage,
            category=category,
            price=price,
            cost=cost,
            serialized=is_serialized,
            search_text=search_text_for(brand, model, storage, colour, sku),
            **({"created_at": moment(now)} if now is not None else {}),
        )
        chain.record(
            "product.create",
            staff_id=by,
            approved_by=approved_by,
            entity="product",
            entity_id=product.id,
            after={"sku": sku, "price": price},
            at=now,
        )
        return product

    return write(_create)


@dataclass(frozen=True)
class ScanResult:
    product: Product
    unit: ImeiUnit | None = None


def lookup_code(code: str) -> ScanResult | None:
    """Exact match of a scanned or typed code: barcode, SKU, or IMEI (either SIM)."""
    # A byte-order mark or zero-width space (a joined scanner file, a paste) is invisible:
    # dropped, so the code still matches instead of failing with nothing to see.
    text = "".join(ch for ch in unicodedata.normalize("NFKC", code) if unicodedata.category(ch) != "Cf")
    text = text.strip()
    if not text:
        return None
    # A scanner reads IMEIs far more often than anything else at a phone counter, and no
    # EAN-13 barcode has 15 digits: try the IMEI first, in one query for either SIM.
    if imei.looks_like_imei(text):
        digits = imei.normalise(text)
        unit = (
            ImeiUnit.select(ImeiUnit, Product)
            .join(Product)
            .where((ImeiUnit.imei == digits) | (ImeiUnit.imei2 == digits))
            .first()
        )
        if unit is not None:
            return ScanResult(unit.product, unit)
    # One query for barcode or SKU; a barcode match wins over another product's SKU.
    product = (
        Product.select()
        .where(((Product.barcode == text) | (Product.sku == text)) & (Product.active == True))  # noqa: E712
        .order_by((Product.barcode == text).desc())
        .first()
    )
    return ScanResult(product) if product is not None else None


def search_products(text: str, limit: int = 50) -> list[Product]:
    """Products whose brand, model, colour, storage or SKU contain every typed word."""
    words = unicodedata.normalize("NFKC", text).lower().split()
    if not words:
        return []
    query = Product.select().where(Product.active == True)  # noqa: E712
    for word in words[:5]:
        query = query.where(Product.search_text.contains(word))
    return list(query.order_by(Product.brand, Product.model, Product.price).limit(limit))
