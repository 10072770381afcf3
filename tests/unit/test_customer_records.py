"""The customer record: bad input refused with a clear message and nothing written;
duplicates offer the existing customer; consent, erase and reassign audited."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from store.audit import integrity
from store.crm import handover, records, search
from store.crm.customer_fields import Birthday, parse_birthday
from store.crm.records import DuplicateCustomer, create_customer
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.models import AuditLog, Customer, CustomerContact, CustomerTask, Sale
from store.people import staff
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import manager_ok, pay, promoter_cart, scan, snapshot

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 4, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-01", Birthday(5, 1, 1990)),
        ("19900501", Birthday(5, 1, 1990)),
        ("1990/5/1", Birthday(5, 1, 1990)),
        ("1990年5月1日", Birthday(5, 1, 1990)),
        ("05-01", Birthday(5, 1)),
        ("5月1日", Birthday(5, 1)),
        ("02-29", Birthday(2, 29)),  # month and day only: a leap-day birthday is real
        ("2000-02-29", Birthday(2, 29, 2000)),
        ("", None),
        ("  ", None),
    ],
)
def test_birthdays_that_parse(text: str, expected: Birthday | None) -> None:
    assert parse_birthday(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-29", "2023 was not a leap year: it had no February 29."),
        ("2030-01-01", "A birthday cannot be in the future: 2030-01-01"),
        ("2026-06-02", "A birthday cannot be in the future: 2026-06-02"),
        ("13-01", "Not a birthday: 13-01"),
        ("04-31", "Not a birthday: 04-31"),
        ("yesterday", "Not a birthday: yesterday (write 1990-05-01, or 05-01 without the year)"),
        ("1850-01-01", "A birthday more than 120 years ago: 1850-01-01"),
    ],
)
def test_birthdays_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_birthday(text, TODAY)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("138abc00000", "Not a mobile number: 138abc00000"),
        ("1380013", "Not a valid mainland mobile number: 1380013"),
        ("138001380001", "Not a valid mainland mobile number: 138001380001"),
        ("", "Not a mobile number: "),
    ],
)
def test_bad_phones_write_nothing(shop: Shop, phone: str, message: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        create_customer(phone, "张三", by=shop.manager.id)
    assert str(caught.value) == message
    assert snapshot() == before


def test_phone_is_normalised(shop: Shop) -> None:
    customer = create_customer("+86 138-0013 8000", "张三", by=shop.manager.id, store_code="S001")
    assert (customer.phone, customer.phone_last4, customer.store_code) == ("13800138000", "8000", "S001")


def test_duplicate_phone_is_refused_with_the_existing_customer(shop: Shop) -> None:
    first = create_customer("13800138000", "张三", by=shop.manager.id)
    before = snapshot()
    with pytest.raises(DuplicateCustomer) as caught:
        create_customer("138 0013 8000", "张叁", by=shop.manager.id)
    assert caught.value.existing.id == first.id
    assert str(caught.value) == "13800138000 is already the customer 张三."
    assert snapshot() == before


def test_other_bad_fields_write_nothing(shop: Shop) -> None:
    before = snapshot()
    cases = [
        ({"name": "张" * 10_000}, "Name is too long (at most 40 characters)."),
        ({"birthday": "2023-02-29"}, "2023 was not a leap year: it had no February 29."),
        ({"gender": "x"}, "Gender is female, male or not given."),
        ({"consent_how": "telepathy"}, "Consent is given by one of: paper, verbal, wechat, sms."),
        ({"tags": ",".join(f"t{n}" for n in range(11))}, "At most 10 tags."),
        ({"notes": "x" * 501}, "Notes is too long (at most 500 characters)."),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError) as caught:
            create_customer("13800138000", **fields, by=shop.manager.id, now=NOW)  # type: ignore[arg-type]
        assert str(caught.value) == message
    assert snapshot() == before


def test_markup_and_emoji_are_kept_as_typed(shop: Shop) -> None:
    customer = create_customer("13800138000", "[bold]王😀", tags="VIP，学生；华为 VIP", by=shop.manager.id)
    assert customer.name == "[bold]王😀"
    assert customer.tags == "VIP,学生,华为"
    assert [h.id for h in search.lookup("[bold]王")] == [customer.id]


def test_an_emoji_zwj_sequence_is_kept_whole_in_a_name_and_notes(shop: Shop) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧, not 👨👩👧
    customer = create_customer(
        "13800138000", f"王{family}", notes=f"一家三口{family}\u202e\n下月再来", by=shop.manager.id
    )
    assert customer.name == f"王{family}"
    assert customer.notes == f"一家三口{family}\n下月再来"


def test_update_changes_keys_and_audits_field_names_only(shop: Shop) -> None:
    customer = create_customer("13800138000", "张三", by=shop.manager.id, now=NOW)
    updated = records.update_customer(
        customer.id, by=shop.manager.id, name="曾三", phone="13900139000", birthday="08-15", now=NOW
    )
    assert (updated.py, updated.py_alt, updated.phone_last4) == ("zengsan", "cengsan", "9000")
    assert (updated.birth_year, updated.birth_month, updated.birth_day) == (None, 8, 15)
    row = AuditLog.select().order_by(AuditLog.seq.desc()).get()
    assert row.action == "customer.update"
    assert "曾三" not in row.after and "13900139000" not in row.after
    assert "birth_month" in row.after and "name" in row.after and "phone" in row.after


def test_update_to_a_taken_phone_is_refused(shop: Shop) -> None:
    create_customer("13800138000", "张三", by=shop.manager.id)
    other = create_customer("13900139000", "李四", by=shop.manager.id)
    before = snapshot()
    with pytest.raises(DuplicateCustomer):
        records.update_customer(other.id, by=shop.manager.id, phone="13800138000")
    assert snapshot() == before


def test_consent_given_and_withdrawn(shop: Shop) -> None:
    customer = create_customer("13800138000", "张三", by=shop.manager.id)
    assert customer.consent_at is None
    given = records.set_consent(customer.id, "paper", by=shop.manager.id, now=NOW)
    assert (given.consent_at, given.consent_how) == (NOW, "paper")
    gone = records.set_consent(customer.id, "", by=shop.manager.id, now=NOW)
    assert (gone.consent_at, gone.consent_how) == (None, "")
    actions = [r.action for r in AuditLog.select().order_by(AuditLog.seq)][-2:]
    assert actions == ["customer.consent", "customer.consent_withdrawn"]


def test_erase_anonymises_but_keeps_the_sales(shop: Shop) -> None:
    customer = create_customer(
        "13800138000",
        "张三",
        birthday="1990-05-01",
        notes="likes Huawei",
        consent_how="paper",
        by=shop.manager.id,
    )
    CustomerContact.create(
        customer=customer.id, staff=shop.promoter.id, channel="call", note="asked about P70"
    )
    CustomerTask.create(
        customer=customer.id, owner=shop.promoter.id, due=TODAY, title="call back", source="t1"
    )
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.customer_id = customer.id
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till, now=NOW)

    records.erase_customer(customer.id, approval=manager_ok(shop), now=NOW)
    gone = Customer.get_by_id(customer.id)
    assert (gone.name, gone.notes, gone.birth_year, gone.consent_at, gone.py) == ("", "", None, None, "")
    assert gone.phone == f"erased:{customer.id}" and gone.erased_at == NOW
    assert CustomerContact.get().note == ""
    assert CustomerTask.get().status == "cancelled"
    assert Sale.get_by_id(sale.id).customer_id == customer.id and Sale.get_by_id(sale.id).total == sale.total
    assert search.lookup("13800138000") == [] and search.lookup("zs") == [] and search.lookup("8000") == []
    assert integrity.verify() == []
    assert "张三" not in "".join(r.after + r.before for r in AuditLog.select())
    with pytest.raises(ValidationError):
        records.erase_customer(customer.id, approval=manager_ok(shop))
    # the number is free again: the person may come back as a new customer
    assert create_customer("13800138000", "张三", by=shop.manager.id).id != customer.id


def test_reassign_moves_customers_and_open_tasks_in_one_audited_step(shop: Shop) -> None:
    leaver = staff.create_staff("P2", "张伟", "promoter", "2222")
    mine = [
        create_customer(f"1380013800{n}", f"客户{n}", owner_id=leaver.id, by=shop.manager.id)
        for n in range(3)
    ]
    other = create_customer("13900139000", "李四", owner_id=shop.promoter.id, by=shop.manager.id)
    CustomerTask.create(customer=mine[0].id, owner=leaver.id, due=TODAY, title="call", source="a")
    CustomerTask.create(
        customer=mine[1].id, owner=leaver.id, due=TODAY, title="done one", source="b", status="done"
    )
    moved = handover.reassign(leaver.id, shop.manager.id, approval=manager_ok(shop), now=NOW)
    assert (moved.customers, moved.tasks) == (3, 1)
    assert {c.owner_id for c in Customer.select().where(Customer.id.in_([c.id for c in mine]))} == {
        shop.manager.id
    }
    assert Customer.get_by_id(other.id).owner_id == shop.promoter.id
    assert {(t.title, t.owner_id) for t in CustomerTask.select()} == {
        ("call", shop.manager.id),
        ("done one", leaver.id),
    }
    row = AuditLog.select().order_by(AuditLog.seq.desc()).get()
    assert (row.action, row.approved_by, row.entity_id) == ("customer.reassign", shop.manager.id, leaver.id)
    with pytest.raises(ValidationError):
        handover.reassign(leaver.id, leaver.id, approval=manager_ok(shop))
    with pytest.raises(NotFound):
        handover.reassign("nobody", leaver.id, approval=manager_ok(shop))


def test_reassign_to_an_inactive_member_is_refused(shop: Shop) -> None:
    leaver = staff.create_staff("P2", "张伟", "promoter", "2222")
    create_customer("13800138000", "张三", owner_id=shop.promoter.id, by=shop.manager.id)
    from store.models import Staff

    Staff.update(active=False).where(Staff.id == leaver.id).execute()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        handover.reassign(shop.promoter.id, leaver.id, approval=manager_ok(shop))
    assert snapshot() == before
