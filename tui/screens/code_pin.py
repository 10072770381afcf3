"""Enter in a staff code field, then in a PIN field, when keys come in one burst (a fast typist,
a badge reader, keys typed while the till was still drawing): none is lost.

Textual hands each key to the widget focused when the app takes the key off its queue. An
Input's Enter submits only when the key has gone up to the app and back, after every key behind
it was already handed to the code field: moving the focus then (even at once) was too late, and
the PIN ran into the code ("P11111", a wrong PIN counted). A screen that binds Enter as a
priority key to ``enter_code_then_pin`` moves the focus as the app takes the Enter off its queue,
so the keys behind it go to the PIN; the PIN's Enter submits once both fields have taken every
key typed before it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widgets import Input


def enter_code_then_pin(screen: Screen[Any], code: Input, pin: Input, submit: Callable[[], object]) -> None:
    """The Enter of a code-then-PIN dialog: in the code field (or before any field has the
    focus) it moves to the PIN; in the PIN field it calls ``submit`` when each field has taken
    the keys already handed to it."""
    if screen.focused is not pin:
        screen.set_focus(pin)  # the keys typed after this Enter are the PIN
        return
    code.call_later(pin.call_later, submit)
