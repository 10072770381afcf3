"""Ask before an action that cannot be undone: the choice screen with a yes row and a no row
(Enter on the highlighted row, Esc is no). The no row is highlighted, so a stray Enter keeps
things as they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import App

from store.kernel.i18n import _
from tui.screens.choice import ChoiceScreen


def ask_yes_no(app: App[Any], title: str, yes: str, then: Callable[[], None], no: str = "") -> None:
    """Run ``then`` only if the user chooses ``yes``."""
    rows = [("yes", Text(yes)), ("no", Text(no or _("No, go back")))]

    def chosen(answer: str | None) -> None:
        if answer == "yes":
            then()

    app.push_screen(ChoiceScreen(title, rows, highlighted="no"), chosen)
