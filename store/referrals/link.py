"""Linking a new customer to the old customer who brought them, once, at the first sale."""

from __future__ import annotations

from dataclasses import dataclass

from store.errors import NotFound, ValidationError
from store.i18n import _
from store.models import Customer, Referral, database
from store.phone import mask, normalise_mobile
from store.referrals import codes


@dataclass(frozen=True)
class Referrer:
    id: str
    name: str
    phone: str  # masked
    code: str

    @property
    def label(self) -> str:
        return f"{self.name} {self.phone}".strip()


def _as_referrer(customer: Customer) -> Referrer:
    return Referrer(customer.id, customer.name or "", mask(customer.phone), customer.referral_code or "")


def find_referrer(text: str) -> Referrer:
    """The old customer a scanned or typed referral code, or a mobile number, belongs to."""
    typed = text.strip()
    if not typed:
        raise ValidationError(_("Scan the referral code or type the referrer's mobile number."))
    unknown = _("No customer has the referral code or mobile number {code}.").format(code=typed[:20])
    customer = None
    if codes.looks_like_code(typed):
        customer = Customer.get_or_none(Customer.referral_code == codes.normalise(typed))
        if customer is None:
            raise NotFound(unknown)
    if customer is None:
        try:
            number = normalise_mobile(typed)
        except ValidationError:
            raise NotFound(codes.invalid_code_message(typed)) from None
        customer = Customer.get_or_none(Customer.phone == number)
    if customer is None or customer.erased_at is not None:
        raise NotFound(
            _("No customer has the referral code or mobile number {code}.").format(code=typed[:20])
        )
    return _as_referrer(customer)


def has_bought(customer_id: str, except_sale: str = "") -> bool:
    """A completed sale (not voided) to this customer, other than ``except_sale``."""
    row = database.obj.execute_sql(
        "SELECT 1 FROM sale WHERE customer_id = ? AND status = 'completed' AND id != ? LIMIT 1",
        (customer_id, except_sale),
    ).fetchone()
    return row is not None


def referrer_of(customer_id: str) -> str | None:
    link = Referral.get_or_none((Referral.referee == customer_id) & (Referral.status == "active"))
    return link.referrer_id if link is not None else None


def can_be_referred(customer_id: str) -> bool:
    """A customer the cashier should be asked about: never bought, no referrer yet."""
    return not has_bought(customer_id) and referrer_of(customer_id) is None


def check_link(referee_id: str | None, referrer_id: str, *, except_sale: str = "") -> None:
    """Refuse a link that is not a real 老带新: no customer on the sale, self-referral, a
    customer who already has a referrer or who bought before, a referrer who never bought,
    and any cycle (A brought B brought ... brought A)."""
    if not referee_id:
        raise ValidationError(_("Attach the new customer (F9) before entering who referred them."))
    if referee_id == referrer_id:
        raise ValidationError(_("A customer cannot refer themselves."))
    if referrer_of(referee_id) is not None:
        raise ValidationError(_("This customer was already referred by someone; a referral is made once."))
    seen = {referrer_id}
    step = referrer_of(referrer_id)
    while step is not None:
        if step == referee_id or step in seen:
            raise ValidationError(_("This referral would make a circle of referrals."))
        seen.add(step)
        step = referrer_of(step)
    if has_bought(referee_id, except_sale):
        raise ValidationError(_("This customer has bought here before; only a new customer can be referred."))
    if not has_bought(referrer_id, except_sale):
        raise ValidationError(_("The referrer has not bought here yet; only customers can refer."))
