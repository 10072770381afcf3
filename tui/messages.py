"""What one part of the console tells the others, as Textual messages posted to the app: a
screen never walks the screen stack to reach another screen's widgets. The app hands each one
to whoever cares (tui/app.py)."""

from __future__ import annotations

from textual.message import Message


class StockChanged(Message):
    """Stock moved outside the sale screen (a delivery booked in, a count approved, orders
    placed): the sale screen's reorder line looks at everything again."""


class SaleCommitting(Message):
    """The payment screen started saving a sale (it takes no input until it ends): the app
    neither quits, locks nor opens the palette meanwhile, and a crash report says that the
    sale was being saved."""


class SaleCommitEnded(Message):
    """The sale being saved was saved, or refused (and stays on screen with its payments)."""

    def __init__(self, saved: bool) -> None:
        super().__init__()
        self.saved = saved
