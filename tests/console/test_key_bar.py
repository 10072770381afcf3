"""The key bar rebuilds when the keys it shows change, keeps its keys when they do not, and
never holds the keys it removed (Textual 8.2.8's Footer did: tui/widgets/key_bar.py)."""

from __future__ import annotations

import gc
import weakref
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tui.widgets.key_bar import KeyBar


class Till(Screen[None]):
    BINDINGS: ClassVar = [
        Binding("f2", "pay", "Pay"),
        Binding("f6", "remove", "Remove"),
        Binding("f7", "hold", "Hold"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.can_remove = True

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return self.can_remove
        return True

    def action_pay(self) -> None:
        pass

    def action_remove(self) -> None:
        pass

    def action_hold(self) -> None:
        pass


class TillApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Till())


def shown(screen: Screen[None]) -> list[str]:
    return [key.key for key in screen.query(FooterKey)]


def footer_keys() -> weakref.WeakSet[FooterKey]:
    gc.collect()
    return weakref.WeakSet(obj for obj in gc.get_objects() if isinstance(obj, FooterKey))


def dead_keys(before: weakref.WeakSet[FooterKey]) -> int:
    """Keys made since ``before`` that are still alive but no longer on a screen. Keys that
    earlier tests in the same worker process left for the collector are not this test's."""
    return sum(1 for key in footer_keys() if key not in before and not key.is_attached)


async def test_the_key_bar_follows_the_keys_and_keeps_none_it_removed() -> None:
    before = footer_keys()
    app = TillApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Till)
        assert shown(screen)[:3] == ["f2", "f6", "f7"]
        keys = list(screen.query(FooterKey))

        for widget_id in ("#second", "#first", "#second"):  # focus moves, the keys stay the same
            screen.query_one(widget_id, Input).focus()
            await pilot.pause()
        screen.refresh_bindings()
        await pilot.pause()
        assert list(screen.query(FooterKey)) == keys  # not rebuilt
        del keys

        for can_remove in (False, True, False, True):  # F6 hidden, shown, ...: rebuilt each time
            screen.can_remove = can_remove
            screen.refresh_bindings()
            await pilot.pause()
            assert ("f6" in shown(screen)) is can_remove
        assert dead_keys(before) == 0
        bar = screen.query_one(KeyBar)
        watchers = getattr(bar, "__watchers", {})
        assert all(node.is_attached for entries in watchers.values() for node, _ in entries)
