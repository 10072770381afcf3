"""Phones are masked by who is looking, in the store: every view of store.crm.shown takes the
Actor of a login (None: nobody logged in) and returns 138****8000 to a promoter or an anonymous
operator and the whole number to a manager ([customers] full_phone_roles)."""

from __future__ import annotations

from datetime import date

import pytest

from store.crm import followup, shown
from store.crm.config import CustomersSection
from store.crm.records import create_customer, erase_customer
from store.kernel.auth import Actor, sign_in
from tests.conftest import Shop

RULES = CustomersSection()
FULL, MASKED = "13800138000", "138****8000"


@pytest.fixture
def customer_id(shop: Shop) -> str:
    customer = create_customer(
        FULL, "张三", birthday="02-17", consent_how="paper", owner_id=shop.promoter.id, by=shop.manager.id
    )
    return str(customer.id)


def lookers(shop: Shop) -> list[tuple[Actor | None, str]]:
    """Each kind of reader with the number they must see."""
    return [(None, MASKED), (sign_in("P1", "1111"), MASKED), (sign_in("M1", "1234"), FULL)]


def test_phone_for_by_role(shop: Shop) -> None:
    for actor, expected in lookers(shop):
        assert shown.phone_for(actor, FULL, RULES) == expected
    everyone = CustomersSection(full_phone_roles="promoter,manager")
    assert shown.phone_for(sign_in("P1", "1111"), FULL, everyone) == FULL
    assert shown.phone_for(None, FULL, everyone) == MASKED  # nobody logged in has no role


def test_lookup(shop: Shop, customer_id: str) -> None:
    for actor, expected in lookers(shop):
        (hit,) = shown.lookup("zs", actor, RULES)
        assert (hit.id, hit.phone) == (customer_id, expected)


def test_care_list(shop: Shop, customer_id: str) -> None:
    for actor, expected in lookers(shop):
        items = shown.care_list(date(2026, 2, 17), RULES, "店", actor)
        assert {i.phone for i in items if i.customer_id == customer_id} == {expected}


def test_my_tasks(shop: Shop, customer_id: str) -> None:
    followup.add_task(
        customer_id, "call back", date(2026, 5, 1), owner_id=shop.promoter.id, by=shop.manager.id
    )
    for actor, expected in lookers(shop):
        (line,) = shown.my_tasks(shop.promoter.id, date(2026, 5, 1), actor, RULES)
        assert (line.customer_id, line.name, line.title, line.phone) == (
            customer_id,
            "张三",
            "call back",
            expected,
        )


def test_people_of_the_a_class_list(shop: Shop, customer_id: str) -> None:
    for actor, expected in lookers(shop):
        assert shown.people([customer_id], actor, RULES) == {customer_id: shown.Person("张三", expected)}


def test_profile(shop: Shop, customer_id: str) -> None:
    for actor, expected in lookers(shop):
        view = shown.profile(customer_id, actor, RULES)
        assert view.phone == expected and view.profile.customer.id == customer_id


def test_an_erased_customer_shows_no_number_to_anyone(shop: Shop, customer_id: str) -> None:
    erase_customer(customer_id, actor=sign_in("M1", "1234"))
    for actor, _expected in lookers(shop):
        assert shown.profile(customer_id, actor, RULES).phone == "(erased)"


def test_the_sale_screen_label_is_always_masked(shop: Shop, customer_id: str) -> None:
    assert shown.cart_label(customer_id) == f"张三 {MASKED}"


def test_the_edit_form_fills_the_phone_as_the_editor_may_see_it(shop: Shop, customer_id: str) -> None:
    from store.crm.form_values import customer_fields

    for actor, expected in lookers(shop):
        fields = customer_fields(customer_id, actor, RULES)
        assert (fields.phone, fields.name, fields.birthday) == (expected, "张三", "02-17")
        assert fields.phone_change(expected) is None  # left as filled in: nothing to save
        assert fields.phone_change("13900139000") == "13900139000"
