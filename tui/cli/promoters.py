"""zhanggui promoters: the month report, targets, the ladder, profiles, training and leave."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from store.kernel.auth import Approval
from store.kernel.i18n import _
from store.kernel.money import format_fen, parse_money
from store.people import leave_requests, staff, targets
from store.people import profiles as people
from store.people import report as promoter_report
from tui.cli.common import context_for, db_options, deliver, export_options, manager_option, user_errors
from tui.cli.param_types import DAY, MONTH, YEARS, Whole


@click.group()
def promoters() -> None:
    """Promoters: month report, sales targets, the promotion ladder.

    Examples:

    \b
    zhanggui promoters report --db shop.db
    """


@promoters.command()
@click.option("--month", type=MONTH, default="", help=f"YYYY-MM, {YEARS} (default: this month).")
@export_options
@db_options
@user_errors
def report(month: str, fmt: str, output: Path | None, db_path: str | None, config_path: str | None) -> None:
    """Hours rostered and worked, lateness, sales, returns, commission and target per
    promoter for one month (CSV: amounts in fen, hours in minutes).

    Examples:

    \b
    zhanggui promoters report --db shop.db
    zhanggui promoters report --month 2026-11 --format csv --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        month = targets.parse_month(month) if month else promoter_report.default_month(cfg, now=ctx.clock())
        result = promoter_report.month_report(month, cfg, now=ctx.clock())
    finally:
        ctx.close()
    deliver(
        fmt,
        output,
        cfg.exports_dir() / f"promoters-{month}.xlsx",
        xlsx=lambda path: promoter_report.write_xlsx(result, path),
        table=lambda: promoter_report.as_text(result),
        csv=lambda: promoter_report.as_csv(result),
        done=_("Report written to {path}"),
    )


@promoters.command()
@click.option("--month", type=MONTH, default="", help="YYYY-MM: this month (the default) or later.")
@click.option("--promoter", "staff_code", default="", help="Promoter's code (default: the whole store).")
@click.option("--brand", default="", help="One brand only (default: all brands).")
@click.option("--units", type=Whole(0, targets.MAX_UNITS), default=0, help="Handsets to sell.")
@click.option("--amount", default="0", help="Sales amount in yuan (at most 10,000,000).")
@manager_option("manager_code")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def target(
    month: str,
    staff_code: str,
    brand: str,
    units: int,
    amount: str,
    manager_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Set a monthly sales target for the store or one promoter (units and/or amount).

    Examples:

    \b
    zhanggui promoters target --promoter P1 --units 20 --amount 80000 --staff M1 --db shop.db
    zhanggui promoters target --promoter B1 --brand Huawei --units 8 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        ok = _approval(manager_code, pin, ctx.clock())
        who = people.by_code(staff_code).id if staff_code else None
        fen = parse_money(amount)
        today = ctx.clock.today()
        month = month or targets.month_of(today)
        targets.set_target(month, who, units=units, amount=fen, brand=brand, approval=ok, today=today)
    finally:
        ctx.close()
    click.echo(
        _("Target for {month}: {units} handsets, {amount}.").format(
            month=targets.parse_month(month), units=units, amount=format_fen(fen)
        )
    )


@promoters.command()
@db_options
@user_errors
def ladder(db_path: str | None, config_path: str | None) -> None:
    """Each promoter's level, the next rung and what is still missing; who may move up now.

    Examples:

    \b
    zhanggui promoters ladder --db shop.db
    """
    from store.reports.table import text_table
    from store.reports.writers import as_text

    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        checks = people.check_promotions(cfg.ladder, ctx.clock.today())
    finally:
        ctx.close()
    rows = [
        [
            c.staff.code,
            c.staff.name,
            c.current.name if c.current else "",
            c.next.name if c.next else "",
            format_fen(c.sales, symbol=False),
            c.months,
            _("eligible now") if c.eligible else "; ".join(c.missing),
        ]
        for c in checks
    ]
    headers = [_("Code"), _("Name"), _("Level"), _("Next"), _("Sales"), _("Months"), _("Missing")]
    click.echo(as_text(text_table(headers, rows)))


def _approval(code: str, pin: str, now: datetime) -> Approval:
    """The manager's approval as of the store clock's ``now`` (a wrong PIN is audited then)."""
    return staff.approve(code, pin, now=now)


@promoters.command()
@click.argument("code")
@click.option("--level", default=None, help="A [ladder] level code.")
@click.option("--brand", default=None, help="The maker a brand promoter works for ('' for none).")
@click.option("--home-store", default=None, help="The store code this person belongs to.")
@click.option(
    "--status", type=click.Choice(list(people.STATUSES)), default=None, help="active, on_leave or left."
)
@manager_option("manager_code")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def profile(
    code: str,
    level: str | None,
    brand: str | None,
    home_store: str | None,
    status: str | None,
    manager_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Change a staff member's level, brand, home store or status (audited).

    Examples:

    \b
    zhanggui promoters profile P3 --level L2 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        ok = _approval(manager_code, pin, ctx.clock())
        member = people.by_code(code)
        if level is not None or brand is not None or home_store is not None:
            member = people.update_profile(
                member.id,
                ctx.config.ladder,
                approval=ok,
                level=level,
                brand=brand,
                home_store=home_store,
                now=ctx.clock(),
            )
        if status is not None:
            member = people.set_status(member.id, status, approval=ok, now=ctx.clock())
    finally:
        ctx.close()
    click.echo(
        _("{name}: level {level}, brand {brand}, home store {store}, {status}.").format(
            name=member.name,
            level=member.level or "-",
            brand=member.brand or "-",
            store=member.home_store or "-",
            status=people.status_name(member.status),
        )
    )


@promoters.command()
@click.argument("code")
@click.option("--course", required=True, help="The course's name.")
@click.option("--date", "taken_on", type=DAY, required=True, help="When it was taken, YYYY-MM-DD.")
@click.option("--result", type=click.Choice(list(people.RESULTS)), required=True, help="How it went.")
@click.option("--note", default="", help="Anything worth keeping.")
@manager_option("manager_code")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def training(
    code: str,
    course: str,
    taken_on: date,
    result: str,
    note: str,
    manager_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Record a training course a staff member took, and list their training.

    Examples:

    \b
    zhanggui promoters training P3 --course 销售技巧 --date 2026-11-20 --result passed --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        ok = _approval(manager_code, pin, ctx.clock())
        member = people.by_code(code)
        today = ctx.clock.today()
        people.add_training(
            member.id, course, taken_on, result, approval=ok, today=today, note=note, now=ctx.clock()
        )
        records = people.training_of(member.id)
    finally:
        ctx.close()
    for record in records:
        click.echo(f"{record.taken_on}  {record.course}  {people.result_name(record.result)}")


@promoters.command()
@click.argument("code")
@click.option("--from", "first", type=DAY, required=True, help="First day off, YYYY-MM-DD.")
@click.option("--to", "last", type=DAY, required=True, help="Last day off, YYYY-MM-DD.")
@click.option("--reason", default="", help="Why (shown to the manager).")
@click.option(
    "--kind",
    type=click.Choice(list(leave_requests.LEAVE_KINDS)),
    default="personal",
    show_default=True,
    help="personal (事假), sick (病假), annual (年假) or in_lieu (调休).",
)
@manager_option("manager_code", help="The approving manager's code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def leave(
    code: str,
    first: date,
    last: date,
    reason: str,
    kind: str,
    manager_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Record approved leave: the roster flags anyone rostered on those days.

    Examples:

    \b
    zhanggui promoters leave P3 --from 2026-12-21 --to 2026-12-22 --reason 回老家 --staff M1 --db shop.db
    zhanggui promoters leave P3 --from 2026-12-21 --to 2026-12-21 --kind sick --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        ok = _approval(manager_code, pin, ctx.clock())
        member = people.by_code(code)
        leave_requests.record_leave(member.id, first, last, reason, approval=ok, now=ctx.clock(), kind=kind)
    finally:
        ctx.close()
    click.echo(
        _("{kind} for {name} from {first} to {last} approved.").format(
            kind=leave_requests.leave_kind_label(kind), name=member.name, first=first, last=last
        )
    )
