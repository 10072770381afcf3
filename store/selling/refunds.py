"""Refunds go back the way the sale was paid (原路退回).

The rule, in this order:
1. What a referral voucher paid goes back onto the voucher (store.referrals.vouchers), so a
   voucher never turns into money.
2. The rest is split over the original sale's payments in proportion to what each still has
   to give back (what it paid less what earlier refunds of the same receipt gave back to it),
   to the fen by largest remainder. WeChat Pay goes back to WeChat Pay, Alipay to Alipay, a
   card to the card, each refund tender carrying its original's reference and id; cash goes
   back in cash. Returning a receipt in several goes therefore gives back exactly what each
   payment paid once the last item is back.
3. What no payment can take (a receipt older than this rule, an exchange that took money
   back) goes in cash.

The cashier may give more back to an electronic payment than its share (never more than it
paid), and may give cash instead of it: cash beyond the cash share needs a manager (another
person's PIN, or the cashier's own manager role), because money paid into the shop's WeChat or
Alipay account leaving the drawer is the refund a till must not make unasked. All of it is
checked again inside the commit (check), whatever the screen did."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import SQL

from store.kernel.auth import Approval
from store.kernel.errors import NeedsApproval, ValidationError
from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.models import Sale, Tender
from store.selling.cart import Cart
from store.selling.cart_lines import CartTender, tender_label

VOUCHER = "voucher"
ELECTRONIC = ("wechat", "alipay", "card")  # given back to the same account, by its reference


@dataclass(frozen=True)
class Paid:
    """A payment of the original sale and what it can still give back. Cash is one pool, the
    first cash tender's id: every cash refund of the receipt comes out of the same drawer."""

    id: str
    kind: str
    reference: str
    room: int  # fen not yet given back


@dataclass(frozen=True)
class Share:
    """Part of a refund and where it goes."""

    kind: str
    amount: int  # fen given back (positive)
    original_id: str | None  # the original's tender, for WeChat Pay, Alipay and card
    reference: str

    @property
    def label(self) -> str:
        return tender_label(self.kind)


@dataclass(frozen=True)
class RefundFacts:
    """What a refund of the original receipt needs from the database, read once (off the
    console's event loop) so that the plan and the tenders are worked out without it: the
    original's payments, the vouchers it spent that are not given back yet, its receipt number."""

    paid: tuple[Paid, ...] = ()
    voucher_used: int = 0  # fen
    receipt_no: str = ""


def refund_facts(sale_id: str) -> RefundFacts:
    """Read the facts a refund of ``sale_id`` is planned from (see RefundFacts)."""
    from store.referrals import vouchers  # the referral package loads only when a refund needs it

    sale = Sale.get_or_none(Sale.id == sale_id)
    return RefundFacts(
        tuple(paid_tenders(sale_id)), vouchers.used_on_sale(sale_id), sale.receipt_no if sale else ""
    )


def paid_tenders(sale_id: str) -> list[Paid]:
    """The original sale's payments, vouchers left out, each with what completed refunds of
    that receipt have not yet given back."""
    paid = list(
        Tender.select()
        .where((Tender.sale == sale_id) & (Tender.amount > 0) & (Tender.kind != VOUCHER))
        .order_by(SQL("rowid"))
    )
    refunds = list(
        Tender.select(Tender)
        .join(Sale)
        .where((Sale.original == sale_id) & (Sale.status == "completed") & (Tender.amount < 0))
    )
    by_original: dict[str, int] = {}
    older: dict[str, int] = {}  # refunds older than schema 13 name no original: by kind, in order
    cash_back = 0
    for t in refunds:
        if t.kind == "cash":
            cash_back += -t.amount
        elif t.original_id:
            by_original[t.original_id] = by_original.get(t.original_id, 0) - t.amount
        elif t.kind != VOUCHER:
            older[t.kind] = older.get(t.kind, 0) - t.amount
    out: list[Paid] = []
    cash = [t for t in paid if t.kind == "cash"]
    for t in paid:
        if t.kind == "cash":
            if t is cash[0]:
                room = sum(c.amount for c in cash) - cash_back
                out.append(Paid(t.id, "cash", "", max(room, 0)))
            continue
        room = t.amount - by_original.get(t.id, 0)
        taken = min(max(room, 0), older.get(t.kind, 0))
        older[t.kind] = older.get(t.kind, 0) - taken
        out.append(Paid(t.id, t.kind, t.reference, max(room - taken, 0)))
    return out


def _split(amount: int, rooms: list[int]) -> list[int]:
    """``amount`` over ``rooms`` in proportion to them, exact to the fen (largest remainder),
    never above a room; all of every room when the amount is more than they hold."""
    base = sum(rooms)
    if amount >= base:
        return list(rooms)
    shares: list[int] = []
    remainders: list[int] = []
    for room in rooms:
        share, remainder = divmod(amount * room, base)
        shares.append(share)
        remainders.append(remainder)
    left = amount - sum(shares)
    order = sorted(range(len(rooms)), key=lambda i: (-remainders[i], -rooms[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _voucher_due(cart: Cart, known: RefundFacts | None = None) -> int:
    if known is not None:  # vouchers.give_back_due from the facts read before
        if not cart.original_sale_id or cart.total >= 0:
            return 0
        return min(-cart.total, known.voucher_used)
    from store.referrals import vouchers  # the referral package loads only when a refund needs it

    return vouchers.give_back_due(cart)


def plan(cart: Cart, paid: list[Paid] | None = None, known: RefundFacts | None = None) -> list[Share]:
    """Where the whole refund of ``cart`` goes by the rule above (before any of it is taken):
    the voucher first, then WeChat Pay, Alipay and card in the order they were paid, cash
    last; [] when the cart refunds nothing. With ``known`` (refund_facts), no database read."""
    refund = -cart.total
    if refund <= 0 or not cart.original_sale_id:
        return []
    if paid is None:
        paid = list(known.paid) if known is not None else paid_tenders(cart.original_sale_id)
    voucher = _voucher_due(cart, known)
    shares: list[Share] = [Share(VOUCHER, voucher, None, "")] if voucher else []
    rest = refund - voucher
    parts = _split(rest, [p.room for p in paid])
    extra = rest - sum(parts)  # what no payment can take: cash
    cash = extra  # what no payment can take, and the cash payment's part: given last
    for p, part in zip(paid, parts, strict=True):
        if p.kind == "cash":
            cash += part
        elif part:
            shares.append(Share(p.kind, part, p.id, p.reference))
    if cash:
        shares.append(Share("cash", cash, None, ""))
    return shares


def cash_share(shares: list[Share]) -> int:
    """The cash a refund may give without a manager: the cash part of its plan."""
    return sum(s.amount for s in shares if s.kind == "cash")


def _given(tenders: list[CartTender], share: Share) -> int:
    if share.kind in ELECTRONIC:
        return -sum(t.amount for t in tenders if t.amount < 0 and t.original_id == share.original_id)
    return -sum(t.amount for t in tenders if t.amount < 0 and t.kind == share.kind)


def still_due(cart: Cart, known: RefundFacts | None = None) -> list[Share]:
    """What is left of the plan after the refund tenders already on the cart, at most what is
    still due: the first one is what the payment screen offers next. With ``known``
    (refund_facts), no database read."""
    due = -cart.due
    if due <= 0:
        return []
    left: list[Share] = []
    for share in plan(cart, known=known):
        rest = min(share.amount - _given(cart.tenders, share), due)
        if rest > 0:
            left.append(Share(share.kind, rest, share.original_id, share.reference))
            due -= rest
    return left


def _rooms(cart: Cart, kind: str, paid: list[Paid]) -> list[tuple[Paid, int]]:
    """The original's payments of ``kind`` with what each can still take after this cart."""
    out = []
    for p in paid:
        if p.kind == kind:
            on_cart = -sum(t.amount for t in cart.tenders if t.amount < 0 and t.original_id == p.id)
            out.append((p, p.room - on_cart))
    return out


def add_refund(
    cart: Cart, kind: str, amount: int, approval: Approval | None = None, known: RefundFacts | None = None
) -> list[CartTender]:
    """Give ``amount`` of the refund back by ``kind``: to the original payments of that kind
    (WeChat Pay, Alipay, card: never more than they paid), or in cash; cash beyond the plan's
    cash share needs a manager (NeedsApproval without one). Vouchers go through
    store.referrals.vouchers.add_voucher_tender. With ``known`` (refund_facts), no database
    read: the commit checks it all again (check)."""
    if cart.due >= 0 or not cart.original_sale_id:
        return [cart.add_tender(kind, amount)]
    if kind == VOUCHER:
        raise ValidationError(_("Give the voucher back with F6."))
    if amount > -cart.due:
        raise ValidationError(_("Refund at most {amount}.").format(amount=format_fen(-cart.due)))
    paid = list(known.paid) if known is not None else paid_tenders(cart.original_sale_id)
    if kind == "cash":
        given = -sum(t.amount for t in cart.tenders if t.amount < 0 and t.kind == "cash")
        if given + amount > cash_share(plan(cart, paid, known)) and not cart.cash_refund_approved_by:
            cart.approve_cash_refund(approval)
        return [cart.add_tender("cash", amount)]
    if kind not in ELECTRONIC:
        raise ValidationError(_("Unknown payment method: {kind}").format(kind=kind))
    rooms = [(p, room) for p, room in _rooms(cart, kind, paid) if room > 0]
    if not rooms:
        no = known.receipt_no if known is not None else Sale.get_by_id(cart.original_sale_id).receipt_no
        raise ValidationError(
            _("Nothing of receipt {no} is left to give back to {kind}: refund it as it was paid.").format(
                no=no, kind=tender_label(kind)
            )
        )
    room = sum(r for _p, r in rooms)
    if amount > room:
        raise ValidationError(
            _("At most {amount} goes back to {kind}.").format(
                amount=format_fen(room), kind=tender_label(kind)
            )
        )
    added: list[CartTender] = []
    left = amount
    for p, r in rooms:
        part = min(left, r)
        if part:
            added.append(cart.add_tender(kind, part, p.reference, original_id=p.id))
            left -= part
    return added


def take_as_paid(cart: Cart) -> list[CartTender]:
    """Give what is still due back by the plan (the payment screen's Enter, share by share, in
    one go); a voucher share goes back onto the voucher."""
    added: list[CartTender] = []
    for share in still_due(cart):
        if share.kind == VOUCHER:
            added.append(cart.add_tender(VOUCHER, share.amount))
        else:
            added.extend(add_refund(cart, share.kind, share.amount))
    return added


def check(cart: Cart) -> bool:
    """Inside the commit, before the tenders are written: every refund tender goes back to a
    payment of the original that can take it, and cash beyond the plan's cash share was let
    go by a manager (check_approvers makes sure they are one). True: cash went out instead of
    the original payment (the commit audits it)."""
    refunds = [t for t in cart.tenders if t.amount < 0]
    if not refunds:
        return False
    if not cart.original_sale_id:
        raise ValidationError(_("A refund needs the original receipt."))
    voucher_due = _voucher_due(cart)
    if -sum(t.amount for t in refunds if t.kind == VOUCHER) != voucher_due:
        raise ValidationError(
            _("{amount} of this refund goes back onto the voucher that paid for it.").format(
                amount=format_fen(voucher_due)
            )
        )
    paid = paid_tenders(cart.original_sale_id)
    by_id = {p.id: p for p in paid}
    taken: dict[str, int] = {}
    for t in refunds:
        if t.kind in ELECTRONIC:
            original = by_id.get(t.original_id or "")
            if original is None or original.kind != t.kind:
                raise ValidationError(
                    _("A refund to {kind} goes back to a {kind} payment of the original receipt.").format(
                        kind=tender_label(t.kind)
                    )
                )
            taken[original.id] = taken.get(original.id, 0) - t.amount
            if taken[original.id] > original.room:
                raise ValidationError(
                    _("At most {amount} goes back to {kind}.").format(
                        amount=format_fen(original.room), kind=tender_label(t.kind)
                    )
                )
        elif t.kind not in ("cash", VOUCHER):
            raise ValidationError(_("Unknown payment method: {kind}").format(kind=t.kind))
    cash = -sum(t.amount for t in refunds if t.kind == "cash")
    instead = cash > cash_share(plan(cart, paid))
    if instead and not cart.cash_refund_approved_by:
        raise NeedsApproval(_("Cash instead of the original payment needs a manager's PIN."))
    return instead
