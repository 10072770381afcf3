"""Referral invitations as a given person may see them: ``invite.invites`` with each phone
masked unless the actor's role may see whole numbers ([customers] full_phone_roles). An
anonymous operator (None) gets a list to read, not numbers to send to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from store.crm.config import CustomersSection
from store.crm.shown import phone_for
from store.kernel.auth import Actor
from store.referrals import invite
from store.referrals.config import ReferralSection


def invites(
    policy: ReferralSection,
    rules: CustomersSection,
    store_name: str,
    today: date,
    actor: Actor | None,
    within_days: int = 365,
) -> list[invite.Invite]:
    items = invite.invites(policy, store_name, today, within_days)
    return [replace(i, phone=phone_for(actor, i.phone, rules)) for i in items]
