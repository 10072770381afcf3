"""The console's clock: the store context's (a test hands in a fixed one)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from textual.app import App

from store.kernel import Clock, SystemClock


def clock_of(app: App[Any], tz: ZoneInfo) -> Clock:
    """The console's clock; an app that is not the console (a widget under test on its own)
    reads the system clock in ``tz``."""
    from tui.app import ZhangguiApp

    return app.ctx.clock if isinstance(app, ZhangguiApp) else SystemClock(tz)
