"""Nobody approves their own sale: a manager ringing a sale acts in their own role within its
limits (the audit names them as their own authority) and needs another person beyond them."""

from __future__ import annotations

import json

import pytest

from store.kernel.errors import NeedsApproval, PermissionDenied
from store.models import AuditLog
from store.selling import checkout, sale_lookup
from store.selling.cart import Cart
from tests.conftest import Shop
from tests.store_helpers import forge_approval, manager_ok, pay, promoter_cart, scan, sell, snapshot

PHONE = 599900


def manager_cart(shop: Shop) -> Cart:
    """The manager rings the sale with the manager role's 30 % limit."""
    return Cart(staff_id=shop.manager.id, staff_role="manager", discount_limit_percent=30)


def rows(action: str) -> list[AuditLog]:
    return list(AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.seq))


# ---- a manager's own PIN is refused on their own sale ------------------------------------------
def test_a_manager_cannot_approve_their_own_over_limit_discount(shop: Shop) -> None:
    cart = manager_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    own = manager_ok(shop)  # the manager's own PIN
    with pytest.raises(PermissionDenied) as err:
        cart.set_line_discount(0, PHONE // 2, own)
    assert str(err.value) == "An approval must come from another person, not from yourself."
    with pytest.raises(PermissionDenied):
        cart.set_sale_discount(PHONE // 2, own)
    assert (cart.lines[0].line_discount, cart.lines[0].approved_by, cart.sale_discount) == (0, "", 0)
    with pytest.raises(NeedsApproval):  # over the manager's own limit: another manager is needed
        cart.set_line_discount(0, PHONE // 2)


def test_a_manager_cannot_approve_their_own_price_change_or_return(shop: Shop) -> None:
    cart = manager_cart(shop)
    cart.add_scan(scan(shop.case.sku))
    with pytest.raises(PermissionDenied):
        cart.override_price(0, 100, "display model", manager_ok(shop))
    assert (cart.lines[0].unit_price, cart.lines[0].approved_by) == (3900, "")
    with pytest.raises(PermissionDenied):
        cart.approve_return(manager_ok(shop))
        cart.set_return_reason("defective")
    assert cart.return_approved_by == ""


def test_an_approval_given_for_someone_else_is_refused_on_this_sale(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    elsewhere = forge_approval(shop.manager.id, shop.manager.name, for_staff_id="someone-else")
    with pytest.raises(PermissionDenied) as err:
        cart.set_line_discount(0, PHONE // 2, elsewhere)
    assert str(err.value) == "This approval was given for someone else."
    mine = forge_approval(shop.manager.id, shop.manager.name, for_staff_id=shop.promoter.id)
    cart.set_line_discount(0, PHONE // 2, mine)
    assert cart.lines[0].approved_by == shop.manager.id


def test_a_promoter_still_gets_another_persons_approval(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    with pytest.raises(NeedsApproval):
        cart.override_price(0, 500000, "match JD.com")
    with pytest.raises(NeedsApproval):
        cart.approve_return()
        cart.set_return_reason("defective")
    cart.override_price(0, 500000, "match JD.com", manager_ok(shop))
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till)
    (row,) = rows("sale.price_override")
    assert (row.staff_id, row.approved_by) == (shop.promoter.id, shop.manager.id)
    assert "authority" not in json.loads(row.after)
    assert sale.total == 500000


# ---- within their own limits a manager needs nobody ----------------------------------------
def test_a_manager_within_their_limits_is_their_own_authority_in_the_audit(shop: Shop) -> None:
    cart = manager_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.case.sku))
    cart.set_line_discount(0, PHONE * 20 // 100)  # 20 %: within the manager's 30 %, no PIN
    cart.override_price(1, 1000, "display model")  # a manager may change a price in their role
    cart.set_sale_discount(1000)
    assert cart.lines[0].approved_by == cart.lines[1].approved_by == shop.manager.id
    assert cart.sale_discount_approved_by == shop.manager.id
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till)
    line_row, sale_row = rows("sale.discount_approved")
    (price_row,) = rows("sale.price_override")
    for row in (line_row, sale_row, price_row):
        assert (row.staff_id, row.approved_by) == (shop.manager.id, shop.manager.id)
        assert json.loads(row.after)["authority"] == "own role"
    assert json.loads(sale_row.after)["discount"] == 1000 and sale_row.entity_id == sale.id


def test_a_manager_rings_a_return_without_a_pin(shop: Shop) -> None:
    sold = sell(shop, shop.imeis[0])
    cart = manager_cart(shop)
    line = sale_lookup.returnable_lines(sold)[0].line
    cart.add_return_line(line, 1, 0)
    cart.approve_return()  # the manager's own role: no PIN
    cart.set_return_reason("defective")
    pay(cart)
    refund = checkout.commit_sale(cart, shop.till)
    row = rows("sale.return")[0]
    assert (row.staff_id, row.approved_by, row.entity_id) == (shop.manager.id, shop.manager.id, refund.id)
    assert json.loads(row.after)["authority"] == "own role"


def test_own_authority_lapses_when_the_discount_grows_over_the_limit(shop: Shop) -> None:
    cart = manager_cart(shop)
    cart.add_scan(scan(shop.case.sku), 10)
    cart.set_line_discount(0, 39000 * 30 // 100)  # exactly 30 % of ten cases
    cart.set_qty(0, 5)  # fewer cases: the same discount would be 60 %, which nobody approved
    assert (cart.lines[0].line_discount, cart.lines[0].approved_by) == (0, "")
    cart.set_sale_discount(39000 * 30 // 100 // 2)
    cart.set_qty(0, 2)
    assert (cart.sale_discount, cart.sale_discount_approved_by) == (0, "")


# ---- commit checks the cart again, whatever was done to it ---------------------------------
def test_commit_refuses_a_cart_whose_seller_approved_their_own_discount(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.lines[0].line_discount = PHONE // 2
    cart.lines[0].approved_by = shop.promoter.id  # put together by hand
    pay(cart)
    before = snapshot()
    with pytest.raises(NeedsApproval):
        checkout.commit_sale(cart, shop.till)
    assert snapshot() == before


def test_commit_refuses_a_manager_over_their_own_limit_without_another_person(shop: Shop) -> None:
    cart = manager_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.lines[0].line_discount = PHONE // 2
    cart.lines[0].approved_by = shop.manager.id
    pay(cart)
    before = snapshot()
    with pytest.raises(NeedsApproval) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "A discount over your limit needs another manager's approval."
    assert snapshot() == before


def test_commit_refuses_own_authority_of_a_seller_who_is_not_a_manager(shop: Shop) -> None:
    """A cart that claims the manager role for a promoter: the store reads the role itself."""
    cart = Cart(staff_id=shop.promoter.id, staff_role="manager", discount_limit_percent=30)
    cart.add_scan(scan(shop.case.sku))
    cart.override_price(0, 100, "friend")
    cart.approve_return()
    cart.set_return_reason("defective")
    pay(cart)
    before = snapshot()
    with pytest.raises(PermissionDenied) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "An approval must come from another person, not from yourself."
    assert snapshot() == before


def test_commit_refuses_an_approver_who_is_not_a_manager(shop: Shop) -> None:
    cart = manager_cart(shop)
    cart.add_scan(scan(shop.case.sku))
    cart.lines[0].override_reason = "friend"
    cart.lines[0].unit_price = 100
    cart.lines[0].approved_by = shop.promoter.id
    pay(cart)
    before = snapshot()
    with pytest.raises(PermissionDenied) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "Only a manager's PIN can approve this."
    assert snapshot() == before
