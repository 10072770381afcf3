"""Two terminals sell from the same shelf and the same handsets at the same moment: the
database lock never reaches the cashier, nothing is sold twice, stock never goes negative."""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
import traceback
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from store import setup
from store.db.connection import open_database
from store.kernel.errors import ZhangguiError
from store.models import ImeiUnit, Product, Sale, SaleLine
from store.selling import checkout
from store.selling.cart import Cart
from store.selling.till import Till
from store.stock import catalog
from store.stock import ledger as stock
from store.stock.imei import with_check_digit

ACCESSORIES = 10
HANDSETS = 6
ATTEMPTS = 30


def _worker(terminal: str, db_path: str, result_path: str, barrier: threading.Barrier, seed: int) -> None:
    """One terminal: build a cart, wait for the other terminal, commit at the same moment."""
    till = Till(store_code="S001", terminal_id=terminal, tz=ZoneInfo("Asia/Shanghai"))
    result: dict[str, Any] = {"sold": [], "failed": [], "crashed": ""}
    try:
        open_database(Path(db_path))
        rng = random.Random(seed)
        manager_id = setup.get_meta("manager_id")
        for attempt in range(ATTEMPTS):
            cart = Cart(staff_id=manager_id, staff_role="cashier", discount_limit_percent=5)
            stage = "cart"
            try:
                if attempt == 0 or rng.random() < 0.5:
                    # Both terminals reach for the same handset: the first in the drawer.
                    unit = (
                        ImeiUnit.select().where(ImeiUnit.status == "in_stock").order_by(ImeiUnit.imei).first()
                    )
                    if unit is not None:
                        found = catalog.lookup_code(unit.imei)
                        assert found is not None
                        cart.add_scan(found)
                if not cart.lines or rng.random() < 0.3:
                    found = catalog.lookup_code("CASE")
                    assert found is not None
                    cart.add_scan(found, rng.randint(1, 3))
                cart.add_tender("wechat", cart.due)
            except ZhangguiError as exc:
                result["failed"].append([stage, type(exc).__name__, str(exc)])
            barrier.wait(timeout=30)  # both terminals press "pay" together
            if not cart.tenders:
                continue
            stage = "commit"
            try:
                sale = checkout.commit_sale(cart, till)
            except ZhangguiError as exc:
                result["failed"].append([stage, type(exc).__name__, str(exc)])
                continue
            except Exception as exc:  # a lock error or anything else must never get here
                result["failed"].append([stage, f"{type(exc).__module__}.{type(exc).__name__}", str(exc)])
                continue
            result["sold"].append(
                {
                    "id": sale.id,
                    "case": sum(ln.qty for ln in cart.lines if not ln.serialized),
                    "units": [ln.imei_unit_id for ln in cart.lines if ln.imei_unit_id],
                }
            )
    except BaseException:
        result["crashed"] = traceback.format_exc()
        barrier.abort()
    Path(result_path).write_text(json.dumps(result))


@pytest.mark.slow
def test_two_terminals_selling_the_same_stock(tmp_path: Path) -> None:
    db_path = tmp_path / "store.db"
    db = open_database(db_path)
    manager = setup.initialise_store(
        store_code="S001", store_name="Race", manager_code="M1", manager_name="Boss", pin="1234"
    )
    setup.set_meta("manager_id", manager.id)
    case = catalog.create_product(sku="CASE", brand="G", model="Case", category="accessory", price=3900)
    phone = catalog.create_product(
        sku="PHONE", brand="Apple", model="iPhone", category="handset", price=599900
    )
    stock.receive(case, staff_id=manager.id, qty=ACCESSORIES)
    imeis = [with_check_digit(f"86{n:012d}") for n in range(HANDSETS)]
    stock.receive(phone, staff_id=manager.id, units=[stock.ReceivedUnit(i) for i in imeis])
    db.close()

    ctx = multiprocessing.get_context("spawn")  # each terminal is its own fresh interpreter
    barrier = ctx.Barrier(2)
    results = [tmp_path / f"T{n}.json" for n in (1, 2)]
    workers = [
        ctx.Process(target=_worker, args=(f"T{n}", str(db_path), str(path), barrier, n))
        for n, path in zip((1, 2), results, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    outcomes = [json.loads(path.read_text()) for path in results]
    for outcome in outcomes:
        assert outcome["crashed"] == ""
        # Only "not enough stock / already sold" reaches the cashier: never a lock error,
        # never "the database is busy".
        assert {kind for _, kind, _ in outcome["failed"]} <= {"StockError"}, outcome["failed"]
    # Both rang up the same handset before either paid: exactly one of them got it, the other
    # was told at commit that it was sold meanwhile.
    assert any(stage == "commit" for outcome in outcomes for stage, _, _ in outcome["failed"])

    sold = [s for outcome in outcomes for s in outcome["sold"]]
    db = open_database(db_path)
    try:
        assert {s.id for s in Sale.select()} == {s["id"] for s in sold}
        cases_sold = sum(s["case"] for s in sold)
        assert 0 <= stock.on_hand(case.id) == ACCESSORIES - cases_sold
        assert cases_sold == sum(ln.qty for ln in SaleLine.select().where(SaleLine.product == case.id))
        units_sold = [u for s in sold for u in s["units"]]
        assert len(units_sold) == len(set(units_sold))  # no handset sold twice
        assert set(units_sold) == {u.id for u in ImeiUnit.select().where(ImeiUnit.status == "sold")}
        assert 0 <= stock.on_hand(phone.id) == HANDSETS - len(units_sold)
        # The terminals really did compete: between them they emptied most of the shelf.
        assert cases_sold >= ACCESSORIES - 1 and len(units_sold) == HANDSETS
        assert Product.select().count() == 2
    finally:
        db.close()
