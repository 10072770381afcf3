"""Model-based property test of stock counts: random receipts, sales, returns, shrinkage,
stray handsets, and counts with sales during them, against a fresh database per example.

The model keeps what is really on the shelf. Shrinkage (a case stolen, a phone lost, a phone
marked sold but left behind, a handset the books never heard of) happens only while no
count is running, as in a shop it is only found by the next count. After every step the book
is the sum of its movements and agrees with the IMEI units; each counted product's variance
is what was on the shelf minus what the book said at that moment, however many sales came
between; and once a count is approved the book is exactly what is on the shelf."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from store import setup
from store.db.connection import open_memory_database
from store.models import ImeiUnit, Product, SaleLine, StockMovement
from store.models.base import utcnow
from store.selling import checkout, sale_lookup
from store.selling.cart import Cart
from store.stock import catalog, count_approval, count_entry, count_sessions
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from tests.conftest import TILL
from tests.store_helpers import forge_approval, property_examples, scan

MAX_EXAMPLES = property_examples(15)
TAC = "35328111"


class CountMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = open_memory_database()
        self.clock = utcnow()
        self.manager = setup.initialise_store(
            store_code="S001", store_name="Prop", manager_code="M1", manager_name="Boss", pin="1234"
        )
        self.approval = forge_approval(self.manager.id, "Boss")
        self.accessories: list[Product] = [
            catalog.create_product(
                sku="CASE", brand="G", model="Case", category="accessory", price=3900, cost=800
            ),
            catalog.create_product(
                sku="CABLE", brand="G", model="Cable", category="accessory", price=1257, cost=300
            ),
        ]
        self.phone = catalog.create_product(
            sku="IP15", brand="Apple", model="iPhone 15", category="handset", price=599900, cost=520000
        )
        self.shelf: dict[str, int] = {p.id: 0 for p in self.accessories}
        self.units_here: set[str] = set()  # IMEIs of handsets physically in the shop
        self.unit_of: dict[str, str] = {}  # IMEI -> unit id, for the units the books know
        self.returnable: list[str] = []  # sale lines of one case or cable, not yet returned
        self.sold_imeis: list[str] = []  # handsets sold and gone, may come back
        self.seq = 0
        self.count_id: str | None = None
        self.counted: set[str] = set()  # accessories counted in the open count
        self.scanned: set[str] = set()  # IMEIs scanned in the open count
        self.want: dict[str, int] = {}  # accessory -> variance the count must find
        self.approved_once = False
        self.receive_case(3)
        self.receive_phone()

    def teardown(self) -> None:
        self.db.close()

    # ---- helpers -----------------------------------------------------------------------------
    def tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def next_imei(self) -> str:
        self.seq += 1
        return with_check_digit(f"{TAC}{self.seq:06d}")

    def book(self, product_id: str) -> int:
        return stock.on_hand(product_id)

    def sell(self, *codes: str, qty: int = 1) -> SaleLine:
        cart = Cart(staff_id=self.manager.id, staff_role="manager", discount_limit_percent=30)
        for code in codes:
            cart.add_scan(scan(code), qty)
        cart.add_tender("cash", cart.due)
        sale = checkout.commit_sale(cart, TILL, now=self.tick())
        return SaleLine.get(SaleLine.sale == sale.id)

    def counting(self) -> bool:
        return self.count_id is not None and count_sessions.unfinished()[0].status == "open"

    def no_count(self) -> bool:
        return self.count_id is None

    # ---- the shop ----------------------------------------------------------------------------
    @rule(which=st.integers(0, 1), n=st.integers(1, 4))
    def receive_accessory(self, which: int, n: int) -> None:
        product = self.accessories[which]
        stock.receive(product, staff_id=self.manager.id, qty=n, now=self.tick())
        self.shelf[product.id] += n

    def receive_case(self, n: int) -> None:
        self.receive_accessory(0, n)

    @rule()
    def receive_phone(self) -> None:
        number = self.next_imei()
        stock.receive(
            self.phone, staff_id=self.manager.id, units=[stock.ReceivedUnit(number)], now=self.tick()
        )
        self.units_here.add(number)
        self.unit_of[number] = ImeiUnit.get(ImeiUnit.imei == number).id

    @rule(which=st.integers(0, 1), n=st.integers(1, 3))
    def sell_accessory(self, which: int, n: int) -> None:
        product = self.accessories[which]
        if n > min(self.shelf[product.id], self.book(product.id)):
            return  # not on the shelf, or the book refuses to oversell
        if n == 1:
            self.returnable.append(self.sell(product.sku).id)
        else:
            self.sell(product.sku, qty=n)
        self.shelf[product.id] -= n

    @precondition(lambda self: self.returnable)
    @rule(data=st.data())
    def return_accessory(self, data: st.DataObject) -> None:
        line = SaleLine.get_by_id(data.draw(st.sampled_from(self.returnable)))
        self.returnable.remove(line.id)
        cart = Cart(staff_id=self.manager.id, staff_role="manager", discount_limit_percent=30)
        cart.add_return_line(line, 1, 0)
        cart.approve_return()  # a manager rings it: their own role is the authority
        cart.set_return_reason("defective")
        cart.add_tender("cash", -cart.total)
        checkout.commit_sale(cart, TILL, now=self.tick())
        self.shelf[line.product_id] += 1

    @rule(data=st.data())
    def sell_phone(self, data: st.DataObject) -> None:
        sellable = sorted(
            n
            for n in self.units_here
            if n in self.unit_of and ImeiUnit.get_by_id(self.unit_of[n]).status in stock.SELLABLE
        )
        if not sellable:
            return
        number = data.draw(st.sampled_from(sellable))
        self.sell(number)
        self.units_here.discard(number)
        self.sold_imeis.append(number)

    @precondition(lambda self: self.sold_imeis)
    @rule(data=st.data())
    def return_phone(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(self.sold_imeis))
        unit_id = self.unit_of[number]
        line = (
            SaleLine.select()
            .where((SaleLine.imei_unit == unit_id) & (SaleLine.qty > 0))
            .order_by(SaleLine.id.desc())
            .first()
        )
        cart = Cart(staff_id=self.manager.id, staff_role="manager", discount_limit_percent=30)
        cart.add_return_line(line, 1, sale_lookup.returned_qty(line.id))
        cart.approve_return()  # a manager rings it: their own role is the authority
        cart.set_return_reason("defective")
        cart.add_tender("cash", -cart.total)
        checkout.commit_sale(cart, TILL, now=self.tick())
        self.sold_imeis.remove(number)
        self.units_here.add(number)

    # ---- what only a count finds (never while one is running) --------------------------------
    @precondition(lambda self: self.no_count())
    @rule(which=st.integers(0, 1), n=st.integers(1, 2))
    def shrink_or_find_accessory(self, which: int, n: int) -> None:
        product_id = self.accessories[which].id
        if self.shelf[product_id] >= n and n == 1:
            self.shelf[product_id] -= n  # stolen
        else:
            self.shelf[product_id] += n  # a box nobody booked in

    @precondition(lambda self: self.no_count() and self.units_here)
    @rule(data=st.data())
    def lose_phone(self, data: st.DataObject) -> None:
        self.units_here.discard(data.draw(st.sampled_from(sorted(self.units_here))))

    @precondition(lambda self: self.no_count())
    @rule()
    def stray_phone(self) -> None:
        self.units_here.add(self.next_imei())  # a handset the books never heard of

    @precondition(lambda self: self.no_count())
    @rule(data=st.data())
    def sold_but_left_behind(self, data: st.DataObject) -> None:
        sellable = sorted(
            n
            for n in self.units_here
            if n in self.unit_of and ImeiUnit.get_by_id(self.unit_of[n]).status in stock.SELLABLE
        )
        if sellable:
            self.sell(data.draw(st.sampled_from(sellable)))  # rung up, but the phone stayed

    # ---- counting ----------------------------------------------------------------------------
    @precondition(lambda self: self.no_count())
    @rule()
    def start_count(self) -> None:
        self.count_id = count_sessions.start_count(
            scope_kind="all", staff_id=self.manager.id, now=self.tick()
        ).id
        self.counted, self.scanned, self.want = set(), set(), {}

    @precondition(lambda self: self.counting())
    @rule(which=st.integers(0, 1), split=st.booleans())
    def count_accessory(self, which: int, split: bool) -> None:
        product = self.accessories[which]
        if product.id in self.counted:
            return
        assert self.count_id is not None
        here = self.shelf[product.id]
        self.want[product.id] = here - self.book(product.id)
        parts = [here // 2, here - here // 2] if split else [here]
        for part in parts:
            count_entry.record_qty(self.count_id, product.id, part, staff_id=self.manager.id, now=self.tick())
        self.counted.add(product.id)

    @precondition(lambda self: self.counting())
    @rule()
    def count_phones(self) -> None:
        assert self.count_id is not None
        for number in sorted(self.units_here - self.scanned):
            count_entry.enter(
                self.count_id, number, staff_id=self.manager.id, model_id=self.phone.id, now=self.tick()
            )
            self.scanned.add(number)

    @precondition(lambda self: self.counting())
    @rule()
    def pause_and_resume(self) -> None:
        assert self.count_id is not None
        count_sessions.pause(self.count_id, staff_id=self.manager.id, now=self.tick())
        count_sessions.resume(self.count_id, staff_id=self.manager.id, now=self.tick())

    @precondition(lambda self: self.counting())
    @rule()
    def close(self) -> None:
        """The counters finish whatever they had not counted yet, then close."""
        assert self.count_id is not None
        for which in (0, 1):
            self.count_accessory(which, False)
        self.count_phones()
        count_sessions.close(self.count_id, staff_id=self.manager.id, now=self.tick())

    @precondition(
        lambda self: self.count_id is not None and count_sessions.unfinished()[0].status == "review"
    )
    @rule()
    def approve(self) -> None:
        assert self.count_id is not None
        result = count_approval.approve(self.count_id, approval=self.approval, now=self.tick())
        lines = {ln.product_id: ln for ln in result.lines}
        for product_id, variance in self.want.items():
            assert lines[product_id].variance == variance
        for product in self.accessories:
            assert self.book(product.id) == self.shelf[product.id]
        in_stock = {
            u.imei
            for u in ImeiUnit.select().where(
                (ImeiUnit.product == self.phone.id) & ImeiUnit.status.in_(stock.SELLABLE)
            )
        }
        assert in_stock == self.units_here
        for unit in ImeiUnit.select().where(ImeiUnit.imei.in_(sorted(self.units_here))):
            self.unit_of[unit.imei] = unit.id
        self.count_id = None
        self.approved_once = True

    # ---- always ------------------------------------------------------------------------------
    @invariant()
    def book_is_the_sum_of_movements_and_agrees_with_the_units(self) -> None:
        for product in [*self.accessories, self.phone]:
            total = sum(m.qty for m in StockMovement.select().where(StockMovement.product == product.id))
            assert stock.on_hand(product.id) == total
            assert total >= 0
        units = ImeiUnit.select().where(ImeiUnit.status.in_(stock.SELLABLE)).count()
        assert stock.on_hand(self.phone.id) == units
        for unit in ImeiUnit.select():
            moved = sum(m.qty for m in StockMovement.select().where(StockMovement.imei_unit == unit.id))
            assert moved == (1 if unit.status in stock.SELLABLE else 0), (unit.imei, unit.status, moved)


def test_counts_with_sales_during_them_keep_the_books_straight() -> None:
    run_state_machine_as_test(
        CountMachine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
