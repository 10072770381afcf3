"""Property: no write that needs a manager succeeds without another person's approval or the
actor's own manager role, whatever the caller passes. A refused write leaves every table as
it was; a write that goes through names, in its audit rows, an approver who is a manager and
either another person or the actor acting in their own manager role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from peewee import fn

from store.config.loader import Config
from store.crm import handover, records
from store.kernel.auth import MANAGER_ROLES, Actor, Approval
from store.kernel.errors import PermissionDenied, ZhangguiError
from store.models import AuditLog, Staff
from store.people import leave_requests, roster, roster_edit, staff, targets
from store.people import profiles as people
from store.selling import checkout, sale_voids
from store.selling.cart import Cart
from store.stock import (
    adjustments,
    count_approval,
    count_entry,
    count_sessions,
    reorder,
    reorder_export,
    suppliers,
)
from store.stock.config import StockSection
from tests.conftest import Shop
from tests.store_helpers import forge_actor, forge_approval, pay, scan, sell, snapshot

TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 4, 0)  # noon in Shanghai


@dataclass
class World:
    shop: Shop
    people: dict[str, Staff]  # code -> row: M1 (admin), M2 (manager), P1 (promoter), C1 (cashier)
    config: Config
    folder: Path
    serial: int = 0

    def next(self) -> int:
        self.serial += 1
        return self.serial


@pytest.fixture
def world(shop: Shop, tmp_path: Path) -> Iterator[World]:
    crew = {
        "M1": shop.manager,
        "M2": staff.create_staff("M2", "赵经理", "manager", "2222"),
        "P1": shop.promoter,
        "C1": staff.create_staff("C1", "陈芳", "cashier", "4444"),
    }
    boss = forge_actor(shop.manager)
    supplier = suppliers.create_supplier(
        code="DB1", name="华南地包", channel="distributor", lead_time_days=3, actor=boss
    )
    suppliers.assign(supplier, [shop.case], pack_size=1, actor=boss)
    config = Config()
    config.store.grade = "E"
    yield World(shop, crew, config, tmp_path / "exports")


# ---- who asks, and with what -------------------------------------------------------------------
ACTORS = st.sampled_from([None, "M1", "M2", "P1", "C1"])


@st.composite
def approvals(draw: st.DrawFn) -> tuple[str, str] | None:
    """None, or (approving manager's code, code of the person it was given for or "")."""
    if draw(st.booleans()):
        return None
    manager = draw(st.sampled_from(["M1", "M2"]))
    given_to = draw(st.sampled_from(["", "M1", "M2", "P1", "C1"]).filter(lambda code: code != manager))
    return manager, given_to


def make(
    world: World, actor_code: str | None, approval: tuple[str, str] | None
) -> tuple[Actor | None, Approval | None]:
    actor = forge_actor(world.people[actor_code]) if actor_code else None
    if approval is None:
        return actor, None
    manager, given_to = approval
    member = world.people[manager]
    return actor, forge_approval(member.id, member.name, world.people[given_to].id if given_to else "")


def authorised(actor: Actor | None, approval: Approval | None) -> bool:
    """What the rules say, written out on its own: the actor's own manager role, or a manager's
    approval that is another person's and was not given to someone else."""
    own_role = actor is not None and actor.role in MANAGER_ROLES and approval is None
    other = (
        approval is not None
        and (actor is None or approval.manager_id != actor.staff_id or actor.role in MANAGER_ROLES)
        and (actor is None or not approval.for_staff_id or approval.for_staff_id == actor.staff_id)
    )
    return own_role or other


# ---- every write that needs a manager -------------------------------------------------------
# Each one first does, as a non-manager, what the write needs to act on (a sale to void, a
# leave request, a count); the write itself is the returned call.
Act = Callable[[Actor | None, Approval | None], object]
Prepare = Callable[[World], Act]


def _roster_assign(w: World) -> Act:
    day = TODAY + timedelta(days=w.next() % 7)
    return lambda actor, ok: roster_edit.assign(
        w.shop.promoter.id, day, "E", w.config, actor=actor, approval=ok
    )


def _roster_day_off(w: World) -> Act:
    return lambda actor, ok: roster_edit.toggle_day_off(w.shop.promoter.id, TODAY, actor=actor, approval=ok)


def _roster_publish(w: World) -> Act:
    return lambda actor, ok: roster.publish("2026-W48", w.config, actor=actor, approval=ok, now=NOW)


def _record_leave(w: World) -> Act:
    day = TODAY + timedelta(days=30 + w.next())
    who = w.people["C1"].id
    return lambda actor, ok: leave_requests.record_leave(who, day, day, "", actor=actor, approval=ok, now=NOW)


def _decide_leave(w: World) -> Act:
    day = TODAY + timedelta(days=200 + w.next())
    asked = leave_requests.request_leave(w.people["C1"].id, day, day, "", by=w.people["C1"].id)
    return lambda actor, ok: leave_requests.decide_leave(asked.id, True, actor=actor, approval=ok, now=NOW)


def _target(w: World) -> Act:
    units = w.next()
    return lambda actor, ok: targets.set_target(
        "2026-12", w.shop.promoter.id, units=units, amount=0, actor=actor, approval=ok, today=TODAY
    )


def _place_orders(w: World) -> Act:
    plan = reorder.with_quantity(reorder.plans(StockSection(), w.shop.till.tz, NOW, [w.shop.case.id])[0], 2)
    n = w.next()
    folder, at = w.folder / str(n), NOW + timedelta(seconds=n)
    return lambda actor, ok: reorder_export.place_orders(
        [plan], folder=folder, actor=actor, approval=ok, now=at
    )


def _adjust(w: World) -> Act:
    return lambda actor, ok: adjustments.adjust(
        w.shop.case, qty=1, reason="found", actor=actor, approval=ok, now=NOW
    )


def _start_count(w: World) -> str:
    opened = count_sessions.start_count(
        scope_kind="brand", scope_value="Generic", staff_id=w.shop.promoter.id, now=NOW
    )
    return str(opened.id)


def _cancel_count(w: World) -> Act:
    count_id = _start_count(w)
    return lambda actor, ok: count_sessions.cancel(count_id, actor=actor, approval=ok, now=NOW)


def _approve_count(w: World) -> Act:
    count_id = _start_count(w)
    count_entry.record_qty(count_id, w.shop.case.id, 1, staff_id=w.shop.promoter.id, now=NOW)
    count_sessions.close(count_id, staff_id=w.shop.promoter.id, now=NOW)
    return lambda actor, ok: count_approval.approve(count_id, actor=actor, approval=ok, now=NOW)


def _profile(w: World) -> Act:
    brand = f"B{w.next()}"
    return lambda actor, ok: people.update_profile(
        w.shop.promoter.id, w.config.ladder, actor=actor, approval=ok, brand=brand
    )


def _status(w: World) -> Act:
    status = "on_leave" if w.next() % 2 else "active"
    return lambda actor, ok: people.set_status(w.people["C1"].id, status, actor=actor, approval=ok)


def _training(w: World) -> Act:
    return lambda actor, ok: people.add_training(
        w.shop.promoter.id, "产品知识", TODAY, "passed", today=TODAY, actor=actor, approval=ok
    )


def _new_supplier(w: World) -> Act:
    code = f"S{w.next()}"
    return lambda actor, ok: suppliers.create_supplier(
        code=code, name=code, channel="direct", lead_time_days=2, actor=actor, approval=ok
    )


def _assign_supplier(w: World) -> Act:
    pack = w.next()
    return lambda actor, ok: suppliers.assign(
        suppliers.find_supplier("DB1"), [w.shop.case], pack_size=pack, actor=actor, approval=ok
    )


def _reassign(w: World) -> Act:
    source, target = (w.people["C1"], w.people["M2"]) if w.next() % 2 else (w.people["M2"], w.people["C1"])
    return lambda actor, ok: handover.reassign(source.id, target.id, actor=actor, approval=ok, now=NOW)


def _erase(w: World) -> Act:
    customer = records.create_customer(f"1380013{w.next():04d}", "张三", by=w.shop.promoter.id)
    return lambda actor, ok: records.erase_customer(customer.id, actor=actor, approval=ok, now=NOW)


def _void(w: World) -> Act:
    sale = sell(w.shop, case_qty=1)
    return lambda actor, ok: sale_voids.void_sale(
        sale.id, till=w.shop.till, actor=actor, approval=ok, now=sale.created_at
    )


def _price_change(w: World) -> Act:
    """The actor rings the sale (the promoter when nobody is named): a new price needs a
    manager, and the seller's own PIN is not another person's."""

    def act(actor: Actor | None, ok: Approval | None) -> object:
        seller = _seller(w, actor)
        cart = Cart(staff_id=seller.id, staff_role=seller.role, discount_limit_percent=5)
        cart.add_scan(scan(w.shop.case.sku))
        cart.override_price(0, 100, "display model", ok)
        pay(cart)
        return checkout.commit_sale(cart, w.shop.till)

    return act


def _seller(w: World, actor: Actor | None) -> Staff:
    return Staff.get_by_id(actor.staff_id) if actor is not None else w.shop.promoter


def _big_discount(w: World) -> Act:
    """Half off: over every role's limit but the admin's (100 %): beyond their own limit a
    seller needs another person's approval, whatever their role."""

    def act(actor: Actor | None, ok: Approval | None) -> object:
        seller = _seller(w, actor)
        limit = w.config.discount_limit_percent(seller.role)
        cart = Cart(staff_id=seller.id, staff_role=seller.role, discount_limit_percent=limit)
        cart.add_scan(scan(w.shop.case.sku))
        cart.set_line_discount(0, cart.lines[0].gross // 2, ok)
        pay(cart)
        return checkout.commit_sale(cart, w.shop.till)

    return act


def _discount_authorised(w: World, actor: Actor | None, ok: Approval | None) -> bool:
    seller = _seller(w, actor)
    if w.config.discount_limit_percent(seller.role) >= 50:
        return True  # within the seller's own role: nobody else is needed
    return (
        ok is not None
        and ok.manager_id != seller.id
        and (not ok.for_staff_id or ok.for_staff_id == seller.id)
    )


WRITES: dict[str, Prepare] = {
    "roster.assign": _roster_assign,
    "leave.day_off": _roster_day_off,
    "roster.publish": _roster_publish,
    "leave.record": _record_leave,
    "leave.decide": _decide_leave,
    "target.set": _target,
    "purchase_order.create": _place_orders,
    "stock.adjust": _adjust,
    "stock_count.cancel": _cancel_count,
    "stock_count.approve": _approve_count,
    "staff.profile": _profile,
    "staff.status": _status,
    "staff.training": _training,
    "supplier.create": _new_supplier,
    "supplier.assign": _assign_supplier,
    "customer.reassign": _reassign,
    "customer.erase": _erase,
    "sale.void": _void,
    "sale.price_override": _price_change,
    "sale.discount_approved": _big_discount,
}
ORACLES: dict[str, Callable[[World, Actor | None, Approval | None], bool]] = {
    "sale.discount_approved": _discount_authorised,
}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(WRITES)), actor_code=ACTORS, approval=approvals())
def test_no_manager_write_without_a_manager_of_ones_own_or_another_persons_approval(
    world: World, name: str, actor_code: str | None, approval: tuple[str, str] | None
) -> None:
    actor, ok = make(world, actor_code, approval)
    allowed = ORACLES.get(name, lambda _w, a, o: authorised(a, o))(world, actor, ok)
    act = WRITES[name](world)
    seen = AuditLog.select(fn.MAX(AuditLog.seq)).scalar() or 0
    before = snapshot()
    try:
        act(actor, ok)
    except ZhangguiError as exc:
        event("refused" if not allowed else "authorised, refused for another reason")
        if not allowed:
            assert isinstance(exc, PermissionDenied), (name, str(exc))
            assert snapshot() == before, name  # refused: not one row written
        return
    finally:
        for unfinished in count_sessions.unfinished():  # a count left for the next example's way
            count_sessions.cancel(unfinished.id, actor=forge_actor(world.shop.manager), now=NOW)
    assert allowed, (name, actor, ok)
    event("written")
    managers = {m.id for m in world.people.values() if m.role in MANAGER_ROLES}
    rows = list(AuditLog.select().where(AuditLog.seq > seen).order_by(AuditLog.seq))
    checked = [r for r in rows if r.approved_by]
    assert checked, (name, [r.action for r in rows])
    for row in checked:
        assert row.approved_by in managers, (name, row.action)
        # Either another person approved, or a manager acted in their own role.
        assert row.approved_by != row.staff_id or row.staff_id in managers, (name, row.action)
        if actor is not None:
            assert row.staff_id == actor.staff_id, (name, row.action)
