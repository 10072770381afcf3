"""Pilot tests of a customer's referral tab (F7 on the profile) at 80x24, and of the referral
block on the receipt screen."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import DataTable

from store.kernel.clock import business_date
from store.kernel.money import format_fen
from store.models import AuditLog, Customer, ReferralReward
from store.models.base import utcnow
from store.referrals import ledger
from store.referrals import profile as referral_profile
from store.referrals.config import ReferralRule, Reward
from store.selling.receipt_render import qr_half_blocks, qr_matrix
from tests.conftest import Shop
from tests.console_helpers import make_app, record_threads, settle
from tests.referral_helpers import customer, policy, sell_to, till_with
from tests.store_helpers import confirm_clock
from tui.app import ZhangguiApp
from tui.screens.choice import ChoiceScreen
from tui.screens.customer_profile import CustomerProfileScreen
from tui.screens.customer_referrals import CustomerReferralsScreen
from tui.screens.receipt import ReceiptScreen
from tui.widgets.message_bar import MessageBar

GIFT = "充电宝"
RULE = ReferralRule(
    date(2020, 1, 1),
    referrer=Reward(voucher_fen=5000, gift=GIFT),
    referee=Reward(voucher_fen=2000),
    holding_days=7,
)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, 0)  # 12:00 in Shanghai


class Story:
    """张老客 bought a month ago and brought 李新客 ten days ago (kept: rewards earned) and
    王朋友 yesterday (still in the holding period)."""

    def __init__(self, shop: Shop) -> None:
        self.today = business_date(utcnow(), shop.till.tz)
        section = policy(RULE)
        till = till_with(shop, section)
        self.old = customer("13800138000", "张老客")
        self.new = customer("13900139000", "李新客")
        self.friend = customer("13700137000", "王朋友")
        sell_to(shop, till, self.old, shop.case.sku, when=noon(self.today - timedelta(days=30)))
        sell_to(shop, till, self.new, shop.case.sku, referrer=self.old, when=noon(self.today - timedelta(10)))
        self.sale = sell_to(
            shop, till, self.friend, shop.case.sku, referrer=self.old, when=noon(self.today - timedelta(1))
        )
        confirm_clock(noon(self.today), shop.till.tz)  # noon may be hours from the setup's clock
        ledger.settle(self.today, section, now=noon(self.today))

    def gift(self, status: str) -> ReferralReward:
        return ReferralReward.get(
            (ReferralReward.customer == self.old.id)
            & (ReferralReward.kind == "gift")
            & (ReferralReward.status == status)
        )


def shown(app: ZhangguiApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def table_text(app: ZhangguiApp, selector: str) -> list[str]:
    table = app.screen.query_one(selector, DataTable)
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def open_tab(app: ZhangguiApp, pilot: Pilot[None], customer_id: str) -> CustomerReferralsScreen:
    await app.push_screen(CustomerProfileScreen(customer_id))
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, CustomerReferralsScreen)
    return screen


async def test_tab_shows_code_qr_people_rewards_and_balance_at_80x24(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    story = Story(shop)
    code = str(Customer.get_by_id(story.old.id).referral_code)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_tab(app, pilot, story.old.id)
        assert " ".join(code) in shown(app, "#referrals-code")
        assert shown(app, "#referrals-qr").splitlines() == qr_half_blocks(qr_matrix(code))
        info = shown(app, "#referrals-info")
        assert "Referred by: —" in info
        assert f"{format_fen(5000)} to spend today, {format_fen(5000)} pending" in info
        assert "Gifts to hand over: 1" in info
        referees = table_text(app, "#referrals-referees")
        assert referees[0].startswith("王朋友 137****7000") and "pending" in referees[0]
        assert referees[1].startswith("李新客 139****9000") and "earned" in referees[1]
        rewards = table_text(app, "#referrals-rewards")
        assert len(rewards) == 4
        assert any(GIFT in row and "earned" in row for row in rewards)
        assert all("13900139000" not in row for row in rewards)
        # Everything is on an 80x24 screen: the whole code, the tables, the message line.
        for selector in ("#referrals-qr", "#referrals-referees", "#referrals-rewards", "#message"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 24 and region.right <= 80, selector
        assert screen.query_one("#referrals-qr").region.height >= len(qr_half_blocks(qr_matrix(code)))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerProfileScreen)


async def test_the_tab_settles_and_reads_off_the_event_loop(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = Story(shop)
    settled = record_threads(monkeypatch, ledger, "settle_if_due")
    loaded = record_threads(monkeypatch, referral_profile, "load")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_tab(app, pilot, story.old.id)
        assert settled == [False] and loaded == [False]
        assert "Gifts to hand over: 1" in shown(app, "#referrals-info")
        assert len(table_text(app, "#referrals-rewards")) == 4


async def test_f2_hands_the_highlighted_gift_over_after_confirming(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    story = Story(shop)
    gift = story.gift("earned")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_tab(app, pilot, story.old.id)
        assert screen.snapshot is not None
        ids = [r.id for r in screen.snapshot.rewards]
        # On a voucher: nothing to hand over.
        voucher = next(i for i, r in enumerate(screen.snapshot.rewards) if r.kind == "voucher")
        screen.query_one("#referrals-rewards", DataTable).move_cursor(row=voucher)
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen and "vouchers are spent at checkout" in shown(app, "#message")
        # On the earned gift: asked first; "No" changes nothing.
        screen.query_one("#referrals-rewards", DataTable).move_cursor(row=ids.index(gift.id))
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert ReferralReward.get_by_id(gift.id).status == "earned"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # yes
        await settle(pilot)
        assert app.screen is screen
        done = ReferralReward.get_by_id(gift.id)
        assert (done.status, done.handed_by_id) == ("redeemed", shop.promoter.id)
        assert AuditLog.select().where(AuditLog.action == "referral.gift_handed_over").count() == 1
        assert f"{GIFT} handed over." in str(screen.query_one(MessageBar).render())
        assert "Gifts to hand over: 0" in shown(app, "#referrals-info")
        row = table_text(app, "#referrals-rewards")[
            screen.query_one("#referrals-rewards", DataTable).cursor_row
        ]
        assert GIFT in row and "redeemed" in row
        # Again: the ledger refuses without asking.
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen and "cannot be handed over" in shown(app, "#message")


async def test_a_gift_still_in_its_holding_period_is_refused_with_its_day(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    story = Story(shop)
    pending = story.gift("pending")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_tab(app, pilot, story.old.id)
        assert screen.snapshot is not None
        row = [r.id for r in screen.snapshot.rewards].index(pending.id)
        screen.query_one("#referrals-rewards", DataTable).move_cursor(row=row)
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen
        assert pending.earn_on.isoformat() in shown(app, "#message")
        assert ReferralReward.get_by_id(pending.id).status == "pending"


async def test_the_new_customer_sees_who_brought_them(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    story = Story(shop)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_tab(app, pilot, story.new.id)
        info = shown(app, "#referrals-info")
        assert "Referred by: 张老客 138****8000" in info
        assert f"{format_fen(2000)} to spend today" in info
        assert table_text(app, "#referrals-referees") == []
        [reward] = table_text(app, "#referrals-rewards")
        assert "张老客" in reward and format_fen(2000) in reward


async def test_receipt_screen_prints_the_code_and_the_configured_note(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    story = Story(shop)
    app = make_app(db, tmp_path, staff=shop.promoter)
    app.config.referrals.receipt_note = "带朋友来，各得好礼"
    code = str(Customer.get_by_id(story.friend.id).referral_code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(ReceiptScreen(story.sale.id))
        await pilot.pause()
        text = shown(app, "#receipt-text")
        assert f"Referral code {code}" in text and "带朋友来，各得好礼" in text
