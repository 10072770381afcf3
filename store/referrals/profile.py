"""One customer's 老带新 at a glance: their code, who brought them, whom they brought, the
ledger entries they were given and what they can use today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from store.crm.records import get_customer
from store.kernel.i18n import _
from store.kernel.phone import mask
from store.models import database
from store.referrals import codes, ledger, vouchers

# A prolific referrer's whole history would not fit a screen anyway; the newest are shown.
LIMIT = 500


@dataclass(frozen=True)
class Person:
    customer_id: str
    name: str
    phone: str  # masked: 138****8000
    day: date  # the day of the referred first sale

    @property
    def label(self) -> str:
        return f"{self.name} {self.phone}".strip()


@dataclass(frozen=True)
class Referee(Person):
    linked: bool  # False: the first sale was voided, so the link went with it
    capped: bool  # over the referrer's monthly cap: no reward for this one
    reward_status: str  # of the referrer's entries for this referral; "" when the rule gave none

    @property
    def status(self) -> str:
        if not self.linked:
            return _("first sale voided")
        if self.capped:
            return _("over the monthly cap")
        if not self.reward_status:
            return _("no reward")
        return ledger.status_name(self.reward_status)


@dataclass(frozen=True)
class RewardEntry:
    id: str
    side: str  # referrer: for bringing someone / referee: for being brought
    other: str  # the customer on the other side of the referral: name, or masked number
    kind: str  # voucher / points / gift
    amount: int  # fen, points, or 1 for a gift
    used: int
    gift: str
    status: str
    earn_on: date
    expires_on: date | None

    @property
    def what(self) -> str:
        return self.gift if self.kind == "gift" else ledger.kind_name(self.kind)

    @property
    def is_gift(self) -> bool:
        return self.kind == "gift"


@dataclass(frozen=True)
class ReferralProfile:
    customer_id: str
    name: str
    code: str
    referrer: Person | None
    referees: list[Referee]
    rewards: list[RewardEntry]
    balance: vouchers.Balance

    def reward(self, reward_id: str) -> RewardEntry | None:
        return next((r for r in self.rewards if r.id == reward_id), None)


_REFERRER = """
SELECT c."id", c."name", c."phone", r."business_date"
FROM "referral" r JOIN "customer" c ON c."id" = r."referrer_id"
WHERE r."referee_id" = ? AND r."status" = 'active'
"""

# One row per referral; the status of the referrer's entries is the least settled of them.
_REFEREES = """
SELECT c."id", c."name", c."phone", r."business_date", r."status", r."capped",
       (SELECT rr."status" FROM "referral_reward" rr
        WHERE rr."referral_id" = r."id" AND rr."side" = 'referrer'
        ORDER BY CASE rr."status" WHEN 'pending' THEN 0 WHEN 'earned' THEN 1 WHEN 'redeemed' THEN 2
                 WHEN 'expired' THEN 3 ELSE 4 END
        LIMIT 1)
FROM "referral" r JOIN "customer" c ON c."id" = r."referee_id"
WHERE r."referrer_id" = ?
ORDER BY r."business_date" DESC, r."created_at" DESC
LIMIT ?
"""

_REWARDS = """
SELECT rr."id", rr."side", rr."kind", rr."amount", rr."used", rr."gift", rr."status", rr."earn_on",
       rr."expires_on", o."name", o."phone"
FROM "referral_reward" rr
JOIN "referral" r ON r."id" = rr."referral_id"
JOIN "customer" o ON o."id" = CASE WHEN rr."side" = 'referrer' THEN r."referee_id" ELSE r."referrer_id" END
WHERE rr."customer_id" = ?
ORDER BY CASE rr."status" WHEN 'earned' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
         rr."earn_on" DESC, rr."created_at" DESC
LIMIT ?
"""


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _short_label(name: str | None, phone: str | None) -> str:
    """The name, or the masked number of a customer without one."""
    return name or mask(phone or "")


def load(customer_id: str, today: date) -> ReferralProfile:
    """Raises NotFound for an unknown customer."""
    customer = get_customer(customer_id)
    db = database.obj
    row = db.execute_sql(_REFERRER, (customer.id,)).fetchone()
    referrer = Person(row[0], row[1] or "", mask(row[2] or ""), _day(row[3])) if row else None
    referees = [
        Referee(
            customer_id=cid,
            name=name or "",
            phone=mask(phone or ""),
            day=_day(day),
            linked=status == "active",
            capped=bool(capped),
            reward_status=reward_status or "",
        )
        for cid, name, phone, day, status, capped, reward_status in db.execute_sql(
            _REFEREES, (customer.id, LIMIT)
        ).fetchall()
    ]
    rewards = [
        RewardEntry(
            id=rid,
            side=side,
            other=_short_label(other_name, other_phone),
            kind=kind,
            amount=int(amount),
            used=int(used),
            gift=gift or "",
            status=status,
            earn_on=_day(earn_on),
            expires_on=_day(expires_on) if expires_on else None,
        )
        for rid, side, kind, amount, used, gift, status, earn_on, expires_on, other_name, other_phone in (
            db.execute_sql(_REWARDS, (customer.id, LIMIT)).fetchall()
        )
    ]
    return ReferralProfile(
        customer_id=customer.id,
        name=customer.name or "",
        code=codes.code_of(customer.id),
        referrer=referrer,
        referees=referees,
        rewards=rewards,
        balance=vouchers.balance(customer.id, today),
    )
