"""A manual stock adjustment of an accessory (a damaged box written off, a found one booked
in), with a reason and a manager's approval. Handsets are corrected by a stock count, unit by
unit, never by a bare quantity."""

from __future__ import annotations

from datetime import datetime

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import MANAGER_ROLES, Actor, Approval, manager_authority
from store.kernel.errors import PermissionDenied, StockError, ValidationError
from store.kernel.i18n import _
from store.models import Product, Staff, StockMovement
from store.stock import ledger as stock
from store.stock.catalog import clean_text


def adjust(
    product: Product,
    *,
    qty: int,
    reason: str,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> StockMovement:
    """Add (qty > 0) or take away (qty < 0) stock of an accessory; on-hand never below 0. A
    manager's work: a manager ``actor``, or another person's ``approval``."""
    if product.serialized:
        raise ValidationError(_("Handsets are corrected by a stock count, IMEI by IMEI."))
    if isinstance(qty, bool) or not isinstance(qty, int) or qty == 0:
        raise ValidationError(_("An adjustment is a whole number other than 0."))
    stock.validate_qty(abs(qty))
    why = clean_text(reason, _("Reason"))
    staff_id, approver = manager_authority(
        actor, approval, needed=_("A stock adjustment needs a manager's PIN.")
    )
    stamp = moment(now)

    def _tx() -> StockMovement:
        manager = Staff.get_or_none(Staff.id == approver)
        if manager is None or manager.role not in MANAGER_ROLES:
            raise PermissionDenied(_("A stock adjustment needs a manager's PIN."))
        before = stock.on_hand(product.id)
        if before + qty < 0:
            raise StockError(_("Only {n} of {name} in stock.").format(n=before, name=product.display_name))
        movement = StockMovement.create(
            product=product.id, kind="adjust", qty=qty, staff=staff_id, created_at=stamp, reason=why
        )
        chain.record(
            "stock.adjust",
            staff_id=staff_id,
            approved_by=approver,
            entity="product",
            entity_id=product.id,
            before={"on_hand": before},
            after={"on_hand": before + qty, "qty": qty, "reason": why},
            at=stamp,
        )
        return movement

    return write(_tx)
