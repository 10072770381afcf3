"""Committing, finding, returning and voiding sales. Each is one immediate transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from peewee import fn

from store.audit import chain as audit
from store.db.connection import (
    SALE_GIVE_UP_AFTER,
    Patience,
    insert_rows,
    read,
    release_thread_connection,
    waiting,
    write,
)
from store.kernel.auth import MANAGER_ROLES, Actor, Approval, manager_authority
from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.clock import moment, naive_utc
from store.kernel.errors import (
    DiskFull,
    NeedsApproval,
    NotFound,
    PermissionDenied,
    StockError,
    ValidationError,
    ZhangguiError,
)
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.models import (
    HeldCart,
    ImeiUnit,
    Product,
    Sale,
    SaleLine,
    Staff,
    StockMovement,
    Tender,
    database,
)
from store.referrals.config import ReferralSection
from store.selling.cart import Cart, CartLine
from store.stock import ledger as stock


@dataclass(frozen=True)
class Till:
    """Where a sale is rung: the store, the terminal and its local time zone."""

    store_code: str
    terminal_id: str
    tz: ZoneInfo
    referrals: ReferralSection = field(default_factory=ReferralSection)  # the 老带新 policy in force


def _stamp(now: datetime | None) -> datetime:
    """Naive UTC, the form every timestamp column holds (an aware ``now`` is converted)."""
    return naive_utc(moment(now))


def _next_receipt_no(till: Till, day: date) -> str:
    key = f"{till.terminal_id}|{day.isoformat()}"
    row = database.obj.execute_sql(
        "INSERT INTO receipt_counter (key, last) VALUES (?, 1) "
        "ON CONFLICT (key) DO UPDATE SET last = last + 1 RETURNING last",
        (key,),
    ).fetchone()
    return f"{till.store_code}-{till.terminal_id}-{day:%Y%m%d}-{row[0]:04d}"


def _check_ready(cart: Cart) -> None:
    if not cart.lines:
        raise ValidationError(_("The sale is empty."))
    if cart.due != 0:
        raise ValidationError(_("The sale is not fully paid."))
    if sum(t.amount for t in cart.tenders) != cart.total:
        raise ValidationError(_("Payments do not add up to the total."))
    if cart.has_returns and not cart.return_approved_by:
        raise NeedsApproval(_("A return needs a manager's PIN."))
    problem = cart.authority_problem()
    if problem:
        raise NeedsApproval(problem)


def _check_approvers(cart: Cart) -> None:
    """Inside the sale's transaction: everyone the cart names as approving is a manager still
    with the store, and the seller is named only when they are a manager themselves (their
    own role's authority). A cart put together by hand, or a role changed since, is refused."""
    named = cart.approvers()
    if not named:
        return
    managers = {
        m.id
        for m in Staff.select(Staff.id).where(
            Staff.id.in_(sorted(named)),
            Staff.role.in_(MANAGER_ROLES),
            Staff.active == True,  # noqa: E712
        )
    }
    if named - managers:
        if cart.staff_id in named - managers:
            raise PermissionDenied(_("An approval must come from another person, not from yourself."))
        raise PermissionDenied(_("Only a manager's PIN can approve this."))


_SALE_COLUMNS = tuple(f.name for f in Sale._meta.sorted_fields)


def commit_sale(cart: Cart, till: Till, now: datetime | None = None) -> Sale:
    """Write the sale, its lines, tenders, stock movements, IMEI statuses and audit rows
    together, or nothing. Committing the same cart again (same id, same content) returns the
    first sale; the same id with other content, or after its sale was voided, is refused."""
    _check_ready(cart)
    stamp = _stamp(now)
    day = business_date(stamp, till.tz)
    allocations = cart.allocations()
    fingerprint = cart.fingerprint()

    def _tx() -> Sale:
        db = database.obj
        earlier = db.execute_sql(
            'SELECT "receipt_no", "status", "fingerprint", "total" FROM "sale" WHERE "id" = ?', (cart.id,)
        ).fetchone()
        if earlier:
            return _committed_before(cart, fingerprint, *earlier)
        _check_approvers(cart)
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
        )
        insert_rows(Sale, [{name: getattr(sale, name) for name in _SALE_COLUMNS}])
        lines: list[dict[str, object]] = []
        movements: list[dict[str, object]] = []
        for number, (line, share) in enumerate(zip(cart.lines, allocations, strict=True), 1):
            if line.is_return:
                _check_return_line(line)
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
                    "reason": "",
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
        _refuse_oversell(cart)
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
                }
                for t, tender_id in zip(cart.tenders, tender_ids, strict=True)
            ],
        )
        _referral_entries(cart, sale, till, tender_ids, stamp)
        _audit_sale(cart, sale, stamp)
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


def _check_return_line(line: CartLine) -> None:
    original = SaleLine.get_or_none(SaleLine.id == line.original_line_id)
    if original is None or original.sale.status != "completed" or original.qty <= 0:
        raise ValidationError(_("The original sale line cannot be returned."))
    returned = returned_qty(original.id)
    if returned + (-line.qty) > original.qty:
        raise ValidationError(
            _("Only {n} of this line can still be returned.").format(n=original.qty - returned)
        )


def _refuse_oversell(cart: Cart) -> None:
    """After this sale's movements are written, no product sold by quantity may be below
    zero: another till may have sold the last ones since the line was scanned."""
    sold = {ln.product_id for ln in cart.lines if not ln.is_return and not ln.serialized}
    if not sold:
        return
    marks = ", ".join("?" for _ in sold)
    rows = database.obj.execute_sql(
        f"SELECT product_id, SUM(qty) FROM stock_movement WHERE product_id IN ({marks}) "
        "GROUP BY product_id HAVING SUM(qty) < 0",
        tuple(sold),
    ).fetchall()
    if rows:
        product_id, left = rows[0]
        wanted = sum(ln.qty for ln in cart.lines if ln.product_id == product_id and not ln.is_return)
        raise StockError(
            _("Only {n} of {name} in stock.").format(
                n=max(left + wanted, 0), name=Product.get_by_id(product_id).display_name
            )
        )


def _own(cart: Cart, approver: str) -> dict[str, object]:
    """Marks an audit row whose authority is the seller's own manager role, not an approval."""
    return {"authority": "own role"} if approver == cart.staff_id else {}


def _audit_sale(cart: Cart, sale: Sale, stamp: datetime) -> None:
    audit.record(
        f"sale.{sale.kind}",
        staff_id=cart.staff_id,
        approved_by=cart.return_approved_by,
        entity="sale",
        entity_id=sale.id,
        after={"receipt_no": sale.receipt_no, "total": sale.total, "lines": len(cart.lines)}
        | ({"referrer": cart.referrer_id} if cart.referrer_id else {})
        | _own(cart, cart.return_approved_by),
        at=stamp,
    )
    for line in cart.lines:
        if line.override_reason:
            audit.record(
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
            audit.record(
                "sale.discount_approved",
                staff_id=cart.staff_id,
                approved_by=line.approved_by,
                entity="sale_line",
                entity_id=line.id,
                after={"discount": line.line_discount} | _own(cart, line.approved_by),
                at=stamp,
            )
    if cart.sale_discount_approved_by:
        audit.record(
            "sale.discount_approved",
            staff_id=cart.staff_id,
            approved_by=cart.sale_discount_approved_by,
            entity="sale",
            entity_id=sale.id,
            after={"discount": cart.sale_discount} | _own(cart, cart.sale_discount_approved_by),
            at=stamp,
        )


def returned_qty(line_id: str) -> int:
    total = (
        SaleLine.select(fn.COALESCE(fn.SUM(SaleLine.qty), 0))
        .join(Sale)
        .where((SaleLine.original_line == line_id) & (Sale.status == "completed"))
        .scalar()
    )
    return -int(total or 0)  # return lines carry negative quantities


def find_sale(text: str) -> Sale:
    """A sale by receipt number (typed or from the receipt's QR) or by id."""
    code = text.strip()
    sale = Sale.get_or_none((Sale.receipt_no == code) | (Sale.id == code))
    if sale is None:
        raise NotFound(_("No receipt {code}.").format(code=code[:40]))
    return sale


@dataclass(frozen=True)
class ReturnableLine:
    line: SaleLine
    returnable: int


def returnable_lines(sale: Sale) -> list[ReturnableLine]:
    if sale.status != "completed":
        raise ValidationError(_("Receipt {no} was voided.").format(no=sale.receipt_no))
    lines = (
        SaleLine.select(SaleLine, Product)
        .join(Product)
        .where((SaleLine.sale == sale.id) & (SaleLine.qty > 0))
        .order_by(SaleLine.line_no)
    )
    return [ReturnableLine(ln, ln.qty - returned_qty(ln.id)) for ln in lines]


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
    stamp = _stamp(now)

    def _tx() -> Sale:
        sale = Sale.get_or_none(Sale.id == sale_id)
        if sale is None:
            raise NotFound(_("No receipt {code}.").format(code=sale_id))
        if sale.status != "completed":
            raise ValidationError(_("Receipt {no} is already voided.").format(no=sale.receipt_no))
        if sale.business_date != business_date(stamp, till.tz):
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
        audit.record(
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


def acknowledge(sale_id: str, now: datetime | None = None) -> None:
    """The receipt was shown or printed: no reprint question at the next start-up."""
    stamp = _stamp(now)
    write(lambda: Sale.update(acknowledged_at=stamp).where(Sale.id == sale_id).execute())


def unacknowledged(terminal_id: str) -> list[Sale]:
    return list(
        Sale.select()
        .where((Sale.acknowledged_at.is_null()) & (Sale.terminal_id == terminal_id))
        .order_by(Sale.created_at)
    )


def hold(cart: Cart, label: str = "", now: datetime | None = None) -> None:
    if not cart.lines:
        raise ValidationError(_("The sale is empty."))
    if cart.tenders:
        raise ValidationError(_("Payment has started: clear the payments to change the sale."))
    payload = cart.to_json()
    write(
        lambda: (
            HeldCart.insert(
                id=cart.id, staff=cart.staff_id, label=label[:40], payload=payload, created_at=_stamp(now)
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
