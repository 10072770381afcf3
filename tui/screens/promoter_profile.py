"""One promoter (manager only): level, brand, home store, status, tenure, this month against
target, what the next rung of the ladder still needs, and their training records.
F2 records training, F3 sets a month's target, F4-F7 edit the profile, F8 promotes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.config.loader import Config
from store.kernel.auth import Actor
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen, parse_money
from store.people import desk as promoter_desk
from store.people import profiles as people
from store.people import targets
from store.people.desk import PromoterLine, PromoterProfile
from store.people.staff import role_name
from tui.screens.base import ConsoleScreen
from tui.screens.manager_pin import own_authority
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


def ask_target(
    screen: ConsoleScreen[None], config: Config, actor: Actor, line: PromoterLine, after: Callable[[], None]
) -> None:
    """Month, handsets, the amount in yuan, then the brand (empty: all brands); the target
    replaces any earlier one for that month and brand."""
    member = line.staff
    month = targets.month_of(promoter_desk.today_of(config, now=screen.now()))
    title = _("Sales target for {name}").format(name=member.name)

    def got_month(text: str) -> None:
        chosen = targets.parse_month(text)

        def got_units(units_text: str) -> None:
            units = targets.parse_units(units_text)

            def got_amount(amount_text: str) -> None:
                fen = parse_money(amount_text) if amount_text.strip() else 0

                def got_brand(brand: str) -> None:
                    message = _("Target for {month}: {units} handsets, {amount}.").format(
                        month=chosen, units=units, amount=format_fen(fen)
                    )
                    if brand.strip():
                        message += " " + _("Brand: {brand}.").format(brand=brand.strip())

                    def done(_target: object) -> None:
                        screen.say(message)
                        after()

                    today = promoter_desk.today_of(config, now=screen.now())
                    screen.run_write(
                        targets.set_target,
                        chosen,
                        member.id,
                        units=units,
                        amount=fen,
                        brand=brand.strip(),
                        actor=actor,
                        today=today,
                        then=done,
                    )

                # Empty is the all-brands target the panels show; a brand (e.g. a brand
                # promoter's own) sets that brand's target beside it.
                screen.ask(title, _("Brand (empty: all brands)"), got_brand)

            shown = (
                format_fen(line.target_amount, symbol=False) if chosen == month and line.target_amount else ""
            )
            screen.ask(title, _("Sales amount in yuan (empty: none)"), got_amount, shown)

        shown_units = str(line.target_units) if chosen == month and line.target_units else ""
        screen.ask(title, _("Handsets to sell (empty: none)"), got_units, shown_units)

    screen.ask(title, _("Month (YYYY-MM)"), got_month, month)


class PromoterProfileScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "training", N_("Training"), id="promoter.training"),
        Binding("f3", "target", N_("Target"), id="promoter.target"),
        Binding("f4", "level", N_("Level"), id="promoter.level"),
        Binding("f5", "brand", N_("Brand"), id="promoter.brand"),
        Binding("f6", "home_store", N_("Store"), id="promoter.home_store"),
        Binding("f7", "status", N_("Status"), id="promoter.status"),
        Binding("f8", "promote", N_("Promote"), id="promoter.promote"),
        Binding("escape", "back", N_("Back"), id="promoter.back"),
    ]

    def __init__(self, staff_id: str) -> None:
        super().__init__()
        self.promoter_id = staff_id  # whose profile this is (not who is logged in)
        self.profile: PromoterProfile | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="promoter-header", classes="screen-title")
        yield Static(id="promoter-panel")
        yield Static(Text(_("Training"), style="bold"), id="promoter-training-title")
        yield DataTable(id="promoter-training", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="promoter-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(_("Date")), key="day", width=10)
        table.add_column(Text(_("Course")), key="course", width=20)
        table.add_column(Text(_("Result")), key="result", width=8)
        table.add_column(Text(_("Note")), key="note", width=28)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.load(promoter_desk.profile, self.promoter_id, self.config, now=self.now(), then=self.show)

    def show(self, profile: PromoterProfile) -> None:
        self.profile = profile
        line = profile.line
        member = line.staff
        header = Text()
        header.append(f"{member.name} ({member.code})", style="bold")
        header.append(f"  {role_name(member.role)}  {people.status_name(member.status)}")
        self.query_one("#promoter-header", Static).update(header)
        self.query_one("#promoter-panel", Static).update(self.panel(profile))
        table = self.query_one(DataTable)
        table.clear()
        for record in reversed(profile.training):  # the newest first
            table.add_row(
                Text(str(record.taken_on)),
                Text(record.course, no_wrap=True, overflow="ellipsis"),
                Text(people.result_name(record.result)),
                Text(record.note, no_wrap=True, overflow="ellipsis"),
                key=record.id,
            )

    def panel(self, profile: PromoterProfile) -> Text:
        line = profile.line
        check = line.check
        member = line.staff
        text = Text()
        level = f"{check.current.code} {check.current.name}" if check.current else "-"
        text.append(
            _("Level {level}, {months} months. Brand {brand}, home store {store}.").format(
                level=level, months=check.months, brand=member.brand or "-", store=member.home_store or "-"
            )
            + "\n"
        )
        sales = _("{month}: {amount}, {units} handsets").format(
            month=profile.month, amount=format_fen(line.amount), units=line.units
        )
        if line.target_amount or line.target_units:
            pct = line.amount_percent
            goal = _("target {amount} ({pct}), {units} handsets").format(
                amount=format_fen(line.target_amount),
                pct="-" if pct is None else f"{pct}%",
                units=line.target_units,
            )
        else:
            goal = _("no target")
        sales = _("{sales}; {target}").format(sales=sales, target=goal)
        text.append(sales + "\n")
        if check.next is None:
            text.append(_("On the top level of the ladder."), style="green")
        elif check.eligible:
            text.append(
                _("Eligible for {level} now (F8 promotes).").format(
                    level=f"{check.next.code} {check.next.name}"
                ),
                style="bold green",
            )
        else:
            text.append(
                _("Next: {level}; missing {missing}").format(
                    level=f"{check.next.code} {check.next.name}", missing="; ".join(check.missing)
                )
            )
        return text

    # ---- edits ---------------------------------------------------------------
    def manager(self) -> Actor | None:
        """The person logged in, if the store lets them do a manager's work (asked before any
        prompt; every store function asks again)."""
        return own_authority(self.actor, self.fail)

    def change(self, fn: Callable[..., object], *args: Any, done: str, **kwargs: Any) -> None:
        """``fn(*args, actor=<the manager logged in>, **kwargs)``, then the profile again."""
        actor = self.manager()
        if actor is not None:
            self.run_write(fn, *args, actor=actor, said=done, **kwargs)

    def action_training(self) -> None:
        from tui.screens.choice import ChoiceScreen

        actor = self.manager()
        if actor is None:
            return
        courses = promoter_desk.ladder_courses(self.config.ladder)
        rows = [(f"course-{i}", Text(course)) for i, course in enumerate(courses)]
        rows.append(("other", Text(_("Another course…"))))
        title = _("Record training")

        def got_course(course: str) -> None:
            course = course.strip()

            def got_day(day_text: str) -> None:
                day = promoter_desk.parse_day(day_text)
                self.pick_result(actor, course, day)

            today = promoter_desk.today_of(self.config, now=self.now())
            self.ask(title, _("Date taken (YYYY-MM-DD)"), got_day, today.isoformat())

        def chosen(row_id: str | None) -> None:
            if row_id is None:
                return
            if row_id == "other":
                self.ask(title, _("Course"), got_course)
            else:
                got_course(courses[int(row_id.removeprefix("course-"))])

        self.app.push_screen(ChoiceScreen(_("Which course (Enter)"), rows), chosen)

    def pick_result(self, actor: Actor, course: str, day: date) -> None:
        from tui.screens.choice import ChoiceScreen

        rows = [(result, Text(people.result_name(result))) for result in people.RESULTS]

        def chosen(result: str | None) -> None:
            if result is None:
                return

            def got_note(note: str) -> None:
                today = promoter_desk.today_of(self.config, now=self.now())
                self.run_write(
                    people.add_training,
                    self.promoter_id,
                    course,
                    day,
                    result,
                    actor=actor,
                    today=today,
                    note=note,
                    said=_("Training recorded: {course}, {result}.").format(
                        course=course, result=people.result_name(result)
                    ),
                )

            self.ask(_("Record training"), _("Note (optional)"), got_note)

        self.app.push_screen(ChoiceScreen(_("How did it go (Enter)"), rows), chosen)

    def action_target(self) -> None:
        actor = self.manager()
        if actor is None or self.profile is None:
            return
        ask_target(self, self.config, actor, self.profile.line, self.reload)

    def action_level(self) -> None:
        from tui.screens.choice import ChoiceScreen

        if self.profile is None:
            return
        ladder = self.config.ladder
        rows = [(f"level-{lv.code}", Text(f"{lv.code}  {lv.name}")) for lv in ladder.levels]
        rows.append(("level-", Text(_("(not on the ladder)"))))
        current = f"level-{self.profile.line.staff.level}"

        def chosen(row_id: str | None) -> None:
            if row_id is None:
                return
            code = row_id.removeprefix("level-")
            self.change(people.update_profile, self.promoter_id, ladder, level=code, done=_("Level changed."))

        self.app.push_screen(ChoiceScreen(_("Level (Enter)"), rows, highlighted=current), chosen)

    def edit_text(self, label: str, value: str, field: str) -> None:
        if self.profile is None:
            return
        ladder = self.config.ladder

        def got(text: str) -> None:
            brand, home = (text if field == "brand" else None), (text if field == "home_store" else None)

            self.change(
                people.update_profile,
                self.promoter_id,
                ladder,
                brand=brand,
                home_store=home,
                done=_("Profile saved."),
            )

        self.ask(self.profile.line.staff.name, label, got, value)

    def action_brand(self) -> None:
        if self.profile is not None:
            self.edit_text(_("Brand (empty: none)"), self.profile.line.staff.brand, "brand")

    def action_home_store(self) -> None:
        if self.profile is not None:
            self.edit_text(_("Home store code"), self.profile.line.staff.home_store, "home_store")

    def action_status(self) -> None:
        from tui.screens.choice import ChoiceScreen

        if self.profile is None:
            return
        rows = [(status, Text(people.status_name(status))) for status in people.STATUSES]

        def chosen(status: str | None) -> None:
            if status is not None:
                self.change(people.set_status, self.promoter_id, status, done=_("Status changed."))

        current = self.profile.line.staff.status
        self.app.push_screen(ChoiceScreen(_("Status (Enter)"), rows, highlighted=current), chosen)

    def action_promote(self) -> None:
        config = self.config
        today = promoter_desk.today_of(config, now=self.now())
        self.change(
            people.promote, self.promoter_id, config.ladder, today, done=_("Promoted to the next level.")
        )

    def action_back(self) -> None:
        self.app.pop_screen()
