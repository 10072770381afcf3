"""What the console's promoter screens show: every promoter's level, tenure and month against
target; one promoter's profile with the next rung of the ladder and their training; and the
leave requests a promoter made or a manager has to decide."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from store.config.loader import Config
from store.kernel import moment
from store.kernel.clock import business_date
from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.models import LeaveRequest, Staff, TrainingRecord
from store.people import profiles as people
from store.people import promoter_figures
from store.people.config import LadderSection
from store.people.profiles import PromotionCheck
from store.people.targets import month_days, month_of, percent, targets_for

LEAVE_STATUS_NAMES = {
    "requested": N_("waiting"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    "withdrawn": N_("withdrawn"),
}
# Decided leave that ended longer ago than this drops off the leave screen.
LEAVE_SHOWN_DAYS = 30


@dataclass(frozen=True)
class PromoterLine:
    """One promoter's ladder position and this month's sales against their own target."""

    check: PromotionCheck
    amount: int  # fen this month, net of returns
    units: int  # handsets this month
    target_amount: int  # fen; 0 = no amount target
    target_units: int

    @property
    def staff(self) -> Staff:
        return self.check.staff

    @property
    def amount_percent(self) -> int | None:
        return percent(self.amount, self.target_amount)


@dataclass(frozen=True)
class PromoterProfile:
    line: PromoterLine
    month: str
    training: list[TrainingRecord]


def today_of(config: Config, now: datetime | None = None) -> date:
    return business_date(moment(now), config.tz)


def _lines(checks: list[PromotionCheck], config: Config, today: date, one: str | None) -> list[PromoterLine]:
    month = month_of(today)
    first, _last = month_days(month)
    figures = promoter_figures.sales_figures(first, today, config, promoter_id=one, today=today)
    goals = targets_for(month)
    lines = []
    for check in checks:
        got = figures.get(check.staff.id, promoter_figures.Figures())
        goal = goals.get((check.staff.id, ""))
        lines.append(
            PromoterLine(check, got.amount, got.units, goal.amount if goal else 0, goal.units if goal else 0)
        )
    return lines


def overview(config: Config, now: datetime | None = None) -> tuple[str, list[PromoterLine]]:
    """This month ("2026-11") and a line per promoter still with the store, by code."""
    today = today_of(config, now)
    checks = people.check_promotions(config.ladder, today)
    return month_of(today), _lines(checks, config, today, None)


def profile(staff_id: str, config: Config, now: datetime | None = None) -> PromoterProfile:
    today = today_of(config, now)
    member = people.get_staff(staff_id)
    check = people.check_promotions(config.ladder, today, [member])[0]
    line = _lines([check], config, today, staff_id)[0]
    return PromoterProfile(line, month_of(today), people.training_of(staff_id))


def ladder_courses(ladder: LadderSection) -> list[str]:
    """Every course some rung asks for, in ladder order, each once."""
    found: list[str] = []
    for level in ladder.levels:
        found.extend(course for course in level.courses if course not in found)
    return found


def parse_day(text: str) -> date:
    """'2026-12-01' (full-width digits too) -> a date; anything else is refused."""
    folded = unicodedata.normalize("NFKC", text).strip()
    try:
        return date.fromisoformat(folded)
    except ValueError as exc:
        raise ValidationError(
            _("A date is written like 2026-12-01: {text}").format(text=folded[:20])
        ) from exc


def leave_status_name(status: str) -> str:
    return _(LEAVE_STATUS_NAMES[status]) if status in LEAVE_STATUS_NAMES else status


def leave_requests(staff_id: str | None, today: date) -> list[LeaveRequest]:
    """One person's leave requests (None: everyone's): the pending ones first, then decided
    leave that has not long ended; each group by first day."""
    since = today - timedelta(days=LEAVE_SHOWN_DAYS)
    query = LeaveRequest.select().where(
        (LeaveRequest.status == "requested") | (LeaveRequest.last_day >= since)
    )
    if staff_id is not None:
        query = query.where(LeaveRequest.staff == staff_id)
    rows = list(query.order_by(LeaveRequest.first_day, LeaveRequest.created_at))
    return [r for r in rows if r.status == "requested"] + [r for r in rows if r.status != "requested"]
