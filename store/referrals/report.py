"""What 老带新 brings in: the referrers' leaderboard, the month report per store (new
customers, how many came by referral and their share, what they spent, the vouchers and gifts
the ledger moved), the patterns a manager should look at, and the exports (text, CSV, XLSX).

A new customer of a month is a customer whose first completed purchase (any receipt but a
return) falls in that month; they belong to the store of that first sale. They were referred
if they have a standing (active) link: the link is made at the first sale and only then."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from store.config.loader import Config
from store.kernel import moment
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.kernel.phone import mask
from store.models import database
from store.people.targets import month_days, month_of, parse_month
from store.referrals.config import ReferralSection
from store.referrals.vouchers import GIVEN_BACK_NOTE
from store.reports import writers
from store.reports.table import Column, Kind, Table, text_table
from store.selling.sales import business_date

TOP_REFERRERS = 10
FEW_REPEATS = "few_repeats"
SAME_FAMILY = "same_family"
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


def _people(ids: set[str]) -> dict[str, Person]:
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


def _utc_start(day: date, tz: ZoneInfo) -> datetime:
    """The naive UTC moment the store's ``day`` begins (timestamp columns are naive UTC)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


# ---- the leaderboard ---------------------------------------------------------------------------


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


def _store_filter(store_code: str | None, column: str) -> tuple[str, list[Any]]:
    if store_code is None:
        return "", []
    return f"AND {column} = ?", [store_code]


def leaderboard(month: str, store_code: str | None = None, limit: int | None = None) -> list[LeaderRow]:
    """Referrers by the new customers they brought in ``month`` (ties: more revenue, then
    name), optionally of one store and only the first ``limit``."""
    first, last = month_days(month)
    only, extra = _store_filter(store_code, "r.store_code")
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
    people = _people(set(counted))
    order = sorted(counted, key=lambda rid: (-counted[rid][0], -counted[rid][1], people[rid].name, rid))
    if limit is not None:
        order = order[:limit]
    return [
        LeaderRow(rank, people[rid], *counted[rid], *rewards.get(rid, (0, 0, 0)))
        for rank, rid in enumerate(order, 1)
    ]


# ---- the month report --------------------------------------------------------------------------


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


def _today(config: Config, now: datetime | None) -> date:
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
    today = _today(config, now)
    first, last = month_days(month)
    if first > today:
        raise ValidationError(_("{month} has not started yet.").format(month=month))
    through = min(last, today)
    params: dict[str, Any] = {
        "first": first.isoformat(),
        "last": through.isoformat(),
        "start": _utc_start(first, config.tz),
        "end": _utc_start(through + timedelta(days=1), config.tz),
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


# ---- flags for the manager ---------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    kind: str  # FEW_REPEATS or SAME_FAMILY
    referrer: Person
    referees: list[Person]
    reason: str

    @property
    def title(self) -> str:
        return flag_title(self.kind)


def flag_title(kind: str) -> str:
    titles = {
        FEW_REPEATS: _("no second purchase"),
        SAME_FAMILY: _("same prefix, surname"),
    }
    return titles.get(kind, kind)


_WINDOW_SQL = """
SELECT r.referrer_id, r.referee_id,
  EXISTS (SELECT 1 FROM sale s WHERE s.customer_id = r.referee_id AND s.status = 'completed'
          AND s.kind != 'return' AND s.id != r.sale_id AND s.business_date >= r.business_date) AS again
FROM referral r
WHERE r.status = 'active' AND r.business_date BETWEEN ? AND ? {store}
ORDER BY r.business_date, r.created_at
"""
_SAME_FAMILY_SQL = """
SELECT r.referrer_id, r.referee_id
FROM referral r JOIN customer a ON a.id = r.referrer_id JOIN customer b ON b.id = r.referee_id
WHERE r.status = 'active' AND r.business_date BETWEEN ? AND ? {store}
  AND a.erased_at IS NULL AND b.erased_at IS NULL
  AND length(a.phone) = 11 AND substr(a.phone, 1, 7) = substr(b.phone, 1, 7)
  AND a.name != '' AND substr(a.name, 1, 1) = substr(b.name, 1, 1)
ORDER BY r.business_date, r.created_at
"""
PREFIX_DIGITS = 7


def flags(today: date, policy: ReferralSection, store_code: str | None = None) -> list[Flag]:
    """Links of the last ``policy.flag_window_days`` days worth a manager's look: (a) a
    referrer with at least ``flag_min_referrals`` new customers of whom at most
    ``flag_repeat_percent`` % bought a second time; (b) a referrer and a new customer with the
    same first seven digits of their phone and the same surname (the first character of the
    name), which is how one person registers a relative, or themselves, twice."""
    since = today - timedelta(days=policy.flag_window_days - 1)
    only, extra = _store_filter(store_code, "r.store_code")
    span = [since.isoformat(), today.isoformat(), *extra]
    db = database.obj
    brought: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for referrer, referee, again in db.execute_sql(_WINDOW_SQL.format(store=only), span):
        brought[referrer].append((referee, bool(again)))
    few: list[tuple[str, list[str], int, int]] = []
    for referrer, referees in brought.items():
        repeat = sum(1 for _r, again in referees if again)
        if len(referees) >= policy.flag_min_referrals and repeat * 100 <= policy.flag_repeat_percent * len(
            referees
        ):
            few.append((referrer, [r for r, again in referees if not again], len(referees), repeat))
    family: dict[str, list[str]] = defaultdict(list)
    for referrer, referee in db.execute_sql(_SAME_FAMILY_SQL.format(store=only), span):
        family[referrer].append(referee)
    wanted = {f[0] for f in few} | {r for f in few for r in f[1]} | set(family)
    people = _people(wanted | {r for kin in family.values() for r in kin})
    found: list[Flag] = []
    for referrer, quiet, total, repeat in sorted(few, key=lambda f: (-f[2], people[f[0]].name)):
        found.append(
            Flag(
                FEW_REPEATS,
                people[referrer],
                [people[r] for r in quiet],
                _(
                    "{n} new customers in {days} days, {repeat} came back ({pct}, flag at {limit}% or less)"
                ).format(
                    n=total,
                    days=policy.flag_window_days,
                    repeat=repeat,
                    pct=percent_text(rounded_permille(repeat, total)),
                    limit=policy.flag_repeat_percent,
                ),
            )
        )
    for referrer, kin in sorted(family.items(), key=lambda kv: (-len(kv[1]), people[kv[0]].name)):
        who = people[referrer]
        found.append(
            Flag(
                SAME_FAMILY,
                who,
                [people[r] for r in kin],
                _("same first {digits} phone digits and surname ({surname}) as the referrer").format(
                    digits=PREFIX_DIGITS, surname=who.name[:1]
                ),
            )
        )
    return found


# ---- exports -----------------------------------------------------------------------------------


def store_headers() -> list[str]:
    return [
        _("Store"),
        _("New customers"),
        _("Referred"),
        _("Share"),
        _("New customers' sales"),
        _("Referred customers' sales"),
        _("Vouchers issued"),
        _("Earned"),
        _("Redeemed"),
        _("Expired"),
        _("Cancelled"),
        _("Gifts handed over"),
    ]


def leader_headers() -> list[str]:
    return [
        "#",
        _("Referrer"),
        _("Phone"),
        _("New customers"),
        _("First sales"),
        _("Pending"),
        _("Earned"),
        _("Gifts"),
    ]


def _money(fen: int) -> str:
    return format_fen(fen, symbol=False)


def _store_row(row: StoreFigures, label: str) -> list[str]:
    return [
        label,
        str(row.new_customers),
        str(row.referred),
        row.share_text,
        _money(row.revenue_new),
        _money(row.revenue_referred),
        _money(row.vouchers_issued),
        _money(row.vouchers_earned),
        _money(row.vouchers_redeemed),
        _money(row.vouchers_expired),
        _money(row.vouchers_cancelled),
        str(row.gifts_handed),
    ]


def _leader_row(row: LeaderRow) -> list[str]:
    return [
        str(row.rank),
        row.referrer.name,
        row.referrer.phone,
        str(row.referred),
        _money(row.revenue),
        _money(row.pending),
        _money(row.earned),
        str(row.gifts),
    ]


def _store_label(code: str) -> str:
    return code or "-"


def headline(report: MonthReport) -> str:
    """The one line the seed's claim is checked against."""
    total = report.total
    return _("{referred} of {new} new customers came by referral ({share}); they spent {amount}.").format(
        referred=total.referred,
        new=total.new_customers,
        share=total.share_text,
        amount=format_fen(total.revenue_referred),
    )


def as_text(report: MonthReport) -> str:
    title = _("Referrals {month} (through {day})").format(month=report.month, day=report.through.isoformat())
    rows = [_store_row(r, _store_label(r.store_code)) for r in report.stores]
    if len(report.stores) > 1:
        rows.append(_store_row(report.total, _("All stores")))
    stores = writers.as_text(text_table(store_headers(), rows))
    parts = [title, headline(report), "", stores, "", _("Top referrers")]
    if report.top:
        parts.append(writers.as_text(text_table(leader_headers(), [_leader_row(r) for r in report.top])))
    else:
        parts.append(_("No referrals this month."))
    return "\n".join(parts) + "\n"


_STORE_FIELDS = [
    "new_customers",
    "referred",
    "share_permille",
    "revenue_new_fen",
    "revenue_referred_fen",
    "links",
    "vouchers_issued_fen",
    "vouchers_earned_fen",
    "vouchers_redeemed_fen",
    "vouchers_expired_fen",
    "vouchers_cancelled_fen",
    "gifts_handed",
]
_LEADER_FIELDS = [
    "rank",
    "referral_code",
    "name",
    "phone",
    "new_customers",
    "revenue_fen",
    "pending_fen",
    "earned_fen",
    "gifts",
]


def _store_values(row: StoreFigures) -> list[object]:
    return [
        row.new_customers,
        row.referred,
        row.share_permille,
        row.revenue_new,
        row.revenue_referred,
        row.links,
        row.vouchers_issued,
        row.vouchers_earned,
        row.vouchers_redeemed,
        row.vouchers_expired,
        row.vouchers_cancelled,
        row.gifts_handed,
    ]


_FEN, _INT, _PERMILLE = Kind.FEN, Kind.INT, Kind.PERMILLE
_STORE_KINDS = (_INT, _INT, _PERMILLE, _FEN, _FEN, _INT, _FEN, _FEN, _FEN, _FEN, _FEN, _INT)
_LEADER_KINDS = (_INT, Kind.TEXT, Kind.TEXT, Kind.TEXT, _INT, _FEN, _FEN, _FEN, _INT)


def as_csv(report: MonthReport) -> str:
    """Machine-readable, amounts in fen and the share in per mille: one row a store (store
    '*' is the total), then a blank line and the top referrers."""
    month = Column("month")
    stores = Table([month, Column("store"), *map(Column, _STORE_FIELDS, _STORE_KINDS)])
    for row in report.stores:
        stores.add(report.month, row.store_code, *_store_values(row))
    stores.add(report.month, "*", *_store_values(report.total))
    leaders = Table([month, *map(Column, _LEADER_FIELDS, _LEADER_KINDS)])
    for leader in report.top:
        person = leader.referrer
        leaders.add(
            report.month,
            leader.rank,
            person.code,
            person.name,
            person.phone,
            leader.referred,
            leader.revenue,
            leader.pending,
            leader.earned,
            leader.gifts,
        )
    return writers.to_csv(stores, leaders)


def write_xlsx(report: MonthReport, path: Path) -> None:
    """Two sheets, numbers as numbers: the stores (yuan with two decimals, the share as a
    percentage) and the top referrers."""
    kinds = [Kind.TEXT, *(k for f, k in zip(_STORE_FIELDS, _STORE_KINDS, strict=True) if f != "links")]
    stores = Table(list(map(Column, store_headers(), kinds)), title=report.month)
    rows = [(_store_label(r.store_code), r) for r in report.stores]
    rows.append((_("All stores"), report.total))
    for label, row in rows:
        values = _store_values(row)
        del values[_STORE_FIELDS.index("links")]
        stores.add(label, *values)
    leader_kinds = [k for f, k in zip(_LEADER_FIELDS, _LEADER_KINDS, strict=True) if f != "referral_code"]
    leaders = Table(list(map(Column, leader_headers(), leader_kinds)), title=_("Top referrers"))
    for leader in report.top:
        leaders.add(
            leader.rank,
            leader.referrer.name,
            leader.referrer.phone,
            leader.referred,
            leader.revenue,
            leader.pending,
            leader.earned,
            leader.gifts,
        )
    writers.write_xlsx(path, stores, leaders)


def flags_text(found: list[Flag]) -> str:
    if not found:
        return _("Nothing to look at: no referral matches a warning pattern.") + "\n"
    rows = [
        [
            flag.title,
            flag.referrer.label,
            ", ".join(p.label for p in flag.referees),
            flag.reason,
        ]
        for flag in found
    ]
    headers = [_("Pattern"), _("Referrer"), _("New customers"), _("Why")]
    return writers.as_text(text_table(headers, rows), maxcolwidths=[None, None, 40, 40]) + "\n"


def default_month(config: Config, now: datetime | None = None) -> str:
    return month_of(_today(config, now))
