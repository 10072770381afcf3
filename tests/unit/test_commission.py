"""Commission rules and maths, targets and progress, against worked examples."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from store.config.loader import Config
from store.kernel.errors import ValidationError
from store.models import AuditLog, Sale, SaleLine
from store.people import (
    commission,
    promoter_figures,
    promoter_progress,
    roster_edit,
    staff,
    targets,
    timeclock,
)
from store.people import report as promoter_report
from store.people.config import CommissionRule
from store.selling import checkout, sale_lookup, sale_voids
from store.selling.cart import Cart
from tests.conftest import TILL, Shop
from tests.store_helpers import manager_actor, manager_ok, pay, promoter_cart, scan

START = date(2020, 1, 1)
HANDSET = CommissionRule(START, category="handset", rate_bp=100)
ACCESSORY = CommissionRule(START, category="accessory", rate_bp=800)
APPLE = CommissionRule(START, brand="Apple", rate_bp=150)
APPLE_HANDSET = CommissionRule(START, category="handset", brand="Apple", rate_bp=120)
IPHONE = CommissionRule(START, model="iPhone 15", rate_bp=200)
NOVEMBER_IPHONE = CommissionRule(date(2026, 11, 1), date(2026, 11, 30), model="iPhone 15", rate_bp=250)
SPECIAL = CommissionRule(
    date(2026, 11, 10), date(2026, 11, 20), model="iPhone 15", special=True, rate_bp=300, per_unit_fen=5000
)
RULES = [HANDSET, ACCESSORY, APPLE, APPLE_HANDSET, IPHONE, NOVEMBER_IPHONE, SPECIAL]
PHONE = commission.Item("handset", "Apple", "iPhone 15")
OTHER_APPLE = commission.Item("handset", "Apple", "iPhone 16")
CASE = commission.Item("accessory", "Generic", "iPhone 15 Case")


@pytest.mark.parametrize(
    ("rules", "item", "day", "expected"),
    [
        ([HANDSET, ACCESSORY], PHONE, date(2026, 5, 1), HANDSET),
        ([HANDSET, ACCESSORY], CASE, date(2026, 5, 1), ACCESSORY),
        ([HANDSET, APPLE], PHONE, date(2026, 5, 1), APPLE),  # brand beats category
        ([HANDSET, APPLE, APPLE_HANDSET], PHONE, date(2026, 5, 1), APPLE_HANDSET),  # brand + category
        (RULES, PHONE, date(2026, 10, 31), IPHONE),  # model beats brand
        (RULES, PHONE, date(2026, 11, 1), NOVEMBER_IPHONE),  # the later "from" wins a tie
        (RULES, PHONE, date(2026, 11, 10), SPECIAL),  # a special-price model beats everything
        (RULES, PHONE, date(2026, 11, 20), SPECIAL),  # "to" is inclusive
        (RULES, PHONE, date(2026, 11, 21), NOVEMBER_IPHONE),
        (RULES, PHONE, date(2026, 12, 1), IPHONE),
        (RULES, OTHER_APPLE, date(2026, 11, 15), APPLE_HANDSET),
        ([IPHONE], CASE, date(2026, 5, 1), None),
        ([NOVEMBER_IPHONE], PHONE, date(2026, 10, 1), None),  # not in force yet
        ([CommissionRule(START, model="IPHONE 15", rate_bp=1)], PHONE, date(2026, 5, 1), "IPHONE 15"),
    ],
)
def test_the_most_specific_rule_in_force_wins(
    rules: list[CommissionRule], item: commission.Item, day: date, expected: object
) -> None:
    chosen = commission.pick_rule(rules, item, day)
    if isinstance(expected, str):  # matching ignores case
        assert chosen is not None and chosen.model == expected
    else:
        assert chosen is expected


def test_a_tie_on_everything_goes_to_the_later_rule_in_the_list() -> None:
    first = CommissionRule(START, category="handset", rate_bp=1)
    second = CommissionRule(START, category="handset", rate_bp=2)
    assert commission.pick_rule([first, second], PHONE, date(2026, 1, 1)) is second


@pytest.mark.parametrize(
    ("amount", "bp", "expected"),
    [
        (599900, 100, 5999),  # 1 % of ¥5,999.00
        (-599900, 100, -5999),  # a return takes back exactly that
        (12345, 150, 185),  # 185.175 fen -> 185
        (50, 100, 1),  # 0.5 fen rounds half up
        (-50, 100, -1),  # and away from zero on a return
        (49, 100, 0),
        (7800, 800, 624),
        (0, 800, 0),
        (100, 0, 0),
    ],
)
def test_rate_rounding(amount: int, bp: int, expected: int) -> None:
    assert commission.rate_part(amount, bp) == expected


def test_per_unit_amounts_add_to_the_rate_and_reverse_on_a_return() -> None:
    assert commission.commission(599900, 1, SPECIAL) == 17997 + 5000
    assert commission.commission(-599900, -1, SPECIAL) == -(17997 + 5000)
    assert commission.commission(7800, 2, None, default_rate_bp=50) == 39


def test_rule_boundaries() -> None:
    assert commission.boundaries(RULES) == [
        START,
        date(2026, 11, 1),
        date(2026, 11, 10),
        date(2026, 11, 21),
        date(2026, 12, 1),
    ]


# ---- in the store -------------------------------------------------------------------------

NOV_12 = datetime(2026, 11, 12, 4, 0)  # 12:00 in Shanghai, in the special-price window
NOV_25 = datetime(2026, 11, 25, 4, 0)
TODAY = date(2026, 11, 27)


def config_with(rules: list[CommissionRule]) -> Config:
    cfg = Config()
    cfg.commission.rules = rules
    return cfg


def ring(shop: Shop, now: datetime, *codes: str, case_qty: int = 0, promoter: str | None = None) -> Sale:
    cart = promoter_cart(shop)
    for code in codes:
        cart.add_scan(scan(code))
    if case_qty:
        cart.add_scan(scan(shop.case.sku), case_qty)
    if promoter is not None:
        cart.set_promoter(promoter)
    pay(cart)
    return checkout.commit_sale(cart, shop.till, now=now)


def give_back(shop: Shop, sale: Sale, now: datetime, line_no: int = 1) -> Sale:
    line = SaleLine.get((SaleLine.sale == sale.id) & (SaleLine.line_no == line_no))
    cart: Cart = promoter_cart(shop)
    cart.add_return_line(line, line.qty, sale_lookup.returned_qty(line.id))
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason("defective")
    pay(cart)
    return checkout.commit_sale(cart, shop.till, now=now)


def november(cfg: Config) -> dict[str, promoter_figures.Figures]:
    return promoter_figures.sales_figures(date(2026, 11, 1), date(2026, 11, 30), cfg, today=TODAY)


def test_worked_example_special_price_model_and_a_return(shop: Shop) -> None:
    """An iPhone 15 and two cases on 12 Nov, when the iPhone 15 is a special-price model
    (3 % + ¥50 a unit); the cases pay 8 %. The phone comes back on 25 Nov, after the
    special price ended: the return takes back the special commission, not today's rate."""
    cfg = config_with([HANDSET, ACCESSORY, SPECIAL])
    sale = ring(shop, NOV_12, shop.imeis[0], case_qty=2)
    got = november(cfg)[shop.promoter.id]
    # phone: 599900 x 3 % = 17997, + 5000 a unit; cases: 7800 x 8 % = 624
    assert (got.amount, got.units, got.commission) == (599900 + 7800, 1, 17997 + 5000 + 624)
    give_back(shop, sale, NOV_25)
    got = november(cfg)[shop.promoter.id]
    assert (got.amount, got.units, got.commission, got.returned) == (7800, 0, 624, -599900)
    assert got.brand("Apple") == (0, 0) and got.brand("Generic") == (7800, 0)


def test_the_return_is_taken_from_the_promoter_who_was_credited(shop: Shop) -> None:
    cfg = config_with([HANDSET, ACCESSORY])
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    sale = ring(shop, datetime(2026, 10, 30, 4, 0), shop.imeis[0], promoter=other.id)  # October
    give_back(shop, sale, NOV_25)  # rung up by P1's cart, but P2 was credited
    got = november(cfg)
    assert shop.promoter.id not in got
    assert (got[other.id].amount, got[other.id].units, got[other.id].commission) == (-599900, -1, -5999)
    october = promoter_figures.sales_figures(date(2026, 10, 1), date(2026, 10, 31), cfg, today=TODAY)
    assert october[other.id].commission == 5999


def test_voided_receipts_earn_nothing(shop: Shop) -> None:
    cfg = config_with([HANDSET, ACCESSORY])
    sale = ring(shop, NOV_12, case_qty=3)
    sale_voids.void_sale(sale.id, approval=manager_ok(shop), till=shop.till, now=NOV_12)
    assert november(cfg) == {}


def test_settled_days_are_summarised_and_agree_with_the_lines(shop: Shop) -> None:
    from store.models import PromoterDaySales

    cfg = config_with([HANDSET, ACCESSORY, SPECIAL])
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    ring(shop, datetime(2026, 11, 2, 4, 0), shop.imeis[0], case_qty=1)
    ring(shop, NOV_12, shop.imeis[1], case_qty=3, promoter=other.id)
    ring(shop, datetime(2026, 11, 12, 6, 0), case_qty=2)  # two lines of one group on one day
    ring(shop, datetime(2026, 11, 26, 4, 0), shop.imeis[2])  # not settled yet on the 27th
    all_lines = promoter_figures.sales_figures(
        date(2026, 11, 1), date(2026, 11, 30), cfg, today=date(2026, 11, 1)
    )
    assert PromoterDaySales.select().count() == 0  # nothing was settled on the 1st
    summarised = november(cfg)  # summarises the first days only, reads the rest line by line
    assert summarised == all_lines
    marks = PromoterDaySales.select().where(PromoterDaySales.promoter_id == "")
    assert marks.count() == promoter_figures.SUMMARISE_DAYS_PER_CALL
    promoter_figures.summarise_all(date(2026, 11, 1), date(2026, 11, 30), cfg, today=TODAY)
    settled = PromoterDaySales.select().where(PromoterDaySales.promoter_id == "")
    assert [d.business_date for d in settled] == [date(2026, 11, n) for n in range(1, 26)]
    sold_12th = PromoterDaySales.select().where(
        PromoterDaySales.business_date == date(2026, 11, 12), PromoterDaySales.promoter_id == shop.promoter.id
    )
    assert [(r.amount, r.qty) for r in sold_12th] == [(7800, 2)]
    assert november(cfg) == all_lines  # the second time reads the summary as it is
    assert PromoterDaySales.select().count() == 25 + 5
    ring(shop, datetime(2026, 11, 27, 4, 0), case_qty=1)  # today's sale shows at once
    assert november(cfg)[shop.promoter.id].amount == all_lines[shop.promoter.id].amount + 3900


def test_the_default_rate_pays_lines_no_rule_covers(shop: Shop) -> None:
    cfg = config_with([])
    cfg.commission.default_rate_bp = 50
    ring(shop, NOV_12, case_qty=2)
    assert november(cfg)[shop.promoter.id].commission == 39  # 7800 x 0.5 % = 39


# ---- targets -------------------------------------------------------------------------------


def test_targets_are_set_for_this_month_or_later(shop: Shop) -> None:
    today = date(2026, 11, 27)
    t = targets.set_target(
        "2026-11", shop.promoter.id, units=10, amount=5_000_000, actor=manager_actor(shop), today=today
    )
    again = targets.set_target(
        "2026-11", shop.promoter.id, units=12, amount=6_000_000, actor=manager_actor(shop), today=today
    )
    assert again.id == t.id and (again.units, again.amount) == (12, 6_000_000)
    targets.set_target("2026-12", None, units=40, amount=0, actor=manager_actor(shop), today=today)
    targets.set_target(
        "2026-11", shop.promoter.id, units=3, amount=0, brand="Apple", actor=manager_actor(shop), today=today
    )
    assert set(targets.targets_for("2026-11")) == {(shop.promoter.id, ""), (shop.promoter.id, "Apple")}
    assert AuditLog.select().where(AuditLog.action == "target.set").count() == 4


@pytest.mark.parametrize(
    ("month", "units", "amount", "message"),
    [
        ("2026-10", 1, 0, "2026-10 is over: targets are set for this month or later."),
        ("2026-13", 1, 0, "A month is written like 2026-11: 2026-13"),
        ("Nov", 1, 0, "A month is written like 2026-11: Nov"),
        ("2026-12", -1, 0, "A target cannot be negative."),
        ("2026-12", 0, 0, "A target needs units or an amount."),
    ],
)
def test_bad_targets(shop: Shop, month: str, units: int, amount: int, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        targets.set_target(
            month,
            shop.promoter.id,
            units=units,
            amount=amount,
            actor=manager_actor(shop),
            today=date(2026, 11, 27),
        )
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("done", "target", "pct"),
    [(0, 100, 0), (50, 100, 50), (2999, 3000, 99), (3000, 3000, 100), (4500, 3000, 150), (5, 0, None)],
)
def test_percent_of_target_rounds_down(done: int, target: int, pct: int | None) -> None:
    assert targets.percent(done, target) == pct


def test_projection_at_todays_pace() -> None:
    assert targets.projected(1_000_000, 10, 30) == 3_000_000
    assert targets.projected(7, 3, 30) == 70
    assert targets.projected(100, 0, 30) == 0


def test_progress_for_the_logged_in_promoter(shop: Shop) -> None:
    cfg = config_with([HANDSET, ACCESSORY])
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    today = date(2026, 11, 10)
    targets.set_target(
        "2026-11", shop.promoter.id, units=6, amount=3_000_000, actor=manager_actor(shop), today=today
    )
    targets.set_target(
        "2026-11", shop.promoter.id, units=2, amount=0, brand="Apple", actor=manager_actor(shop), today=today
    )
    ring(shop, datetime(2026, 11, 2, 4, 0), shop.imeis[0])  # 2 Nov: ¥5,999
    ring(shop, datetime(2026, 11, 10, 4, 0), case_qty=2)  # today: ¥78
    ring(shop, datetime(2026, 11, 10, 5, 0), shop.imeis[1], shop.imeis[2], promoter=other.id)
    mine = promoter_progress.progress(shop.promoter.id, cfg, now=datetime(2026, 11, 10, 8, 0))
    assert (mine.today_amount, mine.today_units) == (7800, 0)
    assert (mine.amount, mine.units, mine.commission) == (607700, 1, 5999 + 624)
    assert (mine.amount_percent, mine.units_percent) == (20, 16)  # 607700/3000000, 1/6, rounded down
    assert (mine.projected_amount, mine.projected_units) == (607700 * 30 // 10, 3)
    assert mine.rank == 2
    assert [(b.brand, b.units, b.target_units) for b in mine.brands] == [("Apple", 1, 2)]
    board = promoter_progress.leaderboard(cfg, now=datetime(2026, 11, 10, 8, 0))
    assert [(r.rank, r.code, r.amount, r.amount_percent) for r in board] == [
        (1, "P2", 2 * 599900, None),
        (2, "P1", 607700, 20),
    ]


# ---- the month report ----------------------------------------------------------------------


def test_month_report_hours_sales_commission(shop: Shop, tmp_path: Path) -> None:
    cfg = config_with([HANDSET, ACCESSORY, SPECIAL])
    boss = manager_actor(shop)
    roster_edit.assign(shop.promoter.id, date(2026, 11, 12), "E", cfg, actor=boss)  # 6 h
    roster_edit.assign(
        shop.promoter.id, date(2026, 11, 13), "F", cfg, actor=boss
    )  # 12 h, not clocked: absent
    timeclock.clock_in("P1", "1111", TILL.tz, now=timeclock.to_utc(datetime(2026, 11, 12, 9, 20), TILL.tz))
    timeclock.clock_out("P1", "1111", TILL.tz, now=timeclock.to_utc(datetime(2026, 11, 12, 15, 0), TILL.tz))
    targets.set_target(
        "2026-11",
        shop.promoter.id,
        units=4,
        amount=2_000_000,
        actor=manager_actor(shop),
        today=date(2026, 11, 1),
    )
    targets.set_target(
        "2026-11", None, units=10, amount=6_000_000, actor=manager_actor(shop), today=date(2026, 11, 1)
    )
    sale = ring(shop, NOV_12, shop.imeis[0], case_qty=2)
    give_back(shop, sale, NOV_25, line_no=2)  # the two cases come back
    report = promoter_report.month_report("2026-11", cfg, now=datetime(2026, 11, 27, 4, 0))
    assert report.through == date(2026, 11, 27)
    rows = {r.code: r for r in report.rows}
    assert set(rows) == {"P1"}  # the manager neither sold nor worked
    p1 = rows["P1"]
    assert (p1.rostered, p1.worked, p1.late, p1.absent) == (18 * 60, 5 * 60 + 40, 1, 1)
    assert (p1.amount, p1.units, p1.returned, p1.commission) == (599900, 1, -7800, 17997 + 5000)
    assert p1.amount_percent == 29
    assert (report.store_amount, report.store_target_amount) == (599900, 6_000_000)

    text = promoter_report.as_text(report)
    assert text.splitlines()[0] == "Promoters 2026-11 (through 2026-11-27)"
    line = next(x for x in text.splitlines() if x.startswith("P1"))
    # the level is empty (not on the ladder), so the split skips it
    assert line.split() == [
        "P1",
        "李小红",
        "18:00",
        "5:40",
        "1",
        "1",
        "5,999.00",
        "1",
        "-78.00",
        "229.97",
        "20,000.00",
        "29%",
    ]
    assert "Store: sales ¥5,999.00, 1 handset (9% of target ¥60,000.00)" in text

    csv_rows = promoter_report.as_csv(report).removeprefix("\ufeff").splitlines()
    assert csv_rows[1] == "2026-11,P1,李小红,,1080,340,1,1,599900,1,-7800,22997,2000000,4"

    path = tmp_path / "report.xlsx"
    promoter_report.write_xlsx(report, path)
    sheet = load_workbook(path)["2026-11"]
    assert sheet["A1"].value == "Code" and sheet["A2"].value == "P1"
    assert (
        sheet["H2"].value == 5999 and sheet["K2"].value == 229.97 and sheet["H2"].number_format == "#,##0.00"
    )


def test_month_report_shows_brand_targets_in_text_csv_and_xlsx(shop: Shop, tmp_path: Path) -> None:
    """Brand targets (issue 13): set with `promoters target --brand`, reported beside the sales
    of that brand, the store's first, then each promoter's."""
    cfg = config_with([HANDSET, ACCESSORY])
    boss = manager_actor(shop)
    nov_1 = date(2026, 11, 1)
    targets.set_target("2026-11", shop.promoter.id, units=2, amount=0, brand="Apple", actor=boss, today=nov_1)
    targets.set_target("2026-11", None, units=0, amount=2_000_000, brand="Apple", actor=boss, today=nov_1)
    targets.set_target(
        "2026-11", shop.promoter.id, units=3, amount=0, brand="Huawei", actor=boss, today=nov_1
    )
    ring(shop, NOV_12, shop.imeis[0], case_qty=2)  # one Apple handset and two Generic cases
    report = promoter_report.month_report("2026-11", cfg, now=datetime(2026, 11, 27, 4, 0))
    assert [(b.code, b.brand, b.amount, b.units, b.reached_percent) for b in report.brand_targets] == [
        ("", "Apple", 599900, 1, 29),  # of ¥20,000 by amount
        ("P1", "Apple", 599900, 1, 50),  # of 2 handsets by units
        ("P1", "Huawei", 0, 0, 0),
    ]

    text = promoter_report.as_text(report).splitlines()
    brands = text[text.index("Brand targets") :]
    assert next(x for x in brands if "Huawei" in x).split() == [
        "P1",
        "李小红",
        "Huawei",
        "0.00",
        "0",
        "3",
        "0%",
    ]
    assert next(x for x in brands if x.split()[:1] == ["Store"]).split() == [
        "Store",
        "Apple",
        "5,999.00",
        "1",
        "20,000.00",
        "29%",
    ]

    csv_rows = promoter_report.as_csv(report).removeprefix("\ufeff").splitlines()
    blank = csv_rows.index("")
    assert (
        csv_rows[blank + 1] == "month,code,name,brand,sales_fen,units,target_fen,target_units,reached_percent"
    )
    assert csv_rows[blank + 2 :] == [
        "2026-11,,Store,Apple,599900,1,2000000,0,29",
        "2026-11,P1,李小红,Apple,599900,1,0,2,50",
        "2026-11,P1,李小红,Huawei,0,0,0,3,0",
    ]

    path = tmp_path / "report.xlsx"
    promoter_report.write_xlsx(report, path)
    sheet = load_workbook(path)["Brand targets"]
    assert [c.value for c in sheet[1]] == [
        "Code",
        "Name",
        "Brand",
        "Sales",
        "Units",
        "Target",
        "Target units",
        "Reached",
    ]
    assert [c.value for c in sheet[3]] == ["P1", "李小红", "Apple", 5999, 1, None, 2, "50%"]


def test_a_month_report_without_brand_targets_has_no_brand_table(shop: Shop) -> None:
    report = promoter_report.month_report("2026-11", config_with([HANDSET]), now=datetime(2026, 11, 27, 4, 0))
    assert report.brand_targets == []
    assert "Brand targets" not in promoter_report.as_text(report)
    assert "" not in promoter_report.as_csv(report).splitlines()


def test_a_month_not_started_is_refused(shop: Shop) -> None:
    with pytest.raises(ValidationError, match=r"2026-12 has not started yet\."):
        promoter_report.month_report("2026-12", Config(), now=datetime(2026, 11, 27, 4, 0))
