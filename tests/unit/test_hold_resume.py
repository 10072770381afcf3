from __future__ import annotations

import pytest

from store.kernel.errors import NotFound, StockError, ValidationError
from store.models import HeldCart, ImeiUnit, Sale
from store.selling import checkout, holds
from store.selling.cart import Cart
from tests.conftest import Shop
from tests.store_helpers import manager_ok, pay, promoter_cart, scan

PHONE = 599900
CASE = 3900


def a_cart(shop: Shop) -> Cart:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 2)
    cart.set_line_discount(1, 200)
    cart.set_sale_discount(1000)
    cart.override_price(0, 589900, "老客户", manager_ok(shop))
    cart.customer_label = "张三"
    return cart


def test_hold_writes_a_held_cart(shop: Shop) -> None:
    cart = a_cart(shop)
    holds.hold(cart, "张三 is fetching his wallet" + "!" * 40)
    row = HeldCart.get_by_id(cart.id)
    assert row.staff_id == shop.promoter.id
    assert row.label == ("张三 is fetching his wallet" + "!" * 40)[:40]
    assert "老客户" in row.payload
    assert [h.id for h in holds.held_carts()] == [cart.id]


def test_resume_returns_an_equal_cart_and_removes_it(shop: Shop) -> None:
    cart = a_cart(shop)
    holds.hold(cart)
    resumed = holds.resume(cart.id)
    assert resumed == cart
    assert resumed.total == PHONE - 10000 + 2 * CASE - 200 - 1000
    assert not HeldCart.select().exists()
    with pytest.raises(NotFound) as err:
        holds.resume(cart.id)
    assert str(err.value) == "That suspended sale was already resumed."


def test_holding_twice_keeps_one_row(shop: Shop) -> None:
    cart = a_cart(shop)
    holds.hold(cart, "first")
    cart.remove_line(1)
    holds.hold(cart, "second")
    rows = list(HeldCart.select())
    assert [r.label for r in rows] == ["second"]
    assert len(holds.resume(cart.id).lines) == 1


def test_several_held_carts(shop: Shop) -> None:
    first, second = promoter_cart(shop), promoter_cart(shop)
    first.add_scan(scan("CASE-IP15"))
    second.add_scan(scan(shop.imeis[1]))
    holds.hold(first, "a")
    holds.hold(second, "b")
    assert {h.label for h in holds.held_carts()} == {"a", "b"}
    assert holds.resume(second.id) == second
    assert [h.label for h in holds.held_carts()] == ["a"]


def test_empty_or_paying_cart_cannot_be_held(shop: Shop) -> None:
    cart = promoter_cart(shop)
    with pytest.raises(ValidationError) as err:
        holds.hold(cart)
    assert str(err.value) == "The sale is empty."
    cart.add_scan(scan("CASE-IP15"))
    cart.add_tender("cash", 1000)
    with pytest.raises(ValidationError) as err:
        holds.hold(cart)
    assert str(err.value) == "Payment has started: clear the payments to change the sale."
    assert not HeldCart.select().exists()


def test_committing_a_resumed_cart(shop: Shop) -> None:
    cart = a_cart(shop)
    holds.hold(cart)
    resumed = holds.resume(cart.id)
    pay(resumed, "card")
    sale = checkout.commit_sale(resumed, shop.till)
    assert sale.id == cart.id and sale.total == resumed.total
    assert not HeldCart.select().exists()
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "sold"


def test_committing_a_held_cart_removes_the_held_row(shop: Shop) -> None:
    """A cart that was held and later committed anyway (say, the screen kept it) is not left
    behind to be resumed and rung a second time."""
    cart = a_cart(shop)
    holds.hold(cart)
    pay(cart)
    checkout.commit_sale(cart, shop.till)
    assert not HeldCart.select().exists()
    assert Sale.select().count() == 1


def test_held_imei_sold_meanwhile_is_refused_at_commit(shop: Shop) -> None:
    cart = a_cart(shop)
    holds.hold(cart)
    other = promoter_cart(shop)
    other.add_scan(scan(shop.imeis[0]))
    pay(other)
    checkout.commit_sale(other, shop.till)
    resumed = holds.resume(cart.id)
    pay(resumed)
    with pytest.raises(StockError) as err:
        checkout.commit_sale(resumed, shop.till)
    assert str(err.value) == f"IMEI {shop.imeis[0]} was sold meanwhile; remove it from the sale."
    assert Sale.select().count() == 1


@pytest.mark.parametrize("payload", ["{not json", '{"lines": []}', '{"staff_id": "x", "bogus": 1}', "[]"])
def test_damaged_held_cart_is_refused_and_kept(shop: Shop, payload: str) -> None:
    HeldCart.create(id="h1", staff=shop.promoter.id, label="old", payload=payload)
    with pytest.raises(ValidationError) as err:
        holds.resume("h1")
    assert str(err.value) == "That suspended sale cannot be read; it was kept."
    assert HeldCart.get_by_id("h1").payload == payload
