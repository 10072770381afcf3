"""The demo's 老带新: about a third of new buyers came through an old customer, with the
rewards the default rule gives, in the state the days since have left them in."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from store.demo.clock import _stamp
from store.demo.roster import DEMO_STORE_CODE
from store.demo.state import _State
from store.referrals.config import ReferralSection
from store.referrals.rules import Criteria

REFERRED_SHARE = 0.35
GIFT_HANDED_SHARE = 0.8
_EPOCH = datetime(1970, 1, 1)

_SQL_REFERRAL = (
    'INSERT INTO "referral" ("id", "referrer_id", "referee_id", "sale_id", "staff_id", "store_code", '
    '"business_date", "created_at", "status", "rule", "capped") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)
_SQL_REWARD = (
    'INSERT INTO "referral_reward" ("id", "referral_id", "sale_id", "customer_id", "side", "kind", "amount", '
    '"used", "gift", "status", "created_at", "earn_on", "earned_at", "expires_on", "closed_at", '
    '"handed_by_id", "note") VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)


class _Referrals(_State):
    def _create_referrals(self) -> None:
        policy = ReferralSection()
        rule = policy.rules[0]
        criteria = Criteria.of(rule).to_json()
        today = self.days[-1]
        rng = self.rng
        buyers: list[str] = []  # customers whose first sale came earlier, in time order
        per_month: Counter[tuple[str, str]] = Counter()
        referrals: list[tuple[object, ...]] = []
        rewards: list[tuple[object, ...]] = []
        store = DEMO_STORE_CODE
        # Each customer's first sale, in the order the history wrote them (no SQL: the
        # generator kept them as it went, which reading them back would cost seconds).
        for customer, (sale, day_text, created, staff, handset_fen) in self.first_sales.items():
            returned = sale in self.returned_sales
            if buyers and rng.random() < REFERRED_SHARE:
                referrer = buyers[int(rng.random() * len(buyers))]
                day = date.fromisoformat(day_text)
                meets = handset_fen >= rule.min_fen
                capped = meets and per_month[(referrer, day_text[:7])] >= policy.monthly_cap
                link_id = self.ids.make(self._us_of(created) // 1000)
                referrals.append(
                    (
                        link_id,
                        referrer,
                        customer,
                        sale,
                        staff,
                        store,
                        day_text,
                        created,
                        "active",
                        criteria if meets else "",
                        int(capped),
                    )
                )
                if meets:
                    if not capped:
                        per_month[(referrer, day_text[:7])] += 1
                        rewards.append(
                            self._reward(
                                link_id,
                                sale,
                                referrer,
                                "referrer",
                                "voucher",
                                rule.referrer.voucher_fen,
                                "",
                                day,
                                created,
                                rule.holding_days,
                                returned,
                                policy,
                                today,
                            )
                        )
                    rewards.append(
                        self._reward(
                            link_id,
                            sale,
                            customer,
                            "referee",
                            "gift",
                            1,
                            rule.referee.gift,
                            day,
                            created,
                            rule.holding_days,
                            returned,
                            policy,
                            today,
                        )
                    )
            buyers.append(customer)
        self.conn.executemany(_SQL_REFERRAL, referrals)
        self.conn.executemany(_SQL_REWARD, rewards)

    def _us_of(self, created: str) -> int:
        delta = datetime.fromisoformat(created) - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds

    def _reward(
        self,
        link_id: str,
        sale: str,
        customer: str,
        side: str,
        kind: str,
        amount: int,
        gift: str,
        day: date,
        created: str,
        holding: int,
        returned: int,
        policy: ReferralSection,
        today: date,
    ) -> tuple[object, ...]:
        earn_on = day + timedelta(days=holding)
        earned_at = expires = closed = handed = None
        note = ""
        if returned:
            status, closed, note = "cancelled", created, "returned in the holding period"
        elif earn_on > today:
            status = "pending"
        else:
            status = "earned"
            earned_at = _stamp(self._us_of(earn_on.isoformat()) + 2 * 3_600_000_000)
            expires = earn_on + timedelta(days=policy.voucher_valid_days)
            if expires < today:
                status, closed = "expired", earned_at
            elif kind == "gift" and self.rng.random() < GIFT_HANDED_SHARE:
                status, closed, handed = "redeemed", earned_at, self.shop_promoters[0]
        reward_id = self.ids.make(self._us_of(created) // 1000)
        return (
            reward_id,
            link_id,
            sale,
            customer,
            side,
            kind,
            amount,
            gift,
            status,
            created,
            earn_on.isoformat(),
            earned_at,
            expires.isoformat() if expires else None,
            closed,
            handed,
            note,
        )
