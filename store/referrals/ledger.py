"""The reward ledger: entries are made with the referred first sale, earned once the sale has
been kept through the holding period, cancelled by a return or void inside it, and expire
when a voucher or gift is not used in time.

Every function that writes is called inside the transaction of the sale, return or void it
belongs to (store.selling.checkout), or makes its own (settle, hand_over_gift)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from store.audit import chain
from store.config.loader import ClockSection
from store.db.transaction import write
from store.kernel import clock_guard, moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.models import Product, Referral, ReferralReward, StockMovement, database
from store.referrals import link
from store.referrals.config import ReferralSection, Reward
from store.referrals.rules import Criteria, best_rule, fresh_lines, kept_lines, kept_lines_of

OPEN = ("pending", "earned")
STATUSES = ("pending", "earned", "redeemed", "expired", "cancelled")


@dataclass(frozen=True)
class Attribution:
    referral_id: str
    rule: str  # "" when no rule matched: the link stands, nobody is rewarded
    capped: bool
    rewards: int  # ledger entries made


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def rewarded_this_month(referrer_id: str, day: date) -> int:
    """Referrals that brought this referrer a reward in the month of ``day`` (cancelled ones
    do not count against the cap)."""
    first, last = _month_bounds(day)
    row = database.obj.execute_sql(
        "SELECT COUNT(DISTINCT rr.referral_id) FROM referral_reward rr "
        "JOIN referral r ON r.id = rr.referral_id "
        "WHERE r.referrer_id = ? AND rr.side = 'referrer' AND rr.status != 'cancelled' "
        "AND r.business_date BETWEEN ? AND ?",
        (referrer_id, first.isoformat(), last.isoformat()),
    ).fetchone()
    return int(row[0])


def _entries(reward: Reward, side: str, customer_id: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    if reward.voucher_fen:
        rows.append({"side": side, "customer": customer_id, "kind": "voucher", "amount": reward.voucher_fen})
    if reward.points:
        rows.append({"side": side, "customer": customer_id, "kind": "points", "amount": reward.points})
    if reward.gift:
        rows.append({"side": side, "customer": customer_id, "kind": "gift", "amount": 1, "gift": reward.gift})
    return rows


_INSERT_REFERRAL = (
    'INSERT INTO "referral" ("id", "referrer_id", "referee_id", "sale_id", "staff_id", "store_code", '
    '"business_date", "created_at", "status", "rule", "capped") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)
_INSERT_REWARD = (
    'INSERT INTO "referral_reward" ("id", "referral_id", "sale_id", "customer_id", "side", "kind", '
    '"amount", "used", "gift", "status", "created_at", "earn_on", "earned_at", "expires_on", '
    '"closed_at", "handed_by_id", "note") VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, NULL, NULL, \'\')'
)


def attribute(
    *,
    sale_id: str,
    referee_id: str | None,
    referrer_id: str,
    staff_id: str,
    store_code: str,
    day: date,
    stamp: datetime,
    policy: ReferralSection,
) -> Attribution:
    """Link the referee to the referrer for this first sale (already written, same
    transaction) and make the pending ledger entries the rule in force on ``day`` gives. The
    sale's own audit row names the referrer: one hash-chained row a sale keeps checkout fast."""
    link.check_link(referee_id, referrer_id, except_sale=sale_id)
    assert referee_id is not None  # check_link refuses a sale without a customer
    lines = fresh_lines(sale_id)
    rule = best_rule(policy, day, lines) if policy.enabled else None
    capped = False
    entries: list[dict[str, object]] = []
    if rule is not None:
        capped = bool(policy.monthly_cap) and rewarded_this_month(referrer_id, day) >= policy.monthly_cap
        if not capped:
            entries += _entries(rule.referrer, "referrer", referrer_id)
        entries += _entries(rule.referee, "referee", referee_id)
    referral_id = new_id()
    criteria = Criteria.of(rule) if rule is not None else None
    # Plain tuples through prepared statements: the values are what peewee would hand sqlite3
    # (str, int, date, datetime, None), without its per-field conversion, the larger part of
    # a referred sale's extra commit time.
    cursor = database.obj.cursor()
    cursor.execute(
        _INSERT_REFERRAL,
        (
            referral_id,
            referrer_id,
            referee_id,
            sale_id,
            staff_id,
            store_code,
            day,
            stamp,
            "active",
            criteria.to_json() if criteria is not None else "",
            int(capped),
        ),
    )
    if rule is not None and entries:
        earn_on = day + timedelta(days=rule.holding_days)
        now_earned = rule.holding_days == 0
        valid_until = earn_on + timedelta(days=policy.voucher_valid_days)
        cursor.executemany(
            _INSERT_REWARD,
            [
                (
                    new_id(),
                    referral_id,
                    sale_id,
                    entry["customer"],
                    entry["side"],
                    entry["kind"],
                    entry["amount"],
                    entry.get("gift", ""),
                    "earned" if now_earned else "pending",
                    stamp,
                    earn_on,
                    stamp if now_earned else None,
                    valid_until if now_earned and entry["kind"] != "points" else None,
                )
                for entry in entries
            ],
        )
    return Attribution(referral_id, criteria.label if criteria else "", capped, len(entries))


def _cancel(where: str, params: tuple[object, ...], note: str, stamp: datetime) -> int:
    cursor = database.obj.execute_sql(
        f"UPDATE referral_reward SET status = 'cancelled', closed_at = ?, note = ? WHERE {where}",
        (stamp, note, *params),
    )
    return int(cursor.rowcount)


def after_return(original_sale_id: str, stamp: datetime) -> int:
    """A return against a referred first sale: pending entries are cancelled at once if what
    the customer kept no longer meets the rule that made them. Returns entries cancelled."""
    referral = Referral.get_or_none((Referral.sale == original_sale_id) & (Referral.status == "active"))
    if referral is None or not referral.rule:
        return 0
    if Criteria.from_json(referral.rule).met_by(kept_lines(original_sale_id)):
        return 0
    return _cancel(
        "referral_id = ? AND status = 'pending'", (referral.id,), "returned in the holding period", stamp
    )


def after_void(sale_id: str, stamp: datetime) -> None:
    """A voided first sale never happened: the link goes (so the customer can be referred
    when they really buy) and its unused entries are cancelled. A voided return is judged
    again like a return."""
    referral = Referral.get_or_none((Referral.sale == sale_id) & (Referral.status == "active"))
    if referral is not None:
        Referral.update(status="void").where(Referral.id == referral.id).execute()
        _cancel(
            "referral_id = ? AND status IN ('pending', 'earned') AND used = 0",
            (referral.id,),
            "first sale voided",
            stamp,
        )


@dataclass(frozen=True)
class Settled:
    earned: int
    cancelled: int
    expired: int
    # The clock looked wrong (store.kernel.clock_guard): nothing was settled, it waits for a manager.
    held: clock_guard.ClockState | None = None


def settle(
    today: date, policy: ReferralSection, now: datetime | None = None, clock: ClockSection | None = None
) -> Settled:
    """Time passing: entries whose holding period is over are earned if the sale was kept,
    otherwise cancelled; vouchers and gifts past their last day expire. Idempotent.

    None of that can be undone, so while the clock disagrees with what the store has seen
    (clock_guard.hold) nothing is settled: the result carries the clock's state instead.

    Set-based: one read of the due sales with their kept lines, then one update per outcome,
    so a day of a thousand referred sales settles in one short write."""
    stamp = moment(now)
    valid = f"+{policy.voucher_valid_days} days"

    def _tx() -> Settled:
        held = clock_guard.hold(stamp, clock)
        if held is not None:
            return Settled(0, 0, 0, held)
        db = database.obj
        due = db.execute_sql(
            "SELECT DISTINCT rr.sale_id, r.rule, s.status FROM referral_reward rr "
            "JOIN referral r ON r.id = rr.referral_id JOIN sale s ON s.id = rr.sale_id "
            "WHERE rr.status = 'pending' AND rr.earn_on <= ?",
            (today.isoformat(),),
        ).fetchall()
        lines = kept_lines_of({str(sale_id) for sale_id, _rule, _status in due})
        kept = [
            (sale_id,)
            for sale_id, rule, status in due
            if status == "completed" and rule and Criteria.from_json(rule).met_by(lines.get(sale_id, []))
        ]
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS settle_kept (id TEXT PRIMARY KEY)")
        db.execute_sql("DELETE FROM settle_kept")
        db.cursor().executemany("INSERT OR IGNORE INTO settle_kept (id) VALUES (?)", kept)
        earned = db.execute_sql(
            "UPDATE referral_reward SET status = 'earned', earned_at = ?, "
            "expires_on = CASE WHEN kind = 'points' THEN NULL ELSE date(earn_on, ?) END "
            "WHERE status = 'pending' AND earn_on <= ? AND sale_id IN (SELECT id FROM settle_kept)",
            (stamp, valid, today.isoformat()),
        ).rowcount
        db.execute_sql("DELETE FROM settle_kept")
        # What is still due now is what was not kept.
        cancelled = db.execute_sql(
            "UPDATE referral_reward SET status = 'cancelled', closed_at = ?, note = ? "
            "WHERE status = 'pending' AND earn_on <= ?",
            (stamp, "not kept through the holding period", today.isoformat()),
        ).rowcount
        expired = db.execute_sql(
            "UPDATE referral_reward SET status = 'expired', closed_at = ? "
            "WHERE status = 'earned' AND kind IN ('voucher', 'gift') AND expires_on < ?",
            (stamp, today.isoformat()),
        ).rowcount
        return Settled(int(earned), int(cancelled), int(expired))

    return write(_tx)


def settle_due(today: date) -> bool:
    """Whether settle() would change anything: read first, so screens can call it freely
    without taking the write lock when nothing is due."""
    row = database.obj.execute_sql(
        "SELECT 1 FROM referral_reward WHERE (status = 'pending' AND earn_on <= ?) "
        "OR (status = 'earned' AND kind IN ('voucher', 'gift') AND expires_on < ?) LIMIT 1",
        (today.isoformat(), today.isoformat()),
    ).fetchone()
    return row is not None


def settle_if_due(
    today: date, policy: ReferralSection, clock: ClockSection | None = None, now: datetime | None = None
) -> Settled:
    if not settle_due(today):
        return Settled(0, 0, 0)
    return settle(today, policy, now, clock)


def reverse_expiry(
    day: date,
    tz: ZoneInfo,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> int:
    """A wrong clock expired vouchers and gifts on ``day`` (the store's date the clock showed):
    a manager gives them back, earned as they were before, with one audit row naming them.
    One whose last day has really passed expires again at the next settlement. Returns how
    many were restored."""
    staff_id, approved_by = manager_authority(actor, approval)
    stamp = moment(now)
    start = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    end = start + timedelta(days=1)

    def _tx() -> int:
        rows = list(
            ReferralReward.select(ReferralReward.id)
            .where(
                (ReferralReward.status == "expired")
                & (ReferralReward.closed_at >= start)
                & (ReferralReward.closed_at < end)
            )
            .order_by(ReferralReward.id)
        )
        if not rows:
            raise NotFound(
                _("No voucher or gift expired on {day}: nothing to give back.").format(day=day.isoformat())
            )
        ids = [r.id for r in rows]
        ReferralReward.update(status="earned", closed_at=None).where(ReferralReward.id.in_(ids)).execute()
        chain.record(
            "referral.unexpire",
            staff_id=staff_id,
            approved_by=approved_by,
            entity="referral_reward",
            entity_id=day.isoformat(),
            before={"status": "expired", "day": day.isoformat()},
            after={"status": "earned", "rewards": ids},
            at=stamp,
        )
        return len(ids)

    return write(_tx)


def hand_over_gift(reward_id: str, staff_id: str, today: date, now: datetime | None = None) -> ReferralReward:
    """The gift was given to the customer: by whom and when."""
    stamp = moment(now)

    def _tx() -> ReferralReward:
        reward = ReferralReward.get_or_none(ReferralReward.id == reward_id)
        if reward is None or reward.kind != "gift":
            raise NotFound(_("No such gift."))
        if reward.status == "pending":
            raise ValidationError(
                _("The gift is earned on {day}, once the sale has been kept that long.").format(
                    day=reward.earn_on.isoformat()
                )
            )
        if reward.status != "earned" or (reward.expires_on is not None and reward.expires_on < today):
            raise ValidationError(
                _("This gift cannot be handed over: it is {status}.").format(
                    status=status_name(reward.status if reward.status != "earned" else "expired")
                )
            )
        ReferralReward.update(status="redeemed", handed_by=staff_id, closed_at=stamp).where(
            ReferralReward.id == reward.id
        ).execute()
        product_id = _gift_leaves_stock(reward, staff_id, stamp)
        chain.record(
            "referral.gift_handed_over",
            staff_id=staff_id,
            entity="referral_reward",
            entity_id=reward.id,
            before={"status": "earned"},
            after={"status": "redeemed", "gift": reward.gift, "product": product_id},
            at=stamp,
        )
        return ReferralReward.get_by_id(reward.id)

    return write(_tx)


def _gift_leaves_stock(reward: ReferralReward, staff_id: str, stamp: datetime) -> str:
    """A gift named by a product's SKU or barcode (a product sold by quantity) leaves stock as
    one 'gift' movement of that product, in the hand-over's transaction. Returns the product id,
    or "" for a gift that is not a product ("钢化膜" as free text: nothing to move)."""
    code = reward.gift.strip()
    if not code:
        return ""
    named = (Product.sku == code) | (Product.barcode == code)
    product = Product.get_or_none(named & (Product.serialized == 0))
    if product is None:
        return ""
    StockMovement.create(
        product=product.id,
        kind="gift",
        qty=-1,
        staff=staff_id,
        created_at=stamp,
        document=reward.id,
        reason="referral gift",
    )
    return str(product.id)


def status_name(status: str) -> str:
    names = {
        "pending": _("pending"),
        "earned": _("earned"),
        "redeemed": _("redeemed"),
        "expired": _("expired"),
        "cancelled": _("cancelled"),
    }
    return names.get(status, status)


def kind_name(kind: str) -> str:
    names = {"voucher": _("voucher"), "points": _("points"), "gift": _("gift")}
    return names.get(kind, kind)
