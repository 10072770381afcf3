"""A state machine over referred sales, returns, time passing, voucher redemption and
expiry. Whatever the order, the ledger keeps its promises:

- no reward is earned for a first sale that was returned inside its holding period;
- no balance is ever negative, and a voucher is never spent beyond what it holds;
- every voucher spent or given back matches the voucher tenders to the fen;
- every ledger entry points at a sale.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from store import setup
from store.crm import records
from store.db.connection import open_memory_database
from store.kernel.errors import ValidationError
from store.models import Customer, ReferralReward, Sale, SaleLine, Tender, VoucherUse, database
from store.referrals import ledger, link, vouchers
from store.referrals.config import ReferralRule, ReferralSection, Reward
from store.selling import checkout, sale_lookup, sale_voids
from store.selling.cart import Cart
from store.selling.till import Till
from store.stock import catalog
from store.stock import ledger as stock
from tests.store_helpers import forge_approval, property_examples, scan

MAX_EXAMPLES = property_examples(12)  # 12 histories of 30 steps
START = date(2026, 11, 2)
HOLD = 3
POLICY = ReferralSection(
    monthly_cap=3,
    voucher_valid_days=10,
    rules=[
        ReferralRule(
            date(2026, 1, 1),
            category="accessory",
            referrer=Reward(voucher_fen=1500),
            referee=Reward(voucher_fen=700, points=10),
            holding_days=HOLD,
        )
    ],
)
PHONES = [f"1380013{n:04d}" for n in range(8)]


class ReferralMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = open_memory_database()
        from zoneinfo import ZoneInfo

        self.till = Till("S001", "T1", ZoneInfo("Asia/Shanghai"), referrals=POLICY)
        self.manager = setup.initialise_store(
            store_code="S001", store_name="Prop", manager_code="M1", manager_name="Boss", pin="1234"
        )
        self.approval = forge_approval(self.manager.id, self.manager.name)
        self.case = catalog.create_product(
            sku="CASE", brand="G", model="Case", category="accessory", price=3900
        )
        stock.receive(self.case, staff_id=self.manager.id, qty=500)
        self.day = START
        self.customers: list[Customer] = [records.create_customer(p, f"客{n}") for n, p in enumerate(PHONES)]
        self.sold: list[str] = []
        self.first_sales: list[str] = []
        self.sell(self.customers[0], 1)  # one old customer to start from

    def teardown(self) -> None:
        self.db.close()

    @property
    def now(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 4, 0)

    def cart(self) -> Cart:
        return Cart(staff_id=self.manager.id, staff_role="manager", discount_limit_percent=30)

    def sell(
        self, buyer: Customer, qty: int, referrer: Customer | None = None, voucher: int = 0
    ) -> Sale | None:
        cart = self.cart()
        cart.attach_customer(buyer.id, buyer.name)
        cart.add_scan(scan("CASE"), qty)
        if referrer is not None:
            try:
                cart.set_referrer(link.find_referrer(referrer.phone))
            except ValidationError:
                return None
        if voucher:
            try:
                vouchers.add_voucher_tender(cart, voucher, self.day)
            except ValidationError:
                return None
        if cart.due:
            cart.add_tender("cash", cart.due)
        sale = checkout.commit_sale(cart, self.till, now=self.now)
        self.sold.append(sale.id)
        return sale

    # ---- rules ----------------------------------------------------------------------------------
    def bought(self) -> list[Customer]:
        return [c for c in self.customers if link.has_bought(c.id)]

    def never_bought(self) -> list[Customer]:
        return [c for c in self.customers if not link.has_bought(c.id)]

    @precondition(lambda self: bool(self.never_bought()) and bool(self.bought()))
    @rule(buyer=st.integers(0, 100), referrer=st.integers(0, 100), qty=st.integers(1, 3))
    def referred_first_sale(self, buyer: int, referrer: int, qty: int) -> None:
        new = self.never_bought()[buyer % len(self.never_bought())]
        old = self.bought()[referrer % len(self.bought())]
        allowed = link.referrer_of(new.id) is None
        sale = self.sell(new, qty, old)
        assert (sale is not None) == allowed
        if sale is not None:
            self.first_sales.append(sale.id)

    @rule(
        buyer=st.integers(0, len(PHONES) - 1), referrer=st.integers(0, len(PHONES) - 1), qty=st.integers(1, 3)
    )
    def any_referral_attempt(self, buyer: int, referrer: int, qty: int) -> None:
        referee, old = self.customers[buyer], self.customers[referrer]
        allowed = (
            buyer != referrer
            and not link.has_bought(referee.id)
            and link.referrer_of(referee.id) is None
            and link.has_bought(old.id)
        )
        sale = self.sell(referee, qty, old)
        assert (sale is not None) == allowed
        if sale is not None:
            self.first_sales.append(sale.id)

    @precondition(lambda self: bool(self.first_sales))
    @rule(pick=st.integers(0, 100))
    def first_sale_returned_whole(self, pick: int) -> None:
        sale_id = self.first_sales[pick % len(self.first_sales)]
        self.return_from(sale_id, 99)

    @rule(buyer=st.integers(0, len(PHONES) - 1), qty=st.integers(1, 2), share=st.integers(1, 100))
    def sale_paid_by_voucher(self, buyer: int, qty: int, share: int) -> None:
        customer = self.customers[buyer]
        left = vouchers.balance(customer.id, self.day).vouchers
        amount = min(left, 3900 * qty) * share // 100
        before = left
        sale = self.sell(customer, qty, voucher=amount)
        if amount:
            assert sale is not None
            assert vouchers.balance(customer.id, self.day).vouchers == before - amount

    @precondition(lambda self: bool(self.sold))
    @rule(pick=st.integers(0, 10_000), qty=st.integers(1, 3))
    def return_some(self, pick: int, qty: int) -> None:
        self.return_from(self.sold[pick % len(self.sold)], qty)

    def return_from(self, sale_id: str, qty: int) -> None:
        if Sale.get_by_id(sale_id).status != "completed":
            return
        line = SaleLine.get((SaleLine.sale == sale_id) & (SaleLine.qty > 0))
        left = line.qty - sale_lookup.returned_qty(line.id)
        if left <= 0:
            return
        cart = self.cart()
        cart.add_return_line(line, min(qty, left), sale_lookup.returned_qty(line.id))
        cart.approve_return()  # a manager rings it: their own role is the authority
        cart.set_return_reason("defective")
        owed = vouchers.give_back_due(cart)
        if owed:
            vouchers.add_voucher_tender(cart, owed, self.day)
        if cart.due:
            cart.add_tender("cash", -cart.due)
        checkout.commit_sale(cart, self.till, now=self.now)

    @precondition(lambda self: bool(self.sold))
    @rule()
    def void_the_last_sale(self) -> None:
        sale = Sale.get_by_id(self.sold[-1])
        try:
            sale_voids.void_sale(sale.id, approval=self.approval, till=self.till, now=self.now)
        except ValidationError:
            return  # not today's, or it has returns: refused as designed
        self.sold.pop()

    @rule(days=st.integers(1, 6))
    def time_passes(self, days: int) -> None:
        self.day += timedelta(days=days)
        ledger.settle(self.day, POLICY, now=self.now)
        ledger.settle(self.day, POLICY, now=self.now)  # settling twice changes nothing more

    # ---- invariants -----------------------------------------------------------------------------
    @invariant()
    def no_reward_for_a_sale_returned_in_its_holding_period(self) -> None:
        for reward in ReferralReward.select().where(
            ReferralReward.status.in_(("earned", "redeemed", "expired")) & (ReferralReward.note == "")
        ):
            sold = SaleLine.get((SaleLine.sale == reward.sale_id) & (SaleLine.qty > 0)).qty
            returned_early = database.obj.execute_sql(
                "SELECT COALESCE(-SUM(rl.qty), 0) FROM sale_line rl JOIN sale rs ON rs.id = rl.sale_id "
                "JOIN sale_line ol ON ol.id = rl.original_line_id "
                "WHERE ol.sale_id = ? AND rs.status = 'completed' AND rs.business_date < ?",
                (reward.sale_id, reward.earn_on.isoformat()),
            ).fetchone()[0]
            assert returned_early < sold, reward.id
            assert Sale.get_by_id(reward.sale_id).status == "completed"

    @invariant()
    def vouchers_are_never_overspent_and_match_their_uses(self) -> None:
        for reward in ReferralReward.select():
            uses = sum(u.amount for u in VoucherUse.select().where(VoucherUse.reward == reward.id))
            assert reward.used == uses
            if reward.status != "expired":
                assert 0 <= reward.used <= reward.amount
            if reward.status == "redeemed" and reward.kind == "voucher":
                assert reward.used == reward.amount
        for customer in self.customers:
            held = vouchers.balance(customer.id, self.day)
            assert held.vouchers >= 0 and held.pending >= 0 and held.points >= 0

    @invariant()
    def voucher_tenders_match_the_ledger_to_the_fen(self) -> None:
        for sale in Sale.select():
            tendered = sum(
                t.amount for t in Tender.select().where((Tender.sale == sale.id) & (Tender.kind == "voucher"))
            )
            moved = sum(
                u.amount
                for u in VoucherUse.select().where(
                    (VoucherUse.sale == sale.id) & VoucherUse.tender.is_null(False)
                )
            )
            assert tendered == moved, sale.receipt_no
            paid = sum(t.amount for t in Tender.select().where(Tender.sale == sale.id))
            assert paid == sale.total

    @invariant()
    def every_ledger_entry_points_at_a_sale(self) -> None:
        orphans = database.obj.execute_sql(
            "SELECT COUNT(*) FROM referral_reward WHERE sale_id NOT IN (SELECT id FROM sale)"
        ).fetchone()[0]
        orphan_uses = database.obj.execute_sql(
            "SELECT COUNT(*) FROM voucher_use WHERE sale_id NOT IN (SELECT id FROM sale)"
        ).fetchone()[0]
        assert orphans == orphan_uses == 0
        assert not self.db.in_transaction()


def test_random_referral_histories_keep_the_ledger_straight() -> None:
    run_state_machine_as_test(
        ReferralMachine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
