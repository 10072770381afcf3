"""Head office export (F1, a manager's): the closed days whose signed file has not been written
yet, where the files go, and why they cannot go now when they cannot (no signing key, no phone
secret, no USB stick). F2 writes them all (store/exchange/outbox.py); each day then says where
its file went or why not. F5 reads again (after plugging the stick in)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.exchange import outbox
from store.exchange.outbox import Sent, Waiting
from store.kernel.i18n import N_, _, ngettext
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

SEND = "send"


class HqExportScreen(ConsoleScreen[None]):
    DEFAULT_CSS = """
    #export-header { height: 1; background: $primary; padding: 0 1; }
    #export-where { height: auto; padding: 0 1; margin-bottom: 1; }
    #export-body { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "export_all", N_("Export all"), id="export.all"),
        Binding("f5", "refresh", N_("Refresh"), id="export.refresh"),
        Binding("escape", "back", N_("Back"), id="export.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.waiting: Waiting | None = None
        self.sent: list[Sent] = []  # what the last F2 wrote (or not), shown under the days left

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Head office export"), style="bold"), id="export-header")
        yield Static("", id="export-where")
        with VerticalScroll(id="export-body"):
            yield Static("", id="export-days")
        yield MessageBar(id="export-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#export-body", VerticalScroll).focus()
        self.reload()

    def reload(self) -> None:
        self.load(outbox.waiting, self.ctx, then=self.show, key="waiting")

    def action_refresh(self) -> None:
        self.sent = []
        self.reload()

    def show(self, waiting: Waiting) -> None:
        self.waiting = waiting
        where = Text(_("Files go to: {folder}").format(folder=waiting.folder))
        if waiting.fingerprint:
            where.append(
                "\n" + _("Signed with the store's key {fingerprint}").format(fingerprint=waiting.fingerprint)
            )
        self.query_one("#export-where", Static).update(where)
        lines = Text()
        if waiting.days:
            count = len(waiting.days)
            lines.append(
                ngettext(
                    "{n} closed day not exported yet:", "{n} closed days not exported yet:", count
                ).format(n=count)
                + "\n",
                style="bold",
            )
            for day in waiting.days:
                lines.append(f"  {day.isoformat()}\n")
        else:
            lines.append(_("Every closed day has been exported.") + "\n")
        if self.sent:
            lines.append("\n" + _("Just now:") + "\n", style="bold")
            for sent in self.sent:
                lines.append(f"  {sent.message}\n", style="" if sent.export else "red")
        self.query_one("#export-days", Static).update(lines)
        if waiting.problem:
            self.fail(waiting.problem)
        elif waiting.days and not self.sent:
            self.say(_("F2: write their files to the folder above."))

    def action_export_all(self) -> None:
        if self.writing(SEND):
            return
        if self.waiting is not None and not self.waiting.days:
            self.say(_("Every closed day has been exported; nothing to write."))
            return
        self.say(_("Exporting…"))
        self.run_write(outbox.send, self.ctx, actor=self.actor, then=self.done, key=SEND)

    def done(self, sent: list[Sent]) -> None:
        self.sent = sent
        self.reload()
        written = sum(1 for one in sent if one.export is not None)
        summary = ngettext("{n} day exported.", "{n} days exported.", written).format(n=written)
        if written == len(sent):
            self.say(summary)
        else:
            self.fail(summary + " " + _("The days not exported say why."))

    def action_back(self) -> None:
        self.app.pop_screen()
