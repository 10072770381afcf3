"""The demo store's drawer: its past days are closed with their shifts, handovers and Z
reports (a few over or short, with a reason), and today is open with a shift running."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from itertools import pairwise

from peewee import SqliteDatabase

from store.audit import integrity
from store.dayclose import days, figures, report
from store.dayclose.drawer import open_session_of
from store.models import AuditLog, CashSession, DayClose
from tests.cli.demo_store import NOW, SHANGHAI

TERMINAL = "T1"


def _today() -> date:
    return NOW.replace(tzinfo=UTC).astimezone(SHANGHAI).date()


def test_past_days_are_closed_in_order_and_today_is_open(store_db: SqliteDatabase) -> None:
    today = _today()
    closes = list(DayClose.select().where(DayClose.terminal_id == TERMINAL).order_by(DayClose.business_date))
    assert len(closes) == 89
    assert [c.z_no for c in closes] == list(range(1, 90))
    assert closes[-1].business_date == today - timedelta(days=1)
    assert all(b.closed_at > a.closed_at for a, b in pairwise(closes))
    assert days.closing(TERMINAL, today) is None
    assert days.open_days(TERMINAL, today) == []  # the login's reminder stays quiet
    assert days.open_days_notice(TERMINAL, today) == ""
    running = open_session_of(TERMINAL)
    assert running is not None and running.business_date == today
    for close in closes:
        shifts = figures.day_sessions(TERMINAL, close.business_date)
        assert [s.seq for s in shifts] == [1, 2]
        assert [s.end_kind for s in shifts] == ["handover", "close"]
        assert shifts[1].float == shifts[0].counted  # the late shift takes the count on


def test_the_z_report_agrees_with_what_the_demo_stored(store_db: SqliteDatabase) -> None:
    """The first and last closed days and two that were off: worked out again from the day's
    receipts and movements, the figures are those the demo wrote, to the fen."""
    closes = list(DayClose.select().where(DayClose.terminal_id == TERMINAL).order_by(DayClose.business_date))
    off = [c for c in closes if c.reason][:2]
    assert len(off) == 2
    for close in [closes[0], *off, closes[-1]]:
        z = report.day_report(TERMINAL, close.business_date, SHANGHAI)
        assert z.kind == "Z" and z.z_no == close.z_no
        assert z.expected == close.expected
        assert z.counted == close.counted and z.over_short == close.counted - close.expected
        for shift in z.shifts:
            x = report.x_report(TERMINAL, close.business_date, SHANGHAI, shift.seq)
            assert x.expected == shift.expected, (close.business_date, shift.seq)
            assert shift.over_short == (shift.counted or 0) - (shift.expected or 0)


def test_over_and_short_shifts_give_a_reason(store_db: SqliteDatabase) -> None:
    tolerance = 500
    off = list(CashSession.select().where(CashSession.over_short.is_null(False)))
    beyond = [s for s in off if abs(s.over_short) > tolerance]
    assert 3 <= len([s for s in beyond if s.end_kind == "handover"]) <= 10
    assert all(s.reason for s in beyond)
    short_days = list(DayClose.select().where(DayClose.over_short.is_null(False)))
    assert all(c.reason for c in short_days if abs(c.over_short) > tolerance)
    assert any(c.over_short < -tolerance for c in short_days)
    assert any(c.over_short > tolerance for c in short_days)


def test_the_audit_chain_holds_the_closes(store_db: SqliteDatabase) -> None:
    assert integrity.verify() == []
    last = DayClose.select().order_by(DayClose.z_no.desc()).first()
    row = AuditLog.get(AuditLog.seq == last.audit_seq)
    assert row.action == "day.close" and row.hash == last.audit_head and row.entity_id == last.id
