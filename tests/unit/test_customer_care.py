"""Care lists: birthdays and holidays (lunar ones on the right days in 2026 and 2027, and
in years no table reaches), consent respected, SMS-ready text and a CSV that is safe to
open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from store.crm import care, records
from store.crm.config import CustomersSection
from store.crm.holidays import holidays_between, holidays_in, lunar_to_solar
from store.crm.records import create_customer
from store.models import Customer
from tests.conftest import Shop
from tests.store_helpers import manager_ok

RULES = CustomersSection()


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2026,
            {
                "spring_festival": date(2026, 2, 17),
                "lantern": date(2026, 3, 3),
                "dragon_boat": date(2026, 6, 19),
                "qixi": date(2026, 8, 19),
                "mid_autumn": date(2026, 9, 25),
                "double_ninth": date(2026, 10, 18),
                "mothers_day": date(2026, 5, 10),
                "fathers_day": date(2026, 6, 21),
                "national_day": date(2026, 10, 1),
            },
        ),
        (
            2027,
            {
                "spring_festival": date(2027, 2, 6),
                "lantern": date(2027, 2, 20),
                "dragon_boat": date(2027, 6, 9),
                "qixi": date(2027, 8, 8),
                "mid_autumn": date(2027, 9, 15),
                "double_ninth": date(2027, 10, 8),
                "mothers_day": date(2027, 5, 9),
                "fathers_day": date(2027, 6, 20),
                "national_day": date(2027, 10, 1),
            },
        ),
    ],
)
def test_holidays_land_on_the_right_days(year: int, expected: dict[str, date]) -> None:
    days = {h.key: h.day for h in holidays_in(year)}
    assert {k: days[k] for k in expected} == expected


def test_lunar_dates_in_a_year_with_a_leap_month_and_far_ahead() -> None:
    # 2025 has a leap sixth month: Mid-Autumn is the ordinary eighth month's 15th
    assert lunar_to_solar(2025, 8, 15) == date(2025, 10, 6)
    assert lunar_to_solar(2023, 1, 1) == date(2023, 1, 22)
    assert lunar_to_solar(2100, 1, 1) == date(2100, 2, 9)  # no table that ends this year
    assert [h.key for h in holidays_between(date(2026, 2, 15), date(2026, 2, 21))] == ["spring_festival"]


@pytest.fixture
def people(shop: Shop) -> dict[str, Customer]:
    made = {
        "张三": create_customer(
            "13800138001", "张三", birthday="02-17", consent_how="paper", by=shop.manager.id
        ),
        "李四": create_customer(
            "13800138002", "李四", birthday="1992-02-29", consent_how="wechat", by=shop.manager.id
        ),
        "王五": create_customer("13800138003", "王五", birthday="02-17", by=shop.manager.id),  # no consent
        "赵六": create_customer(
            "13800138004", "赵六", birthday="09-23", consent_how="verbal", by=shop.manager.id
        ),
        "": create_customer("13800138005", "", birthday="06-19", consent_how="sms", by=shop.manager.id),
    }
    gone = create_customer("13800138006", "钱七", birthday="02-17", consent_how="paper", by=shop.manager.id)
    records.erase_customer(gone.id, approval=manager_ok(shop), now=datetime(2026, 1, 1))
    return made


def test_spring_festival_2026_birthdays_and_holiday_for_consenting_customers(
    people: dict[str, Customer],
) -> None:
    items = care.care_list(date(2026, 2, 17), RULES, "掌柜手机店")
    assert [(i.occasion, i.name) for i in items] == [
        ("birthday", "张三"),
        ("spring_festival", ""),
        ("spring_festival", "张三"),
        ("spring_festival", "李四"),
        ("spring_festival", "赵六"),
    ]
    assert items[0].message == "张三您好！掌柜手机店祝您生日快乐，凭此短信到店可领小礼品一份。"
    assert items[1].message == "customer您好！掌柜手机店祝您Spring Festival快乐！"  # English catalog in tests
    assert all(i.phone != "13800138003" for i in items)  # 王五 did not consent


def test_leap_day_birthdays_are_greeted_on_february_28_in_other_years(people: dict[str, Customer]) -> None:
    assert [i.name for i in care.care_list(date(2026, 2, 28), RULES, "店")] == ["李四"]
    assert [i.name for i in care.care_list(date(2027, 2, 28), RULES, "店")] == ["李四"]
    assert [i.name for i in care.care_list(date(2028, 2, 29), RULES, "店")] == ["李四"]
    assert care.care_list(date(2028, 2, 28), RULES, "店") == []


def test_the_week_holds_birthdays_and_mid_autumn_2026(people: dict[str, Customer]) -> None:
    items = care.care_list(date(2026, 9, 21), RULES, "店", days=7)
    assert [(i.day, i.occasion, i.name) for i in items] == [
        (date(2026, 9, 23), "birthday", "赵六"),
        (date(2026, 9, 25), "mid_autumn", ""),
        (date(2026, 9, 25), "mid_autumn", "张三"),
        (date(2026, 9, 25), "mid_autumn", "李四"),
        (date(2026, 9, 25), "mid_autumn", "赵六"),
    ]


def test_dragon_boat_2027_and_a_quiet_day(people: dict[str, Customer]) -> None:
    items = care.care_list(date(2027, 6, 9), RULES, "店")
    assert {i.occasion for i in items} == {"dragon_boat"} and len(items) == 4
    assert care.care_list(date(2027, 6, 10), RULES, "店") == []
    assert [i.occasion for i in care.care_list(date(2026, 6, 19), RULES, "店")] == ["birthday"] + [
        "dragon_boat"
    ] * 4


def test_withdrawn_consent_drops_out(shop: Shop, people: dict[str, Customer]) -> None:
    records.set_consent(people["张三"].id, "", by=shop.manager.id)
    assert [i.name for i in care.care_list(date(2026, 2, 17), RULES, "店") if i.occasion == "birthday"] == []


def test_csv_neutralises_formulas_and_sms_is_one_line_each(shop: Shop) -> None:
    for n, name in enumerate(['=HYPERLINK("x")', "+cmd", "-2+3", "@SUM(A1)", "王\n五"]):
        create_customer(f"1390013900{n}", name, birthday="05-01", consent_how="paper", by=shop.manager.id)
    rules = CustomersSection(birthday_message="{name}生日快乐 {store}")
    items = care.care_list(date(2026, 5, 1), rules, "店")
    text = care.to_csv(items)
    assert text.startswith("\ufeff")  # Excel on a Chinese Windows reads UTF-8 only with a BOM
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Date", "Occasion", "Name", "Phone", "Message"]
    birthday_rows = [r for r in rows[1:] if r[1] == "Birthday"]
    names = sorted(r[2] for r in birthday_rows)
    assert names == sorted(['\'=HYPERLINK("x")', "'+cmd", "'-2+3", "'@SUM(A1)", "王五"])
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@" for cell in row), row
    sms = care.to_sms([i for i in items if i.occasion == "birthday"]).splitlines()
    assert len(sms) == 5
    assert "13900139004\t王五生日快乐 店" in sms
    assert all(line.count("\t") == 1 for line in sms)


def test_consent_respected_in_a_holiday_list_of_many(shop: Shop) -> None:
    for n in range(30):
        create_customer(
            f"1370013{n:04d}", f"客{n}", consent_how="paper" if n % 3 == 0 else "", by=shop.manager.id
        )
    items = care.care_list(date(2026, 10, 1), RULES, "店")
    assert len(items) == 10 and {i.occasion for i in items} == {"national_day"}
