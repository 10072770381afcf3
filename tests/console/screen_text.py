"""Plain-text snapshots of the console at 80x24: what a person sees, one file a screen.

``Snapshots.check(name)`` renders the screen in front as Textual's own screenshot does (the
compositor's full frame, with the screens beneath a dialog) into a recording Rich console, and
keeps only its text: tests/console/screens/<language>/<name>.txt. A missing or changed file is
a failure with a unified diff; with ZHANGGUI_UPDATE_SCREENS=1 the files are (re)written
instead. ``Snapshots.finish()`` fails once for every screen that differed, so one run shows
(or rewrites) them all.

Each snapshot also checks what a picture cannot say by itself: the key bar (when the screen
has one) shows keys, and a message the test knows in full is shown in full.
"""

from __future__ import annotations

import difflib
import io
import os
import random
import re
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from store.models import Staff
from tests.conftest import TEST_NOW
from tests.console_helpers import make_app, settle, until
from tui.app import ZhangguiApp
from tui.widgets.key_bar import KeyBar

SCREENS = Path(__file__).parent / "screens"
# The files show the suite's own moment (tests/conftest.py TEST_NOW): run at another moment
# (ZHANGGUI_TEST_NOW), the dates on screen differ, so only what is checked besides is checked.
AT_THE_FILES_MOMENT = datetime(2026, 12, 7, 4, 0) == TEST_NOW


def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What differs from run to run reads the same in every run: referral codes (and their QR
    codes) come from a seeded generator, and the test runs from its own folder, where
    snapshot_app saves receipts under a relative path. Call it before making customers."""
    from store.referrals import codes

    monkeypatch.setattr(codes, "secrets", random.Random(12))
    monkeypatch.chdir(tmp_path)


def snapshot_app(db: SqliteDatabase, tmp_path: Path, staff: Staff | None = None) -> ZhangguiApp:
    """The console as make_app builds it, saving receipts to receipts/ (see ``steady``)."""
    app = make_app(db, tmp_path, staff=staff)
    app.config.paths.receipts = "receipts"
    return app


def screen_text(app: App[object]) -> str:
    """The screen in front as text, one line a row, trailing spaces removed."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    frame = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(frame)
    text = console.export_text(styles=False)
    rows = [row.rstrip() for row in text.split("\n")][:height]
    return "\n".join(rows) + "\n"


def flat(text: str) -> str:
    """Ignore where lines break (and the spaces and box edges a wrap leaves)."""
    return re.sub(r"[\s│┃▎▊▏▕]+", "", text)


def key_bar_problem(app: App[object], text: str) -> str:
    """What is wrong with the screen's key bar as ``text`` shows it (empty: nothing)."""
    for bar in app.screen.query(KeyBar).results(KeyBar):
        shown = "\n".join(text.split("\n")[bar.region.y : bar.region.bottom])
        # a key and its description, as the bar draws them ("esc Back", "f2 收款")
        if not re.search(r"\S+ \S", shown.strip()):
            return f"the key bar shows no key:\n{text}"
        hints = [child.region.x for child in bar.children if child.has_class("keys-hint")]
        end = min([*hints, bar.region.right])
        keys = [child for child in bar.children if not child.has_class("keys-hint")]
        if any(key.display and key.region.right > end for key in keys):
            return f"a key is cut at the bar's end:\n{shown}"
    return ""


class Snapshots:
    def __init__(self, language: str, folder: Path | None = None) -> None:
        self.language = language
        self.folder = folder or SCREENS / language
        self.failures: list[str] = []
        self.seen: list[str] = []

    async def check(self, pilot: Pilot[None], name: str, shows: str | list[str] = "") -> str:
        """Wait until the screen is idle, compare it with its file; ``shows`` is a message the
        screen must show in full (wherever its lines break), or several. Returns the screen's text."""
        app = pilot.app
        await settle(pilot)
        assert name not in self.seen, f"two snapshots named {name}"
        self.seen.append(name)
        text = screen_text(app)  # text only: a blinking cursor changes no character
        for _attempt in range(40):  # a busy machine may not have laid out the key bar yet
            problem = key_bar_problem(app, text)
            if not problem:
                break
            await pilot.pause(0.05)
            text = screen_text(app)
        assert not problem, f"{name}: {problem}"
        for message in [shows] if isinstance(shows, str) else shows:
            assert flat(message) in flat(text), f"{name}: the message is cut:\n{message}\n---\n{text}"
        self.compare(name, text)
        return text

    def compare(self, name: str, text: str) -> None:
        """Note a difference from the stored file (or write it, with ZHANGGUI_UPDATE_SCREENS=1)."""
        if not AT_THE_FILES_MOMENT:
            return
        path = self.folder / f"{name}.txt"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            return
        if os.environ.get("ZHANGGUI_UPDATE_SCREENS") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        diff = difflib.unified_diff(
            (old or "").splitlines(),
            text.splitlines(),
            f"{path} (stored)" if old is not None else f"{path} (missing)",
            "on screen",
            lineterm="",
        )
        self.failures.append("\n".join(diff))

    def finish(self) -> None:
        if self.failures:
            raise AssertionError(
                f"{len(self.failures)} screen(s) differ from tests/console/screens/{self.language}/ "
                "(ZHANGGUI_UPDATE_SCREENS=1 rewrites them; read the files before committing):\n\n"
                + "\n\n".join(self.failures)
            )


async def go(pilot: Pilot[None], destination: str) -> None:
    """Open a main screen as a person does: F1, the arrow keys down to it, Enter."""
    from tui.screens.choice import ChoiceScreen

    app = pilot.app
    assert isinstance(app, ZhangguiApp)
    await pilot.press("f1")
    # The menu may be drawn a few pauses later on a loaded machine; arrows typed before it is up
    # went to the screen under it (seen in a full run: the roster stayed in front).
    assert await until(pilot, lambda: isinstance(app.screen, ChoiceScreen)), "F1 opened no menu"
    menu = app.screen
    ids = [d.id for d in app.allowed_destinations()]
    await pilot.press(*["down"] * ids.index(destination), "enter")
    assert await until(pilot, lambda: app.screen is not menu), f"the menu never opened {destination}"
    await settle(pilot)
