"""Kinds of leave (事假, 病假, 年假, 调休) kept on each request (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest

from store.kernel.errors import ValidationError
from store.kernel.i18n import set_language
from store.models import LeaveRequest
from store.people import leave_requests
from tests.conftest import Shop
from tests.store_helpers import manager_actor

DAY = date(2026, 12, 14)


def test_a_request_keeps_its_kind_and_personal_leave_is_the_default(shop: Shop) -> None:
    p1 = shop.promoter.id
    sick = leave_requests.request_leave(p1, DAY, DAY, "发烧", by=p1, kind="sick")
    plain = leave_requests.request_leave(p1, date(2026, 12, 21), date(2026, 12, 21), "", by=p1)
    assert LeaveRequest.get_by_id(sick.id).kind == "sick"
    assert LeaveRequest.get_by_id(plain.id).kind == "personal"


def test_a_manager_records_annual_leave(shop: Shop) -> None:
    leave = leave_requests.record_leave(
        shop.promoter.id, DAY, date(2026, 12, 18), "", actor=manager_actor(shop), kind="annual"
    )
    assert (leave.kind, leave.status) == ("annual", "approved")


def test_an_unknown_kind_is_refused_and_nothing_is_written(shop: Shop) -> None:
    with pytest.raises(ValidationError, match="Unknown kind of leave: holiday"):
        leave_requests.request_leave(shop.promoter.id, DAY, DAY, "", by=shop.promoter.id, kind="holiday")
    assert LeaveRequest.select().count() == 0


def test_each_kind_reads_in_both_languages() -> None:
    assert [leave_requests.leave_kind_label(k) for k in leave_requests.LEAVE_KINDS] == [
        "Personal leave (事假)",
        "Sick leave (病假)",
        "Annual leave (年假)",
        "Time off in lieu (调休)",
    ]
    assert [leave_requests.leave_kind_short(k) for k in leave_requests.LEAVE_KINDS] == [
        "personal",
        "sick",
        "annual",
        "in lieu",
    ]
    set_language("zh_CN")
    try:
        assert [leave_requests.leave_kind_label(k) for k in leave_requests.LEAVE_KINDS] == [
            "事假",
            "病假",
            "年假",
            "调休",
        ]
        assert [leave_requests.leave_kind_short(k) for k in leave_requests.LEAVE_KINDS] == [
            "事假",
            "病假",
            "年假",
            "调休",
        ]
    finally:
        set_language("en")
