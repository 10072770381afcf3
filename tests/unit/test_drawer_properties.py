"""For any day of sales, returns, voids, paid-ins and outs, drops and handovers: the Z report's
expected cash is float + cash tenders - cash refunds - change + paid-in - paid-out - drops to
the fen (worked out here from what was done), and the shifts' X reports add up to the Z."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from store import setup
from store.dayclose import close, drawer, report
from store.dayclose.figures import Cash
from store.db.connection import open_memory_database
from store.db.ids import IdConnection
from store.kernel import FixedClock
from store.kernel.auth import actor_for_login
from store.models import Sale, SaleLine, Staff, database
from store.selling import checkout, sale_lookup, sale_voids
from store.selling.cart import Cart
from store.stock import catalog
from store.stock import ledger as stock
from tests.conftest import TILL
from tests.store_helpers import forge_approval, property_examples, scan

T, TZ = TILL.terminal_id, TILL.tz

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.integers(1, 3), st.integers(0, 5000)),
        st.tuples(st.just("return"), st.integers(0, 9), st.just(0)),
        st.tuples(st.just("void"), st.integers(0, 9), st.just(0)),
        st.tuples(st.sampled_from(["paid_in", "paid_out", "drop"]), st.integers(1, 9000), st.just(0)),
        st.tuples(st.just("handover"), st.integers(-800, 800), st.just(0)),
    ),
    max_size=12,
)


def _template() -> SqliteDatabase:
    """The store every example starts from, made once (the migrations cost a third of a
    second); each example works on a copy in memory."""
    db = open_memory_database()
    manager = setup.initialise_store(
        store_code="S001", store_name="Prop", manager_code="M1", manager_name="Boss", pin="1234"
    )
    for n in (1, 2):
        Staff.create(code=f"C{n}", name=f"Cashier {n}", role="cashier", pin_hash="")
    case = catalog.create_product(sku="CASE", brand="G", model="Case", category="accessory", price=3957)
    stock.receive(case, staff_id=manager.id, qty=100)
    return db


def _copy(template: SqliteDatabase) -> SqliteDatabase:
    db = SqliteDatabase(
        ":memory:", pragmas={"foreign_keys": 1}, check_same_thread=False, factory=IdConnection
    )
    db.connect()
    template.connection().backup(db.connection())
    database.initialize(db)
    return db


def test_the_z_report_is_the_formula_and_the_sum_of_the_shifts(clock: FixedClock) -> None:
    template = _template()

    @settings(max_examples=property_examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=OPS, float_tens=st.integers(0, 30), counted_off=st.integers(-300, 300))
    def one_day(ops: list[tuple[str, int, int]], float_tens: int, counted_off: int) -> None:
        db = _copy(template)
        try:
            _day(ops, float_tens, counted_off, clock.today())  # the business day by the suite's clock
        finally:
            db.close()

    try:
        one_day()
    finally:
        template.close()


def _day(ops: list[tuple[str, int, int]], float_tens: int, counted_off: int, day: date) -> None:
    manager = Staff.get(Staff.code == "M1")
    people = [Staff.get(Staff.code == code) for code in ("C1", "C2")]
    approval = forge_approval(manager.id, manager.name)
    float_fen = float_tens * 1000
    session = drawer.open_session(T, TZ, actor=actor_for_login(people[0]), counts={1000: float_tens})
    assert session.business_date == day
    on_duty = 0
    want = Cash(float=float_fen)
    # What the handovers' counts were off by so far: the open shift's drawer holds the day's
    # expected cash plus this (a handover counted in tens left a fen of 30.51 behind).
    handed_off = 0
    sales: list[Sale] = []
    for kind, n, extra in ops:
        actor = actor_for_login(people[on_duty])
        if kind == "sale":
            cart = Cart(staff_id=actor.staff_id, staff_role="cashier", discount_limit_percent=5)
            cart.add_scan(scan("CASE"), n)
            tender = cart.add_tender("cash", cart.due + extra)
            sales.append(checkout.commit_sale(cart, TILL))
            want.tendered += tender.tendered
            want.change += tender.change
        elif kind == "return" and sales:
            sale = Sale.get_by_id(sales[n % len(sales)].id)
            line = SaleLine.get(SaleLine.sale == sale.id)
            left = line.qty - sale_lookup.returned_qty(line.id)
            if sale.status != "completed" or left <= 0:
                continue
            cart = Cart(staff_id=actor.staff_id, staff_role="cashier", discount_limit_percent=5)
            cart.add_return_line(line, 1, sale_lookup.returned_qty(line.id))
            cart.approve_return(approval)
            cart.set_return_reason("defective")
            want.refunds += -cart.due
            cart.add_tender("cash", -cart.due)
            checkout.commit_sale(cart, TILL)
        elif kind == "void" and sales:
            sale = Sale.get_by_id(sales[n % len(sales)].id)
            if sale.status != "completed" or Sale.select().where(Sale.original == sale.id).exists():
                continue
            tender = sale.tenders.get()
            sale_voids.void_sale(sale.id, till=TILL, approval=approval)
            want.refunds += tender.amount  # the cash goes back out of the drawer
        elif kind in drawer.MOVEMENT_KINDS:
            if kind != "paid_in" and n > want.expected + handed_off:
                continue
            drawer.move_cash(T, kind, n, actor=actor, reason="r", approval=approval, limit=10**6)
            setattr(want, kind.replace("drop", "drops"), getattr(want, kind.replace("drop", "drops")) + n)
        elif kind == "handover":
            expected = report.x_report(T, day, TZ, seq=_open_seq()).cash.expected
            assert expected == want.expected + handed_off
            counted = max(expected + n, 0) // 10 * 10
            handed_off += counted - expected
            on_duty = 1 - on_duty
            drawer.handover(
                T,
                outgoing=actor,
                incoming=actor_for_login(people[on_duty]),
                counts={10: counted // 10},
                reason="r",
                tolerance=0,
            )
    counted = max(want.expected + counted_off, 0)
    close.close_day(T, day, TZ, counted=counted, reason="r", tolerance=0, approval=approval)
    z = report.day_report(T, day, TZ)
    assert z.kind == "Z" and z.cash == want
    assert z.expected == (
        float_fen + want.tendered - want.refunds - want.change + want.paid_in - want.paid_out - want.drops
    )
    assert z.over_short == counted - z.expected
    shifts = [report.x_report(T, day, TZ, seq=s.seq) for s in z.shifts]
    flows = Cash(float=float_fen)
    for x in shifts:
        flows.add_flows(x.cash)
    assert flows == z.cash
    for part in ("sales", "returns", "voids", "exchanges"):
        assert sum(getattr(x, part).count for x in shifts) == getattr(z, part).count
        assert sum(getattr(x, part).amount for x in shifts) == getattr(z, part).amount
    assert sum(s.over_short or 0 for s in z.shifts) == z.over_short
    assert sum(len(x.references) for x in shifts) == len(z.references)


def _open_seq() -> int:
    session = drawer.open_session_of(T)
    assert session is not None
    return session.seq
