"""老带新: who brought whom, and the rewards each referral earns (the reward ledger)."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.customer import Customer
from store.models.sale import Sale, Tender
from store.models.staff import Staff


class Referral(BaseModel):
    """The link made at a new customer's first sale. A voided first sale voids the link, so
    the customer can still be referred when they really buy."""

    id = IdField(primary_key=True, default=new_id)
    referrer = ForeignKeyField(Customer, index=True, backref="referrals_made")
    referee = ForeignKeyField(Customer, index=False, backref="referred_by")  # indexed below
    sale = ForeignKeyField(Sale, index=True)  # the referee's first sale
    staff = ForeignKeyField(Staff, index=False)
    store_code = CharField(default="")
    business_date = DateField(index=True)
    created_at = DateTimeField(default=utcnow)
    status = CharField(default="active")  # active / void
    # What the rule that set the rewards asks of the sale (JSON: from, category, brand, model,
    # min_fen), so a later return is judged by that rule even if the policy changed since.
    rule = CharField(default="")
    capped = IntegerField(default=0)  # 1: the referrer was over the monthly cap; no referrer reward

    referrer_id: str
    referee_id: str
    sale_id: str


# At most one referrer per customer: unique among links that stand.
Referral.add_index(
    Referral.referee, unique=True, where=Referral.status == "active", name="referral_one_per_referee"
)


class ReferralReward(BaseModel):
    """One ledger entry: pending -> earned -> redeemed / expired, or cancelled."""

    id = IdField(primary_key=True, default=new_id)
    referral = ForeignKeyField(Referral, index=True, backref="rewards")
    sale = ForeignKeyField(Sale, index=True)  # the sale that earns it
    customer = ForeignKeyField(Customer, index=False)  # who gets it (indexed with status below)
    side = CharField()  # referrer / referee
    kind = CharField()  # voucher / points / gift
    amount = IntegerField()  # fen for a voucher, points for points, 1 for a gift
    used = IntegerField(default=0)  # fen of a voucher spent, net of what refunds gave back
    gift = CharField(default="")
    status = CharField(default="pending")
    created_at = DateTimeField(default=utcnow)
    earn_on = DateField()  # earned on this day if the sale is still kept
    earned_at = DateTimeField(null=True)
    expires_on = DateField(null=True)  # last day a voucher or gift can be used
    closed_at = DateTimeField(null=True)  # redeemed, expired or cancelled
    handed_by = ForeignKeyField(Staff, null=True, index=False)  # who handed a gift over
    note = CharField(default="")

    referral_id: str
    sale_id: str
    customer_id: str
    handed_by_id: str | None

    @property
    def remaining(self) -> int:
        return int(self.amount) - int(self.used) if self.kind == "voucher" else 0


# A customer's balance and the settling of due entries each read one index.
ReferralReward.add_index(
    ReferralReward.customer, ReferralReward.status, name="referral_reward_customer_status"
)
ReferralReward.add_index(ReferralReward.status, ReferralReward.earn_on, name="referral_reward_status_earn_on")


class VoucherUse(BaseModel):
    """A voucher spent as a tender (amount > 0) or given back by a refund or void (< 0)."""

    id = IdField(primary_key=True, default=new_id)
    reward = ForeignKeyField(ReferralReward, index=True, backref="uses")
    sale = ForeignKeyField(Sale, index=True)
    tender = ForeignKeyField(Tender, null=True, index=False)
    amount = IntegerField()
    created_at = DateTimeField(default=utcnow)

    reward_id: str
    sale_id: str
