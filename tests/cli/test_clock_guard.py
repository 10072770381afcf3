"""A computer clock set wrong: the store remembers its last event, settlement waits for a
manager to confirm the date, and an expiry a wrong clock made can be given back (audited)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.audit import integrity
from store.config.loader import ClockSection
from store.db.connection import open_database
from store.kernel import FixedClock, clock_guard
from store.kernel.auth import _actor
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.models import AuditLog, Customer, Meta, ReferralReward
from store.referrals import ledger
from tests.conftest import TILL, Shop
from tests.referral_helpers import DAY, at, customer, later, policy, sell_to, settle, till_with
from tests.store_helpers import confirm_clock, manager_ok
from tui.cli import main

TZ = TILL.tz
YEAR = timedelta(days=365)


@pytest.fixture
def earned(shop: Shop) -> Shop:
    """The store's time is DAY (the setup ran at whatever the test machine's clock said); 李新客
    was referred by 张老客 on DAY, the week passed with the phone kept, and 张老客 bought again a
    day later: three rewards earned (two vouchers and a gift), valid 30 days."""
    confirm_clock(DAY, TZ)
    till = till_with(shop, policy())
    old = customer("13800138000", "张老客")
    sell_to(shop, till, old, shop.case.sku, when=DAY)
    sell_to(shop, till, customer("13900139000", "李新客"), shop.imeis[0], referrer=old, when=DAY)
    assert settle(till, later(7)).earned == 3
    sell_to(shop, till, old, shop.case.sku, when=at(later(8)))
    return shop


def statuses() -> set[str]:
    return {r.status for r in ReferralReward.select()}


def test_a_settle_a_year_ahead_expires_nothing_and_reports_the_clock(earned: Shop) -> None:
    ahead = at(later(8)) + YEAR
    done = ledger.settle(later(8) + YEAR, earned.till.referrals, now=ahead)
    assert (done.earned, done.cancelled, done.expired) == (0, 0, 0)
    assert statuses() == {"earned"}
    assert done.held is not None
    assert done.held.status == clock_guard.AHEAD
    assert done.held.last_seen == at(later(8)) and done.held.gap == YEAR
    assert done.held.describe(TZ) == (
        "The clock reads 2027-12-05 12:00, 365 days after the store's last recorded event at "
        "2026-12-05 12:00."
    )


def test_a_sale_committed_at_the_wrong_time_does_not_make_the_jump_look_right(earned: Shop) -> None:
    ahead = at(later(8)) + YEAR
    old = Customer.get(Customer.phone == "13800138000")  # made before: a new one is made at the real time
    sell_to(earned, earned.till, old, earned.case.sku, when=ahead)
    assert clock_guard.last_seen() == ahead
    done = ledger.settle(later(8) + YEAR, earned.till.referrals, now=ahead + timedelta(hours=1))
    assert done.held is not None and done.held.last_seen == at(later(8))
    assert statuses() == {"earned"}


def test_after_the_manager_confirms_the_date_it_runs(earned: Shop) -> None:
    ahead = at(later(8)) + YEAR
    state = clock_guard.confirm_date(later(8) + YEAR, ahead, TZ, approval=manager_ok(earned))
    assert not state.suspicious
    done = ledger.settle(later(8) + YEAR, earned.till.referrals, now=ahead)
    assert done.held is None and done.expired == 3
    row = AuditLog.select().where(AuditLog.action == "clock.confirm_date").order_by(AuditLog.seq.desc()).get()
    assert (row.staff_id, row.approved_by, row.entity_id) == (
        earned.manager.id,
        earned.manager.id,
        (later(8) + YEAR).isoformat(),
    )
    assert json.loads(row.before)["last"].startswith(str(at(later(8))).replace(" ", "T"))
    assert integrity.verify() == []


def test_an_expiry_by_a_wrong_clock_is_given_back_by_a_manager_and_audited(earned: Shop) -> None:
    ahead = at(later(8)) + YEAR
    clock_guard.confirm_date(later(8) + YEAR, ahead, TZ, approval=manager_ok(earned))
    ledger.settle(later(8) + YEAR, earned.till.referrals, now=ahead)
    expired = {r.id for r in ReferralReward.select().where(ReferralReward.status == "expired")}
    assert len(expired) == 3
    promoter = _actor(earned.promoter.id, earned.promoter.name, "promoter")
    with pytest.raises(PermissionDenied):
        ledger.reverse_expiry(later(8) + YEAR, TZ, actor=promoter, now=at(later(9)))
    with pytest.raises(NotFound):
        ledger.reverse_expiry(later(8), TZ, approval=manager_ok(earned), now=at(later(9)))
    restored = ledger.reverse_expiry(later(8) + YEAR, TZ, approval=manager_ok(earned), now=at(later(9)))
    assert restored == 3
    rewards = list(ReferralReward.select())
    assert {(r.status, r.closed_at) for r in rewards} == {("earned", None)}
    row = AuditLog.select().where(AuditLog.action == "referral.unexpire").get()
    assert row.approved_by == earned.manager.id
    assert set(json.loads(row.after)["rewards"]) == expired
    assert integrity.verify() == []
    # With the clock right again, only what really passed its last day expires later on.
    confirm_clock(at(later(9)), TZ)
    assert ledger.settle(later(9), earned.till.referrals, now=at(later(9))).expired == 0
    assert settle(earned.till, later(7 + 31)).expired == 3


def test_a_clock_set_back_holds_settlement_too(earned: Shop) -> None:
    back = at(later(8)) - timedelta(days=1)
    state = clock_guard.check(back)
    assert state.status == clock_guard.BEHIND and state.gap == timedelta(days=1)
    assert "1 day before the store's last recorded event" in state.describe(TZ)
    assert ledger.settle(later(7), earned.till.referrals, now=back).held == state
    # A few minutes behind (another terminal's clock) is within [clock] behind_minutes.
    assert not clock_guard.check(at(later(8)) - timedelta(minutes=5)).suspicious


def test_within_the_gap_settlement_runs_without_asking(earned: Shop) -> None:
    inside = at(later(8)) + timedelta(hours=47)
    assert not clock_guard.check(inside).suspicious
    assert clock_guard.check(inside + timedelta(hours=2)).status == clock_guard.AHEAD
    assert ledger.settle(later(10), earned.till.referrals, now=inside).held is None
    # The gap is configurable.
    wide = ClockSection(max_gap_hours=400 * 24)
    assert (
        ledger.settle(later(8) + YEAR, earned.till.referrals, now=at(later(8)) + YEAR, clock=wide).held
        is None
    )


def test_confirming_needs_a_manager_and_the_clocks_own_date(earned: Shop) -> None:
    ahead = at(later(8)) + YEAR
    promoter = _actor(earned.promoter.id, earned.promoter.name, "promoter")
    with pytest.raises(PermissionDenied):
        clock_guard.confirm_date(later(8) + YEAR, ahead, TZ, actor=promoter)
    with pytest.raises(ValidationError) as err:
        clock_guard.confirm_date(later(8), ahead, TZ, approval=manager_ok(earned))
    assert (
        str(err.value) == "The clock reads 2027-12-05, not 2026-12-05: set the computer's clock right first."
    )
    assert clock_guard.check(ahead).suspicious  # nothing was confirmed
    manager = _actor(earned.manager.id, earned.manager.name, "admin")
    clock_guard.confirm_date(later(8) + YEAR, ahead, TZ, actor=manager)
    assert not clock_guard.check(ahead).suspicious


def test_a_store_without_clock_memory_starts_from_its_newest_audit_row(shop: Shop) -> None:
    newest = AuditLog.select().order_by(AuditLog.at.desc()).get().at
    Meta.delete().where(Meta.key == clock_guard.META_KEY).execute()
    assert clock_guard.last_seen() == newest
    assert clock_guard.check(newest + YEAR).status == clock_guard.AHEAD


@pytest.mark.parametrize(
    ("events", "last", "leap"),
    [
        ([datetime(2026, 1, 1), datetime(2026, 1, 2)], datetime(2026, 1, 2), timedelta(days=1)),
        ([datetime(2026, 1, 2), datetime(2026, 1, 1)], datetime(2026, 1, 2), timedelta(0)),
        (
            [datetime(2026, 1, 1), datetime(2027, 1, 1), datetime(2027, 1, 2)],
            datetime(2027, 1, 2),
            timedelta(days=365),
        ),
    ],
)
def test_seen_keeps_the_latest_event_and_the_biggest_leap(
    events: list[datetime], last: datetime, leap: timedelta
) -> None:
    seen = clock_guard.Seen()
    for moment in events:
        seen = seen.after(moment)
    assert seen.last == last and seen.leap == leap
    assert clock_guard.Seen.from_json(seen.to_json()) == seen
    assert clock_guard.Seen.from_json("not json") == clock_guard.Seen()


def test_gap_text() -> None:
    assert clock_guard.gap_text(timedelta(days=2, hours=3)) == "2 days"
    assert clock_guard.gap_text(timedelta(hours=1, minutes=5)) == "1 hour"
    assert clock_guard.gap_text(timedelta(seconds=20)) == "1 minute"


def test_the_date_shown_is_the_stores_own(earned: Shop) -> None:
    # 23:30 UTC is already the next day in Shanghai.
    late = datetime(2026, 12, 5, 23, 30)
    assert clock_guard.local_day(late, TZ) == date(2026, 12, 6)


# ---- the command line ------------------------------------------------------------------------
def cli(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["referrals", *args], input=stdin)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_cli_settle_refuses_a_wrong_clock_until_a_manager_confirms_then_unexpire(
    earned: Shop, db_path: Path, clock: FixedClock
) -> None:
    clock.set(at(later(8)) + YEAR)  # the command line reads the suite's clock: a year ahead
    code, out = cli("settle", "--db", str(db_path))
    assert code == 1
    assert "The clock reads 2027-12-05 12:00, 365 days after the store's last recorded event" in out
    assert "Nothing was settled" in out and "--confirm-date 2027-12-05 --staff CODE" in out
    open_database(db_path)
    assert statuses() == {"earned"}
    code, out = cli("settle", "--confirm-date", "2027-12-05", "--db", str(db_path))
    assert code == 1 and "add --staff" in out
    code, out = cli(
        "settle", "--confirm-date", "2026-12-05", "--manager", "M1", "--pin", "1234", "--db", str(db_path)
    )
    assert code == 1 and "The clock reads 2027-12-05, not 2026-12-05" in out
    code, out = cli(
        "settle", "--confirm-date", "2027-12-05", "--manager", "P1", "--pin", "1111", "--db", str(db_path)
    )
    assert code == 1 and "is not a manager" in out
    code, out = cli(
        "settle", "--confirm-date", "2027-12-05", "--manager", "M1", "--db", str(db_path), stdin="1234\n"
    )
    assert code == 0, out
    assert "Rewards settled for 2027-12-05: 0 earned, 0 cancelled, 3 expired." in out
    code, out = cli(
        "unexpire", "--date", "2027-12-05", "--manager", "M1", "--pin", "1234", "--db", str(db_path)
    )
    assert code == 0, out
    assert "3 vouchers and gifts expired on 2027-12-05 are earned again." in out
    open_database(db_path)
    assert statuses() == {"earned"}
    assert AuditLog.select().where(AuditLog.action == "referral.unexpire").count() == 1
    code, out = cli(
        "unexpire", "--date", "2027-12-5x", "--manager", "M1", "--pin", "1234", "--db", str(db_path)
    )
    assert code == 1 and "--date: Not a date: 2027-12-5x" in out


def test_the_new_commands_have_help_with_an_example() -> None:
    for name in ("settle", "unexpire"):
        code, out = cli(name, "--help")
        assert code == 0 and f"Examples:\n\n  zhanggui referrals {name}" in out
