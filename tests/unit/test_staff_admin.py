"""Staff administration and lockouts (issue 10, item 2): nobody is locked out for good."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.audit import integrity
from store.config.loader import Config, DiscountSection
from store.crm.records import create_customer
from store.kernel import auth
from store.kernel.errors import PermissionDenied, ValidationError
from store.models import AuditLog, Customer, Staff
from store.people import staff, staff_admin
from tests.conftest import Shop
from tests.store_helpers import forge_approval, snapshot

T0 = datetime(2026, 12, 1, 10, 0)


def me(member: Staff) -> auth.Actor:
    return auth.actor_for_login(member)


def last_action() -> AuditLog:
    return AuditLog.select().order_by(AuditLog.seq.desc()).get()


def fumble(code: str, times: int, *, approving: bool = False, now: datetime = T0) -> str:
    message = ""
    for _ in range(times):
        with pytest.raises(PermissionDenied) as err:
            if approving:
                staff.approve(code, "0000", now=now)
            else:
                staff.login(code, "0000", now=now)
        message = str(err.value)
    return message


# ---- lockouts -------------------------------------------------------------------------
def test_the_last_manager_is_locked_only_for_the_cooling_off_period(shop: Shop) -> None:
    assert fumble("M1", 5) == "Too many wrong PINs: this account opens again in 15 minutes."
    with pytest.raises(PermissionDenied) as err:
        staff.login("M1", "1234", now=T0 + timedelta(minutes=10))
    assert str(err.value) == "Too many wrong PINs: this account opens again in 5 minutes."
    assert Staff.get_by_id(shop.manager.id).locked

    who = staff.login("M1", "1234", now=T0 + timedelta(minutes=15))
    assert who.id == shop.manager.id
    row = Staff.get_by_id(shop.manager.id)
    assert not row.locked and row.failed_pins == 0 and row.locked_at is None
    released = AuditLog.get(AuditLog.action == "staff.unlock_cooled")
    assert released.entity_id == shop.manager.id and released.at == T0 + timedelta(minutes=15)
    assert integrity.verify() == []


def test_the_cooling_off_period_comes_from_config(shop: Shop, db: object, tmp_path: object) -> None:
    from pathlib import Path

    from store.context import StoreContext
    from store.kernel import SystemClock

    cfg = Config()
    cfg.staff.manager_cooloff_minutes = 30
    StoreContext(config=cfg, db_path=Path(str(tmp_path)) / "store.db", db=db, clock=SystemClock(cfg.tz))  # type: ignore[arg-type]
    try:
        assert fumble("M1", 5) == "Too many wrong PINs: this account opens again in 30 minutes."
        with pytest.raises(PermissionDenied):
            staff.login("M1", "1234", now=T0 + timedelta(minutes=20))
        assert staff.login("M1", "1234", now=T0 + timedelta(minutes=30)).id == shop.manager.id
    finally:
        staff.set_manager_cooloff(Config().staff.manager_cooloff_minutes)


def test_a_manager_with_another_manager_to_unlock_them_stays_locked(shop: Shop) -> None:
    staff.create_staff("M2", "赵经理", "manager", "5678")
    fumble("M1", 5)
    with pytest.raises(PermissionDenied) as err:
        staff.login("M1", "1234", now=T0 + timedelta(days=1))
    assert str(err.value) == "This account is locked after too many wrong PINs; ask a manager."
    m2 = Staff.get(Staff.code == "M2")
    staff_admin.unlock("M1", actor=me(m2), now=T0 + timedelta(days=1))
    row = last_action()
    assert (row.action, row.staff_id, row.entity_id) == ("staff.unlock", m2.id, shop.manager.id)
    assert staff.login("M1", "1234").id == shop.manager.id


def test_wrong_pins_in_an_approval_dialog_count_slowly(shop: Shop) -> None:
    staff.create_staff("M2", "赵经理", "manager", "5678")  # so M1's lock is for good
    assert fumble("M1", 9, approving=True) == "Wrong staff code or PIN (1 tries left)."
    row = Staff.get_by_id(shop.manager.id)
    assert not row.locked and (row.failed_approvals, row.failed_pins) == (9, 0)
    assert fumble("M1", 1, approving=True) == "Too many wrong PINs: the account is locked; ask a manager."
    assert Staff.get_by_id(shop.manager.id).locked


def test_a_right_pin_clears_both_counts(shop: Shop) -> None:
    fumble("M1", 3, approving=True)
    fumble("M1", 2)
    staff.approve("M1", "1234", now=T0)
    row = Staff.get_by_id(shop.manager.id)
    assert (row.failed_pins, row.failed_approvals) == (0, 0)


def test_the_only_manager_fumbled_in_approvals_can_approve_again_after_cooling_off(shop: Shop) -> None:
    fumble("M1", 10, approving=True)
    with pytest.raises(PermissionDenied):
        staff.approve("M1", "1234", now=T0 + timedelta(minutes=14))
    approval = staff.approve("M1", "1234", now=T0 + timedelta(minutes=15))
    assert approval.manager_id == shop.manager.id


# ---- who may administer ----------------------------------------------------------------
def test_a_promoter_cannot_administer_staff_and_nothing_is_written(shop: Shop) -> None:
    before = snapshot()
    promoter = me(shop.promoter)
    with pytest.raises(PermissionDenied):
        staff_admin.add_staff("P9", "新人", "promoter", "1357", actor=promoter)
    with pytest.raises(PermissionDenied):
        staff_admin.set_pin("M1", "9999", actor=promoter)
    with pytest.raises(PermissionDenied):
        staff_admin.set_role("P1", "manager", DiscountSection(), actor=promoter)
    with pytest.raises(PermissionDenied):
        staff_admin.deactivate("M1", actor=promoter)
    assert snapshot() == before


def test_a_promoter_with_a_managers_approval_may(shop: Shop) -> None:
    approval = forge_approval(shop.manager.id, shop.manager.name, for_staff_id=shop.promoter.id)
    new = staff_admin.add_staff("P9", "新人", "promoter", "1357", actor=me(shop.promoter), approval=approval)
    row = last_action()
    assert (row.action, row.staff_id, row.approved_by, row.entity_id) == (
        "staff.create",
        shop.promoter.id,
        shop.manager.id,
        new.id,
    )


def test_a_demoted_manager_no_longer_counts(shop: Shop) -> None:
    staff.create_staff("M2", "赵经理", "manager", "5678")
    m2 = Staff.get(Staff.code == "M2")
    actor = me(m2)  # logged in as a manager ...
    staff_admin.set_role("M2", "cashier", DiscountSection(), actor=me(shop.manager))
    with pytest.raises(PermissionDenied):  # ... and demoted since
        staff_admin.unlock("P1", actor=actor)


def test_only_an_admin_makes_an_admin(shop: Shop) -> None:
    staff.create_staff("M2", "赵经理", "manager", "5678")
    manager = me(Staff.get(Staff.code == "M2"))
    with pytest.raises(PermissionDenied):
        staff_admin.set_role("P1", "admin", DiscountSection(), actor=manager)
    with pytest.raises(PermissionDenied):
        staff_admin.set_pin("M1", "4321", actor=manager)  # M1 is the shop's admin
    staff_admin.set_role("P1", "manager", DiscountSection(), actor=manager)
    assert Staff.get_by_id(shop.promoter.id).role == "manager"


# ---- the operations --------------------------------------------------------------------
def test_add_staff_then_they_log_in(shop: Shop) -> None:
    staff_admin.add_staff("C1", "陈芳", "cashier", "4444", actor=me(shop.manager))
    assert staff.login("C1", "4444").role == "cashier"
    with pytest.raises(ValidationError):
        staff_admin.add_staff("C1", "又一个", "cashier", "4444", actor=me(shop.manager))
    with pytest.raises(ValidationError):
        staff_admin.add_staff("C2", "某人", "boss", "4444", actor=me(shop.manager))


def test_set_pin_replaces_the_pin_and_opens_a_locked_account(shop: Shop) -> None:
    fumble("P1", 5)
    staff_admin.set_pin("P1", "２４６８", actor=me(shop.manager), now=T0)  # full-width digits fold
    row = last_action()
    assert row.action == "staff.set_pin" and row.staff_id == shop.manager.id
    assert "2468" not in row.after and '"unlocked": true' in row.after
    assert staff.login("P1", "2468").id == shop.promoter.id
    with pytest.raises(PermissionDenied):
        staff.login("P1", "1111")
    with pytest.raises(ValidationError):
        staff_admin.set_pin("P1", "12", actor=me(shop.manager))


def test_unlock_is_audited_and_refused_when_not_locked(shop: Shop) -> None:
    with pytest.raises(ValidationError) as err:
        staff_admin.unlock("P1", actor=me(shop.manager))
    assert str(err.value) == "李小红's account is not locked."
    fumble("P1", 5)
    staff_admin.unlock("P1", actor=me(shop.manager), now=T0)
    row = last_action()
    assert (row.action, row.staff_id, row.approved_by, row.entity_id) == (
        "staff.unlock",
        shop.manager.id,
        shop.manager.id,
        shop.promoter.id,
    )
    assert staff.login("P1", "1111").id == shop.promoter.id


def test_deactivate_hands_the_customers_over_in_the_same_step(shop: Shop) -> None:
    staff.create_staff("P2", "张伟", "promoter", "2222")
    customer = create_customer("13800138000", "张三", owner_id=shop.promoter.id)
    with pytest.raises(ValidationError) as err:
        staff_admin.deactivate("P1", actor=me(shop.manager))
    assert str(err.value) == "李小红 still has 1 customers and 0 open tasks: name who takes them over."
    assert Staff.get_by_id(shop.promoter.id).active

    moved = staff_admin.deactivate("P1", successor="P2", actor=me(shop.manager), now=T0)
    assert (moved.customers, moved.tasks) == (1, 0)
    assert Customer.get_by_id(customer.id).owner_id == Staff.get(Staff.code == "P2").id
    row = Staff.get_by_id(shop.promoter.id)
    assert not row.active and row.status == "left"
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.seq)][-2:]
    assert actions == ["customer.reassign", "staff.deactivate"]
    with pytest.raises(PermissionDenied):
        staff.login("P1", "1111")


def test_the_last_manager_is_never_deactivated_or_demoted(shop: Shop) -> None:
    with pytest.raises(ValidationError):
        staff_admin.deactivate("M1", actor=me(shop.manager))  # nobody deactivates themselves
    with pytest.raises(ValidationError) as err:
        staff_admin.set_role("M1", "cashier", DiscountSection(), actor=me(shop.manager))
    assert str(err.value) == "王店长 is the last manager and keeps the role."
    assert Staff.get_by_id(shop.manager.id).role == "admin"


def test_a_discount_limit_of_ones_own_replaces_the_roles(shop: Shop) -> None:
    discounts = DiscountSection()
    assert staff.discount_limit(shop.promoter, discounts) == 5
    staff_admin.set_role("P1", "promoter", discounts, discount=12, actor=me(shop.manager))
    assert staff.discount_limit(Staff.get_by_id(shop.promoter.id), discounts) == 12
    row = last_action()
    assert row.action == "staff.role" and '"discount_limit": 12' in row.after
    staff_admin.set_role("P1", "promoter", discounts, discount=None, actor=me(shop.manager))
    assert staff.discount_limit(Staff.get_by_id(shop.promoter.id), discounts) == 5
    with pytest.raises(ValidationError):
        staff_admin.set_role("P1", "promoter", discounts, discount=None, actor=me(shop.manager))
    with pytest.raises(ValidationError):
        staff_admin.set_role("P1", "promoter", discounts, discount=101, actor=me(shop.manager))


def test_nobody_allows_more_discount_than_they_may_give(shop: Shop) -> None:
    staff.create_staff("M2", "赵经理", "manager", "5678")  # a manager may give 30 %
    with pytest.raises(PermissionDenied) as err:
        staff_admin.set_role(
            "P1", "promoter", DiscountSection(), discount=40, actor=me(Staff.get(Staff.code == "M2"))
        )
    assert str(err.value) == "赵经理 may give at most 30% and cannot allow more."


def test_the_staff_list_shows_locks_and_limits(shop: Shop) -> None:
    fumble("M1", 5)
    fumble("P1", 5)
    lines = {line.code: line for line in staff_admin.staff_lines(DiscountSection())}
    assert lines["M1"].locked and lines["M1"].unlocks_at == T0 + timedelta(minutes=15)
    assert lines["P1"].locked and lines["P1"].unlocks_at is None
    assert (lines["P1"].discount_limit, lines["P1"].own_limit) == (5, False)
