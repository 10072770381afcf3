"""One line for what just happened or what went wrong; user text is never read as markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class MessageBar(Static):
    said = 0  # how many messages so far: a screen tells whether an action said anything itself

    def info(self, message: str) -> None:
        self.said += 1
        self.remove_class("error")
        self.update(Text(message))

    def error(self, message: str) -> None:
        self.said += 1
        self.add_class("error")
        self.update(Text(message))
        self.app.bell()
