"""Committing a sale: header, lines, tenders, stock movements, IMEI status, referral entries and
the audit row in one immediate transaction; then the receipt is acknowledged once shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from store.audit import chain
from store.dayclose.days import current_day
from store.db.transaction import (
    SALE_GIVE_UP_AFTER,
    Patience,
    insert_rows,
    read,
    release_thread_connection,
    waiting,
    write,
)
from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.errors import (
    DiskFull,
    StockError,
    ValidationError,
)
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.models import (
    Sale,
    SaleLine,
    StockMovement,
    Tender,
    database,
)
from store.selling import refunds, tender_refs
from store.selling.cart import Cart
from store.selling.cart_lines import CartLine
from store.selling.commit_checks import check_approvers, check_ready, check_return_line, refuse_oversell
from store.selling.config import ReturnReason
from store.selling.holds import hold_copy
from store.selling.till import Till, naive_stamp


def _next_receipt_no(till: Till, day: date) -> str:
    key = f"{till.terminal_id}|{day.isoformat()}"
    row = database.obj.execute_sql(
        "INSERT INTO receipt_counter (key, last) VALUES (?, 1) "
        "ON CONFLICT (key) DO UPDATE SET last = last + 1 RETURNING last",
        (key,),
    ).fetchone()
    return f"{till.store_code}-{till.terminal_id}-{day:%Y%m%d}-{row[0]:04d}"


_SALE_COLUMNS = tuple(f.name for f in Sale._meta.sorted_fields)


def commit_sale(cart: Cart, till: Till, now: datetime | None = None) -> Sale:
    """Write the sale, its lines, tenders, stock movements, IMEI statuses and audit rows
    together, or nothing. Committing the same cart again (same id, same content) returns the
    first sale; the same id with other content, or after its sale was voided, is refused."""
    check_ready(cart)
    tender_refs.check(cart.tenders, till.tenders)
    reason = _return_reason(cart, till)
    stamp = naive_stamp(now)
    allocations = cart.allocations()
    fingerprint = cart.fingerprint()

    def _tx() -> Sale:
        db = database.obj
        earlier = db.execute_sql(
            'SELECT "receipt_no", "status", "fingerprint", "total" FROM "sale" WHERE "id" = ?', (cart.id,)
        ).fetchone()
        if earlier:
            return _committed_before(cart, fingerprint, *earlier)
        check_approvers(cart)
        # The store's calendar day, or the next one not closed at this till: a sale rung after
        # the Z report belongs to tomorrow (store.dayclose.days).
        day = current_day(till.terminal_id, stamp, till.tz)
        cash_instead = refunds.check(cart)
        has_sales = any(not ln.is_return for ln in cart.lines)
        kind = "exchange" if cart.has_returns and has_sales else ("return" if cart.has_returns else "sale")
        sale = Sale(
            id=cart.id,
            receipt_no=_next_receipt_no(till, day),
            store_code=till.store_code,
            terminal_id=till.terminal_id,
            business_date=day,
            created_at=stamp,
            kind=kind,
            status="completed",
            staff=cart.staff_id,
            customer=cart.customer_id,
            original=cart.original_sale_id,
            subtotal=cart.subtotal,
            discount=cart.discount_total,
            total=cart.total,
            note="",
            acknowledged_at=None,
            voided_at=None,
            fingerprint=fingerprint,
            return_reason=reason.code if reason is not None else "",
        )
        insert_rows(Sale, [{name: getattr(sale, name) for name in _SALE_COLUMNS}])
        lines: list[dict[str, object]] = []
        movements: list[dict[str, object]] = []
        for number, (line, share) in enumerate(zip(cart.lines, allocations, strict=True), 1):
            if line.is_return:
                check_return_line(line)
            _move_unit(line)
            movements.append(
                {
                    "id": new_id(),
                    "product": line.product_id,
                    "imei_unit": line.imei_unit_id,
                    "kind": "return" if line.is_return else "sale",
                    "qty": -line.qty,
                    "staff": cart.staff_id,
                    "created_at": stamp,
                    "document": sale.id,
                    "reason": reason.name if line.is_return and reason is not None else "",
                }
            )
            lines.append(
                {
                    "id": line.id,
                    "sale": sale.id,
                    "line_no": number,
                    "product": line.product_id,
                    "imei_unit": line.imei_unit_id,
                    "qty": line.qty,
                    "list_price": line.list_price,
                    "unit_price": line.unit_price,
                    "discount": line.line_discount + share,
                    "total": line.net - share,
                    "promoter": line.promoter_id,
                    "original_line": line.original_line_id,
                    "override_reason": line.override_reason,
                }
            )
        insert_rows(StockMovement, movements)
        insert_rows(SaleLine, lines)
        refuse_oversell(cart)
        tender_ids = [new_id() for _t in cart.tenders]
        insert_rows(
            Tender,
            [
                {
                    "id": tender_id,
                    "sale": sale.id,
                    "kind": t.kind,
                    "amount": t.amount,
                    "tendered": t.tendered,
                    "change": t.change,
                    "reference": t.reference,
                    "original": t.original_id,
                }
                for t, tender_id in zip(cart.tenders, tender_ids, strict=True)
            ],
        )
        _referral_entries(cart, sale, till, tender_ids, stamp)
        _audit_sale(cart, sale, stamp, cash_instead)
        db.execute_sql('DELETE FROM "held_cart" WHERE "id" = ?', (cart.id,))
        return sale

    return write(_tx)


def commit_sale_off_thread(
    cart: Cart,
    till: Till,
    now: datetime | None = None,
    *,
    on_wait: Callable[[float], None] | None = None,
) -> Sale:
    """commit_sale from a worker thread (the console commits off its event loop, so keys
    pressed meanwhile reach a screen that ignores them). While another till holds the
    database it waits up to SALE_GIVE_UP_AFTER seconds, calling ``on_wait(seconds_waited)``
    so the cashier is told why (then DatabaseBusy: the same cart can be committed again).
    When the disk is full, a copy of the sale without its payments is kept among the
    suspended sales if the database can still take it (DiskFull.held). The thread's own
    connection is closed before returning."""
    try:
        try:
            with waiting(Patience(SALE_GIVE_UP_AFTER, on_wait)):
                return commit_sale(cart, till, now)
        except DiskFull as exc:
            raise DiskFull(str(exc), held=hold_copy(cart, _("Not saved: disk full"), now)) from exc
    finally:
        release_thread_connection()


def saved_receipt_no(cart_id: str) -> str | None:
    """The receipt number a cart was committed as, or None if it was not (DatabaseUnavailable
    when the database cannot be read): what a crash message checks before it says either."""

    def _look() -> str | None:
        sql = 'SELECT "receipt_no" FROM "sale" WHERE "id" = ?'
        row = database.obj.execute_sql(sql, (cart_id,)).fetchone()
        return str(row[0]) if row else None

    return read(_look)


def _committed_before(
    cart: Cart, fingerprint: str, receipt_no: str, status: str, stored: str, total: int
) -> Sale:
    """A cart whose id is already a sale: a retry of the same cart (a second Enter, a commit
    retried after a busy database) gets that sale back; anything else is refused, never
    answered with an old sale as if the new one had been saved."""
    if status != "completed":
        raise ValidationError(
            _(
                "This sale was saved as receipt {no} and then voided; nothing more was saved. "
                "Cancel it and ring it up again as a new sale."
            ).format(no=receipt_no)
        )
    same = stored == fingerprint if stored else total == cart.total  # '': saved before schema 8
    if not same:
        raise ValidationError(
            _(
                "This sale was already saved as receipt {no} with other items or payments; "
                "nothing more was saved. Cancel it and ring it up again as a new sale."
            ).format(no=receipt_no)
        )
    return Sale.get_by_id(cart.id)


def _referral_entries(cart: Cart, sale: Sale, till: Till, tender_ids: list[str], stamp: datetime) -> None:
    """Vouchers spent or given back, the 老带新 link of a first sale and its pending rewards,
    and rewards a return cancels: in the sale's own transaction, as the design requires."""
    from store.referrals import ledger, vouchers  # not on the start-up path: only a commit needs it

    day = sale.business_date
    if cart.original_sale_id or any(t.kind == vouchers.KIND for t in cart.tenders):
        vouchers.apply_tenders(cart, sale.id, tender_ids, day, stamp)
    if cart.referrer_id:
        if cart.has_returns:
            raise ValidationError(_("A sale with returns is not a new customer's first sale."))
        ledger.attribute(
            sale_id=sale.id,
            referee_id=cart.customer_id,
            referrer_id=cart.referrer_id,
            staff_id=cart.staff_id,
            store_code=till.store_code,
            day=day,
            stamp=stamp,
            policy=till.referrals,
        )
    if cart.original_sale_id:
        ledger.after_return(cart.original_sale_id, stamp)


def _return_reason(cart: Cart, till: Till) -> ReturnReason | None:
    """The reason a return gives, one of the till's [returns] reasons; None on a plain sale."""
    if not cart.has_returns:
        return None
    reason = till.returns.reason(cart.return_reason)
    if reason is None:
        raise ValidationError(_("Choose a reason for the return."))
    return reason


def _move_unit(line: CartLine) -> None:
    """A sold handset leaves stock, a returned one comes back: only from the state it must
    be in, so two tills can never sell the same unit."""
    if not line.imei_unit_id:
        return
    if line.is_return:
        sql = "UPDATE imei_unit SET status = 'returned' WHERE id = ? AND status = 'sold'"
    else:
        sql = "UPDATE imei_unit SET status = 'sold' WHERE id = ? AND status IN ('in_stock', 'returned')"
    if database.obj.execute_sql(sql, (line.imei_unit_id,)).rowcount != 1:
        if line.is_return:
            raise StockError(_("IMEI {imei} is not sold; it cannot be returned.").format(imei=line.imei))
        raise StockError(_("IMEI {imei} was sold meanwhile; remove it from the sale.").format(imei=line.imei))


def _own(cart: Cart, approver: str) -> dict[str, object]:
    """Marks an audit row whose authority is the seller's own manager role, not an approval."""
    return {"authority": "own role"} if approver == cart.staff_id else {}


def _audit_sale(cart: Cart, sale: Sale, stamp: datetime, cash_instead: bool = False) -> None:
    chain.record(
        f"sale.{sale.kind}",
        staff_id=cart.staff_id,
        approved_by=cart.return_approved_by,
        entity="sale",
        entity_id=sale.id,
        after={"receipt_no": sale.receipt_no, "total": sale.total, "lines": len(cart.lines)}
        | ({"referrer": cart.referrer_id} if cart.referrer_id else {})
        | ({"reason": sale.return_reason} if sale.return_reason else {})
        | _own(cart, cart.return_approved_by),
        at=stamp,
    )
    if cash_instead:
        chain.record(
            "sale.cash_refund",
            staff_id=cart.staff_id,
            approved_by=cart.cash_refund_approved_by,
            entity="sale",
            entity_id=sale.id,
            after={
                "cash": -sum(t.amount for t in cart.tenders if t.kind == "cash" and t.amount < 0),
                "instead_of": sorted(
                    {t.kind for t in sale.original.tenders if t.kind != "cash" and t.amount > 0}
                ),
            }
            | _own(cart, cart.cash_refund_approved_by),
            at=stamp,
        )
    for line in cart.lines:
        if line.override_reason:
            chain.record(
                "sale.price_override",
                staff_id=cart.staff_id,
                approved_by=line.approved_by,
                entity="sale_line",
                entity_id=line.id,
                before={"price": line.list_price},
                after={"price": line.unit_price, "reason": line.override_reason}
                | _own(cart, line.approved_by),
                at=stamp,
            )
        elif line.approved_by:
            chain.record(
                "sale.discount_approved",
                staff_id=cart.staff_id,
                approved_by=line.approved_by,
                entity="sale_line",
                entity_id=line.id,
                after={"discount": line.line_discount} | _own(cart, line.approved_by),
                at=stamp,
            )
    if cart.sale_discount_approved_by:
        chain.record(
            "sale.discount_approved",
            staff_id=cart.staff_id,
            approved_by=cart.sale_discount_approved_by,
            entity="sale",
            entity_id=sale.id,
            after={"discount": cart.sale_discount} | _own(cart, cart.sale_discount_approved_by),
            at=stamp,
        )


def acknowledge(sale_id: str, now: datetime | None = None) -> None:
    """The receipt was shown or printed: no reprint question at the next start-up."""
    stamp = naive_stamp(now)
    write(lambda: Sale.update(acknowledged_at=stamp).where(Sale.id == sale_id).execute())


def unacknowledged(terminal_id: str) -> list[Sale]:
    return list(
        Sale.select()
        .where((Sale.acknowledged_at.is_null()) & (Sale.terminal_id == terminal_id))
        .order_by(Sale.created_at)
    )
