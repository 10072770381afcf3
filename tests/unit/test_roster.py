"""The stored weekly roster: editing, leave, copying, publishing and the exports."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from store.config.loader import Config
from store.kernel.errors import ValidationError
from store.models import AuditLog, RosterEntry, RosterWeek, Staff
from store.people import leave_requests, roster, roster_edit, roster_export, staff
from store.people import profiles as people
from tests.conftest import Shop
from tests.store_helpers import forge_actor, manager_actor, manager_ok, snapshot

WEEK = "2026-W48"
MON = date(2026, 11, 23)


@pytest.fixture
def cfg() -> Config:
    config = Config()
    config.store.grade = "E"  # one person on duty is enough
    return config


def day(n: int) -> date:
    return MON + timedelta(days=n)


@pytest.mark.parametrize(
    ("text", "week"), [("2026-W48", "2026-W48"), ("2026w48", "2026-W48"), (" 2026-W1 ", "2026-W01")]
)
def test_week_names(text: str, week: str) -> None:
    assert roster.parse_week(text) == week


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-48", "A week is written like 2026-W48: 2026-48"),
        ("2025-W53", "2025 has no week 53."),
        ("2026-W00", "2026 has no week 0."),
    ],
)
def test_bad_week_names(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        roster.parse_week(text)
    assert str(err.value) == message


def test_week_days_run_monday_to_sunday() -> None:
    days = roster.week_days(WEEK)
    assert days[0] == MON and days[-1] == date(2026, 11, 29) and len(days) == 7
    assert roster.week_of(date(2026, 11, 29)) == WEEK
    assert roster.shift_week(WEEK, -1) == "2026-W47"
    assert roster.week_of(date(2027, 1, 1)) == "2026-W53"


def test_assign_replaces_and_add_refuses_an_overlap(shop: Shop, cfg: Config) -> None:
    p1 = shop.promoter.id
    roster_edit.assign(p1, day(0), "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(p1, day(0), "L", cfg, actor=manager_actor(shop))
    assert [(e.shift_code, e.start_minute, e.end_minute) for e in RosterEntry.select()] == [("L", 900, 1260)]
    roster_edit.assign(p1, day(0), "E", cfg, add=True, actor=manager_actor(shop))
    assert RosterEntry.select().count() == 2
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        roster_edit.assign(p1, day(0), "F", cfg, add=True, actor=manager_actor(shop))
    assert str(err.value) == "李小红 already works 09:00-15:00 on Mon 11/23: the shifts overlap."
    assert snapshot() == before
    grid = roster.load_week(WEEK, cfg)
    assert grid.cell_text(p1, day(0), cfg.roster.shifts) == "早班+晚班"
    assert grid.hours(p1) == 12 * 60


def test_someone_who_left_cannot_be_rostered(shop: Shop, cfg: Config) -> None:
    people.set_status(shop.promoter.id, "left", approval=manager_ok(shop))
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        roster_edit.assign(shop.promoter.id, day(0), "E", cfg, actor=manager_actor(shop))
    assert str(err.value) == "李小红 has left the store and cannot be rostered."
    assert snapshot() == before


def test_an_unknown_shift_code(shop: Shop, cfg: Config) -> None:
    with pytest.raises(ValidationError, match=r"No shift with code X in config\.toml"):
        roster_edit.assign(shop.promoter.id, day(0), "X", cfg, actor=manager_actor(shop))


def test_clear_and_swap(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    roster_edit.assign(p1, day(0), "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(m1, day(0), "L", cfg, actor=manager_actor(shop))
    roster_edit.swap((p1, day(0)), (m1, day(0)), actor=manager_actor(shop))
    grid = roster.load_week(WEEK, cfg)
    assert [s.code for s in grid.cell(p1, day(0))] == ["L"]
    assert [s.code for s in grid.cell(m1, day(0))] == ["E"]
    roster_edit.swap((p1, day(0)), (p1, day(3)), actor=manager_actor(shop))  # into an empty cell: a move
    grid = roster.load_week(WEEK, cfg)
    assert grid.cell(p1, day(0)) == [] and [s.code for s in grid.cell(p1, day(3))] == ["L"]
    assert roster_edit.clear(p1, day(3), actor=manager_actor(shop)) == 1
    assert roster_edit.clear(p1, day(3), actor=manager_actor(shop)) == 0


def test_swapping_a_shift_onto_someone_who_left_is_refused(shop: Shop, cfg: Config) -> None:
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    roster_edit.assign(shop.promoter.id, day(1), "E", cfg, actor=manager_actor(shop))
    people.set_status(other.id, "left", approval=manager_ok(shop))
    with pytest.raises(ValidationError, match="张伟 has left the store"):
        roster_edit.swap((shop.promoter.id, day(1)), (other.id, day(1)), actor=manager_actor(shop))


def test_conflicts_show_on_the_week_as_stored(shop: Shop, cfg: Config) -> None:
    p1 = shop.promoter.id
    for n in range(4):
        roster_edit.assign(p1, day(n), "F", cfg, actor=manager_actor(shop))
    roster_edit.assign(shop.manager.id, day(0), "L", cfg, actor=manager_actor(shop))
    # 09:00 after 21:00 is 12 h rest: fine
    roster_edit.assign(shop.manager.id, day(1), "E", cfg, actor=manager_actor(shop))
    grid = roster.load_week(WEEK, cfg)
    kinds = [(c.kind, c.day) for c in grid.conflicts]
    assert ("weekly_hours", day(0)) in kinds
    assert [d for k, d in kinds if k == "understaffed"] == [day(4), day(5), day(6)]
    assert grid.hard_conflicts == []


def test_leave_requests_are_decided_by_someone_else(shop: Shop, cfg: Config) -> None:
    p1 = shop.promoter.id
    leave = leave_requests.request_leave(p1, day(2), day(3), "家里有事", by=p1)
    assert [x.id for x in leave_requests.pending_leave()] == [leave.id]
    with pytest.raises(ValidationError, match="Nobody decides their own leave"):
        leave_requests.decide_leave(
            leave.id, True, actor=forge_actor(shop.promoter), approval=manager_ok(shop)
        )
    leave_requests.decide_leave(leave.id, True, actor=manager_actor(shop))
    with pytest.raises(ValidationError, match="already decided"):
        leave_requests.decide_leave(leave.id, False, actor=manager_actor(shop))
    roster_edit.assign(p1, day(2), "E", cfg, actor=manager_actor(shop))
    grid = roster.load_week(WEEK, cfg)
    assert [(c.kind, c.day) for c in grid.hard_conflicts] == [("on_leave", day(2))]
    assert grid.cell_text(p1, day(3), cfg.roster.shifts) == "personal"  # the kind asked for (事假)
    assert AuditLog.select().where(AuditLog.action == "leave.approve").count() == 1
    with pytest.raises(ValidationError, match="Leave must end on or after its first day"):
        leave_requests.request_leave(p1, day(3), day(2), "", by=p1)


def test_a_leave_day_shows_its_kind_in_the_grid(shop: Shop, cfg: Config) -> None:
    """Sick leave and annual leave are paid and counted differently: the grid says which."""
    from store.kernel.i18n import set_language

    p1 = shop.promoter.id
    sick = leave_requests.request_leave(p1, day(1), day(1), "发烧", by=p1, kind="sick")
    annual = leave_requests.request_leave(p1, day(5), day(6), "", by=p1, kind="annual")
    for leave in (sick, annual):
        leave_requests.decide_leave(leave.id, True, actor=manager_actor(shop))
    grid = roster.load_week(WEEK, cfg)
    assert [grid.cell_text(p1, day(n), cfg.roster.shifts) for n in range(3)] == ["", "sick", ""]
    assert grid.cell_text(p1, day(6), cfg.roster.shifts) == "annual"
    set_language("zh_CN")
    assert grid.cell_text(p1, day(1), cfg.roster.shifts) == "病假"
    assert grid.cell_text(p1, day(5), cfg.roster.shifts) == "年假"


def test_a_day_off_toggles(shop: Shop, cfg: Config) -> None:
    p1 = shop.promoter.id
    assert roster_edit.toggle_day_off(p1, day(4), actor=manager_actor(shop)) is True
    assert (p1, day(4)) in roster.load_week(WEEK, cfg).leave
    assert roster.load_week(WEEK, cfg).cell_text(p1, day(4), cfg.roster.shifts) == "day off"  # not 事假
    assert roster_edit.toggle_day_off(p1, day(4), actor=manager_actor(shop)) is False
    assert (p1, day(4)) not in roster.load_week(WEEK, cfg).leave


def test_publish_refuses_hard_conflicts_and_edits_need_a_new_publish(shop: Shop, cfg: Config) -> None:
    p1, m1 = shop.promoter.id, shop.manager.id
    with pytest.raises(ValidationError, match="Week 2026-W48 has nobody rostered"):
        roster.publish(WEEK, cfg, actor=manager_actor(shop))
    for n in range(7):
        roster_edit.assign(p1 if n % 2 else m1, day(n), "F", cfg, actor=manager_actor(shop))
    roster_edit.toggle_day_off(p1, day(1), actor=manager_actor(shop))
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        roster.publish(WEEK, cfg, actor=manager_actor(shop))
    assert str(err.value) == "Cannot publish: 李小红 is on leave on Tue 11/24."
    assert snapshot() == before
    roster_edit.swap((p1, day(1)), (m1, day(1)), actor=manager_actor(shop))
    published = roster.publish(WEEK, cfg, actor=manager_actor(shop))
    assert published.status == "published"
    assert RosterWeek.get_by_id(WEEK).status == "published"
    row = AuditLog.select().where(AuditLog.action == "roster.publish").get()
    assert row.entity_id == WEEK and '"entries": 7' in row.after
    roster_edit.clear(p1, day(3), actor=manager_actor(shop))
    assert RosterWeek.get_by_id(WEEK).status == "draft"


def test_copy_last_week_skips_people_who_left(shop: Shop, cfg: Config) -> None:
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    last = MON - timedelta(days=7)
    roster_edit.assign(shop.promoter.id, last, "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(other.id, last + timedelta(days=6), "L", cfg, actor=manager_actor(shop))
    roster_edit.assign(shop.promoter.id, day(5), "F", cfg, actor=manager_actor(shop))  # replaced by the copy
    people.set_status(other.id, "left", approval=manager_ok(shop))
    result = roster_edit.copy_week("2026-W47", WEEK, actor=manager_actor(shop))
    assert (result.copied, result.skipped) == (1, ["张伟"])
    days = [(e.staff_id, e.day, e.shift_code) for e in RosterEntry.select().where(RosterEntry.day >= MON)]
    assert days == [(shop.promoter.id, MON, "E")]
    with pytest.raises(ValidationError, match="Week 2026-W40 has no roster to copy"):
        roster_edit.copy_week("2026-W40", WEEK, actor=manager_actor(shop))
    with pytest.raises(ValidationError, match="onto itself"):
        roster_edit.copy_week(WEEK, "2026w48", actor=manager_actor(shop))


def test_people_who_left_stay_in_the_grid_only_while_rostered(shop: Shop, cfg: Config) -> None:
    roster_edit.assign(shop.promoter.id, day(0), "E", cfg, actor=manager_actor(shop))
    people.set_status(shop.promoter.id, "left", approval=manager_ok(shop))
    grid = roster.load_week(WEEK, cfg)
    assert shop.promoter.id in [m.id for m in grid.staff]
    assert [c.kind for c in grid.hard_conflicts] == ["left"]
    assert shop.promoter.id not in [m.id for m in roster.load_week("2026-W49", cfg).staff]


def _sample_week(shop: Shop, cfg: Config) -> roster.WeekRoster:
    roster_edit.assign(shop.promoter.id, day(0), "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(shop.manager.id, day(0), "L", cfg, actor=manager_actor(shop))
    roster_edit.assign(shop.promoter.id, day(1), "F", cfg, actor=manager_actor(shop))
    return roster.load_week(WEEK, cfg)


def test_text_export(shop: Shop, cfg: Config) -> None:
    text = roster_export.as_text(_sample_week(shop, cfg), cfg)
    lines = text.splitlines()
    assert lines[0] == "Roster 2026-W48 (draft)"
    assert "Mon 11/23" in lines[1] and "Sun 11/29" in lines[1] and "Hours" in lines[1]
    p1_row = next(line for line in lines if line.startswith("P1 李小红"))
    assert p1_row.split()[2:] == ["早班", "全天", "18:00"]
    assert "早班 09:00-15:00  晚班 15:00-21:00  全天 09:00-21:00" in text
    assert "Conflicts:" in text and "- Wed 11/25 09:00-21:00: 0 on duty, at least 1 needed." in text


def test_csv_export(shop: Shop, cfg: Config) -> None:
    text = roster_export.as_csv(_sample_week(shop, cfg), cfg)
    assert text.startswith("\ufeff") and text.endswith("12:00\r\n")  # BOM and CRLF, for Excel
    rows = text.removeprefix("\ufeff").splitlines()
    assert rows == [
        "week,date,staff_code,name,shift,start,end,hours",
        "2026-W48,2026-11-23,M1,王店长,L,15:00,21:00,6:00",
        "2026-W48,2026-11-23,P1,李小红,E,09:00,15:00,6:00",
        "2026-W48,2026-11-24,P1,李小红,F,09:00,21:00,12:00",
    ]


def test_xlsx_export(shop: Shop, cfg: Config, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    roster_export.write_xlsx(_sample_week(shop, cfg), cfg, path)
    book = load_workbook(path)
    sheet = book["2026-W48"]
    assert [c.value for c in sheet[1]][:3] == ["Staff", "Mon 11/23", "Tue 11/24"]
    assert sheet["A3"].value == "P1 李小红" and sheet["B3"].value == "早班" and sheet["C3"].value == "全天"
    assert sheet["I3"].value == "18:00"
    conflicts = book["Conflicts"]
    assert conflicts["A1"].value == "Day" and conflicts["B2"].value == "understaffed"
    assert Staff.select().count() == 2
