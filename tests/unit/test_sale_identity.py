"""A cart's id is its idempotency key, tied to its content: the same cart again is the same
sale; other content under that id, or the id of a voided sale, is refused (issue 10, item 18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from store.kernel.errors import ValidationError
from store.models import Sale, database
from store.selling import checkout, sale_voids
from store.selling.cart import Cart
from tests.conftest import Shop
from tests.store_helpers import manager_ok, pay, promoter_cart, scan, snapshot

DAY = datetime(2026, 11, 27, 4, 0)  # 12:00 in Shanghai


def case_cart(shop: Shop, qty: int = 2) -> Cart:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku), qty)
    pay(cart)
    return cart


def test_the_same_cart_twice_is_the_same_sale(shop: Shop) -> None:
    cart = case_cart(shop)
    first = checkout.commit_sale(cart, shop.till, now=DAY)
    assert Sale.get_by_id(first.id).fingerprint == cart.fingerprint() != ""
    before = snapshot()
    again = checkout.commit_sale(cart, shop.till, now=DAY)
    resumed = checkout.commit_sale(Cart.from_json(cart.to_json()), shop.till, now=DAY)  # same content
    assert again.receipt_no == resumed.receipt_no == first.receipt_no
    assert snapshot() == before


def test_other_content_under_a_committed_id_is_refused(shop: Shop) -> None:
    cart = case_cart(shop, qty=2)
    first = checkout.commit_sale(cart, shop.till, now=DAY)
    cart.clear_tenders()
    cart.add_scan(scan(shop.case.sku), 2)  # the cart now says 4 cases, the sale 2
    pay(cart)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(cart, shop.till, now=DAY)
    assert str(err.value) == (
        f"This sale was already saved as receipt {first.receipt_no} with other items or payments; "
        "nothing more was saved. Cancel it and ring it up again as a new sale."
    )
    assert snapshot() == before


def test_a_retry_after_a_void_is_refused_not_answered_with_the_voided_sale(shop: Shop) -> None:
    cart = case_cart(shop)
    first = checkout.commit_sale(cart, shop.till, now=DAY)
    sale_voids.void_sale(first.id, approval=manager_ok(shop), till=shop.till, now=DAY)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(cart, shop.till, now=DAY)
    assert str(err.value) == (
        f"This sale was saved as receipt {first.receipt_no} and then voided; nothing more was saved. "
        "Cancel it and ring it up again as a new sale."
    )
    assert snapshot() == before


def _more(cart: Cart) -> None:
    cart.lines[0].qty += 1


def _price(cart: Cart) -> None:
    cart.lines[0].unit_price -= 100


def _line_discount(cart: Cart) -> None:
    cart.lines[0].line_discount += 100


def _sale_discount(cart: Cart) -> None:
    cart.sale_discount += 100


def _tender(cart: Cart) -> None:
    cart.tenders[0].kind = "wechat"


def _customer(cart: Cart) -> None:
    cart.customer_id = "someone"


def _promoter(cart: Cart) -> None:
    cart.promoter_id = "someone-else"


def _line_promoter(cart: Cart) -> None:
    cart.lines[0].promoter_id = "someone-else"


CHANGES: list[Callable[[Cart], None]] = [
    _more,
    _price,
    _line_discount,
    _sale_discount,
    _tender,
    _customer,
    _promoter,
    _line_promoter,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_every_change_of_content_changes_the_fingerprint(shop: Shop, change: Callable[[Cart], None]) -> None:
    cart = case_cart(shop)
    same = Cart.from_json(cart.to_json())
    for line in same.lines:
        line.id = "another-row-id"  # row ids are not content
    assert same.fingerprint() == cart.fingerprint()
    change(same)
    assert same.fingerprint() != cart.fingerprint()


def test_a_sale_saved_before_fingerprints_is_matched_by_its_total(shop: Shop) -> None:
    cart = case_cart(shop)
    first = checkout.commit_sale(cart, shop.till, now=DAY)
    database.obj.execute_sql("UPDATE sale SET fingerprint = '' WHERE id = ?", (first.id,))
    assert checkout.commit_sale(cart, shop.till, now=DAY).receipt_no == first.receipt_no
    cart.clear_tenders()
    cart.add_scan(scan(shop.case.sku), 1)
    pay(cart)
    with pytest.raises(ValidationError, match="already saved as receipt"):
        checkout.commit_sale(cart, shop.till, now=DAY)
