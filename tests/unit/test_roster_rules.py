"""The roster's conflict rules, table-driven: each case is a few shifts and the exact
conflicts they must raise (kind, day, person), nothing more and nothing less."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.people.roster_rules import (
    DOUBLE_BOOKING,
    LEFT,
    ON_LEAVE,
    SHORT_REST,
    UNDERSTAFFED,
    WEEKLY_HOURS,
    Person,
    Rules,
    Shift,
    check,
)

MON = date(2026, 11, 23)  # a Monday
WEEK = [MON + timedelta(days=i) for i in range(7)]
E, L, F = (540, 900), (900, 1260), (540, 1260)  # early 09-15, late 15-21, full 09-21
PEOPLE = {
    "a": Person("a", "阿明"),
    "b": Person("b", "小波"),
    "c": Person("c", "小陈"),
    "gone": Person("gone", "离职", status="left"),
    "away": Person("away", "休假", status="on_leave"),
    "off": Person("off", "调休", leave_days=frozenset({MON + timedelta(days=2)})),
}
NO_STAFFING = Rules(min_staff=0)


def sh(who: str, day: int, times: tuple[int, int]) -> Shift:
    return Shift(who, MON + timedelta(days=day), times[0], times[1])


CASES = [
    # (id, shifts, rules, expected (kind, day offset, person))
    ("nothing", [], NO_STAFFING, []),
    ("early then late the same day is fine", [sh("a", 0, E), sh("a", 0, L)], NO_STAFFING, []),
    ("full day and early overlap", [sh("a", 0, F), sh("a", 0, E)], NO_STAFFING, [(DOUBLE_BOOKING, 0, "a")]),
    (
        "partial overlap",
        [sh("a", 1, (600, 960)), sh("a", 1, (900, 1200))],
        NO_STAFFING,
        [(DOUBLE_BOOKING, 1, "a")],
    ),
    ("late then early next day: 12 h rest", [sh("a", 0, L), sh("a", 1, E)], NO_STAFFING, []),
    (
        "late to 21:00 then 07:00 start: 10 h",
        [sh("a", 0, L), sh("a", 1, (420, 800))],
        NO_STAFFING,
        [(SHORT_REST, 1, "a")],
    ),
    ("exactly 11 h rest is enough", [sh("a", 0, L), sh("a", 1, (480, 800))], NO_STAFFING, []),
    (
        "rest is per person",
        [sh("a", 0, L), sh("b", 1, (420, 800))],
        NO_STAFFING,
        [],
    ),
    ("44 h in a week is allowed", [sh("a", d, (540, 540 + 440)) for d in range(6)], NO_STAFFING, []),
    (
        "four full days are 48 h",
        [sh("a", d, F) for d in range(4)],
        NO_STAFFING,
        [(WEEKLY_HOURS, 0, "a")],
    ),
    ("someone who left", [sh("gone", 3, E)], NO_STAFFING, [(LEFT, 3, "gone")]),
    ("someone marked on leave", [sh("away", 4, L)], NO_STAFFING, [(ON_LEAVE, 4, "away")]),
    ("on a day of approved leave", [sh("off", 2, E)], NO_STAFFING, [(ON_LEAVE, 2, "off")]),
    ("the day after the leave is fine", [sh("off", 3, E)], NO_STAFFING, []),
]


@pytest.mark.parametrize(("shifts", "rules", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_conflicts(shifts: list[Shift], rules: Rules, expected: list[tuple[str, int, str]]) -> None:
    found = check(shifts, PEOPLE, rules, WEEK)
    assert [(c.kind, (c.day - MON).days, c.staff_id) for c in found] == expected
    for conflict in found:
        assert PEOPLE[conflict.staff_id].name in conflict.message


STAFFING = [
    # (id, shifts on Monday, min staff, expected messages)
    ("nobody at all", [], 1, ["Mon 11/23 09:00-21:00: 0 on duty, at least 1 needed."]),
    ("one person all day meets grade E", [("a", F)], 1, []),
    (
        "one person is short for grade C",
        [("a", F)],
        2,
        ["Mon 11/23 09:00-21:00: 1 on duty, at least 2 needed."],
    ),
    ("early and late cover the day once", [("a", E), ("b", L)], 1, []),
    (
        "the late shift is short",
        [("a", E), ("b", E), ("c", L)],
        2,
        ["Mon 11/23 15:00-21:00: 1 on duty, at least 2 needed."],
    ),
    (
        "a gap in the afternoon",
        [("a", F), ("b", (540, 780)), ("c", (960, 1260))],
        2,
        ["Mon 11/23 13:00-16:00: 1 on duty, at least 2 needed."],
    ),
    (
        "someone on leave does not count",
        [("a", F), ("away", F)],
        2,
        ["Mon 11/23 09:00-21:00: 1 on duty, at least 2 needed."],
    ),
    ("two full days", [("a", F), ("b", F)], 2, []),
]


@pytest.mark.parametrize(
    ("shifts", "need", "messages"), [c[1:] for c in STAFFING], ids=[c[0] for c in STAFFING]
)
def test_minimum_staff_while_the_store_is_open(
    shifts: list[tuple[str, tuple[int, int]]], need: int, messages: list[str]
) -> None:
    found = check([sh(who, 0, t) for who, t in shifts], PEOPLE, Rules(min_staff=need), [MON])
    assert [c.message for c in found if c.kind == UNDERSTAFFED] == messages


def test_every_day_of_the_range_is_checked_for_staffing() -> None:
    found = check([sh("a", 0, F)], PEOPLE, Rules(min_staff=1), WEEK)
    assert [(c.day - MON).days for c in found] == [1, 2, 3, 4, 5, 6]


def test_shifts_outside_the_range_give_context_but_no_conflicts_of_their_own() -> None:
    sunday_before = Shift("a", MON - timedelta(days=1), *L)
    monday_early = Shift("a", MON, 420, 800)
    found = check([sunday_before, monday_early], PEOPLE, NO_STAFFING, WEEK)
    assert [(c.kind, c.day) for c in found] == [(SHORT_REST, MON)]
    assert check([sunday_before], {"a": Person("a", "x", "left")}, NO_STAFFING, WEEK) == []


def test_messages_name_the_numbers() -> None:
    found = check([sh("a", 0, L), sh("a", 1, (420, 800))], PEOPLE, NO_STAFFING, WEEK)
    assert found[0].message == "阿明 has only 10 h rest before Tue 11/24 (at least 11 h)."
    found = check([sh("a", d, F) for d in range(4)], PEOPLE, NO_STAFFING, WEEK)
    assert found[0].message == "阿明 is rostered 48 h in the week of Mon 11/23 (at most 44 h)."
    found = check([sh("a", 0, F), sh("a", 0, E)], PEOPLE, NO_STAFFING, WEEK)
    assert found[0].message == "阿明 is booked twice on Mon 11/23: 09:00-15:00 and 09:00-21:00."
    assert (
        found[0].hard
        and not check([sh("a", 0, L), sh("a", 1, (420, 800))], PEOPLE, NO_STAFFING, WEEK)[0].hard
    )


def test_a_month_for_twenty_people() -> None:
    days = [MON + timedelta(days=i) for i in range(28)]
    people = {f"p{i}": Person(f"p{i}", f"员工{i}") for i in range(20)}
    shifts = [
        Shift(f"p{i}", d, *(E if (i + d.day) % 2 else L)) for i in range(20) for d in days if (i + d.day) % 7
    ]
    assert check(shifts, people, Rules(min_staff=3), days) == []  # late then early is 12 h rest
    shifts.append(Shift("p0", days[0] - timedelta(days=1), 1200, 1440))  # Sunday 20-24, then Monday early
    found = check(shifts, people, Rules(min_staff=3), days)
    assert [(c.kind, c.staff_id) for c in found] == [(SHORT_REST, "p0")]
