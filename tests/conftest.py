from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
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
from store.selling.till import Till
from store.stock import catalog
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit


def _compile_each_module_once() -> None:
    """With PYTHONDONTWRITEBYTECODE set (this machine's environment sets it, so the tree keeps
    no __pycache__), every xdist worker and every console or CLI the suite spawns compiled
    store/, tui/ and the tests from source, and pytest rewrote each test module's asserts
    afresh: about a quarter of the CPU time of the suite's subprocess-heavy files (user
    time 78 s against 60 s for five of them). The compiled files go to a folder of their own
    outside the tree instead (PYTHONPYCACHEPREFIX: the tree still gets no __pycache__). Set
    here, when pytest loads this file: before xdist starts its workers, which inherit it."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return  # bytecode is written as the user chose
    prefix = str(Path(tempfile.gettempdir()) / f"zhanggui-tests-pyc-{os.getuid()}")
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.dont_write_bytecode = False
    sys.pycache_prefix = prefix


_compile_each_module_once()

TILL = Till(store_code="S001", terminal_id="T1", tz=ZoneInfo("Asia/Shanghai"))

# The suite's time (naive UTC): never the wall clock. ZHANGGUI_TEST_NOW runs it at another
# moment, e.g. 2026-12-07T15:59 (a minute before midnight in Shanghai), 2026-12-07T16:01,
# 2026-11-30T16:30 (the first minutes of December in Shanghai).
TEST_NOW = datetime.fromisoformat(os.environ.get("ZHANGGUI_TEST_NOW", "2026-12-07T04:00"))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many workers ``-n auto`` starts: three a core. A console test spends much of its time
    waiting (for a store call in a worker thread, for Pilot's idle checks between keys), so
    one worker a core left the machine about 40% idle in a full run, and four workers on two
    cores were each busy about a third of the time; more workers fill those waits.
    ZHANGGUI_TEST_WORKERS sets another number."""
    wanted = os.environ.get("ZHANGGUI_TEST_WORKERS")
    return int(wanted) if wanted else 3 * (os.cpu_count() or 1)


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


def _quicker_key_waits() -> None:
    """Pilot.press waits, after every key it sends, until the app looks idle: Textual sleeps
    20 ms at a time until less than 5% of that went on CPU, twice a key, so typing or scanning
    a code cost a second of sleeping. Here a key's waits sleep 5 ms at a time (still idle below
    5% CPU); every key is still handled, and every screen has processed its messages, before
    the next is sent (Pilot._wait_for_screen). Pilot.pause keeps Textual's own wait: what a test
    looks at after a pause (a footer rebuilt after a refresh, a worker's result) has the time
    it always had. A key waits 0.25 s at most, not Textual's second: a screen that animates
    (a loading indicator) or a worker thread busy in the background never looks idle, and
    every key then cost a full second (a stock walk typed for 100 s); a test that needs a
    worker's answer waits for the worker itself (console_helpers.settle)."""
    import textual.app

    async def wait_for_idle(min_sleep: float = 0.005, max_sleep: float = 0.25) -> None:
        granularity = 0.005
        start = time.monotonic()
        while True:
            cpu_time = time.process_time()
            await asyncio.sleep(granularity)
            cpu_elapsed = time.process_time() - cpu_time
            elapsed = time.monotonic() - start
            if elapsed >= max_sleep or (elapsed > min_sleep and cpu_elapsed < granularity / 20):
                break

    textual.app.wait_for_idle = wait_for_idle  # what App._press_keys calls between keys


_quicker_key_waits()


def _waits_see_cancelled_workers_as_done() -> None:
    """``app.workers.wait_for_complete()`` raises WorkerCancelled when a worker was cancelled
    while waited for: a screen closed by its own worker's answer (a receipt acknowledged, a
    count left with Esc) cancels that worker as it hands the answer over, with its work done.
    A test that waits for the console to be idle means "until nothing runs", so such a worker
    counts as done (seen in full runs: test_console_count's burst, test_console_clock)."""
    from collections.abc import Iterable

    from textual.worker import Worker, WorkerCancelled
    from textual.worker_manager import WorkerManager

    async def wait_for_complete(self: WorkerManager, workers: Iterable[Worker[object]] | None = None) -> None:
        results = await asyncio.gather(
            *[worker.wait() for worker in (workers or self)], return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, WorkerCancelled):
                raise result  # a worker that failed still fails the test

    WorkerManager.wait_for_complete = wait_for_complete  # type: ignore[method-assign]


_waits_see_cancelled_workers_as_done()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@dataclass(frozen=True)
class Template:
    """A store file made once a worker, and where the suite's clock stood when it was done."""

    path: Path
    clock_after: datetime
    config: Path  # the XDG config folder it was made under: the audit keys that sign its rows


@dataclass(frozen=True)
class Templates:
    empty: Template
    shop: Template


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """An empty store and the Shop, each made once as the db and shop fixtures make them (on
    the suite's fixed clock, in English, with cheap PINs); a test gets a copy of the file.
    Creating the schema and the Shop took a tenth of a second, in two thirds of the tests."""
    from store.kernel import clock as clock_module
    from store.kernel.i18n import current_language
    from tests.store_helpers import cheap_pins

    root = tmp_path_factory.mktemp("templates")
    outer_clock, outer_language = clock_module._process_clock, current_language()
    made = {}
    try:
        for name in ("empty", "shop"):
            fixed = FixedClock(TEST_NOW, TILL.tz, tick=timedelta(milliseconds=1))
            set_process_clock(fixed)
            set_language("en")
            with pytest.MonkeyPatch.context() as mp:
                cheap_pins(mp)
                mp.setenv("XDG_CONFIG_HOME", str(root / f"{name}-config"))
                database = open_database(root / f"{name}.db")
                if name == "shop":
                    Shop()
                database.close()
            made[name] = Template(root / f"{name}.db", fixed.now(), root / f"{name}-config")
    finally:
        set_process_clock(outer_clock)
        set_language(outer_language)
    return Templates(**made)


SHOP_COPIED = pytest.StashKey[bool]()


def _as_made(clock: FixedClock) -> bool:
    """The test has not moved the clock, changed the language or how PINs are hashed before
    its store is made: the template is what it would make. Otherwise it makes its own."""
    from store.kernel.i18n import current_language

    first = clock.now()
    clock.set(first)  # the look took no reading
    return first == TEST_NOW and current_language() == "en" and getattr(staff.hash_pin, "cheap", False)


@pytest.fixture
def db(
    db_path: Path, clock: FixedClock, request: pytest.FixtureRequest, _templates: Templates
) -> Iterator[object]:
    template = None
    if not db_path.exists() and _as_made(clock):
        template = _templates.shop if "shop" in request.fixturenames else _templates.empty
        shutil.copyfile(template.path, db_path)
        if template.config.exists():
            shutil.copytree(template.config, os.environ["XDG_CONFIG_HOME"], dirs_exist_ok=True)
    database = open_database(db_path)
    if template is not None:
        clock.set(template.clock_after)  # where making the file would have left it
        request.node.stash[SHOP_COPIED] = template is _templates.shop
    yield database
    database.close()


IMEIS = [with_check_digit(f"3532811100{n:04d}") for n in range(1, 6)]


def shop_catalog() -> tuple[Product, Product]:
    """The Shop's phone and case (and another store's copy of its catalog, tests.store_helpers)."""
    phone = catalog.create_product(
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
    case = catalog.create_product(
        sku="CASE-IP15",
        brand="Generic",
        model="iPhone 15 Case",
        category="accessory",
        price=3900,
        cost=800,
        barcode="6900000000011",
    )
    return phone, case


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
        self.phone, self.case = shop_catalog()
        self.imeis = list(IMEIS)
        stock.receive(self.phone, staff_id=self.manager.id, units=[ReceivedUnit(i) for i in self.imeis])
        stock.receive(self.case, staff_id=self.manager.id, qty=20)
        self.till = TILL

    @classmethod
    def load(cls) -> Shop:
        """The Shop in a store that already holds it (a copy of the template)."""
        shop = cls.__new__(cls)
        shop.manager = Staff.get(Staff.code == "M1")
        shop.promoter = Staff.get(Staff.code == "P1")
        shop.phone = Product.get(Product.sku == "IP15-128-BK")
        shop.case = Product.get(Product.sku == "CASE-IP15")
        shop.imeis = list(IMEIS)
        shop.till = TILL
        return shop


@pytest.fixture
def shop(db: object, request: pytest.FixtureRequest) -> Shop:
    return Shop.load() if request.node.stash.get(SHOP_COPIED, False) else Shop()
