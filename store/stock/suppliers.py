"""Suppliers: regional distributors (地包商) and direct supply (直供), their lead times, and
which products each supplies in what pack."""

from __future__ import annotations

from collections.abc import Sequence

from store.audit import chain
from store.db.transaction import write
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import N_, _
from store.models import Product, Supplier, SupplierItem
from store.stock.catalog import clean_text

CHANNELS = {"distributor": N_("regional distributor"), "direct": N_("direct supply")}
MAX_LEAD_DAYS = 180
MAX_PACK = 1000


def channel_name(channel: str) -> str:
    return _(CHANNELS[channel]) if channel in CHANNELS else channel


def _whole(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            _("{what} is a whole number from {low} to {high}.").format(what=what, low=low, high=high)
        )
    return value


def create_supplier(
    *,
    code: str,
    name: str,
    channel: str,
    lead_time_days: int,
    phone: str = "",
    actor: Actor | None = None,
    approval: Approval | None = None,
) -> Supplier:
    """A new supplier (a manager's work: a manager ``actor`` or another person's approval)."""
    by, approver = manager_authority(actor, approval)
    code = clean_text(code, _("Supplier code"), limit=16)
    if not code.isalnum():
        raise ValidationError(_("A supplier code is letters and digits only."))
    name = clean_text(name, _("Supplier name"))
    phone = clean_text(phone, _("Phone"), required=False, limit=20)
    if channel not in CHANNELS:
        raise ValidationError(_("A channel is distributor or direct."))
    lead = _whole(lead_time_days, 1, MAX_LEAD_DAYS, _("A lead time"))

    def _tx() -> Supplier:
        if Supplier.select().where(Supplier.code == code).exists():
            raise ValidationError(_("Supplier code {code} is taken.").format(code=code))
        supplier = Supplier.create(code=code, name=name, channel=channel, lead_time_days=lead, phone=phone)
        chain.record(
            "supplier.create",
            staff_id=by,
            approved_by=approver,
            entity="supplier",
            entity_id=supplier.id,
            after={"code": code, "name": name, "channel": channel, "lead_time_days": lead},
        )
        return supplier

    return write(_tx)


def find_supplier(code: str) -> Supplier:
    supplier = Supplier.get_or_none(Supplier.code == code.strip())
    if supplier is None:
        raise NotFound(_("No supplier {code}.").format(code=code.strip()[:20]))
    return supplier


def assign(
    supplier: Supplier,
    products: Sequence[Product],
    *,
    pack_size: int = 1,
    actor: Actor | None = None,
    approval: Approval | None = None,
) -> int:
    """Make ``supplier`` the supplier of ``products`` (replacing another), in packs; a
    manager's work like every change to what is ordered from whom."""
    by, approver = manager_authority(actor, approval)
    pack = _whole(pack_size, 1, MAX_PACK, _("A pack size"))
    if not products:
        raise ValidationError(_("No products to assign."))

    def _tx() -> int:
        for product in products:
            SupplierItem.insert(product=product.id, supplier=supplier.id, pack_size=pack).on_conflict(
                conflict_target=[SupplierItem.product],
                update={SupplierItem.supplier: supplier.id, SupplierItem.pack_size: pack},
            ).execute()
        chain.record(
            "supplier.assign",
            staff_id=by,
            approved_by=approver,
            entity="supplier",
            entity_id=supplier.id,
            after={"skus": [p.sku for p in products], "pack_size": pack},
        )
        return len(products)

    return write(_tx)


def suppliers() -> list[Supplier]:
    return list(Supplier.select().where(Supplier.active == True).order_by(Supplier.name))  # noqa: E712


def supplier_of(product_id: str) -> Supplier | None:
    item = SupplierItem.get_or_none(SupplierItem.product == product_id)
    return None if item is None else Supplier.get_by_id(item.supplier_id)
