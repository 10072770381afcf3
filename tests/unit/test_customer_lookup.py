"""Customer lookup: phone, last 4 digits, name, pinyin and initials (either reading of a
polyphonic surname), IMEI of a phone bought; keys for rows an older version wrote."""

from __future__ import annotations

from datetime import datetime

import pytest

from store.crm import search
from store.crm.names import name_keys
from store.crm.records import create_customer
from store.models import Customer, database
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan


def names(hits: list[search.CustomerHit]) -> list[str]:
    return [h.name for h in hits]


@pytest.mark.parametrize(
    ("name", "py", "initials", "alt", "alt_initials"),
    [
        ("张三", "zhangsan", "zs", None, None),
        ("曾静", "zengjing", "zj", "cengjing", "cj"),
        ("单雄信", "shanxiongxin", "sxx", "danxiongxin", "dxx"),
        ("解晓东", "xiexiaodong", "xxd", "jiexiaodong", "jxd"),
        ("仇小红", "qiuxiaohong", "qxh", "chouxiaohong", "cxh"),
        ("区志强", "ouzhiqiang", "ozq", "quzhiqiang", "qzq"),
        ("欧阳娜娜", "ouyangnana", "oynn", None, None),
        ("吕布", "lvbu", "lb", None, None),
        ("Tom Li", "tomli", "tl", None, None),
        ("[bold]王😀", "boldwang", "bw", None, None),
        ("", "", "", None, None),
    ],
)
def test_name_keys(name: str, py: str, initials: str, alt: str | None, alt_initials: str | None) -> None:
    keys = name_keys(name)
    assert (keys.py, keys.initials, keys.py_alt, keys.initials_alt) == (py, initials, alt, alt_initials)


@pytest.fixture
def people(shop: Shop) -> dict[str, Customer]:
    made = {}
    for phone, name in [
        ("13800138000", "张三"),
        ("13912348000", "赵四"),  # the same last 4 digits as 张三
        ("13700000001", "曾静"),
        ("13700000002", "单雄信"),
        ("13700000003", "解晓东"),
        ("13700000004", "仇小红"),
        ("13700000005", "区志强"),
        ("13600000006", "张珊珊"),
        ("15900001234", "周大福"),
    ]:
        made[name] = create_customer(phone, name, by=shop.manager.id)
    return made


def test_full_phone_with_country_code_spaces_and_dashes(people: dict[str, Customer]) -> None:
    for typed in ("13800138000", "+86 138-0013-8000", "0086 138 0013 8000", "８６１３８００１３８０００"):
        hits = search.lookup(typed)
        assert [(h.name, h.why) for h in hits] == [("张三", "phone")], typed


def test_last_four_digits_finds_every_customer_sharing_them(people: dict[str, Customer]) -> None:
    hits = search.lookup("8000")
    assert sorted(names(hits)) == ["张三", "赵四"]
    assert {h.why for h in hits} == {"last4"}
    assert names(search.lookup("1234")) == ["周大福"]
    assert search.lookup("4321") == []


def test_phone_prefix(people: dict[str, Customer]) -> None:
    assert names(search.lookup("1370000000")) == ["曾静", "单雄信", "解晓东", "仇小红", "区志强"]


def test_name_prefix_and_pinyin(people: dict[str, Customer]) -> None:
    assert names(search.lookup("张三")) == ["张三"]
    assert sorted(names(search.lookup("张"))) == ["张三", "张珊珊"]
    assert names(search.lookup("zhangsan")) == ["张三"]
    assert names(search.lookup("ZhangShan")) == ["张珊珊"]
    assert names(search.lookup("zhang")) == ["张三", "张珊珊"]  # key order: zhangsan < zhangshanshan


def test_initials_exact_before_longer_keys(people: dict[str, Customer]) -> None:
    hits = search.lookup("zs")
    assert names(hits)[0] == "张三" and hits[0].why == "initials"
    assert set(names(hits)) == {"张三", "张珊珊", "赵四"}  # zs, zss, zhaosi (pinyin prefix)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("zengjing", "曾静"),
        ("cengjing", "曾静"),
        ("zj", "曾静"),
        ("cj", "曾静"),
        ("shanxiongxin", "单雄信"),
        ("danxiongxin", "单雄信"),
        ("dxx", "单雄信"),
        ("xiexiaodong", "解晓东"),
        ("jiexiaodong", "解晓东"),
        ("qiuxiaohong", "仇小红"),
        ("chouxiaohong", "仇小红"),
        ("ouzhiqiang", "区志强"),
        ("quzhiqiang", "区志强"),
        ("qzq", "区志强"),
    ],
)
def test_polyphonic_surnames_are_found_by_either_reading(
    people: dict[str, Customer], typed: str, name: str
) -> None:
    assert names(search.lookup(typed)) == [name]


def test_imei_of_a_phone_they_bought(shop: Shop, people: dict[str, Customer]) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[2]))
    cart.customer_id = people["曾静"].id
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=datetime(2026, 3, 1, 4, 0))
    hits = search.lookup(shop.imeis[2])
    assert [(h.name, h.why) for h in hits] == [("曾静", "imei")]
    assert search.lookup(shop.imeis[3]) == []  # in stock, never sold


def test_top_twenty_and_nothing_for_junk(shop: Shop) -> None:
    for n in range(30):
        create_customer(f"1380000{n:04d}", "张伟", by=shop.manager.id)
    assert len(search.lookup("zw")) == 20
    assert len(search.lookup("张伟")) == 20
    assert search.lookup("") == []
    assert search.lookup("   ") == []
    assert search.lookup("x" * 10_000) == []
    assert search.lookup("[bold]") == []
    assert search.lookup("'; DROP TABLE customer; --") == []
    assert Customer.select().count() == 30


def test_many_matches_on_one_key_still_fill_twenty(shop: Shop) -> None:
    """Each customer matches "z" twice (pinyin and initials): deduplicated, still 20."""
    for n in range(25):
        create_customer(f"1390000{n:04d}", "赵敏", by=shop.manager.id)
    hits = search.lookup("z")
    assert len(hits) == 20 and len({h.id for h in hits}) == 20


def test_rows_without_keys_get_them_at_lookup_and_open(shop: Shop) -> None:
    """A bulk load (the demo) or an older version writes customers without search keys."""
    database.obj.execute_sql(
        "INSERT INTO customer (id, phone, name, created_at) "
        "VALUES ('c1', '13500000001', '曾小贤', '2026-01-01')"
    )
    assert search.missing_keys()
    assert names(search.lookup("cxx")) == ["曾小贤"]
    assert not search.missing_keys()
    row = Customer.get_by_id("c1")
    assert (row.py, row.py_alt, row.phone_last4) == ("zengxiaoxian", "cengxiaoxian", "0001")
