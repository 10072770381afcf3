from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store import setup
from store.db.connection import open_database
from store.kernel import FixedClock, set_process_clock
from store.kernel.i18n import set_language
from store.models import Product, Staff
from store.people import staff
from store.selling.sales import Till
from store.stock import catalog
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit

TILL = Till(store_code="S001", terminal_id="T1", tz=ZoneInfo("Asia/Shanghai"))

# The suite's time (naive UTC): never the wall clock. ZHANGGUI_TEST_NOW runs it at another
# moment, e.g. 2026-12-07T15:59 (a minute before midnight in Shanghai), 2026-12-07T16:01,
# 2026-11-30T16:30 (the first minutes of December in Shanghai).
TEST_NOW = datetime.fromisoformat(os.environ.get("ZHANGGUI_TEST_NOW", "2026-12-07T04:00"))


@pytest.fixture(autouse=True)
def clock() -> Iterator[FixedClock]:
    """Every test runs on a fixed clock in Shanghai that ticks a millisecond a reading (rows
    keep their order); the store's defaults and the console read it, never the wall clock."""
    fixed = FixedClock(TEST_NOW, TILL.tz, tick=timedelta(milliseconds=1))
    set_process_clock(fixed)
    yield fixed
    set_process_clock(None)


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the developer's own config or database; messages in English by default."""
    monkeypatch.delenv("ZHANGGUI_CONFIG", raising=False)
    monkeypatch.delenv("ZHANGGUI_DB", raising=False)
    # English unless a test asks otherwise: with no locale (or C.UTF-8, as on CI) the
    # console and CLI start in Chinese, as a shop in China expects.
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    set_language("en")
    # The console waits a few seconds before its first reorder computation; tests need it now.
    monkeypatch.setattr("tui.widgets.reorder_panel.FIRST_REFRESH_SECONDS", 0)
    # No background summary writes in console tests unless a test asks for them.
    monkeypatch.setattr("tui.app.SUMMARY_DELAY_SECONDS", 3600.0)


@pytest.fixture(autouse=True)
def _cheap_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test hashes new PINs cheaply (tests/store_helpers.cheap_pins): a Shop costs
    milliseconds instead of two full scrypt hashes. The real cost is asserted in test_staff,
    which keeps the real hash_pin from before this fixture runs."""
    from tests.store_helpers import cheap_pins

    cheap_pins(monkeypatch)


def _quicker_idle_waits() -> None:
    """Pilot.press and Pilot.pause wait until the app looks idle: Textual sleeps 20 ms at a
    time until less than 5% of that went on CPU, two such waits a key. Typing a code then costs
    a second of sleeping. The same test at 5 ms a sleep (still idle below 5% CPU): every key
    is still handled, and every screen has processed its messages, before the next is sent
    (Pilot._wait_for_screen); only the sleeping is shorter."""
    import textual._wait

    textual._wait.SLEEP_GRANULARITY = 0.005
    textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


_quicker_idle_waits()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    database = open_database(db_path)
    yield database
    database.close()


class Shop:
    """A small store: a manager (M1/1234), a promoter (P1/1111), a phone and a case."""

    def __init__(self) -> None:
        self.manager: Staff = setup.initialise_store(
            store_code="S001",
            store_name="测试店",
            manager_code="M1",
            manager_name="王店长",
            pin="1234",
        )
        self.promoter: Staff = staff.create_staff("P1", "李小红", "promoter", "1111")
        self.phone: Product = catalog.create_product(
            sku="IP15-128-BK",
            brand="Apple",
            model="iPhone 15",
            storage="128GB",
            colour="Black",
            category="handset",
            price=599900,
            cost=520000,
            barcode="0194253000011",
        )
        self.case: Product = catalog.create_product(
            sku="CASE-IP15",
            brand="Generic",
            model="iPhone 15 Case",
            category="accessory",
            price=3900,
            cost=800,
            barcode="6900000000011",
        )
        self.imeis = [with_check_digit(f"3532811100{n:04d}") for n in range(1, 6)]
        stock.receive(self.phone, staff_id=self.manager.id, units=[ReceivedUnit(i) for i in self.imeis])
        stock.receive(self.case, staff_id=self.manager.id, qty=20)
        self.till = TILL


@pytest.fixture
def shop(db: object) -> Shop:
    return Shop()
