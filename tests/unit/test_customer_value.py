"""RFM against a worked example, tiers and states by the configured rules, segments and
their share of revenue; follow-up rules and my tasks today."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

import pytest

from store.crm import followup, records, value
from store.crm.config import CustomersSection
from store.crm.records import create_customer
from store.kernel.errors import ValidationError
from store.models import Customer, CustomerScore, CustomerTask, Sale
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan, snapshot

TODAY = date(2026, 6, 30)
_receipts = count(1)


def receipt(
    shop: Shop, customer: Customer, day: date, total: int, kind: str = "sale", status: str = "completed"
) -> None:
    """A receipt row as commit_sale writes it (the aggregate reads only the header)."""
    Sale.create(
        id=f"s{next(_receipts)}",
        receipt_no=f"R{next(_receipts)}",
        store_code="S001",
        terminal_id="T1",
        business_date=day,
        kind=kind,
        status=status,
        staff=shop.promoter.id,
        customer=customer.id,
        subtotal=total,
        total=total,
    )


def test_quintiles_give_equal_values_equal_scores() -> None:
    assert value.quintiles([10, 20, 30, 40, 50]) == [1, 2, 3, 4, 5]
    assert value.quintiles([1, 1, 1, 1, 9]) == [1, 1, 1, 1, 5]
    assert value.quintiles([7]) == [1]
    assert value.quintiles([]) == []
    ten = value.quintiles(list(range(10)))
    assert ten == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.fixture
def worked(shop: Shop) -> dict[str, Customer]:
    """Five buyers on 2026-06-30 (days since last purchase / purchases / net yuan):
    A 5/3/3000, B 29/1/50, C 121/2/1000, D 394/1/2000, E 1/5/500; F only returned."""
    people = {k: create_customer(f"1380013800{i}", k, by=shop.manager.id) for i, k in enumerate("ABCDEF")}
    d = TODAY
    for day, total in [(d - timedelta(90), 100000), (d - timedelta(30), 100000), (d - timedelta(5), 100000)]:
        receipt(shop, people["A"], day, total)
    receipt(shop, people["B"], d - timedelta(29), 5000)
    receipt(shop, people["B"], d - timedelta(3), 999999, status="voided")  # a voided sale never counts
    receipt(shop, people["C"], d - timedelta(200), 60000)
    receipt(shop, people["C"], d - timedelta(121), 40000)
    receipt(shop, people["D"], d - timedelta(394), 250000)
    receipt(shop, people["D"], d - timedelta(300), -50000, kind="return")  # returns lower the value
    for back in (1, 2, 10, 20, 40):
        receipt(shop, people["E"], d - timedelta(back), 10000)
    receipt(shop, people["F"], d - timedelta(2), -3900, kind="return")
    receipt(shop, people["A"], d + timedelta(1), 100000)  # after the day scored: ignored
    return people


def test_rfm_worked_example(worked: dict[str, Customer]) -> None:
    scores = {s.customer_id: s for s in value.compute(TODAY, CustomersSection())}
    got = {
        name: (s.recency_days, s.frequency, s.monetary, s.r, s.f, s.m, s.tier, s.state)
        for name, c in worked.items()
        if (s := scores.get(c.id)) is not None
    }
    assert got == {
        # recency -5,-29,-121,-394,-1 -> R 4,3,2,1,5; frequency 3,1,2,1,5 -> F 4,1,3,1,5;
        # money 3000,50,1000,2000,500 -> M 5,1,3,4,2; sums 13,5,8,6,12 -> A,C,B,C,A
        "A": (5, 3, 300000, 4, 4, 5, "A", "active"),
        "B": (29, 1, 5000, 3, 1, 1, "C", "active"),
        "C": (121, 2, 100000, 2, 3, 3, "B", "active"),
        "D": (394, 1, 200000, 1, 1, 4, "C", "dormant"),
        "E": (1, 5, 50000, 5, 5, 2, "A", "active"),
    }
    assert scores[worked["A"].id].first_purchase == TODAY - timedelta(90)
    assert scores[worked["D"].id].lifetime == 200000


def test_tier_and_state_rules_come_from_config(worked: dict[str, Customer]) -> None:
    rules = CustomersSection(tier_a_min_score=13, tier_b_min_score=5, active_days=3, lost_days=300)
    scores = {s.customer_id: s for s in value.compute(TODAY, rules)}
    assert {n: (scores[c.id].tier, scores[c.id].state) for n, c in worked.items() if c.id in scores} == {
        "A": ("A", "dormant"),
        "B": ("B", "dormant"),
        "C": ("B", "dormant"),
        "D": ("B", "lost"),
        "E": ("B", "active"),
    }


def test_window_counts_recent_purchases_only(worked: dict[str, Customer]) -> None:
    scores = {s.customer_id: s for s in value.compute(TODAY, CustomersSection(score_window_days=60))}
    a = scores[worked["A"].id]
    assert (a.frequency, a.monetary, a.lifetime) == (2, 200000, 300000)


def test_segments_and_the_share_of_revenue(worked: dict[str, Customer]) -> None:
    scores = value.refresh(TODAY, CustomersSection())
    table = value.segments(scores, value.customer_count())
    assert [(s.key, s.customers, s.value, s.share_bp) for s in table.tiers] == [
        ("A", 2, 350000, 5344),
        ("B", 1, 100000, 1527),
        ("C", 2, 205000, 3130),
    ]
    assert [(s.key, s.customers) for s in table.states] == [("active", 4), ("dormant", 1), ("lost", 0)]
    assert table.no_purchase == 1 and table.total_value == 655000
    assert table.top20_share_bp == 4580  # A alone: 3000 of 6550 yuan
    assert [s.customer_id for s in table.top_customers] == [worked["A"].id, worked["E"].id]
    assert CustomerScore.select().count() == 5
    assert value.stored_score(worked["C"].id).tier == "B"  # type: ignore[union-attr]


def test_refresh_replaces_the_stored_scores(worked: dict[str, Customer]) -> None:
    value.refresh(TODAY, CustomersSection())
    value.refresh(TODAY + timedelta(days=400), CustomersSection())
    assert CustomerScore.select().count() == 5
    assert {s.state for s in CustomerScore.select()} == {"dormant", "lost"}


# ---- contacts and tasks -----------------------------------------------------------------
def test_contact_log(shop: Shop) -> None:
    customer = create_customer("13800138000", "张三", by=shop.manager.id)
    followup.log_contact(
        customer.id, "call", "asked about Mate 70", staff_id=shop.promoter.id, now=datetime(2026, 6, 1)
    )
    followup.log_contact(customer.id, "wechat", "", staff_id=shop.manager.id, now=datetime(2026, 6, 2))
    log = followup.contacts(customer.id)
    assert [(c.channel, c.staff_id, c.note) for c in log] == [
        ("wechat", shop.manager.id, ""),
        ("call", shop.promoter.id, "asked about Mate 70"),
    ]
    before = snapshot()
    with pytest.raises(ValidationError):
        followup.log_contact(customer.id, "pigeon", "", staff_id=shop.promoter.id)
    with pytest.raises(ValidationError):
        followup.log_contact(customer.id, "note", "x" * 501, staff_id=shop.promoter.id)
    assert snapshot() == before


def test_tasks_by_hand_and_my_tasks_today(shop: Shop) -> None:
    customer = create_customer("13800138000", "张三", by=shop.manager.id)
    due_today = followup.add_task(
        customer.id, "bring the invoice", TODAY, owner_id=shop.promoter.id, by=shop.manager.id
    )
    followup.add_task(
        customer.id, "overdue", TODAY - timedelta(3), owner_id=shop.promoter.id, by=shop.manager.id
    )
    followup.add_task(
        customer.id, "next week", TODAY + timedelta(7), owner_id=shop.promoter.id, by=shop.manager.id
    )
    followup.add_task(customer.id, "the manager's", TODAY, owner_id=shop.manager.id, by=shop.manager.id)
    assert [d.task.title for d in followup.my_tasks(shop.promoter.id, TODAY)] == [
        "overdue",
        "bring the invoice",
    ]
    followup.finish_task(due_today.id, by=shop.promoter.id)
    assert [d.task.title for d in followup.my_tasks(shop.promoter.id, TODAY)] == ["overdue"]
    with pytest.raises(ValidationError):
        followup.finish_task(due_today.id, by=shop.promoter.id)
    with pytest.raises(ValidationError):
        followup.add_task(customer.id, "  ", TODAY, owner_id=shop.promoter.id, by=shop.manager.id)


def test_rules_make_follow_up_tasks_once(shop: Shop) -> None:
    customer = create_customer("13800138000", "张三", consent_how="paper", by=shop.manager.id)
    walk_in = create_customer("13900139000", "李四", by=shop.manager.id)
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.customer_id = customer.id
    pay(cart)
    handset = checkout.commit_sale(cart, shop.till, now=datetime(2026, 6, 1, 4, 0))
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku))
    cart.customer_id = walk_in.id
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=datetime(2026, 6, 1, 5, 0))  # no handset: no task
    rules = CustomersSection()

    assert (
        followup.run_rules(rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 6, 3, 4))
        == 0
    )
    assert (
        followup.run_rules(rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 6, 4, 4))
        == 1
    )
    assert (
        followup.run_rules(rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 6, 5, 4))
        == 0
    )
    task = CustomerTask.get()
    assert (task.rule, task.source, task.due, task.owner_id) == (
        "call_after_handset",
        handset.id,
        date(2026, 6, 4),
        shop.promoter.id,
    )
    assert [d.customer.id for d in followup.my_tasks(shop.promoter.id, date(2026, 6, 4))] == [customer.id]
    assert (
        followup.run_rules(rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 7, 2, 4))
        == 1
    )
    assert {t.rule for t in CustomerTask.select()} == {"call_after_handset", "accessories"}
    records.set_consent(customer.id, "", by=shop.manager.id)  # offers are marketing: consent only
    CustomerTask.delete().where(CustomerTask.rule == "accessories").execute()
    assert (
        followup.run_rules(rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 7, 2, 4))
        == 0
    )
    off = CustomersSection(call_after_handset_days=0, accessories_after_days=0, winback_tier="")
    CustomerTask.delete().execute()
    assert (
        followup.run_rules(off, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 6, 4, 4))
        == 0
    )


def test_winback_rule_for_dormant_a_class_who_consented(shop: Shop) -> None:
    def make(phone: str, name: str, consent: str, owner: str | None = None) -> Customer:
        return create_customer(phone, name, owner_id=owner, consent_how=consent, by=shop.manager.id)

    owned = make("13800138000", "张三", "sms", shop.promoter.id)
    nobody = make("13900139000", "李四", "paper")
    active = make("13700137000", "王五", "paper")
    private = make("13600136000", "赵六", "")  # dormant A-class, but no marketing consent

    def score(customer: Customer, state: str) -> value.Score:
        last = date(2025, 12, 1) if state == "dormant" else date(2026, 6, 1)
        return value.Score(customer.id, date(2025, 1, 1), last, 200, 3, 900000, 900000, 4, 4, 5, "A", state)

    value.save(
        [
            score(owned, "dormant"),
            score(nobody, "dormant"),
            score(active, "active"),
            score(private, "dormant"),
        ]
    )
    rules = CustomersSection()
    made = followup.run_rules(
        rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 6, 30, 4)
    )
    assert made == 2
    assert {(t.customer_id, t.owner_id, t.rule) for t in CustomerTask.select()} == {
        (owned.id, shop.promoter.id, "winback"),
        (nobody.id, shop.manager.id, "winback"),
    }
    again = followup.run_rules(
        rules, shop.till.tz, fallback_owner=shop.manager.id, now=datetime(2026, 7, 1, 4)
    )
    assert again == 0
