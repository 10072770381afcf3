"""Suspended sales: holding a cart, keeping a copy of one that could not be committed, and
resuming it (with the IMEIs that left stock meanwhile)."""

from __future__ import annotations

from datetime import datetime

from store.db.transaction import write
from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.errors import (
    NotFound,
    ValidationError,
    ZhangguiError,
)
from store.kernel.i18n import _
from store.models import (
    HeldCart,
    ImeiUnit,
)
from store.selling.cart import Cart
from store.selling.till import naive_stamp


def hold(cart: Cart, label: str = "", now: datetime | None = None) -> None:
    if not cart.lines:
        raise ValidationError(_("The sale is empty."))
    if cart.tenders:
        raise ValidationError(_("Payment has started: clear the payments to change the sale."))
    payload = cart.to_json()
    write(
        lambda: (
            HeldCart.insert(
                id=cart.id,
                staff=cart.staff_id,
                label=label[:40],
                payload=payload,
                created_at=naive_stamp(now),
            )
            .on_conflict_replace()
            .execute()
        )
    )


def hold_copy(cart: Cart, label: str, now: datetime | None = None) -> bool:
    """Keep a copy of a sale that could not be committed among the suspended sales, without
    its payments; the cart itself is left as it is. True when the copy was written (a later
    commit of the same cart removes it); False when even that could not be written."""
    copy = Cart.from_json(cart.to_json())
    copy.clear_tenders()
    try:
        hold(copy, label, now)
    except ZhangguiError:
        return False
    return True


def gone_since_held(cart: Cart) -> list[str]:
    """The IMEIs on a resumed sale that have left stock since it was suspended (another till
    sold them, or they were moved): the cashier hears it at resume, not at payment."""
    wanted = {ln.imei_unit_id: ln.imei or "" for ln in cart.lines if ln.imei_unit_id and not ln.is_return}
    if not wanted:
        return []
    units = ImeiUnit.select(ImeiUnit.id, ImeiUnit.status).where(ImeiUnit.id.in_(list(wanted)))
    sellable = {u.id for u in units if u.status in ("in_stock", "returned")}
    return [imei for unit_id, imei in wanted.items() if unit_id not in sellable]


def held_carts() -> list[HeldCart]:
    return list(HeldCart.select().order_by(HeldCart.created_at))


def resume(held_id: str) -> Cart:
    def _tx() -> Cart:
        row = HeldCart.get_or_none(HeldCart.id == held_id)
        if row is None:
            raise NotFound(_("That suspended sale was already resumed."))
        try:
            cart = Cart.from_json(row.payload)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # damaged, or an older shape
            raise ValidationError(_("That suspended sale cannot be read; it was kept.")) from exc
        HeldCart.delete().where(HeldCart.id == held_id).execute()
        return cart

    return write(_tx)
