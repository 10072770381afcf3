"""One line for what just happened or what went wrong; user text is never read as markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class MessageBar(Static):
    def info(self, message: str) -> None:
        self.remove_class("error")
        self.update(Text(message))

    def error(self, message: str) -> None:
        self.add_class("error")
        self.update(Text(message))
        self.app.bell()
