"""Finding a product, a handset or a purchase order by what a person types: a SKU, a brand,
an IMEI, an order number. Each says "not found" in the user's language instead of returning
None, so a command or screen needs no query of its own (issue 11)."""

from __future__ import annotations

from store.kernel.errors import NotFound
from store.kernel.i18n import _
from store.models import ImeiUnit, Product, PurchaseOrder, SaleLine, Supplier
from store.stock.catalog import clean_text


def product_by_sku(sku: str) -> Product:
    product = Product.get_or_none(Product.sku == sku.strip())
    if product is None:
        raise NotFound(_("No product with SKU {sku}.").format(sku=sku.strip()))
    return product


def products_of_brand(brand: str) -> list[Product]:
    """The active products of a brand, at least one."""
    name = clean_text(brand, _("Brand"))
    found = list(Product.select().where((Product.brand == name) & (Product.active == True)))  # noqa: E712
    if not found:
        raise NotFound(_("No products of brand {brand}.").format(brand=name))
    return found


def product_of_imei(number: str) -> Product:
    """The product of the handset with this IMEI (either SIM) in this store's records."""
    digits = number.strip()
    unit = ImeiUnit.get_or_none((ImeiUnit.imei == digits) | (ImeiUnit.imei2 == digits))
    if unit is None:
        raise NotFound(_("IMEI {imei} is not in this store's stock.").format(imei=digits))
    product: Product = Product.get_by_id(unit.product_id)
    return product


def purchase_order(number: str) -> PurchaseOrder:
    order = PurchaseOrder.get_or_none(PurchaseOrder.number == number.strip())
    if order is None:
        raise NotFound(_("No purchase order {number}.").format(number=number.strip()))
    return order


def supplier_of_order(order: PurchaseOrder) -> Supplier:
    supplier: Supplier = order.supplier
    return supplier


def product_ids_of_sale(sale_id: str) -> list[str]:
    """The products a sale (or return) moved, each once."""
    query = SaleLine.select(SaleLine.product).where(SaleLine.sale == sale_id).distinct()
    return [str(row.product_id) for row in query]
