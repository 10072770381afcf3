"""Customer value: RFM scores (quintiles over the store's customers), tiers A/B/C by the
configured rules, active / dormant / lost by days since the last purchase, and the segment
table with each segment's share of revenue (the domain's 80/20)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from store.crm.config import TIERS, CustomersSection
from store.db.transaction import rows_as_stored, write
from store.kernel import moment
from store.kernel.i18n import N_
from store.kernel.ids import id_text
from store.kernel.memory import collector_paused
from store.models import Customer, CustomerScore, database

STATES = ("active", "dormant", "lost")
STATE_NAMES = {"active": N_("active"), "dormant": N_("dormant"), "lost": N_("lost")}


class Score(NamedTuple):
    """A customer's RFM scoring (a tuple: 100,000 of them are made in one go)."""

    customer_id: str
    first_purchase: date
    last_purchase: date
    recency_days: int
    frequency: int
    monetary: int  # net fen in the window
    lifetime: int  # net fen of all time
    r: int
    f: int
    m: int
    tier: str
    state: str

    @property
    def total(self) -> int:
        return self.r + self.f + self.m


def quintiles(values: Sequence[int]) -> list[int]:
    """Score 1-5 each value by the share of values strictly below it: the bottom fifth is 1,
    the top fifth 5, and equal values always get the same score."""
    n = len(values)
    below: dict[int, int] = {}
    for i, v in enumerate(sorted(values)):
        below.setdefault(v, i)  # how many values are smaller than v
    return [1 + (5 * below[v]) // n for v in values]


# Completed receipts with a customer: purchases (sales and exchanges) count for frequency,
# every receipt's total (returns are negative) for money. Read from the whole history only
# when a receipt is dated after the day scored (a score of a past day): otherwise from the
# running totals below.
_AGGREGATE = """
SELECT "customer_id",
       MIN(CASE WHEN "kind" != 'return' THEN "business_date" END),
       MAX(CASE WHEN "kind" != 'return' THEN "business_date" END),
       SUM(CASE WHEN "kind" != 'return' AND "business_date" >= ? THEN 1 ELSE 0 END),
       SUM(CASE WHEN "business_date" >= ? THEN "total" ELSE 0 END),
       SUM("total")
FROM "sale"
WHERE "customer_id" IS NOT NULL AND "status" = 'completed' AND "business_date" <= ?
GROUP BY "customer_id"
"""

# The same figures from customer_totals, each customer's completed receipts in one row (kept
# by the sale table's triggers, schema version 12): a row a customer, however long the history.
_TOTALS = """
SELECT "customer_id", "first_purchase", "last_purchase", "purchases", "total", "total"
FROM "customer_totals" ORDER BY "customer_id"
"""

# A score window (score_window_days): frequency and money of its days, read by date.
_WINDOW = """
SELECT "customer_id", SUM("kind" != 'return'), SUM("total")
FROM "sale"
WHERE "business_date" >= ? AND "business_date" <= ? AND "customer_id" IS NOT NULL AND "status" = 'completed'
GROUP BY "customer_id"
"""

# The last business day with a receipt (the date index's last entry): a score of an earlier day
# leaves later receipts out, which the totals cannot.
_LAST_DAY = 'SELECT MAX("business_date") FROM "sale"'


def _aggregate(today: date, since: date) -> list[tuple[Any, ...]]:
    """customer -> (first purchase, last purchase, purchases since ``since``, net total since
    ``since``, net total of all time), over the completed receipts up to ``today``; each
    customer's id as stored (16 bytes: rows_as_stored)."""
    db = database.obj
    with db.atomic():  # one read snapshot: the totals and the window from the same moment
        last = db.execute_sql(_LAST_DAY).fetchone()[0]
        if last is not None and str(last) > today.isoformat():
            return rows_as_stored(_AGGREGATE, (since.isoformat(), since.isoformat(), today.isoformat()))
        rows = rows_as_stored(_TOTALS)
        if since == date.min:
            return rows
        window = {
            row[0]: (int(row[1]), int(row[2]))
            for row in rows_as_stored(_WINDOW, (since.isoformat(), today.isoformat()))
        }
    return [(r[0], r[1], r[2], *window.get(r[0], (0, 0)), r[5]) for r in rows]


def _tier(a_min: int, b_min: int) -> Callable[[int, int, int], str]:
    def tier(r: int, f: int, m: int) -> str:
        total = r + f + m
        return "A" if total >= a_min else "B" if total >= b_min else "C"

    return tier


def _state(active: int, lost: int) -> Callable[[int], str]:
    def state(days_since: int) -> str:
        return "active" if days_since <= active else "dormant" if days_since <= lost else "lost"

    return state


def compute(today: date, rules: CustomersSection) -> list[Score]:
    """Score every customer with at least one purchase up to ``today`` (the business date).
    Column by column, then zipped into Scores: a few C-level passes over 100,000 customers
    instead of a dozen Python steps a customer (bench figure 6: RFM <= 0.5 s at 2x history)."""
    since = today - timedelta(days=rules.score_window_days) if rules.score_window_days else date.min
    with collector_paused():  # rows, columns and scores: a few hundred thousand objects, no cycles
        return _scores(today, rules, _aggregate(today, since))


def _scores(today: date, rules: CustomersSection, aggregate: list[tuple[Any, ...]]) -> list[Score]:
    rows = [r for r in aggregate if r[2] is not None]  # only returns: nothing to score
    if not rows:
        return []
    ids, first_texts, last_texts, frequency, monetary, lifetime = map(list, zip(*rows, strict=True))
    days = {text: date.fromisoformat(str(text)) for text in {*first_texts, *last_texts}}  # a few hundred
    firsts = [days[text] for text in first_texts]
    lasts = [days[text] for text in last_texts]
    recency = [(today - last).days for last in lasts]
    r_scores = quintiles([-d for d in recency])  # fewer days since the last purchase is better
    f_scores = quintiles(frequency)
    m_scores = quintiles(monetary)
    tiers = list(map(_tier(rules.tier_a_min_score, rules.tier_b_min_score), r_scores, f_scores, m_scores))
    states = list(map(_state(rules.active_days, rules.lost_days), recency))
    texts = [id_text(i) if i.__class__ is bytes else str(i) for i in ids]
    make = tuple.__new__  # Score's own __new__ takes its fields one by one, in Python
    fields = (texts, firsts, lasts, recency, frequency, monetary, lifetime, r_scores, f_scores, m_scores)
    return [make(Score, score) for score in zip(*fields, tiers, states, strict=True)]


_INSERT = (
    'INSERT INTO "customer_score" ("customer_id", "first_purchase", "last_purchase", "recency_days", '
    '"frequency", "monetary", "lifetime", "r", "f", "m", "tier", "state", "computed_at") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def save(scores: list[Score], now: datetime | None = None) -> None:
    """Replace the stored scores (read by the profile, the A-class list and the rules)."""
    stamp = moment(now).isoformat(sep=" ")

    def _tx() -> None:
        db = database.obj
        db.execute_sql('DELETE FROM "customer_score"')
        db.cursor().executemany(
            _INSERT,
            [
                (
                    s.customer_id,
                    s.first_purchase.isoformat(),
                    s.last_purchase.isoformat(),
                    s.recency_days,
                    s.frequency,
                    s.monetary,
                    s.lifetime,
                    s.r,
                    s.f,
                    s.m,
                    s.tier,
                    s.state,
                    stamp,
                )
                for s in scores
            ],
        )

    write(_tx)


def refresh(today: date, rules: CustomersSection, now: datetime | None = None) -> list[Score]:
    scores = compute(today, rules)
    save(scores, now)
    return scores


def stored_score(customer_id: str) -> CustomerScore | None:
    return CustomerScore.get_or_none(CustomerScore.customer == customer_id)


@dataclass(frozen=True)
class Segment:
    key: str  # A / B / C / active / dormant / lost / none
    customers: int
    value: int  # fen
    share_bp: int  # share of all customers' value, basis points (1/100 %)


@dataclass(frozen=True)
class Segments:
    tiers: list[Segment]
    states: list[Segment]
    no_purchase: int
    total_value: int
    top20_share_bp: int  # what the top fifth of buyers by value make of it
    top_customers: list[Score]


def _share(part: int, whole: int) -> int:
    return (part * 10000 + whole // 2) // whole if whole > 0 else 0


def segments(scores: list[Score], customers: int, top: int = 20) -> Segments:
    """Counts and value per tier and per state; ``customers`` is everyone on file."""
    total = sum(max(s.monetary, 0) for s in scores)

    def table(keys: Sequence[str], attr: str) -> list[Segment]:
        out = []
        for key in keys:
            members = [s for s in scores if getattr(s, attr) == key]
            value = sum(max(s.monetary, 0) for s in members)
            out.append(Segment(key, len(members), value, _share(value, total)))
        return out

    by_value = sorted(scores, key=lambda s: (-s.monetary, s.customer_id))
    fifth = by_value[: max(1, (len(by_value) + 4) // 5)] if by_value else []
    return Segments(
        tiers=table(TIERS, "tier"),
        states=table(STATES, "state"),
        no_purchase=max(customers - len(scores), 0),
        total_value=total,
        top20_share_bp=_share(sum(max(s.monetary, 0) for s in fifth), total),
        top_customers=[s for s in by_value if s.tier == "A"][:top],
    )


def customer_count() -> int:
    row = database.obj.execute_sql('SELECT COUNT(*) FROM "customer" WHERE "erased_at" IS NULL').fetchone()
    return int(row[0])


def people(customer_ids: list[str]) -> dict[str, Customer]:
    """The customers behind a list of scores (names and phones for the A-class list)."""
    if not customer_ids:
        return {}
    return {c.id: c for c in Customer.select().where(Customer.id.in_(customer_ids))}


def share_text(share_bp: int) -> str:
    """Basis points as a percentage with one decimal, rounded half up: 9935 -> '99.4%'."""
    tenths = (share_bp + 5) // 10
    return f"{tenths // 10}.{tenths % 10}%"


def share_bar(share_bp: int, width: int = 20) -> str:
    """A bar of block characters in eighths of a cell: 37.5% of 20 cells is 7½ cells."""
    eighths = (share_bp * width * 8 + 5000) // 10000
    full, part = divmod(eighths, 8)
    return "█" * full + ("" if part == 0 else " ▏▎▍▌▋▊▉"[part])
