"""Every roster edit leaves an audit row (action, who, before and after) in its own
transaction: a refused edit leaves none."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from store.audit import integrity
from store.config.loader import Config
from store.kernel.errors import ValidationError
from store.models import AuditLog
from store.people import leave_requests, roster, roster_edit, staff
from store.people import profiles as people
from tests.conftest import Shop
from tests.store_helpers import manager_actor, manager_ok

WEEK = "2026-W48"
MON = date(2026, 11, 23)


@pytest.fixture
def cfg() -> Config:
    config = Config()
    config.store.grade = "E"
    return config


def day(n: int) -> date:
    return MON + timedelta(days=n)


def rows(prefix: str = "") -> list[AuditLog]:
    query = AuditLog.select().order_by(AuditLog.seq)
    return [r for r in query if r.action.startswith(prefix)]


def last(action: str) -> tuple[str, str, Any, Any]:
    """(who, entity id, before, after) of the newest row with ``action``."""
    row = AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.seq.desc()).get()
    assert row.entity == "roster" or row.entity == "leave"
    return (
        row.staff_id,
        row.entity_id,
        json.loads(row.before) if row.before else None,
        json.loads(row.after) if row.after else None,
    )


def test_assign_records_the_cell_before_and_after(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    roster_edit.assign(p1, day(0), "E", cfg, actor=manager_actor(shop))
    assert last("roster.assign") == (
        m1,
        WEEK,
        {"staff": p1, "day": "2026-11-23", "shifts": []},
        {"staff": p1, "day": "2026-11-23", "shifts": ["E 09:00-15:00"]},
    )
    roster_edit.assign(p1, day(0), "L", cfg, actor=manager_actor(shop))  # replaces
    _who, _week, before, after = last("roster.assign")
    assert (before["shifts"], after["shifts"]) == (["E 09:00-15:00"], ["L 15:00-21:00"])
    roster_edit.assign(p1, day(0), "E", cfg, add=True, actor=manager_actor(shop))  # a second shift
    _who, _week, before, after = last("roster.assign")
    assert (before["shifts"], after["shifts"]) == (["L 15:00-21:00"], ["E 09:00-15:00", "L 15:00-21:00"])
    assert len(rows("roster.")) == 3
    assert integrity.verify() == []


def test_a_refused_edit_writes_no_audit_row(shop: Shop, cfg: Config) -> None:
    p1 = shop.promoter.id
    roster_edit.assign(p1, day(0), "E", cfg, actor=manager_actor(shop))
    with pytest.raises(ValidationError):
        roster_edit.assign(p1, day(0), "F", cfg, add=True, actor=manager_actor(shop))  # overlaps
    with pytest.raises(ValidationError):
        roster_edit.assign(p1, day(0), "X", cfg, actor=manager_actor(shop))  # no such shift
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    people.set_status(other.id, "left", approval=manager_ok(shop))
    with pytest.raises(ValidationError):
        roster_edit.swap((p1, day(0)), (other.id, day(0)), actor=manager_actor(shop))
    assert [r.action for r in rows("roster.")] == ["roster.assign"]


def test_clear_is_audited_only_when_it_removed_something(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    roster_edit.assign(p1, day(2), "F", cfg, actor=manager_actor(shop))
    assert roster_edit.clear(p1, day(2), actor=manager_actor(shop)) == 1
    assert last("roster.clear") == (
        m1,
        WEEK,
        {"staff": p1, "day": "2026-11-25", "shifts": ["F 09:00-21:00"]},
        {"staff": p1, "day": "2026-11-25", "shifts": []},
    )
    assert roster_edit.clear(p1, day(2), actor=manager_actor(shop)) == 0
    assert len(rows("roster.clear")) == 1


def test_swap_records_both_cells(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    roster_edit.assign(p1, day(0), "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(m1, day(0), "L", cfg, actor=manager_actor(shop))
    roster_edit.swap((p1, day(0)), (m1, day(0)), actor=manager_actor(shop))
    who, week, before, after = last("roster.swap")
    assert (who, week) == (m1, WEEK)
    assert before == {
        "cells": [
            {"staff": p1, "day": "2026-11-23", "shifts": ["E 09:00-15:00"]},
            {"staff": m1, "day": "2026-11-23", "shifts": ["L 15:00-21:00"]},
        ]
    }
    assert after == {
        "cells": [
            {"staff": p1, "day": "2026-11-23", "shifts": ["L 15:00-21:00"]},
            {"staff": m1, "day": "2026-11-23", "shifts": ["E 09:00-15:00"]},
        ]
    }
    roster_edit.swap(
        (p1, day(4)), (m1, day(4)), actor=manager_actor(shop)
    )  # two empty cells: nothing changed
    assert len(rows("roster.swap")) == 1


def test_copy_week_records_the_week_it_replaced(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    roster_edit.assign(p1, MON - timedelta(days=7), "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(m1, day(5), "F", cfg, actor=manager_actor(shop))  # replaced by the copy
    roster_edit.copy_week("2026-W47", WEEK, actor=manager_actor(shop))
    who, week, before, after = last("roster.copy")
    assert (who, week) == (m1, WEEK)
    assert before == {"entries": [f"{m1} 2026-11-28 F 09:00-21:00"]}
    assert after == {"from": "2026-W47", "entries": [f"{p1} 2026-11-23 E 09:00-15:00"], "skipped": []}


def test_an_edit_to_a_published_week_says_it_unpublished_it(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    for n in range(7):
        roster_edit.assign(p1, day(n), "F", cfg, actor=manager_actor(shop))
    assert "unpublished" not in last("roster.assign")[3]
    roster.publish(WEEK, cfg, actor=manager_actor(shop))
    who, week, before, after = last("roster.publish")
    assert (who, week, before) == (m1, WEEK, {"status": "draft"})
    assert after["status"] == "published" and after["entries"] == 7
    roster_edit.clear(p1, day(6), actor=manager_actor(shop))
    assert last("roster.clear")[3]["unpublished"] is True
    roster_edit.assign(p1, day(6), "E", cfg, actor=manager_actor(shop))  # the week is a draft now
    assert "unpublished" not in last("roster.assign")[3]


def test_leave_decisions_and_days_off_record_before_and_after(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    leave = leave_requests.request_leave(p1, day(2), day(3), "家里有事", by=p1)
    leave_requests.decide_leave(leave.id, True, actor=manager_actor(shop))
    who, entity_id, before, after = last("leave.approve")
    assert (who, entity_id, before) == (m1, leave.id, {"status": "requested"})
    assert after == {"status": "approved", "staff": p1, "first": "2026-11-25", "last": "2026-11-26"}
    refused = leave_requests.request_leave(p1, day(5), day(5), "", by=p1)
    leave_requests.decide_leave(refused.id, False, actor=manager_actor(shop))
    refused_after = {"status": "refused", "staff": p1, "first": "2026-11-28", "last": "2026-11-28"}
    assert last("leave.refuse")[2:] == ({"status": "requested"}, refused_after)
    roster_edit.toggle_day_off(p1, day(4), actor=manager_actor(shop))
    one_day = {"status": "approved", "staff": p1, "first": "2026-11-27", "last": "2026-11-27"}
    assert last("leave.day_off")[0] == m1 and last("leave.day_off")[3] == one_day
    roster_edit.toggle_day_off(p1, day(4), actor=manager_actor(shop))
    assert last("leave.cancel")[2:] == (one_day, {"status": "cancelled"})
    assert integrity.verify() == []
