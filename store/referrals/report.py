"""What 老带新 brings in, per store and month: new customers, how many came by referral and
their share, what they spent, and the vouchers and gifts the ledger moved.

A new customer of a month is a customer whose first completed purchase (any receipt but a
return) falls in that month; they belong to the store of that first sale. They were referred
if they have a standing (active) link: the link is made at the first sale and only then."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from store.config.loader import Config
from store.kernel import moment
from store.kernel.clock import business_date
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import database
from store.people.targets import month_days, month_of, parse_month
from store.referrals.referrers import TOP_REFERRERS, LeaderRow, leaderboard, utc_start
from store.referrals.vouchers import GIVEN_BACK_NOTE


@dataclass(frozen=True)
class StoreFigures:
    store_code: str
    new_customers: int = 0
    referred: int = 0  # of the new customers, those who came by referral
    revenue_new: int = 0  # fen: what all new customers spent in the month, net of returns
    revenue_referred: int = 0  # fen: the same, of the referred ones
    links: int = 0  # referral links made in the month at this store
    vouchers_issued: int = 0  # fen of vouchers promised by the month's links
    vouchers_earned: int = 0  # fen of vouchers whose holding period ended in the month, kept
    vouchers_redeemed: int = 0  # fen spent at checkout in the month, less what refunds gave back
    vouchers_expired: int = 0  # fen left unspent on vouchers whose last day was in the month
    vouchers_cancelled: int = 0  # fen of vouchers cancelled in the month (returned or voided sales)
    gifts_handed: int = 0  # gifts handed over in the month

    @property
    def share_permille(self) -> int | None:
        """Referred new customers per thousand new customers (None: no new customers)."""
        if not self.new_customers:
            return None
        return rounded_permille(self.referred, self.new_customers)

    @property
    def share_text(self) -> str:
        return percent_text(self.share_permille)


def rounded_permille(part: int, whole: int) -> int:
    """part/whole in per mille, rounded half up: 2 of 3 is 667 (66.7 %), not 666."""
    return (part * 2000 + whole) // (2 * whole)


def percent_text(permille: int | None) -> str:
    """480 -> '48.0%'; None -> '-'. Integer arithmetic, so the same figure everywhere."""
    return "-" if permille is None else f"{permille // 10}.{permille % 10}%"


@dataclass(frozen=True)
class MonthReport:
    month: str
    through: date  # the last day counted (today for the running month)
    stores: list[StoreFigures]
    total: StoreFigures
    top: list[LeaderRow] = field(default_factory=list)


_NEW_CUSTOMERS_SQL = """
-- A return need not name the customer: their receipts are their own and those made against them.
WITH firsts AS (
  SELECT customer_id AS cid, MIN(business_date) AS day FROM sale
  WHERE customer_id IS NOT NULL AND status = 'completed' AND kind != 'return'
  GROUP BY customer_id HAVING day BETWEEN :first AND :last
), newcomers AS (
  SELECT
    (SELECT s.store_code FROM sale s WHERE s.customer_id = f.cid AND s.status = 'completed'
       AND s.kind != 'return' AND s.business_date = f.day ORDER BY s.created_at LIMIT 1) AS store,
    (SELECT COALESCE(SUM(total), 0) FROM (
       SELECT x.rowid, x.total FROM sale x WHERE x.customer_id = f.cid AND x.status = 'completed'
         AND x.business_date BETWEEN :first AND :last
       UNION
       SELECT b.rowid, b.total FROM sale s JOIN sale b ON b.original_id = s.id
       WHERE s.customer_id = f.cid AND s.status = 'completed' AND b.status = 'completed'
         AND b.business_date BETWEEN :first AND :last)) AS revenue,
    EXISTS (SELECT 1 FROM referral r WHERE r.referee_id = f.cid AND r.status = 'active') AS referred
  FROM firsts f
)
SELECT store, COUNT(*), SUM(referred), SUM(revenue), SUM(CASE WHEN referred THEN revenue ELSE 0 END)
FROM newcomers GROUP BY store
"""


# Each query gives (store, value) pairs for one voucher or gift figure of the month.
_LEDGER_SQL = {
    "links": "SELECT store_code, COUNT(*) FROM referral WHERE status = 'active' "
    "AND business_date BETWEEN :first AND :last GROUP BY 1",
    "vouchers_issued": "SELECT r.store_code, SUM(rr.amount) FROM referral r "
    "JOIN referral_reward rr ON rr.referral_id = r.id "
    "WHERE r.business_date BETWEEN :first AND :last AND rr.kind = 'voucher' AND rr.note != :given_back "
    "GROUP BY 1",
    "vouchers_earned": "SELECT r.store_code, SUM(rr.amount) FROM referral_reward rr "
    "JOIN referral r ON r.id = rr.referral_id "
    "WHERE rr.status IN ('earned', 'redeemed', 'expired') AND rr.earn_on BETWEEN :first AND :last "
    "AND rr.kind = 'voucher' AND rr.note != :given_back GROUP BY 1",
    "vouchers_redeemed": "SELECT s.store_code, SUM(vu.amount) FROM voucher_use vu "
    "JOIN sale s ON s.id = vu.sale_id WHERE s.business_date BETWEEN :first AND :last GROUP BY 1",
    "vouchers_expired": "SELECT r.store_code, SUM(rr.amount - rr.used) FROM referral_reward rr "
    "JOIN referral r ON r.id = rr.referral_id "
    "WHERE rr.status = 'expired' AND rr.kind = 'voucher' AND rr.expires_on BETWEEN :first AND :last "
    "GROUP BY 1",
    "vouchers_cancelled": "SELECT r.store_code, SUM(rr.amount - rr.used) FROM referral_reward rr "
    "JOIN referral r ON r.id = rr.referral_id "
    "WHERE rr.status = 'cancelled' AND rr.kind = 'voucher' AND rr.closed_at >= :start "
    "AND rr.closed_at < :end GROUP BY 1",
    "gifts_handed": "SELECT r.store_code, COUNT(*) FROM referral_reward rr "
    "JOIN referral r ON r.id = rr.referral_id "
    "WHERE rr.status = 'redeemed' AND rr.kind = 'gift' AND rr.closed_at >= :start "
    "AND rr.closed_at < :end GROUP BY 1",
}


def store_today(config: Config, now: datetime | None) -> date:
    return business_date(moment(now), config.tz)


def month_report(
    month: str,
    config: Config,
    store_code: str | None = None,
    now: datetime | None = None,
    top: int = TOP_REFERRERS,
) -> MonthReport:
    """The figures of ``month`` per store (all stores in the database, or one), their total
    and the top referrers. A month still running counts up to today; a future month is refused."""
    month = parse_month(month)
    today = store_today(config, now)
    first, last = month_days(month)
    if first > today:
        raise ValidationError(_("{month} has not started yet.").format(month=month))
    through = min(last, today)
    params: dict[str, Any] = {
        "first": first.isoformat(),
        "last": through.isoformat(),
        "start": utc_start(first, config.tz),
        "end": utc_start(through + timedelta(days=1), config.tz),
        "given_back": GIVEN_BACK_NOTE,
    }
    db = database.obj
    figures: dict[str, dict[str, int]] = defaultdict(dict)
    for store, new, referred, revenue, referred_revenue in db.execute_sql(_NEW_CUSTOMERS_SQL, params):
        got = figures[str(store or "")]
        got["new_customers"] = int(new)
        got["referred"] = int(referred or 0)
        got["revenue_new"] = int(revenue or 0)
        got["revenue_referred"] = int(referred_revenue or 0)
    for name, sql in _LEDGER_SQL.items():
        for store, value in db.execute_sql(sql, params):
            figures[str(store or "")][name] = int(value or 0)
    if store_code is not None:
        figures = defaultdict(dict, {store_code: figures.get(store_code, {})})
    stores = [StoreFigures(code, **values) for code, values in sorted(figures.items())]
    return MonthReport(
        month=month,
        through=through,
        stores=stores,
        total=_sum(stores),
        top=leaderboard(month, store_code, limit=top),
    )


def _sum(stores: list[StoreFigures]) -> StoreFigures:
    total = StoreFigures("")
    for row in stores:
        total = replace(
            total,
            **{
                name: getattr(total, name) + getattr(row, name)
                for name in StoreFigures.__dataclass_fields__
                if name != "store_code"
            },
        )
    return total


def default_month(config: Config, now: datetime | None = None) -> str:
    return month_of(store_today(config, now))
