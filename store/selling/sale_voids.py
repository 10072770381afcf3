"""Voiding a committed sale with a manager's PIN: its stock, units, rewards and tenders are put
back in one transaction."""

from __future__ import annotations

from datetime import datetime

from store.audit import chain
from store.dayclose import days
from store.db.transaction import write
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.errors import (
    NotFound,
    StockError,
    ValidationError,
)
from store.kernel.i18n import _
from store.models import (
    ImeiUnit,
    Product,
    Sale,
    StockMovement,
)
from store.selling.till import Till, naive_stamp
from store.stock import ledger as stock


def void_sale(
    sale_id: str,
    *,
    till: Till,
    actor: Actor | None = None,
    approval: Approval | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Sale:
    """Cancel a completed sale of today: stock and IMEIs go back, the receipt stays. A manager
    at the till voids in their own role; anyone else needs another person's approval."""
    staff_id, approver_id = manager_authority(actor, approval)
    stamp = naive_stamp(now)

    def _tx() -> Sale:
        sale = Sale.get_or_none(Sale.id == sale_id)
        if sale is None:
            raise NotFound(_("No receipt {code}.").format(code=sale_id))
        if sale.status != "completed":
            raise ValidationError(_("Receipt {no} is already voided.").format(no=sale.receipt_no))
        days.refuse_closed(sale.terminal_id, sale.business_date)
        if sale.business_date != days.current_day(sale.terminal_id, stamp, till.tz):
            raise ValidationError(_("Only today's sales can be voided; use a return."))
        if Sale.select().where((Sale.original == sale.id) & (Sale.status == "completed")).exists():
            raise ValidationError(
                _("Receipt {no} has returns; it cannot be voided.").format(no=sale.receipt_no)
            )
        for line in sale.lines:
            if line.imei_unit_id:
                target, source = ("in_stock", "sold") if line.qty > 0 else ("sold", "returned")
                changed = (
                    ImeiUnit.update(status=target)
                    .where((ImeiUnit.id == line.imei_unit_id) & (ImeiUnit.status == source))
                    .execute()
                )
                if changed != 1:
                    raise StockError(
                        _("An IMEI on this receipt was returned or sold again since; it cannot be voided.")
                    )
            StockMovement.create(
                product=line.product_id,
                imei_unit=line.imei_unit_id,
                kind="void",
                qty=line.qty,
                staff=staff_id,
                created_at=stamp,
                document=sale.id,
                reason=reason,
            )
        # Voiding a return takes the returned goods back out of stock: refuse if they were
        # sold again meanwhile, or on-hand would go below zero.
        for product_id in {ln.product_id for ln in sale.lines if ln.qty < 0 and not ln.imei_unit_id}:
            if stock.on_hand(product_id) < 0:
                raise StockError(
                    _("{name} from this receipt was sold again; it cannot be voided.").format(
                        name=Product.get_by_id(product_id).display_name
                    )
                )
        Sale.update(status="voided", voided_at=stamp).where(Sale.id == sale.id).execute()
        from store.referrals import ledger, vouchers

        vouchers.reverse_for_void(sale.id, stamp)
        ledger.after_void(sale.id, stamp)
        chain.record(
            "sale.void",
            staff_id=staff_id,
            approved_by=approver_id,
            entity="sale",
            entity_id=sale.id,
            before={"status": "completed", "total": sale.total},
            after={"status": "voided", "reason": reason}
            | ({"authority": "own role"} if approver_id == staff_id else {}),
            at=stamp,
        )
        return Sale.get_by_id(sale.id)

    return write(_tx)
