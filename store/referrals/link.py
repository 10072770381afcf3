"""Linking a new customer to the old customer who brought them, once, at the first sale."""

from __future__ import annotations

from dataclasses import dataclass

from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.kernel.phone import mask, normalise_mobile
from store.models import Customer, database
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
    # Plain SQL: this runs several times inside every referred sale's commit, where building
    # a peewee query each time cost more than the rest of the link together.
    row = database.obj.execute_sql(
        "SELECT referrer_id FROM referral WHERE referee_id = ? AND status = 'active'", (customer_id,)
    ).fetchone()
    return str(row[0]) if row is not None else None


def can_be_referred(customer_id: str) -> bool:
    """A customer the cashier should be asked about: never bought, no referrer yet."""
    return not has_bought(customer_id) and referrer_of(customer_id) is None


_FACTS = """
SELECT
  (SELECT referrer_id FROM referral WHERE referee_id = :referee AND status = 'active'),
  (SELECT referrer_id FROM referral WHERE referee_id = :referrer AND status = 'active'),
  EXISTS (SELECT 1 FROM sale WHERE customer_id = :referee AND status = 'completed' AND id != :sale),
  EXISTS (SELECT 1 FROM sale WHERE customer_id = :referrer AND status = 'completed' AND id != :sale)
"""


def check_link(referee_id: str | None, referrer_id: str, *, except_sale: str = "") -> None:
    """Refuse a link that is not a real 老带新: no customer on the sale, self-referral, a
    customer who already has a referrer or who bought before, a referrer who never bought,
    and any cycle (A brought B brought ... brought A). The facts come in one statement: this
    runs inside every referred sale's commit."""
    if not referee_id:
        raise ValidationError(_("Attach the new customer (F9) before entering who referred them."))
    if referee_id == referrer_id:
        raise ValidationError(_("A customer cannot refer themselves."))
    referee_referrer, step, referee_bought, referrer_bought = database.obj.execute_sql(
        _FACTS, {"referee": referee_id, "referrer": referrer_id, "sale": except_sale}
    ).fetchone()
    if referee_referrer is not None:
        raise ValidationError(_("This customer was already referred by someone; a referral is made once."))
    seen = {referrer_id}
    while step is not None:
        if step == referee_id or step in seen:
            raise ValidationError(_("This referral would make a circle of referrals."))
        seen.add(step)
        step = referrer_of(step)
    if referee_bought:
        raise ValidationError(_("This customer has bought here before; only a new customer can be referred."))
    if not referrer_bought:
        raise ValidationError(_("The referrer has not bought here yet; only customers can refer."))
