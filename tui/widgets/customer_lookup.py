"""As-you-type customer lookup: an input and the best 20 matches. The search runs in a
worker thread; every keystroke numbers its search, and a result that is not for the latest
number is dropped, so a slow old search never overwrites a newer one."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from store.crm import search, shown
from store.crm.config import CustomersSection
from store.kernel.auth import Actor
from store.kernel.i18n import N_, _
from tui.cells import ljust as pad

WHY = {
    "phone": N_("phone"),
    "last4": N_("last 4 digits"),
    "name": N_("name"),
    "pinyin": N_("pinyin"),
    "initials": N_("initials"),
    "imei": N_("IMEI of a phone bought"),
}


def hit_row(hit: search.CustomerHit) -> Text:
    """A match; its phone is already as the person at the terminal may see it (store.crm.shown)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(pad(hit.phone, 12))
    text.append(" " + pad(_(WHY[hit.why]), 10) + " ", style="dim")
    text.append(hit.name or _("(no name)"))
    return text


class CustomerLookup(Vertical):
    BINDINGS = [
        Binding("down", "results", N_("Results"), id="lookup.results", show=False),
    ]

    class Picked(Message):
        def __init__(self, customer_id: str) -> None:
            super().__init__()
            self.customer_id = customer_id

    class Submitted(Message):
        """Enter in the field; ``pick`` is the highlighted match for this text, if any."""

        def __init__(self, text: str, pick: str | None) -> None:
            super().__init__()
            self.text = text
            self.pick = pick

    def __init__(self, actor: Actor | None, rules: CustomersSection, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.actor = actor
        self.rules = rules
        self.seq = 0
        self.shown_for = ""
        self.hits: list[search.CustomerHit] = []
        self.searches_applied = 0

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("Phone, last 4 digits, name, pinyin or initials (zs), or IMEI"), id="lookup-input"
        )
        yield OptionList(id="lookup-results")
        yield Label("", id="lookup-status")

    def on_mount(self) -> None:
        self.query_one("#lookup-results", OptionList).can_focus = True
        self.query_one("#lookup-input", Input).focus()

    @property
    def text(self) -> str:
        return self.query_one("#lookup-input", Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "lookup-input":
            return
        event.stop()
        self.seq += 1
        if not event.value.strip():
            self.show(self.seq, "", [])
            return
        self.find(self.seq, event.value)

    @work(thread=True, exclusive=True, group="customer-lookup")
    def find(self, seq: int, text: str, submit: bool = False) -> None:
        hits = shown.lookup(text, self.actor, self.rules, off_thread=True)
        self.app.call_from_thread(self.show, seq, text, hits, submit)

    def show(self, seq: int, text: str, hits: list[search.CustomerHit], submit: bool = False) -> None:
        """The matches for ``text``; ``submit``: Enter was pressed on it before they were shown,
        and is passed on now with the first match."""
        if seq != self.seq:  # typed on since: a newer search is on its way
            return
        self.searches_applied += 1
        self.shown_for = text
        self.hits = hits
        options = self.query_one("#lookup-results", OptionList)
        options.clear_options()
        options.add_options([Option(hit_row(h), id=h.id) for h in hits])
        if hits:
            options.highlighted = 0
        status = self.query_one("#lookup-status", Label)
        if not text.strip():
            status.update("")
        elif hits:
            status.update(Text(_("{n} found: Enter picks the first, ↓ to choose").format(n=len(hits))))
        else:
            status.update(Text(_("No customer matches.")))
        if submit:
            self.post_message(self.Submitted(text, self.current_pick()))

    def current_pick(self) -> str | None:
        """The highlighted match, if the list shows the results for what is typed now."""
        if self.shown_for != self.text or not self.hits:
            return None
        options = self.query_one("#lookup-results", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        return self.hits[index].id if 0 <= index < len(self.hits) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter on what the list shows picks from it at once; on text whose matches are not
        shown yet, they are searched for (in a worker, never on the event loop) and Enter is
        passed on with them."""
        if event.input.id != "lookup-input":
            return
        event.stop()
        if self.shown_for == event.value:
            self.post_message(self.Submitted(event.value, self.current_pick()))
            return
        self.seq += 1
        if not event.value.strip():
            self.show(self.seq, event.value, [], submit=True)
            return
        self.find(self.seq, event.value, submit=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Picked(event.option.id))

    def action_results(self) -> None:
        options = self.query_one("#lookup-results", OptionList)
        if self.hits and not options.has_focus:
            options.focus()

    def focus_input(self) -> None:
        self.query_one("#lookup-input", Input).focus()
