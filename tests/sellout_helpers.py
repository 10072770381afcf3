"""Stores that sell, take back and receive handsets over two closed and exported days, for the
brand sell-out feed's tests (head office's and the store's own). Built like tests.hq_helpers'
chain: the Shop's template copied per store, on a clock of its own, the suite's put back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from store.kernel import clock as clock_module
from store.kernel import set_process_clock
from store.kernel.i18n import current_language, set_language
from store.models import Sale, SaleLine
from store.selling import checkout
from store.stock import ledger
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit
from tests.conftest import IMEIS, Shop, Templates
from tests.hq_helpers import FIRST_DAY, StoreDays, close_days, export_days, store_copy
from tests.store_helpers import manager_ok, pay, promoter_cart, sell

DAY1, DAY2 = FIRST_DAY, FIRST_DAY + timedelta(days=1)
NEW_IMEIS = [with_check_digit(f"3532811199{n:04d}") for n in range(1, 3)]


@dataclass
class HandsetStore:
    days: StoreDays
    db: Path  # the store's database after its last day, for the store's own feed
    config: Path  # its XDG config folder (the audit anchors the database is checked against)
    receipts: dict[str, str] = field(default_factory=dict)  # IMEI -> receipt number of its sale


Plan = Callable[[Shop, int, HandsetStore], None]  # what a store does on its day number n


def give_back(shop: Shop, sale_no: str, imei: str) -> Sale:
    """The handset ``imei`` of receipt ``sale_no`` returned, refunded in cash."""
    sale = Sale.get(Sale.receipt_no == sale_no)
    line = next(line for line in SaleLine.select().where(SaleLine.sale == sale.id) if line.imei_unit_id)
    cart = promoter_cart(shop)
    cart.add_return_line(line, 1, 0)
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason("defective")
    pay(cart)
    return checkout.commit_sale(cart, shop.till)


def s001(shop: Shop, n: int, store: HandsetStore) -> None:
    """Day 1: two phones sold (one with a case). Day 2: two new phones received, a third sold,
    the first taken back."""
    if n == 0:
        store.receipts[IMEIS[0]] = sell(shop, IMEIS[0]).receipt_no
        store.receipts[IMEIS[1]] = sell(shop, IMEIS[1], case_qty=1).receipt_no
        return
    ledger.receive(shop.phone, staff_id=shop.manager.id, units=[ReceivedUnit(i) for i in NEW_IMEIS])
    store.receipts[IMEIS[2]] = sell(shop, IMEIS[2]).receipt_no
    give_back(shop, store.receipts[IMEIS[0]], IMEIS[0])


def s002(shop: Shop, n: int, store: HandsetStore) -> None:
    """Day 1: one phone sold. Day 2: only a case."""
    if n == 0:
        store.receipts[IMEIS[3]] = sell(shop, IMEIS[3]).receipt_no
    else:
        sell(shop, case_qty=1)


def _store(root: Path, templates: Templates, code: str, plan: Plan, days: int) -> HandsetStore:
    with store_copy(root, templates, code) as opened:
        store = HandsetStore(StoreDays(code, opened.key, [], {}, FIRST_DAY), opened.path, opened.config)
        store.days.z_net.update(close_days(opened, days, lambda n: plan(opened.shop, n, store)))
        store.days.files.extend(export_days(root, opened, code))
    return store


def build_handset_chain(root: Path, templates: Templates) -> dict[str, HandsetStore]:
    """S001 and S002 with two closed and exported days each; S003 with a key and no day."""
    outer_clock, outer_language = clock_module._process_clock, current_language()
    set_language("en")
    try:
        return {
            "S001": _store(root, templates, "S001", s001, 2),
            "S002": _store(root, templates, "S002", s002, 2),
            "S003": _store(root, templates, "S003", s002, 0),
        }
    finally:
        set_process_clock(outer_clock)
        set_language(outer_language)
