"""The referrers behind 老带新 and their leaderboard: who brought in how many new customers, and
the rewards the ledger gave them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from store.kernel.i18n import _
from store.kernel.phone import mask
from store.models import database
from store.people.targets import month_days
from store.referrals.vouchers import GIVEN_BACK_NOTE

TOP_REFERRERS = 10


# SQLite limits the number of ? in one statement; customers are read in batches of this many.
_BATCH = 500


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    phone: str  # masked: 138****8000
    code: str  # the referral code

    @property
    def label(self) -> str:
        return f"{self.name} {self.phone}".strip()


def people_by_id(ids: set[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        marks = ", ".join("?" for _c in chunk)
        rows = database.obj.execute_sql(
            'SELECT "id", "name", "phone", "referral_code", "erased_at" FROM "customer" '
            f'WHERE "id" IN ({marks})',
            chunk,
        ).fetchall()
        for cid, name, phone, code, erased in rows:
            if erased is not None:
                found[cid] = Person(cid, _("(erased)"), "", "")
            else:
                found[cid] = Person(cid, name or "", mask(str(phone)), code or "")
    for cid in ids - set(found):
        found[cid] = Person(cid, "?", "", "")
    return found


def utc_start(day: date, tz: ZoneInfo) -> datetime:
    """The naive UTC moment the store's ``day`` begins (timestamp columns are naive UTC)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    referrer: Person
    referred: int  # new customers brought in the month (standing links)
    revenue: int  # fen: their first sales, less what was returned of them
    pending: int  # fen of the referrer's vouchers for these referrals still in the holding period
    earned: int  # fen of those vouchers earned (spent, unspent or expired since)
    gifts: int  # gifts for these referrals, not cancelled


_LEADER_SQL = """
SELECT r.referrer_id, COUNT(*),
  SUM(s.total + COALESCE((SELECT SUM(b.total) FROM sale b
                          WHERE b.original_id = s.id AND b.status = 'completed'), 0))
FROM referral r JOIN sale s ON s.id = r.sale_id
WHERE r.status = 'active' AND r.business_date BETWEEN ? AND ? {store}
GROUP BY r.referrer_id
"""


_LEADER_REWARDS_SQL = """
SELECT r.referrer_id,
  SUM(CASE WHEN rr.kind = 'voucher' AND rr.status = 'pending' THEN rr.amount ELSE 0 END),
  SUM(CASE WHEN rr.kind = 'voucher' AND rr.status IN ('earned', 'redeemed', 'expired')
      THEN rr.amount ELSE 0 END),
  SUM(CASE WHEN rr.kind = 'gift' AND rr.status != 'cancelled' THEN 1 ELSE 0 END)
FROM referral r JOIN referral_reward rr ON rr.referral_id = r.id
WHERE r.status = 'active' AND r.business_date BETWEEN ? AND ? {store}
  AND rr.side = 'referrer' AND rr.note != ?
GROUP BY r.referrer_id
"""


def store_filter(store_code: str | None, column: str) -> tuple[str, list[Any]]:
    if store_code is None:
        return "", []
    return f"AND {column} = ?", [store_code]


def leaderboard(month: str, store_code: str | None = None, limit: int | None = None) -> list[LeaderRow]:
    """Referrers by the new customers they brought in ``month`` (ties: more revenue, then
    name), optionally of one store and only the first ``limit``."""
    first, last = month_days(month)
    only, extra = store_filter(store_code, "r.store_code")
    span = [first.isoformat(), last.isoformat(), *extra]
    db = database.obj
    counted = {
        rid: (int(n), int(revenue or 0))
        for rid, n, revenue in db.execute_sql(_LEADER_SQL.format(store=only), span).fetchall()
    }
    rewards = {
        rid: (int(pending or 0), int(earned or 0), int(gifts or 0))
        for rid, pending, earned, gifts in db.execute_sql(
            _LEADER_REWARDS_SQL.format(store=only), [*span, GIVEN_BACK_NOTE]
        ).fetchall()
    }
    people = people_by_id(set(counted))
    order = sorted(counted, key=lambda rid: (-counted[rid][0], -counted[rid][1], people[rid].name, rid))
    if limit is not None:
        order = order[:limit]
    return [
        LeaderRow(rank, people[rid], *counted[rid], *rewards.get(rid, (0, 0, 0)))
        for rank, rid in enumerate(order, 1)
    ]
