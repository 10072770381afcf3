from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.kernel.errors import NeedsApproval, StockError, ValidationError
from store.kernel.money import MAX_FEN
from store.models import ImeiUnit
from store.people import staff
from store.selling import checkout
from store.selling.cart import Cart
from store.selling.cart_lines import CartLine
from tests.conftest import Shop
from tests.store_helpers import manager_ok, promoter_cart, scan

PHONE = 599900
CASE = 3900


def bare_cart(nets: list[int], limit: int = 100) -> Cart:
    """A cart of plain lines (no database needed) whose nets are ``nets``."""
    cart = Cart(staff_id="s", staff_role="manager", discount_limit_percent=limit)
    for n, net in enumerate(nets):
        cart.lines.append(CartLine(f"p{n}", f"SKU{n}", f"item {n}", False, 1, net, net, "s"))
    return cart


# ---- scanning ------------------------------------------------------------------------------
def test_serialized_product_needs_its_imei(shop: Shop) -> None:
    cart = promoter_cart(shop)
    with pytest.raises(ValidationError) as err:
        cart.add_scan(scan("0194253000011"))
    assert str(err.value) == "Apple iPhone 15 128GB Black is sold by IMEI: scan the handset's IMEI."
    assert cart.lines == []


def test_scanning_an_imei_adds_that_unit(shop: Shop) -> None:
    cart = promoter_cart(shop)
    line = cart.add_scan(scan(shop.imeis[0]), 3)  # a handset is always one unit
    assert (line.qty, line.imei, line.unit_price, line.promoter_id) == (
        1,
        shop.imeis[0],
        PHONE,
        shop.promoter.id,
    )
    assert line.imei_unit_id == ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).id
    assert cart.total == PHONE


@pytest.mark.parametrize("status", ["sold", "reserved"])
def test_imei_not_in_stock_refused(shop: Shop, status: str) -> None:
    ImeiUnit.update(status=status).where(ImeiUnit.imei == shop.imeis[1]).execute()
    cart = promoter_cart(shop)
    with pytest.raises(StockError) as err:
        cart.add_scan(scan(shop.imeis[1]))
    assert str(err.value) == f"IMEI {shop.imeis[1]} is not in stock (status: {status})."
    assert cart.lines == []


def test_returned_imei_can_be_sold(shop: Shop) -> None:
    ImeiUnit.update(status="returned").where(ImeiUnit.imei == shop.imeis[1]).execute()
    cart = promoter_cart(shop)
    assert cart.add_scan(scan(shop.imeis[1])).imei == shop.imeis[1]


def test_same_imei_twice_refused(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    with pytest.raises(ValidationError) as err:
        cart.add_scan(scan(f"{shop.imeis[0][:6]} {shop.imeis[0][6:]}"))
    assert str(err.value) == f"IMEI {shop.imeis[0]} is already on this sale."
    assert len(cart.lines) == 1


def test_repeated_accessory_scans_merge(shop: Shop) -> None:
    cart = promoter_cart(shop)
    first = cart.add_scan(scan("6900000000011"))
    again = cart.add_scan(scan("CASE-IP15"), 4)
    assert again is first and len(cart.lines) == 1 and first.qty == 5
    assert cart.total == 5 * CASE


def test_oversell_refused(shop: Shop) -> None:
    cart = promoter_cart(shop)
    with pytest.raises(StockError) as err:
        cart.add_scan(scan("CASE-IP15"), 21)
    assert str(err.value) == "Only 20 of Generic iPhone 15 Case in stock."
    assert cart.lines == []
    cart.add_scan(scan("CASE-IP15"), 15)
    with pytest.raises(StockError):
        cart.add_scan(scan("CASE-IP15"), 6)  # 15 + 6 > 20, counted across scans
    assert cart.lines[0].qty == 15
    cart.add_scan(scan("CASE-IP15"), 5)
    assert cart.lines[0].qty == 20


@pytest.mark.parametrize("qty", [0, -1, 10_000, 1.5])
def test_bad_scan_quantity(shop: Shop, qty: object) -> None:
    cart = promoter_cart(shop)
    with pytest.raises(ValidationError):
        cart.add_scan(scan("CASE-IP15"), qty)  # type: ignore[arg-type]
    assert cart.lines == []


def test_set_qty(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 2)
    cart.set_qty(1, 20)
    assert cart.lines[1].qty == 20
    with pytest.raises(StockError):
        cart.set_qty(1, 21)
    assert cart.lines[1].qty == 20
    with pytest.raises(ValidationError) as err:
        cart.set_qty(0, 2)
    assert str(err.value) == "This line's quantity cannot be changed."
    with pytest.raises(ValidationError) as err:
        cart.set_qty(5, 1)
    assert str(err.value) == "No such line."


def test_remove_line(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"))
    removed = cart.remove_line(0)
    assert removed.imei == shop.imeis[0]
    assert [ln.sku for ln in cart.lines] == ["CASE-IP15"]
    cart.add_scan(scan(shop.imeis[0]))  # can be scanned again once removed
    assert cart.total == PHONE + CASE


# ---- discounts -----------------------------------------------------------------------------
def test_line_discount_within_the_promoter_limit(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.set_line_discount(0, 29995)  # exactly 5 % of 5,999.00
    assert cart.lines[0].line_discount == 29995 and cart.lines[0].approved_by == ""
    assert cart.total == PHONE - 29995


def test_line_discount_beyond_the_limit_needs_a_manager(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    with pytest.raises(NeedsApproval) as err:
        cart.set_line_discount(0, 29996)
    assert str(err.value) == "A discount of ¥299.96 is over your limit of 5%: manager PIN needed."
    assert cart.lines[0].line_discount == 0
    cart.set_line_discount(0, 50000, staff.approve("M1", "1234"))
    assert cart.lines[0].line_discount == 50000
    assert cart.lines[0].approved_by == shop.manager.id
    assert cart.total == PHONE - 50000
    cart.set_line_discount(0, 100)  # back within the limit: no stale approval left
    assert cart.lines[0].approved_by == ""


@pytest.mark.parametrize("fen", [-1, PHONE + 1])
def test_line_discount_out_of_range(shop: Shop, fen: int) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    with pytest.raises(ValidationError) as err:
        cart.set_line_discount(0, fen, manager_ok(shop))
    assert str(err.value) == "A discount is between 0 and the line's amount."


def test_discounted_line_is_not_merged_into(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"), 2)
    cart.set_line_discount(0, 300)
    cart.add_scan(scan("CASE-IP15"))
    assert [(ln.qty, ln.line_discount) for ln in cart.lines] == [(2, 300), (1, 0)]


def test_lowering_qty_cannot_dodge_the_limit(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"), 10)
    cart.set_line_discount(0, 1950)  # 5 % of 10 cases
    cart.set_qty(0, 1)  # 1,950 off one 39.00 case would be 50 %
    assert cart.lines[0].line_discount == 0
    cart.set_qty(0, 10)
    cart.set_line_discount(0, 1950)
    cart.set_qty(0, 12)  # more units: the same discount is a smaller share, kept
    assert cart.lines[0].line_discount == 1950


def test_sale_discount(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 2)
    base = PHONE + 2 * CASE
    cart.set_sale_discount(base * 5 // 100)
    assert cart.total == base - base * 5 // 100
    with pytest.raises(NeedsApproval):
        cart.set_sale_discount(base * 5 // 100 + 1)
    cart.set_sale_discount(60000, manager_ok(shop))
    assert cart.sale_discount_approved_by == shop.manager.id
    assert sum(cart.allocations()) == 60000
    with pytest.raises(ValidationError) as err:
        cart.set_sale_discount(base + 1, manager_ok(shop))
    assert str(err.value) == "A discount is between 0 and the sale's amount."


def test_removing_lines_cannot_make_the_total_negative(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"))
    cart.set_sale_discount(29000)  # within 5 % of the phone and the case
    cart.remove_line(0)  # 290.00 off a 39.00 case would pay the customer to leave
    assert cart.sale_discount == 0
    assert cart.total == CASE
    assert all(share >= 0 for share in cart.allocations())


def test_approved_sale_discount_survives_adding_but_not_removing(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.imeis[1]))
    cart.set_sale_discount(100000, manager_ok(shop))
    cart.add_scan(scan("CASE-IP15"))
    assert cart.sale_discount == 100000
    cart.remove_line(1)
    assert cart.sale_discount == 0 and cart.sale_discount_approved_by == ""


@pytest.mark.parametrize(
    ("nets", "discount", "shares"),
    [
        ([100, 100, 100], 100, [34, 33, 33]),
        ([1, 1, 1], 2, [1, 1, 0]),
        ([599900, 3900], 30190, [29995, 195]),
        ([599900, 3900], 30191, [29996, 195]),
        ([500, 0, 500], 1000, [500, 0, 500]),
        ([700], 700, [700]),
    ],
)
def test_allocation_examples(nets: list[int], discount: int, shares: list[int]) -> None:
    cart = bare_cart(nets)
    cart.sale_discount = discount
    assert cart.allocations() == shares


@settings(max_examples=300, deadline=None)
@given(
    nets=st.lists(st.integers(0, 2_000_000), min_size=1, max_size=12).filter(lambda xs: sum(xs) > 0),
    fraction=st.fractions(0, 1),
)
def test_allocation_property(nets: list[int], fraction: object) -> None:
    cart = bare_cart(nets)
    cart.sale_discount = int(sum(nets) * fraction)  # type: ignore[operator]
    shares = cart.allocations()
    assert sum(shares) == cart.sale_discount
    for share, net in zip(shares, nets, strict=True):
        assert 0 <= share <= net
        exact = cart.sale_discount * net / sum(nets)
        assert abs(share - exact) < 1  # never more than a fen from its fair share


def test_allocation_skips_return_lines(shop: Shop) -> None:
    cart = bare_cart([1000, 3000])
    cart.lines.append(CartLine("p9", "R", "returned", False, -1, 500, 500, "s", original_line_id="x"))
    cart.sale_discount = 400
    assert cart.allocations() == [100, 300, 0]


def test_price_override_needs_approval_and_reason(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    with pytest.raises(NeedsApproval) as asked:
        cart.override_price(0, 549900, "match JD.com", None)
    assert str(asked.value) == "Changing a price needs a manager's PIN."
    with pytest.raises(ValidationError) as err:
        cart.override_price(0, 549900, "   ", manager_ok(shop))
    assert str(err.value) == "Give a reason for the price change."
    with pytest.raises(ValidationError):
        cart.override_price(0, -1, "oops", manager_ok(shop))
    assert cart.lines[0].unit_price == PHONE
    cart.override_price(0, 549900, "  match JD.com ", manager_ok(shop))
    line = cart.lines[0]
    assert (line.unit_price, line.list_price, line.override_reason, line.approved_by) == (
        549900,
        PHONE,
        "match JD.com",
        shop.manager.id,
    )
    assert cart.total == 549900


def test_overridden_line_is_not_merged_into(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    cart.override_price(0, 100, "display model", manager_ok(shop))
    cart.add_scan(scan("CASE-IP15"))  # the next case is not a display model
    assert [(ln.qty, ln.unit_price) for ln in cart.lines] == [(1, 100), (1, CASE)]


def test_set_promoter(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"))
    cart.set_promoter(shop.manager.id, 1)
    assert [ln.promoter_id for ln in cart.lines] == [shop.promoter.id, shop.manager.id]
    cart.set_promoter(shop.manager.id)
    assert {ln.promoter_id for ln in cart.lines} == {shop.manager.id}
    assert cart.add_scan(scan(shop.imeis[1])).promoter_id == shop.manager.id


# ---- tenders -------------------------------------------------------------------------------
def test_non_cash_over_due_refused(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError) as err:
        cart.add_tender("wechat", CASE + 1)
    assert str(err.value) == "Only cash can be more than what is due (¥39.00)."
    assert cart.tenders == []


def test_cash_over_due_gives_change(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    tender = cart.add_tender("cash", 10000)
    assert (tender.amount, tender.tendered, tender.change) == (CASE, 10000, 10000 - CASE)
    assert cart.due == 0 and cart.paid == CASE and cart.change == 6100 and cart.is_settled
    with pytest.raises(ValidationError) as err:
        cart.add_tender("cash", 100)
    assert str(err.value) == "Nothing is left to pay."


def test_split_tender(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_tender("alipay", 400000, reference="2026112722001412345678901234")
    assert cart.due == PHONE - 400000 and not cart.is_settled
    cart.add_tender("card", PHONE - 400000)
    assert cart.is_settled and cart.change == 0
    assert [t.reference for t in cart.tenders] == ["2026112722001412345678901234", ""]


@pytest.mark.parametrize("amount", [0, -100])
def test_zero_or_negative_tender_refused(shop: Shop, amount: int) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError) as err:
        cart.add_tender("cash", amount)
    assert str(err.value) == "An amount must be more than zero."


def test_tender_kind_and_empty_cart(shop: Shop) -> None:
    cart = promoter_cart(shop)
    with pytest.raises(ValidationError) as err:
        cart.add_tender("cash", 100)
    assert str(err.value) == "The sale is empty."
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError) as err:
        cart.add_tender("bitcoin", 100)
    assert str(err.value) == "Unknown payment method: bitcoin"


def test_lines_are_frozen_once_payment_started(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"), 2)
    cart.add_tender("cash", 1000)
    message = "Payment has started: clear the payments to change the sale."
    actions: list[Callable[[], object]] = [
        lambda: cart.add_scan(scan("CASE-IP15")),
        lambda: cart.set_qty(0, 1),
        lambda: cart.remove_line(0),
        lambda: cart.set_line_discount(0, 10),
        lambda: cart.set_sale_discount(10),
        lambda: cart.override_price(0, 100, "x", manager_ok(shop)),
        lambda: cart.set_promoter(shop.manager.id),
    ]
    for action in actions:
        with pytest.raises(ValidationError) as err:
            action()
        assert str(err.value) == message
    assert cart.lines[0].qty == 2 and cart.total == 2 * CASE
    cart.clear_tenders()
    cart.set_qty(0, 1)
    assert cart.due == CASE


def test_json_round_trip(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 3)
    cart.set_line_discount(1, 500)
    cart.override_price(0, 580000, "老客户 loyal", manager_ok(shop))
    cart.set_sale_discount(1000)
    cart.customer_label = "张三 138****8000"
    cart.add_tender("wechat", 100000, "4200001234202612070000000001")
    again = Cart.from_json(cart.to_json())
    assert again == cart
    assert again.lines[0] == cart.lines[0] and again.lines[0].id == cart.lines[0].id
    assert again.total == cart.total and again.due == cart.due
    assert "老客户" in cart.to_json()  # readable, not \\u-escaped


# ---- money from code is int fen ----------------------------------------------------------
NOT_FEN = [0.5, 100.0, float("nan"), float("inf"), True, False, "100", Decimal("1")]


@pytest.mark.parametrize("fen", NOT_FEN, ids=repr)
def test_a_line_discount_that_is_not_int_fen_is_refused(shop: Shop, fen: object) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError) as err:
        cart.set_line_discount(0, fen, manager_ok(shop))  # type: ignore[arg-type]
    assert str(err.value) == "An amount of money is a whole number of fen."
    assert cart.lines[0].line_discount == 0
    assert cart.subtotal - cart.discount_total == cart.total == CASE


@pytest.mark.parametrize("fen", NOT_FEN, ids=repr)
def test_a_sale_discount_price_or_tender_that_is_not_int_fen_is_refused(shop: Shop, fen: object) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    for action in (
        lambda: cart.set_sale_discount(fen, manager_ok(shop)),  # type: ignore[arg-type]
        lambda: cart.override_price(0, fen, "match", manager_ok(shop)),  # type: ignore[arg-type]
        lambda: cart.add_tender("cash", fen),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as err:
            action()
        assert str(err.value) == "An amount of money is a whole number of fen."
    assert (cart.sale_discount, cart.lines[0].unit_price, cart.tenders) == (0, CASE, [])


def test_a_float_discount_never_reaches_a_committed_sale(shop: Shop) -> None:
    """The issue's case: set_line_discount(0, 0.5) used to commit a sale whose subtotal less
    its discount was not its total."""
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError):
        cart.set_line_discount(0, 0.5)  # type: ignore[arg-type]
    cart.add_tender("cash", CASE)
    sale = checkout.commit_sale(cart, shop.till, now=datetime(2026, 11, 27, 2, 0))
    assert (sale.subtotal, sale.discount, sale.total) == (CASE, 0, CASE)
    assert all(type(v) is int for v in (sale.subtotal, sale.discount, sale.total))


@pytest.mark.parametrize("amount", [MAX_FEN + 1, 10**30])
def test_an_amount_past_the_sane_bound_is_refused(shop: Shop, amount: int) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError) as err:
        cart.add_tender("cash", amount)
    assert str(err.value) == "Amount is too large"
    with pytest.raises(ValidationError):
        cart.override_price(0, amount, "typo", manager_ok(shop))
    assert cart.tenders == [] and cart.lines[0].unit_price == CASE


@pytest.mark.parametrize("qty", [1.0, float("nan"), True, "2"], ids=repr)
def test_a_quantity_that_is_not_an_int_is_refused(shop: Shop, qty: object) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    with pytest.raises(ValidationError):
        cart.set_qty(0, qty)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        cart.add_scan(scan("CASE-IP15"), qty)  # type: ignore[arg-type]
    assert cart.lines[0].qty == 1
