"""Every key of every screen can be found at 80x24 in both languages (the key bar shows what
fits and always the key of the keys overlay, which lists them all), and no dialog cuts its text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label

from store.crm.records import create_customer
from store.kernel.i18n import _, set_language
from tests.conftest import Shop
from tests.console_helpers import make_app, type_text, wait_for_commit
from tui.app import ZhangguiApp
from tui.menu import DESTINATIONS
from tui.screens.choice import ChoiceScreen
from tui.screens.customer_pick import CustomerPickScreen
from tui.screens.customer_profile import CustomerProfileScreen
from tui.screens.customer_referrals import CustomerReferralsScreen
from tui.screens.damaged import DamagedDatabaseScreen
from tui.screens.first_run import FirstRunScreen
from tui.screens.keys import KeysScreen
from tui.screens.login import LoginScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.pay import PayScreen
from tui.screens.promoter_profile import PromoterProfileScreen
from tui.screens.prompt import PromptScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.returns import ReturnsScreen
from tui.screens.sale import SaleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

LANGUAGES = ["en", "zh_CN"]


def visible_text(container: Widget) -> str:
    """The text of the Labels and Statics inside ``container`` as the screen shows it: each
    cropped to the part of it that lies inside the container (a border cuts the rest)."""
    lines: list[str] = []
    inside = container.region
    for widget in container.query("Label, Static, FooterKey").results(Widget):
        shown = widget.region.intersection(inside)
        if not shown:
            continue
        crop = Region(shown.x - widget.region.x, shown.y - widget.region.y, shown.width, shown.height)
        lines.extend(strip.text for strip in widget.render_lines(crop))
    return "\n".join(lines)


def flat(text: str) -> str:
    """Ignore where lines break (and the spaces a wrap leaves or takes)."""
    return re.sub(r"\s+", "", text)


def wanted_keys(app: ZhangguiApp) -> list[tuple[str, str]]:
    """Each key the screen in front answers (ours all have an id; the palette is Textual's)."""
    pairs = []
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if binding.key == app.COMMAND_PALETTE_BINDING:
            pairs.append((app.get_key_display(binding), _("Command palette")))
        elif binding.id is not None:
            pairs.append((app.get_key_display(binding), binding.description))
    ids = {active.binding.id for active in app.screen.active_bindings.values()}
    for binding in type(app.screen).BINDINGS:  # a key a focused widget shadows is still a key
        if isinstance(binding, Binding) and binding.id not in ids:
            pairs.append((app.get_key_display(binding), _(binding.description)))
    return pairs


async def assert_every_key_findable(app: ZhangguiApp, pilot: Pilot[None]) -> None:
    screen = app.screen
    wanted = wanted_keys(app)
    footer = visible_text(screen.query_one(KeyBar))
    for _attempt in range(20):  # a busy machine (a full run) may not have laid the bar out yet
        if footer.strip():
            break
        await pilot.pause(0.05)
        footer = visible_text(screen.query_one(KeyBar))
    if not any(a.binding.action in ("keys", "app.keys") for a in screen.active_bindings.values()):
        # a modal screen without the overlay's key: the bar must show all of its keys
        for key, description in wanted:
            assert re.search(re.escape(key) + r"\s+" + re.escape(description), footer), (key, footer)
        return
    assert flat(f"^g {_('Keys')}") in flat(footer), footer  # the way to the rest is always in sight
    await pilot.press("ctrl+g")
    await pilot.pause()
    overlay = app.screen
    assert isinstance(overlay, KeysScreen), type(screen).__name__
    listed = visible_text(overlay.query_one(".dialog", Widget))
    for key, description in wanted:
        row = re.escape(key) + r"\s+" + re.escape(description)
        assert re.search(row, listed) or (key in footer and description in footer), (
            type(screen).__name__,
            key,
            description,
            listed,
        )
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_key_of_the_selling_screens_is_findable(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        ids = {a.binding.id for a in app.screen.active_bindings.values()}
        # the keys the issue found hidden are among those checked
        assert {"sale.customer", "sale.promoter", "sale.returns", "sale.lock", "app.menu"} <= ids
        assert {"sale.referrer", "sale.override_price", "sale.cancel", "app.lock"} <= ids
        await assert_every_key_findable(app, pilot)
        await type_text(pilot, shop.case.barcode)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)
        await assert_every_key_findable(app, pilot)
        await pilot.press("f1")
        await type_text(pilot, "100")
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await assert_every_key_findable(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f11")
        await pilot.pause()
        assert isinstance(app.screen, ReturnsScreen)
        await assert_every_key_findable(app, pilot)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_key_of_every_menu_screen_is_findable(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for destination in DESTINATIONS:
            app.go_to(destination.id)
            await app.workers.wait_for_complete()  # a screen reads the store in workers first
            await pilot.pause()
            while isinstance(app.screen, ModalScreen):  # a screen that asks first (a count's scope)
                app.screen.dismiss(None)
                await app.workers.wait_for_complete()
                await pilot.pause()
            await assert_every_key_findable(app, pilot)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_key_of_the_profiles_is_findable(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    """The issue's examples: the profile's F8, the promoter profile's keys after Esc."""
    set_language(language)
    customer = create_customer("13800138000", "张三", owner_id=shop.promoter.id, by=shop.manager.id)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(CustomerProfileScreen(customer.id))
        await pilot.pause()
        assert "profile.erase" in {a.binding.id for a in app.screen.active_bindings.values()}
        await assert_every_key_findable(app, pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, CustomerReferralsScreen)
        await assert_every_key_findable(app, pilot)
        await app.push_screen(PromoterProfileScreen(shop.promoter.id))
        await pilot.pause()
        assert "promoter.promote" in {a.binding.id for a in app.screen.active_bindings.values()}
        await assert_every_key_findable(app, pilot)


async def test_the_overlay_lists_keys_the_bar_hides(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = visible_text(app.screen.query_one(KeyBar))
        assert "Cancel sale" not in footer  # show=False: only the overlay has it
        await pilot.press("ctrl+g")
        await pilot.pause()
        listed = visible_text(app.screen.query_one(".dialog", Widget))
        assert re.search(r"\^n\s+Cancel sale", listed)
        assert re.search(r"\^r\s+Referrer", listed)
        assert re.search(r"f12\s+Lock", listed)
        assert re.search(r"↑\s+Previous line", listed)  # shadowed by the scan field's scroll keys


def dialogs() -> list[tuple[str, ModalScreen[object], str]]:
    """Dialogs with their longest words, in the language set now."""
    referrer = _("Scan the referral code or type the referrer's mobile number (Esc: nobody).")
    limit = _("A discount of {amount} is over your limit of {pct}%: manager PIN needed.").format(
        amount="¥1,000.00", pct=5
    )
    damaged = _("The database {path} failed its integrity check. Restore the last backup.").format(
        path="/home/shop/.local/share/zhanggui/store.db"
    )
    hint = _("Fill in the fields and press F2 to set up your store, or press F3 to open a demo store.")
    choice_hint = _("A discount over your limit needs another manager's approval.") * 2
    return [
        ("prompt", PromptScreen(_("Referrer"), referrer), referrer),
        ("manager", ManagerPinScreen(limit), limit),
        ("damaged", DamagedDatabaseScreen(damaged), damaged),
        ("first run", FirstRunScreen(), hint),
        ("choice", ChoiceScreen(_("Go to (Enter)"), [("a", Text("x"))], hint=choice_hint), choice_hint),
        ("login", LoginScreen(message=limit), limit),
        (
            "customer",
            CustomerPickScreen(),
            _("Type to find; or a mobile number and a name to add a new customer"),
        ),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_dialog_cuts_its_text(shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for name, dialog, message in dialogs():
            await app.push_screen(dialog)
            await pilot.pause()
            shown = visible_text(dialog.query_one(".dialog", Widget))
            assert flat(message) in flat(shown), (name, shown)
            for label in dialog.query(Label).results(Label):  # every line fits inside the box
                assert label.region.right <= dialog.query_one(".dialog", Widget).content_region.right
            app.pop_screen()
            await pilot.pause()
        await pilot.press("f11")
        await pilot.pause()
        returns = app.screen
        assert isinstance(returns, ReturnsScreen)
        limit = dialogs()[1][2]
        returns.query_one(MessageBar).error(limit + " " + limit)
        await pilot.pause()
        assert flat(limit + limit) in flat(visible_text(returns.query_one(".dialog", Widget)))


async def test_the_palette_speaks_chinese_textuals_own_commands_too(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    set_language("zh_CN")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        titles = {command.title for command in commands}
        assert {"配色", "退出", "按键", "截图", "锁定收银机"} <= titles, titles
        untranslated = [c for c in commands if not any("\u4e00" <= ch <= "\u9fff" for ch in c.title + c.help)]
        assert untranslated == []
