"""zhanggui day: open the drawer with a float, the X or Z report of a day, and the close."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from store.config.loader import Config
from store.dayclose import close, days, drawer, render, report, tables
from store.kernel.auth import sign_in
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import _
from store.kernel.money import format_fen, parse_money
from store.people import staff
from store.reports.writers import to_csv, write_xlsx
from tui.cli.common import context_for, db_options, deliver, export_options, manager_option, user_errors
from tui.cli.param_types import Counts, Day, Whole


@click.group("day")
def day_group() -> None:
    """The cash drawer and the end of the day: float, X and Z reports, close.

    Examples:

    \b
    zhanggui day report --db shop.db
    zhanggui day report --date 2026-11-30 --db shop.db
    zhanggui day close --cash 1234.50 --reason 差额待查 --staff M1 --db shop.db
    """


@day_group.command("open")
@click.option(
    "--float",
    "float_text",
    type=Counts(),
    required=True,
    help='The float by denomination: "100x2 10x5 0.5x4".',
)
@click.option("--staff", "staff_code", required=True, help="Who counts the float (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="Their PIN.")
@db_options
@user_errors
def open_command(
    float_text: dict[int, int], staff_code: str, pin: str, db_path: str | None, config_path: str | None
) -> None:
    """Open this terminal's drawer for a shift with a float counted by denomination.

    Examples:

    \b
    zhanggui day open --float "100x2 10x5 1x10 0.5x4" --staff P1 --db shop.db
    """
    counts = float_text
    ctx = context_for(db_path, config_path)
    try:
        actor = sign_in(staff_code, pin)
        session = drawer.open_session(
            ctx.config.terminal.id, ctx.config.tz, actor=actor, counts=counts, now=ctx.clock()
        )
    finally:
        ctx.close()
    click.echo(
        _("Drawer of {terminal} open for {day}, shift {n}, float {amount}.").format(
            terminal=session.terminal_id,
            day=session.business_date.isoformat(),
            n=session.seq,
            amount=format_fen(session.float),
        )
    )


@day_group.command("report")
@click.option("--date", "day", type=Day(), default="", help="The business day (default: today).")
@click.option("--print", "to_printer", is_flag=True, help="Also print it on the receipt printer ([printer]).")
@click.option("--shift", type=Whole(1, 99), default=None, help="Only this shift of the day (its X report).")
@click.option(
    "--width",
    type=click.Choice(["80", "48", "32"]),
    default="80",
    help="Characters a line (48 and 32: receipt rolls).",
)
@export_options
@db_options
@user_errors
def report_command(
    day: date | str,
    to_printer: bool,
    shift: int | None,
    width: str,
    fmt: str,
    output: Path | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """The X report of a day still open (the day so far; it changes nothing), or the Z report
    of a closed day (reprinted: the same every time). --shift: the X report of one shift.

    Examples:

    \b
    zhanggui day report --db shop.db
    zhanggui day report --date 2026-11-30 --width 32 --db shop.db
    zhanggui day report --shift 1 --db shop.db
    zhanggui day report --date 2026-11-30 --format xlsx --output z.xlsx --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        terminal, tz = ctx.config.terminal.id, ctx.config.tz
        wanted = day if isinstance(day, date) else days.current_day(terminal, ctx.clock(), tz)
        if shift is None:
            made = report.day_report(terminal, wanted, tz)
        else:
            made = report.x_report(terminal, wanted, tz, shift)
        left_open = days.open_days(terminal, days.current_day(terminal, ctx.clock(), tz))
        exports = ctx.config.exports_dir()
    finally:
        ctx.close()
    for earlier in left_open:
        click.echo(
            _("{day} is still open: close it with `zhanggui day close --date {day}`.").format(day=earlier),
            err=True,
        )
    size = int(width)
    deliver(
        fmt,
        output,
        exports / f"day-{terminal}-{wanted.isoformat()}.xlsx",
        xlsx=lambda path: _xlsx(path, made),
        table=lambda: (render.render(made) if size == 80 else render.receipt_text(made, size)) + "\n",
        csv=lambda: to_csv(*tables.report_tables(made)),
        done=_("Written to {path}"),
    )
    if to_printer:
        if ctx.config.printer.kind == "none":
            raise click.ClickException(_("No receipt printer is set up ([printer] kind)."))
        from store.selling import printer  # python-escpos: only when there is a printer

        data = render.escpos(made, ctx.config.receipt.width)
        printer.print_receipt(data, ctx.config.printer.kind, ctx.config.printer.target)


def _xlsx(path: Path, made: report.DrawerReport) -> None:
    write_xlsx(path, *tables.report_tables(made))


@day_group.command("close")
@click.option("--date", "day", type=Day(), default="", help="The business day to close (default: today's).")
@click.option("--cash", "cash", default=None, help="Cash counted in the drawer, in yuan.")
@click.option(
    "--count", "count_text", type=Counts(), default=None, help='Or the count by denomination: "100x12 50x3".'
)
@click.option("--not-counted", is_flag=True, help="Close without a count (recorded as not counted).")
@click.option("--reason", default="", help="Why the cash is over or short (needed beyond the tolerance).")
@manager_option()
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def close_command(
    day: date | str,
    cash: str | None,
    count_text: dict[int, int] | None,
    not_counted: bool,
    reason: str,
    staff_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Close a business day with the manager's PIN: the Z report is made, numbered and
    printed here, and the day is locked.

    Examples:

    \b
    zhanggui day close --cash 1234.50 --reason 差额待查 --staff M1 --db shop.db
    zhanggui day close --not-counted --reason 停电 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)  # a missing store is said before anything else
    if [cash is not None, count_text is not None, not_counted].count(True) != 1:
        raise click.ClickException(_("Give one of --cash, --count or --not-counted."))
    counts = count_text
    try:
        counted = parse_money(cash) if cash is not None else None
        approval = staff.approve(staff_code, pin, now=ctx.clock())
        terminal, tz = ctx.config.terminal.id, ctx.config.tz
        day = day if isinstance(day, date) else days.current_day(terminal, ctx.clock(), tz)
        close.close_day(
            terminal,
            day,
            tz,
            counted=counted,
            counts=counts,
            reason=reason,
            tolerance=ctx.config.drawer.tolerance,
            approval=approval,
            now=ctx.clock(),
        )
        made = report.day_report(terminal, day, tz)
        from store.backup.service import backup_after_close  # only a close pays for it

        backed_up = backup_after_close(ctx)  # the day is committed: the backup holds it
    finally:
        ctx.close()
    click.echo(render.render(made))
    _keep(made, ctx.config)
    click.echo(backed_up.message, err=not backed_up.ok)


def _keep(made: report.DrawerReport, config: Config) -> None:
    """Save the Z report as text beside the receipts and print it on the receipt printer, if
    there is one; the day is closed whatever happens to the paper (reprint: day report)."""
    try:
        click.echo(_("Saved to {path}").format(path=render.save_text(made, config.receipts_dir())))
        if config.printer.kind != "none":
            from store.selling import printer  # python-escpos: only when there is a printer

            data = render.escpos(made, config.receipt.width)
            printer.print_receipt(data, config.printer.kind, config.printer.target)
    except ZhangguiError as exc:
        click.echo(str(exc), err=True)


_KINDS = {"paid-in": "paid_in", "paid-out": "paid_out", "drop": "drop"}


@day_group.command("cash")
@click.argument("kind", type=click.Choice(list(_KINDS)))
@click.argument("amount")
@click.option("--reason", default="", help="What the cash is for (needed for paid-in and paid-out).")
@click.option("--staff", "staff_code", required=True, help="Who takes or puts the cash (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="Their PIN.")
@click.option("--approver", "approver_code", default="", help="Another manager, above the paid-out limit.")
@click.option("--approver-pin", default="", help="That manager's PIN.")
@db_options
@user_errors
def cash_command(
    kind: str,
    amount: str,
    reason: str,
    staff_code: str,
    pin: str,
    approver_code: str,
    approver_pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Pay cash into or out of the open drawer (AMOUNT in yuan), or drop it to the safe.

    Examples:

    \b
    zhanggui day cash paid-out 35 --reason 快递费 --staff P1 --db shop.db
    zhanggui day cash drop 200 --staff P1 --db shop.db
    """
    ctx = context_for(db_path, config_path)  # a missing store is said before anything else
    try:
        fen = parse_money(amount)
        actor = sign_in(staff_code, pin)
        approval = None
        if approver_code:
            secret = approver_pin or click.prompt(_("PIN"), hide_input=True)
            approval = staff.approve(approver_code, secret, requester=actor, now=ctx.clock())
        drawer.move_cash(
            ctx.config.terminal.id,
            _KINDS[kind],
            fen,
            actor=actor,
            reason=reason,
            approval=approval,
            limit=ctx.config.drawer.paid_out_limit,
            now=ctx.clock(),
        )
    finally:
        ctx.close()
    click.echo(_("Recorded: {kind} {amount}.").format(kind=kind, amount=format_fen(fen)))


@day_group.command("handover")
@click.option(
    "--count",
    "count_text",
    type=Counts(),
    required=True,
    help='The drawer counted by denomination: "100x3 10x5".',
)
@click.option("--reason", default="", help="Why it is over or short (needed beyond the tolerance).")
@click.option("--staff", "staff_code", required=True, help="The outgoing cashier (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="Their PIN.")
@click.option("--incoming", "incoming_code", required=True, help="The incoming cashier (takes the count on).")
@click.option("--incoming-pin", prompt=True, hide_input=True, help="The incoming cashier's PIN.")
@db_options
@user_errors
def handover_command(
    count_text: dict[int, int],
    reason: str,
    staff_code: str,
    pin: str,
    incoming_code: str,
    incoming_pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """交班: count the drawer, end this shift and hand the cash on as the next shift's float.

    Examples:

    \b
    zhanggui day handover --count "100x3 10x5" --reason 找零错误 --staff P1 --incoming M1 --db shop.db
    """
    counts = count_text
    ctx = context_for(db_path, config_path)
    try:
        outgoing, incoming = sign_in(staff_code, pin), sign_in(incoming_code, incoming_pin)
        ended, begun = drawer.handover(
            ctx.config.terminal.id,
            outgoing=outgoing,
            incoming=incoming,
            counts=counts,
            reason=reason,
            tolerance=ctx.config.drawer.tolerance,
            now=ctx.clock(),
        )
    finally:
        ctx.close()
    click.echo(drawer.handed_over(ended, begun))
