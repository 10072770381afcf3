"""The profile: every purchase with its IMEIs and warranty end, returns, lifetime value,
first and last purchase, contacts, tasks and the stored score; phones masked by role."""

from __future__ import annotations

from datetime import date, datetime

from store.crm import followup, value
from store.crm.config import CustomersSection
from store.crm.profile import load_profile, shown_phone
from store.crm.records import create_customer
from store.models import SaleLine
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import manager_ok, pay, promoter_cart, scan

RULES = CustomersSection()


def test_profile_of_a_customer_who_bought_and_returned(shop: Shop) -> None:
    customer = create_customer("13800138000", "张三", owner_id=shop.promoter.id, by=shop.manager.id)
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.case.sku), 2)
    cart.customer_id = customer.id
    pay(cart)
    first = checkout.commit_sale(cart, shop.till, now=datetime(2026, 3, 1, 4, 0))
    back = promoter_cart(shop)
    case_line = SaleLine.get((SaleLine.sale == first.id) & (SaleLine.line_no == 2))
    back.add_return_line(case_line, 1, 0)
    back.approve_return(manager_ok(shop))
    back.set_return_reason("defective")
    back.customer_id = customer.id
    pay(back)
    checkout.commit_sale(back, shop.till, now=datetime(2026, 3, 5, 4, 0))
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku))
    cart.customer_id = customer.id
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=datetime(2026, 4, 2, 4, 0))
    followup.log_contact(customer.id, "call", "happy", staff_id=shop.promoter.id)
    followup.add_task(
        customer.id, "offer a case", date(2026, 5, 1), owner_id=shop.manager.id, by=shop.manager.id
    )
    value.refresh(date(2026, 4, 30), RULES)

    p = load_profile(customer.id, RULES)
    assert [(x.day, x.kind, x.total) for x in p.purchases] == [
        (date(2026, 4, 2), "sale", 3900),
        (date(2026, 3, 5), "return", -3900),
        (date(2026, 3, 1), "sale", 599900 + 7800),
    ]
    handset = p.purchases[2].lines[0]
    assert (handset.imei, handset.warranty_end) == (shop.imeis[0], date(2027, 3, 1))
    assert p.purchases[2].lines[1].imei == "" and p.purchases[2].lines[1].warranty_end is None
    assert [r.kind for r in p.returns] == ["return"]
    assert p.lifetime_value == 599900 + 7800 - 3900 + 3900
    assert (p.first_purchase, p.last_purchase) == (date(2026, 3, 1), date(2026, 4, 2))
    assert p.owner_name == "李小红"
    assert [c.note for c in p.contacts] == ["happy"] and [t.title for t in p.tasks] == ["offer a case"]
    assert p.score is not None and (p.score.frequency, p.score.lifetime) == (2, p.lifetime_value)


def test_phone_masked_for_roles_that_do_not_need_it() -> None:
    assert shown_phone("13800138000", "promoter", RULES) == "138****8000"
    assert shown_phone("13800138000", "cashier", RULES) == "138****8000"
    assert shown_phone("13800138000", "manager", RULES) == "13800138000"
    everyone = CustomersSection(full_phone_roles="promoter,cashier,manager,admin")
    assert shown_phone("13800138000", "promoter", everyone) == "13800138000"
    assert shown_phone("erased:abc", "admin", RULES) == "(erased)"
