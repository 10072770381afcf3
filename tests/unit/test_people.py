"""Staff profiles, training records and the promotion ladder."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.audit import integrity
from store.config.loader import Config
from store.kernel.clock import business_date
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.models import AuditLog, Staff
from store.people import profiles as people
from store.people import staff
from store.people.config import LadderLevel, LadderSection
from tests.conftest import TILL, Shop
from tests.store_helpers import manager_actor, manager_ok, sell, snapshot


def today() -> date:
    from store.models.base import utcnow

    return business_date(utcnow(), TILL.tz)


LADDER = LadderSection(
    sales_window_days=30,
    levels=[
        LadderLevel("L1", "见习"),
        LadderLevel("L2", "促销员", min_sales=500_000, min_months=3, courses=("产品知识",)),
        LadderLevel("L3", "高级", min_sales=5_000_000, min_months=12, courses=("产品知识", "销售技巧")),
    ],
)


def hire(member: Staff, months_ago: int) -> None:
    day = today()
    year, month = divmod(day.year * 12 + day.month - 1 - months_ago, 12)
    hired = date(year, month + 1, min(day.day, 28))
    Staff.update(created_at=hired.isoformat() + " 08:00:00").where(Staff.id == member.id).execute()


def test_a_new_member_has_an_empty_active_profile(shop: Shop) -> None:
    member = Staff.get_by_id(shop.promoter.id)
    assert (member.level, member.brand, member.home_store, member.status) == ("", "", "", "active")


def test_profile_changes_are_audited(shop: Shop) -> None:
    ok = manager_ok(shop)
    member = people.update_profile(
        shop.promoter.id, LADDER, approval=ok, level="L2", brand="Huawei", home_store="S001"
    )
    assert (member.level, member.brand, member.home_store) == ("L2", "Huawei", "S001")
    row = AuditLog.select().where(AuditLog.action == "staff.profile").get()
    assert row.approved_by == shop.manager.id and row.entity_id == shop.promoter.id
    assert '"level": "L2"' in row.after and '"level": ""' in row.before
    assert integrity.verify() == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "L9"}, "Unknown ladder level: L9"),
        ({"home_store": "S 01"}, "A store code is letters and digits only."),
        ({"brand": "x" * 41}, "A brand is at most 40 characters."),
    ],
)
def test_bad_profile_values_write_nothing(shop: Shop, kwargs: dict[str, str], message: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        people.update_profile(shop.promoter.id, LADDER, approval=manager_ok(shop), **kwargs)
    assert str(err.value) == message
    assert snapshot() == before


def test_someone_who_left_cannot_log_in_and_can_come_back(shop: Shop) -> None:
    ok = manager_ok(shop)
    people.set_status(shop.promoter.id, "on_leave", approval=ok)
    assert staff.login("P1", "1111").status == "on_leave"  # on leave: still a working account
    people.set_status(shop.promoter.id, "left", approval=ok)
    with pytest.raises(PermissionDenied):
        staff.login("P1", "1111")
    assert Staff.get_by_id(shop.promoter.id).active is False
    people.set_status(shop.promoter.id, "active", approval=ok)
    assert staff.login("P1", "1111").id == shop.promoter.id
    assert AuditLog.select().where(AuditLog.action == "staff.status").count() == 3


def test_status_must_be_known_and_a_manager_cannot_remove_themselves(shop: Shop) -> None:
    with pytest.raises(ValidationError, match="Unknown staff status: gone"):
        people.set_status(shop.promoter.id, "gone", approval=manager_ok(shop))
    with pytest.raises(ValidationError, match="cannot mark themselves as left"):
        people.set_status(shop.manager.id, "left", approval=manager_ok(shop))
    with pytest.raises(NotFound):
        people.set_status("nobody", "left", approval=manager_ok(shop))


def test_training_records_are_kept_in_date_order(shop: Shop) -> None:
    day = today()
    people.add_training(shop.promoter.id, "销售技巧", day, "failed", actor=manager_actor(shop), today=day)
    people.add_training(
        shop.promoter.id, "产品知识", day - timedelta(days=10), "passed", actor=manager_actor(shop), today=day
    )
    records = people.training_of(shop.promoter.id)
    assert [(r.course, r.result) for r in records] == [("产品知识", "passed"), ("销售技巧", "failed")]
    assert AuditLog.select().where(AuditLog.action == "staff.training").count() == 2


@pytest.mark.parametrize(
    ("course", "offset", "result", "message"),
    [
        ("", 0, "passed", "A course name is 1 to 40 characters."),
        ("产品知识", 0, "excellent", "A training result is passed, failed or attended."),
        ("产品知识", 1, "passed", "A training record cannot be dated in the future."),
    ],
)
def test_bad_training_records(shop: Shop, course: str, offset: int, result: str, message: str) -> None:
    day = today()
    with pytest.raises(ValidationError) as err:
        people.add_training(
            shop.promoter.id,
            course,
            day + timedelta(days=offset),
            result,
            actor=manager_actor(shop),
            today=day,
        )
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("hired", "on", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 31), date(2026, 3, 1), 1),
        (date(2025, 11, 15), date(2026, 11, 15), 12),
        (date(2025, 11, 15), date(2026, 11, 14), 11),
        (date(2026, 5, 1), date(2026, 4, 1), 0),
    ],
)
def test_tenure_in_whole_months(hired: date, on: date, months: int) -> None:
    assert people.tenure_months(hired, on) == months


def test_the_ladder_lists_who_may_move_up_and_what_the_others_miss(shop: Shop) -> None:
    ok = manager_ok(shop)
    day = today()
    second = staff.create_staff("P2", "张伟", "promoter", "2222")
    people.update_profile(shop.promoter.id, LADDER, approval=ok, level="L1")
    hire(shop.promoter, 4)
    hire(second, 1)
    sell(shop, shop.imeis[0])  # ¥5,999.00 credited to P1
    people.add_training(shop.promoter.id, "产品知识", day, "passed", actor=manager_actor(shop), today=day)
    people.add_training(second.id, "产品知识", day, "failed", actor=manager_actor(shop), today=day)

    checks = {c.staff.code: c for c in people.check_promotions(LADDER, day)}
    assert set(checks) == {"P1", "P2"}  # promoters only, not the manager
    p1 = checks["P1"]
    assert p1.eligible and p1.next is not None and p1.next.code == "L2"
    assert p1.sales == 599900 and p1.months == 4
    p2 = checks["P2"]
    assert p2.next is not None and p2.next.code == "L1"  # not on the ladder yet: the first rung
    assert p2.eligible  # L1 asks for nothing

    people.update_profile(second.id, LADDER, approval=ok, level="L1")
    p2 = {c.staff.code: c for c in people.check_promotions(LADDER, day)}["P2"]
    assert p2.missing == ("sales ¥0.00 of ¥5,000.00", "1 of 3 months", "course 产品知识")
    assert [c.staff.code for c in people.eligible_now(LADDER, day)] == ["P1"]

    promoted = people.promote(shop.promoter.id, LADDER, day, approval=ok)
    assert promoted.level == "L2"
    with pytest.raises(ValidationError) as err:
        people.promote(shop.promoter.id, LADDER, day, approval=ok)
    assert str(err.value).startswith("李小红 is not eligible for 高级 yet: sales ¥5,999.00 of ¥50,000.00")


def test_sales_outside_the_window_and_voided_receipts_do_not_count(shop: Shop) -> None:
    from store.selling import sale_voids

    sale = sell(shop, shop.imeis[0])
    day = today()
    assert people.net_sales([shop.promoter.id], day, day) == {shop.promoter.id: 599900}
    assert people.net_sales([shop.promoter.id], day + timedelta(days=1), day + timedelta(days=30)) == {
        shop.promoter.id: 0
    }
    sale_voids.void_sale(sale.id, approval=manager_ok(shop), till=shop.till)
    assert people.net_sales([shop.promoter.id], day, day) == {shop.promoter.id: 0}


def test_the_top_rung_has_nowhere_to_go(shop: Shop) -> None:
    people.update_profile(shop.promoter.id, LADDER, approval=manager_ok(shop), level="L3")
    with pytest.raises(ValidationError, match="already on the top level"):
        people.promote(shop.promoter.id, LADDER, today(), approval=manager_ok(shop))


def test_the_default_ladder_starts_at_l1() -> None:
    ladder = Config().ladder
    assert ladder.next_level("") == ladder.levels[0]
    assert ladder.next_level(ladder.levels[-1].code) is None
