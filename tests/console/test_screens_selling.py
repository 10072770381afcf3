"""Text snapshots of the selling screens at 80x24 in both languages, walked by keyboard in one
console session a language (a promoter's day: log in, ring, pick, pay, return, lock).

The snapshots are plain text in tests/console/screens/<language>/<name>.txt. After a deliberate
change to a screen, rewrite them and read the diff before committing:

    ZHANGGUI_UPDATE_SCREENS=1 .venv/bin/python -m pytest -q tests/console/test_screens_*.py
    git diff tests/console/screens/

A missing or changed file fails with a unified diff (tests/console/screen_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.crm.records import create_customer
from store.kernel import FixedClock
from store.kernel.i18n import _, set_language
from tests.conftest import Shop
from tests.console.screen_text import Snapshots, snapshot_app, steady
from tests.console_helpers import scanner_burst, settle, type_text, wait_for_commit
from tui.screens.choice import ChoiceScreen
from tui.screens.customer_pick import CustomerPickScreen
from tui.screens.held import HeldSalesScreen
from tui.screens.keys import KeysScreen
from tui.screens.login import LoginScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.pay import PayScreen
from tui.screens.picker import PickerScreen
from tui.screens.promoter import PromoterScreen
from tui.screens.prompt import PromptScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.returns import ReturnsScreen
from tui.screens.sale import SaleScreen
from tui.screens.unit_picker import UnitPickerScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_selling_screens(
    shop: Shop,
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    clock: FixedClock,
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)
    # The sale's receipt number carries the business day of the suite's clock (00:01 in
    # Shanghai is already the next day's).
    first_receipt = f"S001-T1-{clock.today():%Y%m%d}-0001"
    customer = create_customer("13800138000", "张三", owner_id=shop.promoter.id, by=shop.manager.id)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await snaps.check(pilot, "login")
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        await snaps.check(pilot, "sale-empty")

        await type_text(pilot, "iphone 15")  # part of a name: the phone and its case
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await snaps.check(pilot, "picker")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitPickerScreen)
        await snaps.check(pilot, "unit-picker")
        await pilot.press("enter")
        await scanner_burst(pilot, "2*6900000000011", gap=0)
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        await snaps.check(pilot, "sale")

        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, CustomerPickScreen)
        await type_text(pilot, "13800138000", enter=False)
        await settle(pilot)
        await snaps.check(pilot, "customer-pick")
        await pilot.press("enter")  # a new customer: who referred them is asked at once
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        referrer = _("Scan the referral code or type the referrer's mobile number (Esc: nobody).")
        await snaps.check(pilot, "referrer-prompt", shows=referrer)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert app.screen.cart.customer_id == customer.id
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, PromoterScreen)
        await snaps.check(pilot, "promoter-pick")
        await pilot.press("escape")

        await pilot.press("f5")  # a sale discount over the promoter's limit
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await snaps.check(pilot, "discount-prompt")
        await type_text(pilot, "50%")
        await settle(pilot)
        assert isinstance(app.screen, ManagerPinScreen)
        await snaps.check(pilot, "manager-pin", shows=app.screen._reason)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await snaps.check(pilot, "confirm-cancel")
        await pilot.press("escape")
        await pilot.press("f7")  # held, with a note to find it again
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "Zhang")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, HeldSalesScreen)
        await snaps.check(pilot, "held")
        await pilot.press("enter")
        await settle(pilot)

        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PayScreen)
        await snaps.check(pilot, "pay")
        await pilot.press("f1")
        await type_text(pilot, "7000")
        await wait_for_commit(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await snaps.check(pilot, "receipt")
        await pilot.press("enter")
        await settle(pilot)

        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, ReturnsScreen)
        await snaps.check(pilot, "returns-empty")
        await type_text(pilot, first_receipt)
        await settle(pilot)
        await snaps.check(pilot, "returns")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        await snaps.check(pilot, "keys")
        await pilot.press("escape")
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await snaps.check(pilot, "login-locked")
    snaps.finish()
