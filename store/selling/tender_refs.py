"""A payment's reference: the WeChat Pay or Alipay transaction number (交易单号), or a bank
card's last 4 digits. Checked when the payment is taken, and again when the sale is committed,
where config.toml's [tenders] says which kinds cannot be saved without one."""

from __future__ import annotations

from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.selling.cart_lines import CartTender, tender_label
from store.selling.config import TendersSection

# WeChat Pay's transaction numbers are 28 digits and Alipay's 28 to 32; merchant-side order
# numbers and older formats are shorter. Fewer than 16 digits is a typing slip, not a number.
WALLET_DIGITS = (16, 32)
CARD_DIGITS = 4
WALLETS = ("wechat", "alipay")

PROMPTS = {
    "wechat": N_("WeChat Pay transaction number (交易单号, 16-32 digits)"),
    "alipay": N_("Alipay transaction number (交易号, 16-32 digits)"),
    "card": N_("Card: its last 4 digits"),
}


def prompt(kind: str) -> str:
    return _(PROMPTS[kind]) if kind in PROMPTS else ""


def normalise(kind: str, text: str) -> str:
    """The reference as stored: digits only (spaces and dashes a slip prints are dropped), or
    ValidationError saying what a reference of ``kind`` is. '' stays '' (no reference)."""
    raw = text.strip()
    if not raw:
        return ""
    digits = "".join(ch for ch in raw if ch not in " -")
    if kind in WALLETS:
        low, high = WALLET_DIGITS
        if not (digits.isascii() and digits.isdigit() and low <= len(digits) <= high):
            raise ValidationError(
                _("A transaction number is {low} to {high} digits.").format(low=low, high=high)
            )
        return digits
    if kind == "card":
        if not (digits.isascii() and digits.isdigit() and len(digits) == CARD_DIGITS):
            raise ValidationError(_("Give the card's last 4 digits."))
        return digits
    raise ValidationError(_("A cash or voucher payment has no reference."))


def asked(kind: str, policy: TendersSection) -> bool:
    """Whether the payment screen asks for a reference of ``kind`` (required() says whether
    Enter on nothing may skip it)."""
    return policy.rule(kind) != "off"


def required(kind: str, policy: TendersSection) -> bool:
    return policy.rule(kind) == "required"


def missing(tender: CartTender, policy: TendersSection) -> bool:
    """A payment (not a refund: that one carries its original's) that needs a reference and has none."""
    return tender.amount > 0 and not tender.reference and policy.rule(tender.kind) == "required"


def check(tenders: list[CartTender], policy: TendersSection) -> None:
    """At commit: every payment's reference is well formed, and present where required."""
    for tender in tenders:
        if tender.amount > 0 and tender.reference:
            normalise(tender.kind, tender.reference)
        if missing(tender, policy):
            raise ValidationError(
                _("A {kind} payment needs its reference: {what}.").format(
                    kind=tender_label(tender.kind), what=prompt(tender.kind)
                )
            )
