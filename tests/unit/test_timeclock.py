"""The time clock: PIN punches, lateness, early leave and absence against the roster,
manager corrections (audited) and hours worked."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from store.audit import integrity
from store.config.loader import Config
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.models import AuditLog, TimeEntry
from store.people import roster_edit, timeclock
from tests.conftest import TILL, Shop
from tests.store_helpers import forge_approval, manager_actor, manager_ok, snapshot

TZ = TILL.tz
MON = date(2026, 11, 23)


def at(day: int, hhmm: str) -> datetime:
    """Naive UTC of a local time on MON + day."""
    hours, minutes = map(int, hhmm.split(":"))
    return timeclock.to_utc(datetime(2026, 11, 23 + day, hours, minutes), TZ)


def test_clock_in_and_out(shop: Shop) -> None:
    punch = timeclock.clock_in("P1", "1111", TZ, now=at(0, "08:58"))
    assert punch.message == "李小红 clocked in at 08:58."
    assert punch.entry.business_date == MON
    out = timeclock.clock_out("P1", "1111", TZ, now=at(0, "15:03"))
    assert out.message == "李小红 clocked out at 15:03 after 6:05."
    assert timeclock.worked_minutes(MON, MON) == {shop.promoter.id: 365}


def test_a_second_clock_in_and_a_clock_out_without_one_are_refused(shop: Shop) -> None:
    with pytest.raises(ValidationError) as err:
        timeclock.clock_out("P1", "1111", TZ, now=at(0, "09:00"))
    assert str(err.value) == "李小红 has not clocked in today, so cannot clock out."
    timeclock.clock_in("P1", "1111", TZ, now=at(0, "09:00"))
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        timeclock.clock_in("P1", "1111", TZ, now=at(0, "09:30"))
    assert str(err.value) == "李小红 is already clocked in since 09:00."
    assert snapshot() == before


def test_a_wrong_pin_punches_nothing(shop: Shop) -> None:
    with pytest.raises(PermissionDenied):
        timeclock.clock_in("P1", "9999", TZ, now=at(0, "09:00"))
    assert TimeEntry.select().count() == 0


def test_yesterdays_forgotten_clock_out_does_not_block_today(shop: Shop) -> None:
    timeclock.clock_in("P1", "1111", TZ, now=at(0, "09:00"))
    timeclock.clock_in("P1", "1111", TZ, now=at(1, "09:00"))
    assert TimeEntry.select().count() == 2
    assert timeclock.worked_minutes(MON, MON) == {}  # an open spell counts no hours


def test_a_clock_out_before_the_clock_in_is_refused_and_a_manager_can_still_correct_it(shop: Shop) -> None:
    entry = timeclock.clock_in("P1", "1111", TZ, now=at(0, "10:00")).entry
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        timeclock.clock_out("P1", "1111", TZ, now=at(0, "09:30"))  # the clock was set back
    assert str(err.value) == (
        "The clock reads 2026-11-23 09:30, before 李小红's last punch at 2026-11-23 10:00: check the "
        "computer's date and time, or ask a manager to correct the times."
    )
    assert snapshot() == before
    assert timeclock.worked_minutes(MON, MON) == {}  # no spell of minus 30 minutes
    timeclock.correct(
        entry.id,
        datetime(2026, 11, 23, 9, 0),
        datetime(2026, 11, 23, 9, 30),
        manager_ok(shop),
        "时钟被调回",
        TZ,
        now=at(0, "11:00"),
    )
    assert timeclock.worked_minutes(MON, MON) == {shop.promoter.id: 30}


def test_an_overlapping_spell_after_the_clock_was_set_back_is_refused(shop: Shop) -> None:
    timeclock.clock_in("P1", "1111", TZ, now=at(1, "09:00"))  # Tuesday, still clocked in
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        timeclock.clock_in("P1", "1111", TZ, now=at(0, "10:00"))  # the clock set back a day
    assert "The clock reads 2026-11-23 10:00, before 李小红's last punch at 2026-11-24 09:00" in str(
        err.value
    )
    assert snapshot() == before
    # A finished spell too: the clock set back into it opens no second one.
    timeclock.clock_out("P1", "1111", TZ, now=at(1, "15:00"))
    with pytest.raises(ValidationError, match="last punch at 2026-11-24 15:00"):
        timeclock.clock_in("P1", "1111", TZ, now=at(1, "14:00"))
    assert TimeEntry.select().count() == 1
    # A manager still records Monday's forgotten spell, and the right clock punches again.
    timeclock.add_entry(
        shop.promoter.id,
        datetime(2026, 11, 23, 9, 0),
        datetime(2026, 11, 23, 15, 0),
        manager_ok(shop),
        "忘记打卡",
        TZ,
        now=at(1, "16:00"),
    )
    timeclock.clock_in("P1", "1111", TZ, now=at(2, "09:00"))
    assert TimeEntry.select().count() == 3


def _roster_week(shop: Shop) -> Config:
    cfg = Config()
    roster_edit.assign(shop.promoter.id, MON, "E", cfg, actor=manager_actor(shop))  # 09:00-15:00
    roster_edit.assign(
        shop.promoter.id, date(2026, 11, 24), "L", cfg, actor=manager_actor(shop)
    )  # 15:00-21:00
    roster_edit.assign(shop.promoter.id, date(2026, 11, 25), "E", cfg, actor=manager_actor(shop))
    return cfg


@pytest.mark.parametrize(
    ("clock_in", "clock_out", "late", "early"),
    [
        ("08:55", "15:00", 0, 0),
        ("09:05", "15:10", 0, 0),  # within 5 minutes' grace
        ("09:12", "15:00", 12, 0),
        ("09:00", "14:30", 0, 30),
        ("09:40", "13:00", 40, 120),
    ],
)
def test_late_and_early_against_the_roster(
    shop: Shop, clock_in: str, clock_out: str, late: int, early: int
) -> None:
    _roster_week(shop)
    timeclock.clock_in("P1", "1111", TZ, now=at(0, clock_in))
    timeclock.clock_out("P1", "1111", TZ, now=at(0, clock_out))
    row = timeclock.attendance(MON, MON, TZ, grace_minutes=5, now=at(0, "22:00"))[0]
    assert (row.late, row.early, row.absent, row.rostered) == (late, early, False, 360)


def test_absence_only_once_the_shift_is_over(shop: Shop) -> None:
    _roster_week(shop)
    tuesday = date(2026, 11, 24)
    rows = timeclock.attendance(tuesday, tuesday, TZ, 5, now=at(1, "20:00"))
    assert [r.absent for r in rows] == [False]  # the late shift is still on
    rows = timeclock.attendance(tuesday, tuesday, TZ, 5, now=at(1, "21:00"))
    assert [(r.absent, r.worked, r.late) for r in rows] == [(True, 0, 0)]


def test_unrostered_work_shows_as_a_day_without_a_shift(shop: Shop) -> None:
    timeclock.clock_in("P1", "1111", TZ, now=at(3, "10:00"))
    timeclock.clock_out("P1", "1111", TZ, now=at(3, "12:00"))
    thursday = date(2026, 11, 26)
    rows = timeclock.attendance(thursday, thursday, TZ, 5, now=at(3, "22:00"))
    assert [(r.rostered, r.worked, r.late, r.absent) for r in rows] == [(0, 120, 0, False)]


def test_a_manager_corrects_times_and_the_audit_log_keeps_both(shop: Shop) -> None:
    entry = timeclock.clock_in("P1", "1111", TZ, now=at(0, "09:20")).entry
    fixed = timeclock.correct(
        entry.id,
        datetime(2026, 11, 23, 9, 0),
        datetime(2026, 11, 23, 15, 0),
        manager_ok(shop),
        "打卡机坏了",
        TZ,
        now=at(0, "16:00"),
    )
    assert fixed.corrected_by == shop.manager.id
    assert timeclock.worked_minutes(MON, MON) == {shop.promoter.id: 360}
    row = AuditLog.select().where(AuditLog.action == "time.correct").get()
    assert "01:20:00" in row.before and "01:00:00" in row.after and "打卡机坏了" in row.after
    assert integrity.verify() == []


def test_nobody_corrects_their_own_times(shop: Shop) -> None:
    entry = timeclock.clock_in("M1", "1234", TZ, now=at(0, "09:20")).entry
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        timeclock.correct(
            entry.id, datetime(2026, 11, 23, 9, 0), None, manager_ok(shop), "迟到", TZ, now=at(0, "10:00")
        )
    assert str(err.value) == "Nobody corrects their own times: ask another manager."
    with pytest.raises(ValidationError, match="Nobody corrects their own times"):
        timeclock.add_entry(
            shop.manager.id,
            datetime(2026, 11, 22, 9, 0),
            datetime(2026, 11, 22, 15, 0),
            manager_ok(shop),
            "x",
            TZ,
            now=at(0, "10:00"),
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((15, 0), (9, 0), "The clock-out must be after the clock-in."),
        ((9, 0), (9, 0), "The clock-out must be after the clock-in."),
        ((20, 0), (23, 0), "Times cannot be in the future."),
        ((10, 0), (12, 0), "These times overlap another spell of work."),
    ],
)
def test_bad_corrections(shop: Shop, start: tuple[int, int], end: tuple[int, int], message: str) -> None:
    timeclock.clock_in("P1", "1111", TZ, now=at(0, "11:00"))
    timeclock.clock_out("P1", "1111", TZ, now=at(0, "13:00"))
    with pytest.raises(ValidationError) as err:
        timeclock.add_entry(
            shop.promoter.id,
            datetime(2026, 11, 23, *start),
            datetime(2026, 11, 23, *end),
            manager_ok(shop),
            "忘记打卡",
            TZ,
            now=at(0, "18:00"),
        )
    assert str(err.value) == message


def test_a_missed_day_is_added_by_a_manager(shop: Shop) -> None:
    timeclock.add_entry(
        shop.promoter.id,
        datetime(2026, 11, 23, 9, 0),
        datetime(2026, 11, 23, 15, 30),
        forge_approval(shop.manager.id, shop.manager.name),
        "忘记打卡",
        TZ,
        now=at(1, "09:00"),
    )
    assert timeclock.worked_minutes(MON, date(2026, 11, 29)) == {shop.promoter.id: 390}
    assert AuditLog.select().where(AuditLog.action == "time.add").count() == 1
    with pytest.raises(ValidationError, match="needs a reason"):
        timeclock.add_entry(
            shop.promoter.id,
            datetime(2026, 11, 24, 9, 0),
            datetime(2026, 11, 24, 15, 0),
            manager_ok(shop),
            " ",
            TZ,
            now=at(2, "09:00"),
        )


@pytest.mark.parametrize(
    ("text", "minutes"), [("09:05", 545), ("9:05", 545), ("２１：００", 1260), ("0:00", 0)]
)
def test_times_of_day(text: str, minutes: int) -> None:
    assert timeclock.parse_time_of_day(text) == minutes


@pytest.mark.parametrize("text", ["", "9", "24:00", "12:60", "9.30", "12:5"])
def test_bad_times_of_day(text: str) -> None:
    with pytest.raises(ValidationError, match="Not a time of day"):
        timeclock.parse_time_of_day(text)


def test_whose_missed_spell_is_asked_by_code_and_a_managers_own_is_refused_at_once(shop: Shop) -> None:
    approval = manager_ok(shop)
    assert timeclock.staff_for_spell(" p1 ", approval) == (shop.promoter.id, shop.promoter.name)
    with pytest.raises(ValidationError, match="Nobody corrects their own times"):
        timeclock.staff_for_spell("M1", approval)
    with pytest.raises(NotFound, match="No staff member with code P9"):
        timeclock.staff_for_spell("P9", approval)
