"""What one part of the console tells the others, as Textual messages: a screen never walks the
screen stack to reach another screen's widgets, and the app never reaches into the sale screen.
Screens post to the app, which hands each message to whoever cares (tui/app.py); what the app
asks of the sale screen is a message posted to it, answered by one posted to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from store.people.directory import Member


class StockChanged(Message):
    """Stock moved outside the sale screen (a delivery booked in, a count approved, orders
    placed): the sale screen's reorder line looks at everything again. Posted to the app,
    which hands it on to the sale screen."""


class SaleCommitting(Message):
    """The payment screen started saving a sale (it takes no input until it ends): the app
    neither quits, locks nor opens the palette meanwhile, and a crash report says that the
    sale was being saved."""


class SaleCommitEnded(Message):
    """The sale being saved was saved, or refused (and stays on screen with its payments)."""

    def __init__(self, saved: bool) -> None:
        super().__init__()
        self.saved = saved


class Unlocked(Message):
    """To the sale screen: ``locker`` locked the terminal and the app's staff member has just
    unlocked it. Someone else: the sale in progress is suspended under the locker's name and a
    new one starts for them (SaleNotKept when it cannot be suspended). The locker: their sale
    goes on as it was. ``handover``: not a lock but a handover (交班) to the app's staff member,
    who is logged in from now on; the same happens, the sale suspended as the outgoing one's."""

    bubble = False

    def __init__(self, locker: Member, *, handover: bool = False) -> None:
        super().__init__()
        self.locker = locker
        self.handover = handover


class Quitting(Message):
    """To the sale screen: the console is quitting. The sale in progress is suspended under
    ``name`` (who was selling) so F8 finds it at the next start, and the app is told
    ReadyToQuit, or SaleNotKept when it cannot be suspended."""

    bubble = False

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class ReadyToQuit(Message):
    """To the app: nothing on the sale screen is lost when the console ends now."""


class SaleNotKept(Message):
    """To the app: the sale in progress could not be suspended (``reason``) and stays on the sale
    screen. At an unlock (``locker`` set) the terminal locks again for the locker; at quitting
    the console stays open."""

    def __init__(self, reason: str, locker: Member | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.locker = locker
