"""Small helpers shared by the store-core tests (the Shop fixture lives in conftest)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from store import setup
from store.db.connection import open_database
from store.kernel.auth import Actor, Approval, _approval, actor_for_login
from store.kernel.clock import business_date
from store.models import MODELS, Product, Sale, Staff, Supplier, SupplierItem
from store.models.base import utcnow
from store.people import staff
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import catalog
from store.stock import ledger as stock
from store.stock.catalog import ScanResult
from tests.conftest import TILL, Shop, shop_catalog


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that a refused action wrote nothing at all."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for model in MODELS:
        rows: list[tuple[Any, ...]] = list(model.select().tuples())  # type: ignore[arg-type]
        tables[model._meta.table_name] = sorted(tuple(str(v) for v in row) for row in rows)
    return tables


def cheap_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    """New PINs hashed with scrypt at n=2**8 so that a Shop costs milliseconds; check_pin reads
    the cost from the stored hash. The real cost (n=2**14) is asserted in test_staff. Every test
    gets this from the autouse fixture in conftest; call it for a wider scope (a module's
    fixture)."""
    real = staff.hash_pin

    def cheap(pin: str, **_: int) -> str:
        return real(pin, n=2**8, r=8, p=1)

    cheap.cheap = True  # type: ignore[attr-defined]
    monkeypatch.setattr(staff, "hash_pin", cheap)


def counts() -> dict[str, int]:
    return {model._meta.table_name: model.select().count() for model in MODELS}


def property_examples(default: int) -> int:
    """How many examples a property test runs: ``default`` is sized for the suite's time budget;
    ZHANGGUI_PROPERTY_EXAMPLES=400 hunts deeper."""
    return int(os.environ.get("ZHANGGUI_PROPERTY_EXAMPLES", str(default)))


def scan(code: str) -> ScanResult:
    result = catalog.lookup_code(code)
    assert result is not None, code
    return result


def promoter_cart(shop: Shop) -> Cart:
    return Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)


def forge_approval(manager_id: str, manager_name: str, for_staff_id: str = "") -> Approval:
    """An Approval as store.kernel.auth makes it, without paying for a scrypt check per test."""
    return _approval(manager_id, manager_name, for_staff_id)


def manager_ok(shop: Shop) -> Approval:
    """An approval without paying for a scrypt check (staff.approve is tested on its own)."""
    return forge_approval(shop.manager.id, shop.manager.name)


def pay(cart: Cart, kind: str = "cash") -> None:
    due = cart.due
    if due:
        cart.add_tender(kind, abs(due))


def sell(shop: Shop, *codes: str, case_qty: int = 0) -> Sale:
    """Ring up the given codes (and ``case_qty`` cases), pay in cash and commit."""
    cart = promoter_cart(shop)
    for code in codes:
        cart.add_scan(scan(code))
    if case_qty:
        cart.add_scan(scan(shop.case.sku), case_qty)
    pay(cart)
    return checkout.commit_sale(cart, shop.till)


def confirm_clock(now: datetime, tz: ZoneInfo) -> None:
    """A test that jumps days ahead without events in between looks to the store like a clock
    set ahead (store.kernel.clock_guard): the manager M1 confirms the date, as at the till."""
    from store.kernel import clock_guard
    from store.models import Staff

    manager = Staff.get(Staff.code == "M1")
    day = business_date(now, tz)
    clock_guard.confirm_date(day, now, tz, approval=forge_approval(manager.id, manager.name))


def forge_actor(member: Staff) -> Actor:
    """The Actor a login makes for ``member``, without paying for a scrypt check per test."""
    return actor_for_login(member)


def manager_actor(shop: Shop) -> Actor:
    """The shop's manager logged in: a manager's own role is the authority for their edits."""
    return forge_actor(shop.manager)


def close_uncounted(shop: Shop, days: list[date]) -> None:
    """Close each of ``days`` at the test till as the manager, the drawer not counted (a power
    cut: the reason the close then asks for)."""
    from store.dayclose import close

    for day in days:
        close.close_day(
            TILL.terminal_id,
            day,
            TILL.tz,
            counted=None,
            reason="停电",
            tolerance=500,
            actor=manager_actor(shop),
        )


def shop_in_file(db_path: Path) -> Shop:
    """The Shop in a store file of its own, closed again for a command to open."""
    database = open_database(db_path)
    shop = Shop()
    database.close()
    return shop


def second_store(path: Path) -> Staff:
    """S002, another store of the chain: the Shop's two products and no stock, in a file of its
    own (closed again), for transfers from the Shop. Its manager (M1/1234) comes back."""
    database = open_database(path)
    manager = setup.initialise_store(
        store_code="S002", store_name="二店", manager_code="M1", manager_name="赵店长", pin="1234"
    )
    shop_catalog()
    database.close()
    return manager


def second_accessory(shop: Shop) -> Product:
    """A 20W charger, ten in stock: a sale with two different accessories (the Shop has one)."""
    charger = catalog.create_product(
        sku="CHG-20W",
        brand="Generic",
        model="20W Charger",
        category="accessory",
        price=9900,
        cost=2000,
        barcode="6900000000028",
    )
    stock.receive(charger, staff_id=shop.manager.id, qty=10)
    return charger


def reorder_history(shop: Shop, extra_cases: int = 0) -> None:
    """The case's supplier (3 days, packs of 10) and 3 cases a day on 5 of the last 30 days:
    reorder point 5 (worked out by hand in tests/cli/test_cli_reorder.py). 5 cases are left, plus
    ``extra_cases`` received."""
    supplier = Supplier.create(code="HN01", name="华南地包", channel="distributor", lead_time_days=3)
    SupplierItem.create(product=shop.case.id, supplier=supplier.id, pack_size=10)
    now = utcnow()
    for days_ago in (2, 5, 9, 14, 20):
        cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
        cart.add_scan(scan(shop.case.sku), 3)
        pay(cart)
        checkout.acknowledge(checkout.commit_sale(cart, TILL, now=now - timedelta(days=days_ago)).id)
    if extra_cases:
        stock.receive(shop.case, staff_id=shop.manager.id, qty=extra_cases)


def with_text_ids(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """RFM's rows hold each customer's id as stored (value._aggregate): as text, to compare."""
    from store.kernel.ids import from_db

    return [(from_db(row[0]), *row[1:]) for row in rows]
