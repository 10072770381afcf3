"""The 老带新 reports: the leaderboard, the month report per store (the referral share of new
customers, their sales, the vouchers and gifts the ledger moved) and the manager's flags."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from store.config.loader import Config
from store.kernel.errors import ValidationError
from store.models import Customer, ReferralReward, Sale
from store.referrals import ledger, patterns, referrers, report, report_export, vouchers
from tests.conftest import Shop
from tests.referral_helpers import DAY, TODAY, at, customer, later, policy, refund, sell_to, settle, till_with

NOVEMBER = "2026-11"


class Story:
    """张老客 (an October customer) brings 李新客 and 张小 in November; 王二 comes alone.
    李新客 returns the case bought with the phone."""

    def __init__(self, shop: Shop) -> None:
        self.till = till_with(shop, policy())
        self.old = customer("13800138000", "张老客")
        sell_to(shop, self.till, self.old, shop.case.sku, when=at(date(2026, 10, 20)))
        self.li = customer("13900139000", "李新客")
        self.li_sale = sell_to(shop, self.till, self.li, shop.imeis[0], shop.case.sku, referrer=self.old)
        refund(shop, self.till, self.li_sale, 2, when=DAY)
        self.zhang = customer("13800131234", "张小")
        sell_to(shop, self.till, self.zhang, shop.imeis[1], referrer=self.old)
        self.wang = customer("13700137000", "王二")
        sell_to(shop, self.till, self.wang, shop.case.sku)


@pytest.fixture
def story(shop: Shop) -> Story:
    return Story(shop)


def test_the_month_report_measures_the_referral_share_of_new_customers(shop: Shop, story: Story) -> None:
    result = report.month_report(NOVEMBER, Config(), now=DAY)
    assert result.through == TODAY
    [store] = result.stores
    assert store.store_code == "S001"
    assert (store.new_customers, store.referred) == (3, 2)
    assert store.share_permille == 667 and store.share_text == "66.7%"
    assert store.revenue_referred == 2 * 599900  # the returned case is not revenue
    assert store.revenue_new == 2 * 599900 + 3900
    assert store.links == 2
    assert store.vouchers_issued == 2 * (5000 + 2000)
    assert (store.vouchers_earned, store.vouchers_redeemed, store.gifts_handed) == (0, 0, 0)
    assert result.total == replace(store, store_code="")
    assert "2 of 3 new customers came by referral (66.7%)" in report_export.headline(result)
    october = report.month_report("2026-10", Config(), now=DAY)
    assert (october.total.new_customers, october.total.referred) == (1, 0)
    assert october.top == []


def test_the_leaderboard_counts_new_customers_and_their_kept_first_sales(shop: Shop, story: Story) -> None:
    [row] = referrers.leaderboard(NOVEMBER)
    assert row.rank == 1 and row.referrer.id == story.old.id
    assert (row.referrer.name, row.referrer.phone) == ("张老客", "138****8000")
    assert row.referred == 2
    assert row.revenue == 2 * 599900
    assert (row.pending, row.earned, row.gifts) == (2 * 5000, 0, 0)
    other = customer("13600136000", "赵四")
    sell_to(shop, story.till, other, shop.imeis[2], referrer=story.wang)
    board = referrers.leaderboard(NOVEMBER)
    assert [(r.rank, r.referrer.name, r.referred) for r in board] == [(1, "张老客", 2), (2, "王二", 1)]
    assert [r.referrer.name for r in referrers.leaderboard(NOVEMBER, limit=1)] == ["张老客"]
    assert referrers.leaderboard("2026-10") == []
    assert referrers.leaderboard(NOVEMBER, store_code="S002") == []


def test_the_ledger_figures_follow_the_month_they_happen_in(shop: Shop, story: Story) -> None:
    settle(story.till, later(7))  # 2026-12-04: the holding period is over, all kept
    vouchers_of_li = ReferralReward.get(
        (ReferralReward.customer == story.li.id) & (ReferralReward.kind == "voucher")
    )
    sell_to(shop, story.till, story.li, shop.case.sku, when=at(later(8)), voucher=1500)
    gift = ReferralReward.get((ReferralReward.customer == story.zhang.id) & (ReferralReward.kind == "gift"))
    ledger.hand_over_gift(gift.id, shop.manager.id, later(8), now=at(later(8)))
    december = report.month_report("2026-12", Config(), now=at(later(9)))
    assert december.total.vouchers_earned == 2 * (5000 + 2000)
    assert december.total.vouchers_redeemed == 1500
    assert december.total.gifts_handed == 1
    assert december.total.new_customers == 0 and december.total.share_permille is None
    assert vouchers_of_li.amount == 2000
    [leader] = referrers.leaderboard(NOVEMBER)
    assert (leader.pending, leader.earned) == (0, 2 * 5000)
    # Long after: unspent vouchers expire (valid 30 days in this policy) in January.
    settle(story.till, date(2027, 1, 10))
    january = report.month_report("2027-01", Config(), now=at(date(2027, 1, 10)))
    assert january.total.vouchers_expired == 2 * 5000 + 2000 + (2000 - 1500)


def test_a_return_in_the_holding_period_shows_as_cancelled(shop: Shop, story: Story) -> None:
    refund(shop, story.till, zhangs_first_sale(story), 1, when=at(TODAY + timedelta(days=1)))
    result = report.month_report(NOVEMBER, Config(), now=at(TODAY + timedelta(days=2)))
    assert result.total.vouchers_cancelled == 5000 + 2000
    assert result.total.revenue_referred == 599900  # 张小 returned the phone
    assert result.total.referred == 2  # still a referred new customer: the link stands


def zhangs_first_sale(story: Story) -> Sale:
    return Sale.get((Sale.customer == story.zhang.id) & (Sale.kind == "sale"))


def test_one_store_of_a_consolidated_database(shop: Shop, story: Story) -> None:
    other = customer("13500135000", "钱七")
    sell_to(shop, replace(story.till, store_code="S002"), other, shop.imeis[2], referrer=story.wang)
    both = report.month_report(NOVEMBER, Config(), now=DAY)
    assert [(s.store_code, s.new_customers, s.referred) for s in both.stores] == [
        ("S001", 3, 2),
        ("S002", 1, 1),
    ]
    assert (both.total.new_customers, both.total.referred, both.total.share_text) == (4, 3, "75.0%")
    only = report.month_report(NOVEMBER, Config(), store_code="S002", now=DAY)
    assert [(s.store_code, s.new_customers) for s in only.stores] == [("S002", 1)]
    assert [r.referrer.name for r in only.top] == ["王二"]
    nobody = report.month_report(NOVEMBER, Config(), store_code="S009", now=DAY)
    assert nobody.total.new_customers == 0 and nobody.stores[0].store_code == "S009"


def test_a_bad_or_future_month_is_refused(db: object) -> None:
    with pytest.raises(ValidationError, match="like 2026-11"):
        report.month_report("November", Config(), now=DAY)
    with pytest.raises(ValidationError, match="not started"):
        report.month_report("2026-12", Config(), now=DAY)


def test_flags_a_referrer_whose_new_customers_never_came_back(shop: Shop, story: Story) -> None:
    strict = replace(story.till.referrals, flag_min_referrals=2, flag_repeat_percent=0, flag_window_days=30)
    found = patterns.flags(TODAY, strict)
    few = [f for f in found if f.kind == patterns.FEW_REPEATS]
    assert [(f.referrer.id, sorted(p.name for p in f.referees)) for f in few] == [
        (story.old.id, ["张小", "李新客"])
    ]
    assert "2 new customers in 30 days, 0 came back" in few[0].reason
    sell_to(shop, story.till, story.li, shop.case.sku, when=at(later(1)))
    assert not [f for f in patterns.flags(later(1), strict) if f.kind == patterns.FEW_REPEATS]
    assert patterns.flags(later(1), replace(strict, flag_repeat_percent=50))[0].kind == patterns.FEW_REPEATS
    assert not [
        f for f in patterns.flags(later(1), replace(strict, flag_min_referrals=3)) if f.kind == "few_repeats"
    ]
    assert not [
        f for f in patterns.flags(later(40), strict) if f.kind == patterns.FEW_REPEATS
    ]  # out of the window


def test_flags_a_referrer_and_new_customer_with_one_phone_prefix_and_surname(
    shop: Shop, story: Story
) -> None:
    found = [f for f in patterns.flags(TODAY, story.till.referrals) if f.kind == patterns.SAME_FAMILY]
    assert [(f.referrer.name, [p.name for p in f.referees]) for f in found] == [("张老客", ["张小"])]
    assert "same first 7 phone digits and surname (张)" in found[0].reason
    assert found[0].referees[0].phone == "138****1234"
    # An erased referee is nobody's relative any more.
    Customer.update(erased_at=DAY, phone=f"erased:{story.zhang.id}", name="").where(
        Customer.id == story.zhang.id
    ).execute()
    assert not [f for f in patterns.flags(TODAY, story.till.referrals) if f.kind == patterns.SAME_FAMILY]
    assert "Nothing to look at" in patterns.flags_text([])


def test_the_exports_carry_the_same_figures(shop: Shop, story: Story, tmp_path: Path) -> None:
    result = report.month_report(NOVEMBER, Config(), now=DAY)
    text = report_export.as_text(result)
    assert "Referrals 2026-11 (through 2026-11-27)" in text
    assert "66.7%" in text and "张老客" in text and "138****8000" in text
    assert "13800138000" not in text
    exported = report_export.as_csv(result)
    assert exported.startswith("\ufeff")
    lines = exported.removeprefix("\ufeff").split("\r\n\r\n")
    stores = list(csv.DictReader(io.StringIO(lines[0])))
    assert [(r["store"], r["new_customers"], r["referred"], r["share_permille"]) for r in stores] == [
        ("S001", "3", "2", "667"),
        ("*", "3", "2", "667"),
    ]
    assert stores[0]["revenue_referred_fen"] == str(2 * 599900)
    leaders = list(csv.DictReader(io.StringIO(lines[1])))
    assert leaders[0]["name"] == "张老客" and leaders[0]["new_customers"] == "2"
    assert leaders[0]["referral_code"] == story.old.referral_code
    path = tmp_path / "r.xlsx"
    report_export.write_xlsx(result, path)
    book = load_workbook(path)
    sheet = book[NOVEMBER]
    assert sheet["A2"].value == "S001" and sheet["B2"].value == 3 and sheet["C2"].value == 2
    assert float(sheet["D2"].value) == pytest.approx(0.667) and sheet["D2"].number_format == "0.0%"
    assert float(sheet["F2"].value) == 11998.0
    top = book["Top referrers"]
    assert top["B2"].value == "张老客" and top["D2"].value == 2
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="Cannot write"):
        report_export.write_xlsx(result, blocker / "r.xlsx")


def test_vouchers_balance_unchanged_by_reading(shop: Shop, story: Story) -> None:
    """Reports only read: running them writes nothing."""
    from tests.store_helpers import snapshot

    before = snapshot()
    report.month_report(NOVEMBER, Config(), now=DAY)
    patterns.flags(TODAY, story.till.referrals)
    assert snapshot() == before
    assert vouchers.balance(story.old.id, TODAY).pending == 2 * 5000
