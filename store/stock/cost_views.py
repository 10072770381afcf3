"""Stock figures at purchase cost, as a given person may see them: costs are a manager's
business, so for anyone else (and for a command run without a login) every amount at cost is
None and the interfaces leave the column out. The decision is made here, never in a screen or
a command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.kernel.auth import Actor
from store.stock import count_approval, count_review, count_sessions, reorder


def may_see_costs(actor: Actor | None) -> bool:
    """Managers (and admins) see purchase costs; other roles and anonymous readers do not."""
    return actor is not None and actor.is_manager


@dataclass(frozen=True)
class VelocityRow:
    sku: str
    name: str
    velocity: str  # hot / regular / slow
    sold: int
    on_hand: int
    idle_days: int
    tied_up: int | None  # fen at cost; None: not for this reader


@dataclass(frozen=True)
class Velocity:
    rows: list[VelocityRow]
    with_costs: bool
    dead: int  # products with no sale in [stock] dead_days
    dead_value: int | None  # fen at cost tied up in them; None: not for this reader


def velocity(plans: list[reorder.Plan], actor: Actor | None, *, dead_only: bool = False) -> Velocity:
    """Every product's velocity and stock (the dead ones, most money first, for ``dead_only``)."""
    costs = may_see_costs(actor)
    dead = reorder.dead_stock(plans)
    chosen = dead if dead_only else plans
    rows = [
        VelocityRow(
            p.sku, p.name, p.velocity, p.demand.units, p.on_hand, p.idle_days, p.tied_up if costs else None
        )
        for p in chosen
    ]
    return Velocity(rows, costs, len(dead), sum(p.tied_up for p in dead) if costs else None)


@dataclass(frozen=True)
class CountRow:
    number: str
    created_at: datetime  # naive UTC, as stored
    scope: str
    status: str
    differences: int | None  # lines with a difference once approved, else None
    net_value: int | None  # fen at cost once approved; None too when not for this reader


def count_rows(actor: Actor | None) -> tuple[list[CountRow], bool]:
    """Every count, newest first, and whether the values at cost are shown to ``actor``."""
    costs = may_see_costs(actor)
    rows = []
    for count in count_sessions.counts():
        approved = count.status == "approved"
        lines = count_approval.approved_lines(count) if approved else []
        rows.append(
            CountRow(
                number=str(count.number),
                created_at=count.created_at,
                scope=count_sessions.scope_label(count),
                status=count_sessions.status_name(count.status),
                differences=len(lines) if approved else None,
                net_value=sum(ln.value for ln in lines) if approved and costs else None,
            )
        )
    return rows, costs


@dataclass(frozen=True)
class CountLine:
    sku: str
    name: str
    book: int
    counted: int
    diff: int
    moved: int | None  # what approval moved; None before approval
    value: int | None  # fen at cost; None: not for this reader


@dataclass(frozen=True)
class CountResult:
    title: str
    lines: list[CountLine]
    with_costs: bool


def count_result(
    number: str, actor: Actor | None, *, all_lines: bool = False, now: datetime | None = None
) -> CountResult:
    """One count's lines: as approved for an approved count, else its variances as of now."""
    costs = may_see_costs(actor)
    count = count_sessions.find_count(number)
    if count.status == "approved":
        lines = [
            CountLine(
                ln.sku,
                ln.name,
                ln.expected,
                ln.counted,
                ln.variance,
                ln.adjusted,
                ln.value if costs else None,
            )
            for ln in count_approval.approved_lines(count, all_lines=all_lines)
        ]
    else:
        review = count_review.review(count.id, now=now)
        shown = review.lines if all_lines else review.differences
        lines = [
            CountLine(
                ln.sku, ln.name, ln.expected, ln.counted, ln.variance, None, ln.value if costs else None
            )
            for ln in shown
        ]
    title = f"{count.number}  {count_sessions.scope_label(count)}  {count_sessions.status_name(count.status)}"
    return CountResult(title, lines, costs)
