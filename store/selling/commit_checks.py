"""What a sale must pass before it is written: paid in full, approved where it needs to be by
managers still with the store, returns within what was sold, and no more stock sold than is
on hand."""

from __future__ import annotations

from store.kernel.auth import MANAGER_ROLES
from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.errors import (
    NeedsApproval,
    PermissionDenied,
    StockError,
    ValidationError,
)
from store.kernel.i18n import _
from store.models import (
    Product,
    SaleLine,
    Staff,
    database,
)
from store.selling.cart import Cart
from store.selling.cart_lines import CartLine
from store.selling.sale_lookup import returned_qty


def check_ready(cart: Cart) -> None:
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


def check_approvers(cart: Cart) -> None:
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


def check_return_line(line: CartLine) -> None:
    original = SaleLine.get_or_none(SaleLine.id == line.original_line_id)
    if original is None or original.sale.status != "completed" or original.qty <= 0:
        raise ValidationError(_("The original sale line cannot be returned."))
    returned = returned_qty(original.id)
    if returned + (-line.qty) > original.qty:
        raise ValidationError(
            _("Only {n} of this line can still be returned.").format(n=original.qty - returned)
        )


def refuse_oversell(cart: Cart) -> None:
    """After this sale's movements are written, no product sold by quantity may be below
    zero: another till may have sold the last ones since the line was scanned."""
    sold = {ln.product_id for ln in cart.lines if not ln.is_return and not ln.serialized}
    if not sold:
        return
    marks = ", ".join("?" for _ in sold)
    rows = database.obj.execute_sql(
        f'SELECT "product_id", "on_hand" FROM "product_stock" WHERE "product_id" IN ({marks}) '
        'AND "on_hand" < 0',  # the ledger's running sum, this sale's movements included
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
