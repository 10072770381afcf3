"""The console's start-up budget (bench figure 2) guarded without timing: starting to the sale
screen loads what selling needs and none of the heavy libraries and modules that only a later
key, an export or the CLI uses; those are imported where they are used. Also the two things that
keep the bench's own figures honest: children report their own peak RSS, and the background
integrity check waits until the console is up."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from bench import startup
from store.db.connection import IntegrityCheck
from tests.conftest import Shop

ROOT = Path(__file__).resolve().parents[2]

# Each is loaded on first use: a phone number typed, an IMEI checked, a report, a receipt, an
# export, the reorder computation (seconds after start-up), another screen, the command line.
NOT_AT_START_UP = (
    "openpyxl",
    "qrcode",
    "pypinyin",
    "tabulate",
    "babel",
    "escpos",
    "phonenumbers",
    "stdnum",
    "lunar_python",
    "click",
    "store.stock.reorder",
    "store.stock.velocity",
    "store.referrals.ledger",  # (store.referrals.codes is loaded: opening fills missing codes)
    "store.referrals.vouchers",
    "store.referrals.report",
    "store.referrals.report_export",
    "store.referrals.referrers",
    "store.referrals.patterns",
    "cryptography",  # signing a file for head office (store.exchange)
    "store.exchange",
    "psycopg2",  # not in a shop install; peewee imports it whenever it is there
    "psycopg",  # head office's driver: installed with the hq and test extras, hidden from peewee
    "store.hq",
    "store.selling.receipt",
    "store.selling.receipt_layout",
    "store.selling.receipt_render",
    "store.selling.printer",
    "tui.cli",
    "tui.screens.pay",
    "tui.screens.receipt",
    "tui.screens.customers",
    "tui.screens.roster",
)

# What the login screen is drawn without: the store is opened behind it (tui.opening), and the
# bare `zhanggui` command skips the command line (tui.launch).
NOT_BEFORE_THE_LOGIN = (
    "click",
    "ctypes",  # store.kernel.memory's mallopt: set by the opening thread, before any PIN check
    "tui.cli",
    "peewee",
    "sqlite3",
    "store.models",
    "store.db.connection",
    "store.db.transaction",
    "store.setup",
    "store.audit",
    "store.people.staff",
    "store.people.directory",
    "store.selling.checkout",
    "store.crm.search",
    "store.demo",
    "tui.screens.sale",
    "store.db.migrations.first_releases",  # the migrations' SQL: only a store that upgrades runs it
    "store.db.migrations.compact_ids",
    "store.db.migrations.later",
    "store.db.migrations.drawer",
    "importlib.abc",  # store/__init__'s finder needs no base class (importlib.resources with it)
    "importlib.resources",
    "pkgutil",  # tui.keymap: only with a [keymap]
)

# What a demo store's login, with its list of demo staff shown, is drawn without: the demo
# builder (store.demo.roster is a leaf) and pinyin (the demo writes its customers' search keys,
# so its first open has nothing to back-fill).
NOT_AT_A_DEMO_LOGIN = ("store.demo.build", "store.demo.catalog", "store.demo.state", "stdnum", "pypinyin")

DEMO_LOGIN_PROBE = """
import json, sys
from functools import partialmethod
from textual.app import App
import tui.app
from tui.screens.login import LoginScreen

shown = LoginScreen.show_demo_hint

def show_demo_hint(self, demo):  # the store is open and has said whether it is a demo
    shown(self, demo)
    print(json.dumps({"demo": demo, "modules": sorted(sys.modules)}))
    self.app.exit()

LoginScreen.show_demo_hint = show_demo_hint
tui.app.ZhangguiApp.run = partialmethod(App.run, headless=True, size=(80, 24))
sys.argv = ["zhanggui", "--db", sys.argv[1]]
from tui.launch import main
main()
"""

LOGIN_PROBE = """
import json, sys
from functools import partialmethod
from textual.app import App
import tui.app

seen = {}

def open_behind_login(self):  # the login screen is up: the store would be opened now
    import gc

    seen["screen"] = type(self.screen).__name__
    seen["modules"] = sorted(sys.modules)
    seen["collecting"] = gc.isenabled()
    seen["frozen"] = gc.get_freeze_count()
    self.exit()

tui.app.ZhangguiApp.open_behind_login = open_behind_login
tui.app.ZhangguiApp.run = partialmethod(App.run, headless=True, size=(80, 24))
sys.argv = ["zhanggui", "--db", sys.argv[1]]
from tui.launch import main
main()
print(json.dumps(seen))
"""

PROBE = """
import json, sys
from bench.startup_child import run_ours
run_ours(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def test_starting_to_the_sale_screen_loads_only_what_selling_needs(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    # The bench's own start-up path (a real ZhangguiApp, logged in, up to the mounted sale screen).
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db_path)],
        cwd=ROOT,
        env=startup.child_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert {
        "store.selling.checkout",
        "store.stock.catalog",
        "tui.screens.sale",
        "tui.widgets.reorder_panel",
    } <= loaded
    early = sorted(
        name for name in NOT_AT_START_UP if any(m == name or m.startswith(name + ".") for m in loaded)
    )
    assert early == []


def _probe(probe: str, db_path: Path, home: Path) -> dict[str, Any]:
    """Run a probe of the real command's start on ``db_path`` in a clean child; what it saw."""
    done = subprocess.run(
        [sys.executable, "-c", probe, str(db_path)],
        cwd=ROOT,
        env=startup.child_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return seen


def test_the_login_screen_is_drawn_before_the_store_is_opened(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    # The real command (tui.launch.main), up to the moment the login is drawn.
    seen = _probe(LOGIN_PROBE, db_path, tmp_path)
    assert seen["screen"] == "LoginScreen"
    # tui.launch turns the cyclic collector off while it imports; it runs for the screens, what
    # the imports made set aside until the first login (ZhangguiApp.collect_all_again).
    assert seen["collecting"] is True
    assert seen["frozen"] > 10_000
    loaded = set(seen["modules"])
    assert {"textual.app", "tui.screens.login", "store.config.loader"} <= loaded
    early = sorted(
        name for name in NOT_BEFORE_THE_LOGIN if any(m == name or m.startswith(name + ".") for m in loaded)
    )
    assert early == []


def test_a_child_reports_its_own_peak_rss_not_its_parents(tmp_path: Path) -> None:
    ballast = bytearray(192 * 1024 * 1024)  # touched, so this process holds it resident
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    child = startup.spawn(["-m", "bench.startup_child", "bare"], startup.child_env(tmp_path))
    del ballast
    # wait4's ru_maxrss would say at least 192 MiB here: Linux carries the parent's high-water
    # mark across the spawn. A bare Textual app needs a fraction of that.
    assert 0 < child.max_rss_kb < 128 * 1024


def test_the_integrity_check_pause_ends_at_once_when_the_console_closes(tmp_path: Path) -> None:
    check = IntegrityCheck(tmp_path / "store.db")
    assert check.wait(0.01) is True
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(check.wait(60)))
    started = time.monotonic()
    waiter.start()
    check.cancel()
    waiter.join(timeout=10)
    assert results == [False]
    assert time.monotonic() - started < 5
    assert check.run() is None  # cancelled: nothing to report, nothing read


def test_the_background_check_waits_until_the_console_is_up() -> None:
    import tui.app

    assert tui.app.INTEGRITY_CHECK_DELAY_SECONDS >= 1


def test_what_the_start_up_set_aside_rejoins_the_collector_at_the_first_login() -> None:
    import gc
    from types import SimpleNamespace

    from tui.app import ZhangguiApp

    console = SimpleNamespace()
    gc.freeze()  # as tui.launch leaves it once it has imported the console
    try:
        assert gc.get_freeze_count() > 0
        ZhangguiApp.collect_all_again(console)  # type: ignore[arg-type]  # someone logged in
        assert gc.get_freeze_count() == 0
        ZhangguiApp.collect_all_again(console)  # type: ignore[arg-type]  # and the next one
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_demo_stores_login_lists_its_staff_without_the_demo_builder(
    demo_file: tuple[Path, object], tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(demo_file[0].read_bytes())  # a first open, as a shop's of a new demo
    seen = _probe(DEMO_LOGIN_PROBE, path, tmp_path)
    assert seen["demo"] is True
    loaded = set(seen["modules"])
    assert "store.demo.roster" in loaded
    early = sorted(
        name for name in NOT_AT_A_DEMO_LOGIN if any(m == name or m.startswith(name + ".") for m in loaded)
    )
    assert early == []
