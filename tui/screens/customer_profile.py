"""One customer: record, value, purchases with IMEIs and warranty, returns, contacts and
tasks. F2 logs a contact, F3 adds a task, F4 closes one, F5 edits, F6 consent, F7 referrals,
F8 erase."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.crm import customer_fields, followup, records, shown, value
from store.crm.profile import Profile
from store.kernel.auth import Approval
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

KINDS = {"sale": N_("sale"), "return": N_("return"), "exchange": N_("exchange")}
STATUSES = {"open": N_("open"), "done": N_("done"), "cancelled": N_("cancelled")}


class CustomerProfileScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="profile.back"),
        Binding("f2", "contact", N_("Contact"), id="profile.contact"),
        Binding("f3", "task", N_("Task"), id="profile.task"),
        Binding("f4", "task_done", N_("Done"), id="profile.task_done"),
        Binding("f5", "edit", N_("Edit"), id="profile.edit"),
        Binding("f6", "consent", N_("Consent"), id="profile.consent"),
        Binding("f7", "referrals", N_("Referrals"), id="profile.referrals"),
        Binding("f8", "erase", N_("Erase"), id="profile.erase"),
    ]

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.profile: Profile | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="profile-header", classes="screen-title")
        with VerticalScroll(id="profile-body"):
            yield Static(id="profile-text")
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#profile-body").focus()

    def local(self, moment: datetime) -> str:
        return moment.replace(tzinfo=UTC).astimezone(self.config.tz).strftime("%Y-%m-%d %H:%M")

    def reload(self) -> None:
        self.load(shown.profile, self.customer_id, self.actor, self.config.customers, then=self.show)

    def show(self, view: shown.ProfileShown) -> None:
        profile = self.profile = view.profile
        c = profile.customer
        role = self.zapp.staff.role if self.zapp.staff else ""
        header = Text()
        header.append(c.name or _("(no name)"), style="bold")
        header.append("  " + view.phone)
        if profile.score is not None:
            s = profile.score
            header.append("  " + _("Tier {tier}").format(tier=s.tier), style="bold")
            header.append(f"  {_(value.STATE_NAMES.get(s.state, s.state))}")
        self.query_one("#profile-header", Static).update(header)
        self.query_one("#profile-text", Static).update(self.body(profile, role))

    def body(self, p: Profile, role: str) -> Text:
        c = p.customer
        t = Text()

        def line(label: str, text: str) -> None:
            t.append(f"{label}: ", style="bold")
            t.append(text + "\n")

        if c.erased_at is not None:
            t.append(
                _("Erased on {day}; sales kept for the books.").format(day=self.local(c.erased_at)) + "\n"
            )
        born = customer_fields.birthday_of(c)
        line(_("Birthday"), born.text() if born else "—")
        line(_("Gender"), _(customer_fields.GENDERS.get(c.gender, "")) if c.gender else "—")
        line(_("Tags"), c.tags.replace(",", ", ") or "—")
        if c.consent_at is not None:
            way = _(customer_fields.CONSENT_WAYS.get(c.consent_how, c.consent_how))
            line(_("Consent"), _("given {day} ({way})").format(day=self.local(c.consent_at), way=way))
        else:
            line(_("Consent"), _("none: left out of care lists"))
        line(_("Owner"), p.owner_name or "—")
        line(_("Store"), c.store_code or "—")
        if c.notes:
            line(_("Notes"), c.notes)
        t.append("\n")
        line(_("Lifetime value"), format_fen(p.lifetime_value))
        first = p.first_purchase.isoformat() if p.first_purchase else "—"
        last = p.last_purchase.isoformat() if p.last_purchase else "—"
        line(_("First / last purchase"), f"{first} / {last}")
        if p.score is not None:
            s = p.score
            line(
                _("RFM"),
                _("R {r} F {f} M {m} (scored {day})").format(r=s.r, f=s.f, m=s.m, day=s.computed_at.date()),
            )
        else:
            line(_("RFM"), _("not scored yet (Customer segments scores everyone)"))
        t.append("\n" + _("Tasks") + "\n", style="bold underline")
        for task in p.tasks:
            status = _(STATUSES.get(task.status, task.status))
            who = p.staff_names.get(task.owner_id, "?")
            t.append(f"{task.due}  {status:<6} {who}  ")
            t.append(followup.task_title(task) + "\n")
        if not p.tasks:
            t.append("—\n")
        t.append("\n" + _("Contacts") + "\n", style="bold underline")
        for contact in p.contacts:
            who = p.staff_names.get(contact.staff_id, "?")
            t.append(f"{self.local(contact.at)}  {followup.channel_name(contact.channel)}  {who}  ")
            t.append(contact.note + "\n")
        if not p.contacts:
            t.append("—\n")
        t.append("\n" + _("Purchases") + "\n", style="bold underline")
        today = self.today()
        for purchase in p.purchases:
            kind = _(KINDS.get(purchase.kind, purchase.kind))
            mark = "  " + _("voided") if purchase.voided else ""
            t.append(f"{purchase.day}  {purchase.receipt_no}  {kind}  {format_fen(purchase.total)}{mark}\n")
            for ln in purchase.lines:
                t.append(f"    {ln.qty} x ")
                t.append(ln.product)
                t.append(f"  {format_fen(ln.total)}\n")
                if ln.imei:
                    t.append(f"      IMEI {ln.imei}", style="dim")
                    if ln.warranty_end is not None:
                        state = _("in warranty") if ln.warranty_end >= today else _("out of warranty")
                        t.append("  " + _("warranty to {day}").format(day=ln.warranty_end) + f" ({state})")
                    t.append("\n")
        if not p.purchases:
            t.append("—\n")
        return t

    def live(self) -> bool:
        if self.profile is not None and self.profile.customer.erased_at is not None:
            self.fail(_("This customer was erased."))
            return False
        return True

    # ---- actions -----------------------------------------------------------
    def action_contact(self) -> None:
        from tui.screens.choice import ChoiceScreen

        if not self.live():
            return

        def channel_chosen(channel: str | None) -> None:
            if channel is None:
                return

            def noted(note: str) -> None:
                self.run_write(
                    followup.log_contact,
                    self.customer_id,
                    channel,
                    note,
                    staff_id=self.staff_id,
                    said=_("Contact logged."),
                )

            title = followup.channel_name(channel)
            self.ask(title, _("What was said or agreed (optional)"), noted)

        rows = [(key, Text(followup.channel_name(key))) for key in followup.CHANNELS]
        self.app.push_screen(ChoiceScreen(_("Log a contact"), rows), channel_chosen)

    def action_task(self) -> None:

        if not self.live():
            return

        def titled(title: str) -> None:
            if not title:
                return

            def dated(answer: str) -> None:
                due = followup.parse_due(answer, self.today())
                self.run_write(
                    followup.add_task,
                    self.customer_id,
                    title,
                    due,
                    owner_id=self.staff_id,
                    by=self.staff_id,
                    said=_("Task added for {day}.").format(day=due),
                )

            label = _("In how many days (0 is today), or a date like 2026-06-01")
            self.ask(_("Due date"), label, dated, "3")

        self.ask(_("New task"), _("What to do"), titled)

    def action_task_done(self) -> None:
        from tui.screens.choice import ChoiceScreen

        open_tasks = [t for t in (self.profile.tasks if self.profile else []) if t.status == "open"]
        if not open_tasks:
            self.fail(_("No open tasks."))
            return

        def chosen(task_id: str | None) -> None:
            if task_id is None:
                return
            self.run_write(
                followup.finish_task,
                task_id,
                by=self.staff_id,
                said=_("Task done."),
            )

        rows = [(t.id, Text(f"{t.due}  {followup.task_title(t)}")) for t in open_tasks]
        self.app.push_screen(ChoiceScreen(_("Mark a task done"), rows), chosen)

    def action_edit(self) -> None:
        from tui.screens.customer_form import CustomerFormScreen

        if not self.live() or self.profile is None:
            return

        def saved(customer_id: str | None) -> None:
            if customer_id is None:
                return
            if customer_id != self.customer_id:  # the phone was another customer's: open theirs
                self.app.switch_screen(CustomerProfileScreen(customer_id))
                return
            self.changed(_("Saved."))

        self.app.push_screen(CustomerFormScreen(self.profile.customer.id), saved)

    def action_consent(self) -> None:
        from tui.screens.choice import ChoiceScreen

        if not self.live():
            return
        rows = [(w, Text(_(customer_fields.CONSENT_WAYS[w]))) for w in customer_fields.CONSENT_WAYS]
        rows.append(("-", Text(_("withdraw consent"))))

        def chosen(way: str | None) -> None:
            if way is None:
                return
            done = _("Consent withdrawn.") if way == "-" else _("Consent recorded.")
            self.run_write(
                records.set_consent,
                self.customer_id,
                "" if way == "-" else way,
                by=self.staff_id,
                said=done,
            )

        self.app.push_screen(ChoiceScreen(_("Marketing consent given by"), rows), chosen)

    def action_erase(self) -> None:
        from tui.screens.manager_pin import confirm_as_manager

        if not self.live():
            return

        def approved(approval: Approval | None) -> None:
            self.run_write(
                records.erase_customer,
                self.customer_id,
                actor=self.actor,
                approval=approval,
                said=_("Personal data erased; the sales stay for the books."),
            )

        reason = _("Erase this customer's personal data? Their sales stay, without a name.")
        yes = _("Erase the personal data")
        confirm_as_manager(self.app, self.actor, reason, yes, approved, self.fail)

    def action_referrals(self) -> None:
        from tui.screens.customer_referrals import CustomerReferralsScreen

        self.app.push_screen(CustomerReferralsScreen(self.customer_id))

    def action_back(self) -> None:
        self.app.pop_screen()
