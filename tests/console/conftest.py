"""Fixtures of the console's tests."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

Compare = Callable[..., bool]


@pytest.fixture
def snap_compare(snap_compare: Compare) -> Compare:
    """pytest-textual-snapshot's comparison with every Input's cursor held still: a blinking
    cursor is in the picture half of the time, and a loaded machine took one picture in the
    dark half (test_sale_screen_with_the_reorder_line failed in a full run, identical but for
    the cursor). Held still, the cursor is shown, as the stored pictures have it."""

    def compare(
        app: Any,
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
    ) -> bool:
        async def steady(pilot: Pilot[Any]) -> None:
            if run_before is not None:
                done = run_before(pilot)
                if inspect.isawaitable(done):
                    await done
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False
            await pilot.pause()

        return snap_compare(app, press=press, terminal_size=terminal_size, run_before=steady)

    return compare
