"""A customer's 老带新 tab, opened from their profile (F7): their referral code big and as a
QR code a friend's phone can scan off the screen, who brought them, whom they brought, their
rewards and what they can use today. F2 hands the highlighted earned gift over."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.referrals import ledger
from store.referrals import profile as referral_profile
from store.referrals.profile import ReferralProfile, RewardEntry
from store.selling import receipt_render
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

# Dark modules must be dark and the quiet zone light whatever the terminal's colours: a
# scanner reads light-on-dark codes badly or not at all.
QR_STYLE = "#000000 on #ffffff"


class CustomerReferralsScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="customer_referrals.back"),
        Binding("f2", "hand_over", N_("Hand gift over"), id="customer_referrals.hand_over"),
    ]

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.snapshot: ReferralProfile | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="referrals-header", classes="screen-title")
        with Horizontal(id="referrals-top"):
            with Vertical(id="referrals-code-panel"):
                yield Static(id="referrals-code")
                yield Static(id="referrals-qr")
            with Vertical(id="referrals-side"):
                yield Static(id="referrals-info")
                yield DataTable(id="referrals-referees", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="referrals-rewards", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        referees = self.query_one("#referrals-referees", DataTable)
        referees.add_column(Text(_("Brought")), key="name", width=12)
        referees.add_column(Text(_("Mobile")), key="phone", width=11)
        referees.add_column(Text(_("Date")), key="day", width=10)
        referees.add_column(Text(_("Status")), key="status", width=12)
        rewards = self.query_one("#referrals-rewards", DataTable)
        rewards.add_column(Text(_("Referral")), key="other", width=12)
        rewards.add_column(Text(_("Reward")), key="what", width=10)
        rewards.add_column(Text(_("Amount"), justify="right"), key="amount", width=11)
        rewards.add_column(Text(_("Status")), key="status", width=9)
        rewards.add_column(Text(_("Earned on")), key="earn_on", width=10)
        rewards.add_column(Text(_("Expires")), key="expires", width=10)
        rewards.focus()
        self.reload()

    def reload(self) -> None:
        customer_id, today, now = self.customer_id, self.today(), self.now()
        policy, clock = self.config.referrals, self.config.clock

        def snapshot() -> ReferralProfile:
            # What came due since anyone looked is settled first, so the tab shows it earned.
            ledger.settle_if_due(today, policy, clock, now=now)
            return referral_profile.load(customer_id, today)

        self.load(snapshot, then=self.show)

    def show(self, snap: ReferralProfile) -> None:
        self.snapshot = snap
        header = Text()
        header.append(_("Referrals") + "  ", style="bold")
        header.append(snap.name or _("(no name)"))
        self.query_one("#referrals-header", Static).update(header)
        self.show_code(snap.code)
        self.query_one("#referrals-info", Static).update(self.info(snap))
        self.fill_referees(snap)
        self.fill_rewards(snap)

    def show_code(self, code: str) -> None:
        big = Text(justify="center")
        big.append(_("Referral code") + "  ")
        big.append(" ".join(code), style="bold reverse")
        self.query_one("#referrals-code", Static).update(big)
        rows = receipt_render.qr_half_blocks(receipt_render.qr_matrix(code)) if code else []
        self.query_one("#referrals-qr", Static).update(Text("\n".join(rows), style=QR_STYLE))

    def info(self, snap: ReferralProfile) -> Text:
        t = Text()
        t.append(_("Referred by") + ": ", style="bold")
        if snap.referrer is not None:
            t.append(snap.referrer.label)
            t.append(f" ({snap.referrer.day.isoformat()})\n")
        else:
            t.append("—\n")
        b = snap.balance
        t.append(_("Vouchers") + ": ", style="bold")
        t.append(
            _("{amount} to spend today, {pending} pending").format(
                amount=format_fen(b.vouchers), pending=format_fen(b.pending)
            )
            + "\n"
        )
        t.append(_("Points") + ": ", style="bold")
        t.append(f"{b.points}  ")
        t.append(_("Gifts to hand over") + ": ", style="bold")
        t.append(str(b.gifts_to_hand_over), style="bold yellow" if b.gifts_to_hand_over else "")
        return t

    def fill_referees(self, snap: ReferralProfile) -> None:
        table = self.query_one("#referrals-referees", DataTable)
        table.clear()
        for person in snap.referees:
            table.add_row(
                Text(person.name or "—", no_wrap=True, overflow="ellipsis"),
                Text(person.phone),
                Text(person.day.isoformat()),
                Text(person.status, no_wrap=True, overflow="ellipsis"),
            )

    def fill_rewards(self, snap: ReferralProfile) -> None:
        table = self.query_one("#referrals-rewards", DataTable)
        # A handed-over gift sorts lower: the cursor follows the entry, not the row number.
        keep = self.highlighted()
        row = table.cursor_row
        table.clear()
        for entry in snap.rewards:
            # An arrow says which way the referral went: brought them, or was brought by them.
            other = ("→ " if entry.side == "referrer" else "← ") + (entry.other or "—")
            table.add_row(
                Text(other, no_wrap=True, overflow="ellipsis"),
                Text(entry.what, no_wrap=True, overflow="ellipsis"),
                Text(self.amount(entry), justify="right"),
                Text(ledger.status_name(entry.status), style="bold" if self.handable(entry) else ""),
                Text(entry.earn_on.isoformat()),
                Text(entry.expires_on.isoformat() if entry.expires_on else "—"),
                key=entry.id,
            )
        ids = [entry.id for entry in snap.rewards]
        if keep is not None and keep.id in ids:
            table.move_cursor(row=ids.index(keep.id))
        elif ids:
            table.move_cursor(row=min(row, len(ids) - 1))

    @staticmethod
    def amount(entry: RewardEntry) -> str:
        if entry.kind == "voucher":
            if entry.used and entry.status == "earned":
                return _("{left} left").format(left=format_fen(entry.amount - entry.used))
            return format_fen(entry.amount)
        if entry.kind == "points":
            return str(entry.amount)
        return ""

    @staticmethod
    def handable(entry: RewardEntry) -> bool:
        return entry.is_gift and entry.status == "earned"

    def highlighted(self) -> RewardEntry | None:
        table = self.query_one("#referrals-rewards", DataTable)
        if self.snapshot is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.snapshot.reward(str(key))

    # ---- actions -----------------------------------------------------------
    def action_hand_over(self) -> None:
        from tui.screens.choice import ChoiceScreen

        entry = self.highlighted()
        if entry is None or not entry.is_gift:
            self.fail(_("Highlight a gift to hand it over; vouchers are spent at checkout."))
            return
        if not self.handable(entry):
            self.hand_over(entry)  # the ledger says why not (still pending, already handed over...)
            return
        rows = [("yes", Text(_("Yes, it was handed over"))), ("no", Text(_("No")))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self.hand_over(entry)

        title = _("Hand {gift} over to {name} now?").format(
            gift=entry.gift, name=(self.snapshot.name if self.snapshot else "") or _("(no name)")
        )
        self.app.push_screen(ChoiceScreen(title, rows), chosen)

    def hand_over(self, entry: RewardEntry) -> None:
        staff = self.zapp.staff
        if staff is None:
            return
        self.run_write(
            ledger.hand_over_gift,
            entry.id,
            str(staff.id),
            self.today(),
            then=lambda _gift: self.handed(entry),
        )

    def handed(self, entry: RewardEntry) -> None:
        self.reload()
        self.say(_("{gift} handed over.").format(gift=entry.gift))

    def action_back(self) -> None:
        self.app.pop_screen()
