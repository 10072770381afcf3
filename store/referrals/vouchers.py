"""Referral vouchers as a tender: spent at checkout (partly if wished, never more than the
balance), given back by a refund of a sale they paid for, and by a void.

A refund gives the voucher back first: a customer who paid ¥20 by voucher and ¥80 in cash
and returns the ¥20 case gets the voucher back, not ¥20 in cash, so a voucher never turns
into money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from store.db.transaction import insert_rows
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.kernel.money import format_fen
from store.models import ReferralReward, VoucherUse, database
from store.selling.cart import Cart
from store.selling.cart_lines import CartTender

KIND = "voucher"
# A voucher given back by a refund after its last day would be lost to the customer through
# no fault of theirs: it stays usable this many days from the refund.
GIVE_BACK_GRACE_DAYS = 30
GIVEN_BACK_NOTE = "given back by a refund after its voucher expired"


@dataclass(frozen=True)
class Balance:
    vouchers: int  # fen that can be spent today
    pending: int  # fen of vouchers still in their holding period
    points: int
    gifts_to_hand_over: int


def balance(customer_id: str, today: date) -> Balance:
    rows = database.obj.execute_sql(
        "SELECT kind, status, SUM(amount - used), SUM(amount), COUNT(*) FROM referral_reward "
        "WHERE customer_id = ? AND status IN ('pending', 'earned') "
        "AND (expires_on IS NULL OR expires_on >= ?) GROUP BY kind, status",
        (customer_id, today.isoformat()),
    ).fetchall()
    vouchers = pending = points = gifts = 0
    for kind, status, remaining, amount, count in rows:
        if kind == "voucher" and status == "earned":
            vouchers = int(remaining)
        elif kind == "voucher":
            pending = int(amount)
        elif kind == "points" and status == "earned":
            points = int(amount)
        elif kind == "gift" and status == "earned":
            gifts = int(count)
    return Balance(vouchers, pending, points, gifts)


def _on_cart(cart: Cart) -> int:
    return sum(t.amount for t in cart.tenders if t.kind == KIND)


def used_on_sale(sale_id: str) -> int:
    """Fen of vouchers a sale spent, less what refunds and voids have given back since."""
    row = database.obj.execute_sql(
        "SELECT COALESCE(SUM(vu.amount), 0) FROM voucher_use vu "
        "WHERE vu.sale_id = ? "
        "OR vu.sale_id IN (SELECT id FROM sale WHERE original_id = ? AND status = 'completed')",
        (sale_id, sale_id),
    ).fetchone()
    return int(row[0])


def give_back_due(cart: Cart) -> int:
    """How much of this refund must go back onto the voucher that paid for the original."""
    if not cart.original_sale_id or cart.total >= 0:
        return 0
    return min(-cart.total, used_on_sale(cart.original_sale_id))


def add_voucher_tender(
    cart: Cart, amount: int, today: date, spendable: int | None = None, due_back: int | None = None
) -> CartTender:
    """Pay part or all of what is due from the customer's vouchers, or give a refund back
    onto the voucher that paid for the returned goods. ``spendable`` (the balance's vouchers)
    and ``due_back`` (give_back_due), when the caller read them before, spare the database
    read: the commit checks again (apply_tenders, _spend)."""
    if cart.due < 0:
        if due_back is None:
            due_back = give_back_due(cart)
        room = due_back + _on_cart(cart)  # tenders on a refund are negative
        if room <= 0:
            raise ValidationError(_("No voucher paid for the returned goods."))
        if amount > room:
            raise ValidationError(
                _("At most {amount} goes back onto the voucher.").format(amount=format_fen(room))
            )
        return cart.add_tender(KIND, amount)
    if not cart.customer_id:
        raise ValidationError(_("Attach the customer (F9) to pay with their vouchers."))
    if spendable is None:
        spendable = balance(cart.customer_id, today).vouchers
    left = spendable - _on_cart(cart)
    if left <= 0:
        raise ValidationError(_("The customer has no voucher balance to spend."))
    if amount > left:
        raise ValidationError(_("The voucher balance is only {amount}.").format(amount=format_fen(left)))
    if amount > cart.due:
        raise ValidationError(
            _("A voucher pays at most what is due ({due}).").format(due=format_fen(cart.due))
        )
    return cart.add_tender(KIND, amount)


def _spend(customer_id: str, amount: int, sale_id: str, tender_id: str, today: date, stamp: datetime) -> None:
    """Take ``amount`` from the customer's earned vouchers, the soonest to expire first."""
    rewards = list(
        ReferralReward.select()
        .where(
            (ReferralReward.customer == customer_id)
            & (ReferralReward.status == "earned")
            & (ReferralReward.kind == KIND)
            & (ReferralReward.expires_on >= today)
            & (ReferralReward.used < ReferralReward.amount)
        )
        .order_by(ReferralReward.expires_on, ReferralReward.created_at)
    )
    if sum(r.remaining for r in rewards) < amount:
        raise ValidationError(
            _("The voucher balance is only {amount}.").format(
                amount=format_fen(sum(r.remaining for r in rewards))
            )
        )
    uses: list[dict[str, object]] = []
    left = amount
    for reward in rewards:
        if not left:
            break
        take = min(left, reward.remaining)
        left -= take
        used = reward.used + take
        ReferralReward.update(
            used=used,
            status="redeemed" if used == reward.amount else "earned",
            closed_at=stamp if used == reward.amount else None,
        ).where(ReferralReward.id == reward.id).execute()
        uses.append(
            {
                "id": new_id(),
                "reward": reward.id,
                "sale": sale_id,
                "tender": tender_id,
                "amount": take,
                "created_at": stamp,
            }
        )
    insert_rows(VoucherUse, uses)


def _new_voucher(source: ReferralReward, amount: int, sale_id: str, today: date, stamp: datetime) -> None:
    insert_rows(
        ReferralReward,
        [
            {
                "id": new_id(),
                "referral": source.referral_id,
                "sale": sale_id,
                "customer": source.customer_id,
                "side": source.side,
                "kind": KIND,
                "amount": amount,
                "used": 0,
                "gift": "",
                "status": "earned",
                "created_at": stamp,
                "earn_on": today,
                "earned_at": stamp,
                "expires_on": today + timedelta(days=GIVE_BACK_GRACE_DAYS),
                "closed_at": None,
                "handed_by": None,
                "note": GIVEN_BACK_NOTE,
            }
        ],
    )


def _give_back(
    source_sale_ids: list[str], amount: int, sale_id: str, tender_id: str | None, today: date, stamp: datetime
) -> None:
    """Put ``amount`` back onto the vouchers the source sales spent, the last spent first."""
    marks = ", ".join("?" for _ in source_sale_ids)
    rows = database.obj.execute_sql(
        f"SELECT reward_id, SUM(amount) FROM voucher_use WHERE sale_id IN ({marks}) OR sale_id IN "
        f"(SELECT id FROM sale WHERE original_id IN ({marks}) AND status = 'completed') "
        "GROUP BY reward_id HAVING SUM(amount) > 0 ORDER BY MAX(rowid) DESC",
        (*source_sale_ids, *source_sale_ids),
    ).fetchall()
    left = amount
    uses: list[dict[str, object]] = []
    for reward_id, spent in rows:
        if not left:
            break
        back = min(left, int(spent))
        left -= back
        reward = ReferralReward.get_by_id(reward_id)
        if reward.status == "expired":
            # The rest of that voucher was forfeited at expiry and stays so: what the refund
            # gives back becomes a new voucher of its own, tied to the refund.
            ReferralReward.update(used=reward.used - back).where(ReferralReward.id == reward_id).execute()
            _new_voucher(reward, back, sale_id, today, stamp)
        else:
            ReferralReward.update(used=reward.used - back, status="earned", closed_at=None).where(
                ReferralReward.id == reward_id
            ).execute()
        uses.append(
            {
                "id": new_id(),
                "reward": reward_id,
                "sale": sale_id,
                "tender": tender_id,
                "amount": -back,
                "created_at": stamp,
            }
        )
    if left:
        raise ValidationError(
            _("At most {amount} goes back onto the voucher.").format(amount=format_fen(amount - left))
        )
    insert_rows(VoucherUse, uses)


def apply_tenders(cart: Cart, sale_id: str, tender_ids: list[str], today: date, stamp: datetime) -> None:
    """Inside the sale's transaction: spend or give back the voucher tenders, and make sure a
    refund of a voucher-paid sale gave the voucher back first."""
    required = give_back_due(cart)
    given = -sum(t.amount for t in cart.tenders if t.kind == KIND and t.amount < 0)
    if given != required:
        raise ValidationError(
            _("{amount} of this refund goes back onto the voucher that paid for it.").format(
                amount=format_fen(required)
            )
        )
    for tender, tender_id in zip(cart.tenders, tender_ids, strict=True):
        if tender.kind != KIND:
            continue
        if tender.amount > 0:
            if not cart.customer_id:
                raise ValidationError(_("Attach the customer (F9) to pay with their vouchers."))
            _spend(cart.customer_id, tender.amount, sale_id, tender_id, today, stamp)
        else:
            assert cart.original_sale_id is not None  # give_back_due is 0 without one
            _give_back([cart.original_sale_id], -tender.amount, sale_id, tender_id, today, stamp)


def reverse_for_void(sale_id: str, stamp: datetime) -> None:
    """A void undoes the sale's voucher moves: what it spent comes back, what it gave back
    (a voided refund) is taken again, if it has not been spent since."""
    fresh = list(
        ReferralReward.select().where(
            (ReferralReward.sale == sale_id) & (ReferralReward.note == GIVEN_BACK_NOTE)
        )
    )
    if any(r.used for r in fresh):
        raise ValidationError(_("The voucher this refund gave back was spent since; it cannot be voided."))
    for reward in fresh:
        ReferralReward.update(status="cancelled", closed_at=stamp, note="refund voided").where(
            ReferralReward.id == reward.id
        ).execute()
    rows = database.obj.execute_sql(
        "SELECT reward_id, SUM(amount) FROM voucher_use WHERE sale_id = ? GROUP BY reward_id", (sale_id,)
    ).fetchall()
    uses: list[dict[str, object]] = []
    for reward_id, net in rows:
        net = int(net)
        if not net:
            continue
        reward = ReferralReward.get_by_id(reward_id)
        used = reward.used - net
        if net < 0 and reward.status != "expired" and (reward.status != "earned" or used > reward.amount):
            raise ValidationError(
                _("The voucher this refund gave back was spent since; it cannot be voided.")
            )
        if reward.status == "expired":
            ReferralReward.update(used=used).where(ReferralReward.id == reward_id).execute()
        else:
            ReferralReward.update(
                used=used,
                status="redeemed" if used == reward.amount else "earned",
                closed_at=stamp if used == reward.amount else None,
            ).where(ReferralReward.id == reward_id).execute()
        uses.append(
            {
                "id": new_id(),
                "reward": reward_id,
                "sale": sale_id,
                "tender": None,
                "amount": -net,
                "created_at": stamp,
            }
        )
    insert_rows(VoucherUse, uses)
