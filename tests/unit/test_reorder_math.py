"""Velocity classes, safety stock, reorder points and suggested orders against examples
worked out by hand (the arithmetic is in the comments), then the same rules over a real
ledger, local business days and all."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from store.kernel import utcnow
from store.models import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierItem
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import reorder
from store.stock.config import StockSection
from store.stock.velocity import (
    HOT,
    REGULAR,
    SLOW,
    Demand,
    classify,
    order_up_to,
    reorder_point,
    round_to_pack,
    safety_stock,
    suggested_order,
    z_score,
)
from tests.conftest import TILL, Shop
from tests.store_helpers import pay, scan


def test_z_scores_are_the_normal_quantiles() -> None:
    # From any normal table: 90 % -> 1.2816, 95 % -> 1.6449, 98 % -> 2.0537, 50 % -> 0.
    assert z_score(90) == pytest.approx(1.2816, abs=1e-4)
    assert z_score(95) == pytest.approx(1.6449, abs=1e-4)
    assert z_score(98) == pytest.approx(2.0537, abs=1e-4)
    assert z_score(50) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError):
        z_score(100)


def test_velocity_classes_at_their_thresholds() -> None:
    # hot from 20 units in the window, slow up to 2, regular between.
    assert classify(20, hot_min_units=20, slow_max_units=2) == HOT
    assert classify(19, hot_min_units=20, slow_max_units=2) == REGULAR
    assert classify(3, hot_min_units=20, slow_max_units=2) == REGULAR
    assert classify(2, hot_min_units=20, slow_max_units=2) == SLOW
    assert classify(0, hot_min_units=20, slow_max_units=2) == SLOW


def test_demand_mean_and_sigma_by_hand() -> None:
    # Ten days: 2 0 1 3 2 2 0 1 4 5. Sum 20, mean 2.0. Squares 4+0+1+9+4+4+0+1+16+25 = 64,
    # variance 64/10 - 2.0^2 = 2.4, sigma sqrt(2.4) = 1.5492.
    demand = Demand.from_daily([2, 0, 1, 3, 2, 2, 0, 1, 4, 5])
    assert demand.units == 20
    assert demand.mean == 2.0
    assert demand.sigma == pytest.approx(1.5492, abs=1e-4)
    assert Demand.from_sums(10, 20, 64) == demand


def test_reorder_point_and_order_by_hand() -> None:
    demand = Demand.from_daily([2, 0, 1, 3, 2, 2, 0, 1, 4, 5])  # mean 2.0, sigma 1.5492
    z = z_score(95)  # 1.6449
    # Safety stock over a 4-day lead time: 1.6449 x 1.5492 x sqrt(4) = 5.0965.
    assert safety_stock(z, demand.sigma, 4) == pytest.approx(5.0965, abs=1e-3)
    # Reorder point: 2.0 x 4 days + 5.0965 = 13.0965 -> 14 whole units.
    assert reorder_point(demand, 4, z) == 14
    # Order up to: 2.0 x (4 + 14 cover days) + 5.0965 = 41.0965 -> 42.
    assert order_up_to(demand, 4, 14, z) == 42
    # 10 on hand + 2 on order = 12 <= 14: order 42 - 12 = 30, in packs of 4 -> 8 packs = 32.
    assert suggested_order(on_hand=10, on_order=2, reorder_at=14, up_to=42, pack_size=4) == 32
    # 13 on hand + 2 on order = 15 > 14: nothing yet.
    assert suggested_order(on_hand=13, on_order=2, reorder_at=14, up_to=42, pack_size=4) == 0


def test_steady_demand_needs_no_safety_stock() -> None:
    # 3 a day every day: sigma 0, so safety stock 0 at any service level.
    demand = Demand.from_daily([3] * 7)
    z = z_score(98)
    assert demand.sigma == 0.0
    # Lead time 5: reorder point 3 x 5 = 15; up to 3 x (5 + 10) = 45.
    assert reorder_point(demand, 5, z) == 15
    assert order_up_to(demand, 5, 10, z) == 45
    # Exactly at the reorder point orders (15 <= 15): 45 - 15 = 30; one over does not.
    assert suggested_order(on_hand=15, on_order=0, reorder_at=15, up_to=45, pack_size=1) == 30
    assert suggested_order(on_hand=16, on_order=0, reorder_at=15, up_to=45, pack_size=1) == 0


def test_rounding_up_ignores_float_noise() -> None:
    # 9 units in 7 days (1 1 1 1 1 2 2): mean 9/7. Over a 21-day lead time that is 27 units, but
    # 9/7 x 21 in floating point is 27.000000000000004, which must stay 27, not become 28.
    # At a 50 % service level z = 0, so there is no safety stock to add.
    demand = Demand.from_daily([1, 1, 1, 1, 1, 2, 2])
    assert demand.mean * 21 != 27  # the noise is really there
    assert reorder_point(demand, 21, z_score(50)) == 27


def test_packs_and_products_without_demand() -> None:
    assert round_to_pack(7, 5) == 10  # two packs of 5
    assert round_to_pack(10, 5) == 10
    assert round_to_pack(1, 12) == 12
    assert round_to_pack(0, 5) == 0
    assert round_to_pack(-3, 5) == 0
    assert round_to_pack(7, 0) == 7  # no pack size: single units
    # No demand -> reorder point 0 -> never ordered, even with nothing on the shelf.
    assert suggested_order(on_hand=0, on_order=0, reorder_at=0, up_to=0, pack_size=1) == 0


def ring_cases(shop: Shop, qty: int, at: datetime) -> None:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    cart.add_scan(scan(shop.case.sku), qty)
    pay(cart)
    checkout.commit_sale(cart, TILL, now=at)


def test_plans_from_the_ledger_by_hand(shop: Shop) -> None:
    """Seven business days (Asia/Shanghai, UTC+8) before 10 March, the case sold
    2 0 4 0 2 0 6 a day = 14 units."""
    settings = StockSection(velocity_days=7, hot_min_units=10, slow_max_units=2, cover_days=7)
    supplier = Supplier.create(code="DB1", name="华南地包", channel="distributor", lead_time_days=3)
    SupplierItem.create(product=shop.case.id, supplier=supplier.id, pack_size=10)
    now = datetime(2026, 3, 10, 4, 0)  # 12:00 in Shanghai on 10 March
    # 3 March: 2 (one at 00:30 local, which is still 2 March in UTC).
    ring_cases(shop, 1, datetime(2026, 3, 2, 16, 30))
    ring_cases(shop, 1, datetime(2026, 3, 3, 2, 0))
    ring_cases(shop, 4, datetime(2026, 3, 5, 3, 0))  # 5 March: 4
    ring_cases(shop, 2, datetime(2026, 3, 7, 3, 0))  # 7 March: 2
    ring_cases(shop, 6, datetime(2026, 3, 9, 8, 0))  # 9 March: 6
    ring_cases(shop, 1, datetime(2026, 3, 9, 17, 0))  # 10 March 01:00 local: today, not counted
    ring_cases(shop, 1, datetime(2026, 3, 2, 10, 0))  # 2 March: before the window
    # On hand: 20 received - 16 sold = 4.
    plan = reorder.plans(settings, TILL.tz, now, [shop.case.id])[0]
    assert plan.on_hand == 4
    # 14 units in the window >= 10: hot, so the 98 % service level (z = 2.0537).
    assert plan.demand.units == 14
    assert plan.velocity == HOT
    # Mean 14 / 7 = 2.0. Squares 4 + 16 + 4 + 36 = 60; variance 60/7 - 4 = 4.5714;
    # sigma 2.1381.
    assert plan.demand.mean == 2.0
    assert plan.demand.sigma == pytest.approx(2.1381, abs=1e-4)
    # Safety stock 2.0537 x 2.1381 x sqrt(3) = 7.6057. Reorder point 2.0 x 3 + 7.6057 = 13.6
    # -> 14. Up to 2.0 x (3 + 7) + 7.6057 = 27.6 -> 28. Position 4 <= 14: 28 - 4 = 24,
    # in packs of 10 -> 30.
    assert plan.lead_days == 3 and plan.pack_size == 10
    assert plan.reorder_at == 14
    assert plan.up_to == 28
    assert plan.suggested == 30
    assert plan.value == 30 * 800
    assert plan.below

    # 25 already on an open order: position 29 > 14, nothing more to order.
    order = PurchaseOrder.create(number="PO-1", supplier=supplier.id, status="open")
    PurchaseOrderLine.create(order=order.id, product=shop.case.id, qty=30, received=5, cost=800)
    plan = reorder.plans(settings, TILL.tz, now, [shop.case.id])[0]
    assert plan.on_order == 25
    assert plan.suggested == 0 and not plan.below
    # A received or cancelled order is no longer on order.
    PurchaseOrder.update(status="received").execute()
    assert reorder.plans(settings, TILL.tz, now, [shop.case.id])[0].on_order == 0


def test_the_phone_without_sales_is_slow_and_dead_after_the_dead_days(shop: Shop) -> None:
    settings = StockSection(dead_days=60)
    received = utcnow()  # the suite's clock, just after the phones came in
    soon = reorder.plans(settings, TILL.tz, received + timedelta(days=59), [shop.phone.id])[0]
    assert soon.velocity == SLOW and soon.on_hand == 5
    assert not soon.dead and soon.idle_days == 59
    late = reorder.plans(settings, TILL.tz, received + timedelta(days=61), [shop.phone.id])[0]
    assert late.dead and late.idle_days in (60, 61)
    # Money tied up: 5 phones at a cost of 5,200.00.
    assert late.tied_up == 5 * 520000
    assert [p.product_id for p in reorder.dead_stock([soon, late])] == [shop.phone.id]
    assert late.reorder_at == 0 and late.suggested == 0  # no demand, no automatic order
    assert math.isclose(late.demand.mean, 0.0)


def test_below_the_reorder_point_in_chunks_is_the_plans_below(shop: Shop) -> None:
    """The console's reorder line reads every product a chunk at a time and keeps only those
    at or under their reorder point: the same plans as the whole computation, whatever the
    chunk (one product, two, all of them)."""
    from store.stock import catalog
    from store.stock import ledger as stock

    settings = StockSection(velocity_days=7, hot_min_units=10, slow_max_units=2, cover_days=7)
    plenty = []
    for n in range(3):  # selling, but with far more on hand than the reorder point
        product = catalog.create_product(
            sku=f"CABLE-{n}", brand="Generic", model=f"Cable {n}", category="accessory", price=1900, cost=300
        )
        stock.receive(product, staff_id=shop.manager.id, qty=500)
        plenty.append(product)
    now = datetime(2026, 3, 10, 4, 0)
    for day in range(2, 9):
        ring_cases(shop, 2, datetime(2026, 3, day, 3, 0))  # the case: 14 sold, 6 left, below
        cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
        for product in plenty:
            cart.add_scan(scan(product.sku), 3)
        pay(cart)
        checkout.commit_sale(cart, TILL, now=datetime(2026, 3, day, 4, 0))
    whole = [p for p in reorder.plans(settings, TILL.tz, now) if p.below]
    assert [p.product_id for p in whole] == [shop.case.id]  # the cables and the phone are not
    for chunk in (1, 2, 1000):
        below = reorder.below_reorder_point(settings, TILL.tz, now, chunk=chunk)
        assert below == whole, chunk
