"""The logged-in promoter's progress against their targets, and the leaderboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.config.loader import Config
from store.models import Staff
from store.people.promoter_figures import Figures, sales_figures, store_today
from store.people.targets import month_days, month_of, percent, projected, targets_for


@dataclass(frozen=True)
class BrandProgress:
    brand: str
    amount: int
    units: int
    target_amount: int
    target_units: int


@dataclass(frozen=True)
class Progress:
    """The logged-in promoter's month so far."""

    month: str
    today_amount: int
    today_units: int
    amount: int  # month to date
    units: int
    commission: int
    target_amount: int
    target_units: int
    amount_percent: int | None
    units_percent: int | None
    projected_amount: int
    projected_units: int
    rank: int  # on the leaderboard by amount, 1 = first
    brands: list[BrandProgress]


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    staff_id: str
    code: str
    name: str
    amount: int
    units: int
    amount_percent: int | None


def _promoters() -> list[Staff]:
    return list(Staff.select().where(Staff.role == "promoter", Staff.status != "left").order_by(Staff.code))


def leaderboard_from(
    month: str, figures: dict[str, Figures], members: list[Staff] | None = None
) -> list[LeaderRow]:
    """Promoters by amount this month (ties: more units, then code); everyone who sold is on it."""
    people = {m.id: m for m in (members if members is not None else _promoters())}
    for extra in set(figures) - set(people):
        member = Staff.get_or_none(Staff.id == extra)
        if member is not None:
            people[extra] = member
    targets = targets_for(month)
    rows = []
    for member in people.values():
        got = figures.get(member.id, Figures())
        target = targets.get((member.id, ""))
        rows.append((member, got, percent(got.amount, target.amount) if target else None))
    rows.sort(key=lambda r: (-r[1].amount, -r[1].units, r[0].code))
    return [
        LeaderRow(i, m.id, m.code, m.name, got.amount, got.units, pct)
        for i, (m, got, pct) in enumerate(rows, 1)
    ]


def leaderboard(config: Config, now: datetime | None = None) -> list[LeaderRow]:
    today = store_today(config, now)
    month = month_of(today)
    first, _last = month_days(month)
    return leaderboard_from(month, sales_figures(first, today, config, today=today))


def progress(staff_id: str, config: Config, now: datetime | None = None) -> Progress:
    today = store_today(config, now)
    month = month_of(today)
    first, last = month_days(month)
    everyone = sales_figures(first, today, config, today=today)
    mine = everyone.get(staff_id, Figures())
    today_figures = sales_figures(today, today, config, promoter_id=staff_id, today=today).get(
        staff_id, Figures()
    )
    targets = targets_for(month)
    overall = targets.get((staff_id, ""))
    target_amount = overall.amount if overall else 0
    target_units = overall.units if overall else 0
    days_gone = (today - first).days + 1
    days_in_month = (last - first).days + 1
    brands = [
        BrandProgress(brand, *mine.brand(brand), t.amount, t.units)
        for (sid, brand), t in sorted(targets.items(), key=lambda kv: kv[0][1])
        if sid == staff_id and brand
    ]
    board = leaderboard_from(month, everyone)
    rank = next((row.rank for row in board if row.staff_id == staff_id), len(board) + 1)
    return Progress(
        month=month,
        today_amount=today_figures.amount,
        today_units=today_figures.units,
        amount=mine.amount,
        units=mine.units,
        commission=mine.commission,
        target_amount=target_amount,
        target_units=target_units,
        amount_percent=percent(mine.amount, target_amount),
        units_percent=percent(mine.units, target_units),
        projected_amount=projected(mine.amount, days_gone, days_in_month),
        projected_units=projected(mine.units, days_gone, days_in_month),
        rank=rank,
        brands=brands,
    )
