"""zhanggui customers find / segments / reassign, and zhanggui care."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from tabulate import tabulate

from store.crm import care as care_lists
from store.crm import handover, shown, value
from store.kernel.i18n import N_, _, ngettext
from store.kernel.money import format_fen
from store.people import directory, staff
from store.reports.table import text_table
from store.reports.writers import as_text
from tui.cli.common import (
    context_for,
    db_options,
    message_list_options,
    reader,
    reader_options,
    send_text,
    user_errors,
)
from tui.cli.param_types import DAY, YEARS, Whole

WHY = {
    "phone": N_("phone"),
    "last4": N_("last 4 digits"),
    "name": N_("name"),
    "pinyin": N_("pinyin"),
    "initials": N_("initials"),
    "imei": N_("IMEI of a phone bought"),
}


@click.group()
def customers() -> None:
    """Customers: lookup, value segments and reassigning a leaver's customers.

    Examples:

    \b
    zhanggui customers find zs --db shop.db
    """


@customers.command()
@click.argument("text")
@reader_options
@db_options
@user_errors
def find(
    text: str, staff_code: str | None, pin: str | None, db_path: str | None, config_path: str | None
) -> None:
    """Find customers by full phone, last 4 digits, name, pinyin or initials, or the IMEI
    of a phone they bought (the best 20). Phones are masked unless --staff (and --pin) is
    someone whose role may see whole numbers.

    Examples:

    \b
    zhanggui customers find zs --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        hits = shown.lookup(text, reader(staff_code, pin), ctx.config.customers)
    finally:
        ctx.close()
    if not hits:
        raise click.ClickException(_("No customer matches {text}.").format(text=text[:40]))
    rows = [(h.phone, _(WHY[h.why]), h.name) for h in hits]
    click.echo(as_text(text_table([_("Phone"), _("Matched by"), _("Name")], rows)))


@customers.command()
@click.option("--top", type=Whole(0, 500), default=10, show_default=True, help="A-class customers to list.")
@click.option("--date", "day", type=DAY, help=f"Score as of this day (YYYY-MM-DD, {YEARS}); default today.")
@reader_options
@db_options
@user_errors
def segments(
    top: int,
    day: date | None,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Score every customer (RFM), then show counts and value per tier and state, what the
    top fifth of buyers make of the revenue, and the A-class customers.

    Examples:

    \b
    zhanggui customers segments --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        today = day or ctx.clock.today()
        scores = value.refresh(today, ctx.config.customers, now=ctx.clock())
        table = value.segments(scores, value.customer_count(), top=top)
        actor = reader(staff_code, pin)
        ids = [s.customer_id for s in table.top_customers]
        names = {cid: (p.name, p.phone) for cid, p in shown.people(ids, actor, ctx.config.customers).items()}
    finally:
        ctx.close()
    headers = [_("Segment"), _("Customers"), _("Value"), _("Share"), ""]
    rows = [
        (
            _("Tier {tier}").format(tier=s.key),
            s.customers,
            format_fen(s.value),
            value.share_text(s.share_bp),
            value.share_bar(s.share_bp),
        )
        for s in table.tiers
    ]
    rows += [
        (
            _(value.STATE_NAMES[s.key]),
            s.customers,
            format_fen(s.value),
            value.share_text(s.share_bp),
            value.share_bar(s.share_bp),
        )
        for s in table.states
    ]
    rows.append((_("no purchase yet"), table.no_purchase, format_fen(0), "", ""))
    click.echo(
        tabulate(
            rows,
            headers=headers,
            intfmt=",",
            disable_numparse=True,
            colalign=("left", "right", "right", "right", "left"),
        )
    )
    click.echo()
    click.echo(
        _("The top fifth of buyers make {share} of the revenue ({total}).").format(
            share=value.share_text(table.top20_share_bp), total=format_fen(table.total_value)
        )
    )
    if top and table.top_customers:
        click.echo()
        click.echo(_("A-class customers, by value:"))
        top_rows = [
            (
                names.get(s.customer_id, ("", ""))[1],
                format_fen(s.monetary),
                s.last_purchase.isoformat(),
                f"{s.r}{s.f}{s.m}",
                names.get(s.customer_id, ("", ""))[0],
            )
            for s in table.top_customers
        ]
        click.echo(
            as_text(text_table([_("Phone"), _("Value"), _("Last purchase"), "RFM", _("Name")], top_rows))
        )


@customers.command()
@click.argument("from_code")
@click.argument("to_code")
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def reassign(
    from_code: str, to_code: str, staff_code: str, pin: str, db_path: str | None, config_path: str | None
) -> None:
    """Move every customer and open follow-up task of one staff member (who is leaving) to
    another, in one audited step approved by a manager.

    Examples:

    \b
    zhanggui customers reassign P4 P1 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        approval = staff.approve(staff_code, pin, now=ctx.clock())
        moved = handover.reassign(
            directory.staff_id_for_code(from_code),
            directory.staff_id_for_code(to_code),
            approval=approval,
            now=ctx.clock(),
        )
    finally:
        ctx.close()
    click.echo(
        _("Moved {customers} customers and {tasks} open tasks from {source} to {target}.").format(
            customers=moved.customers, tasks=moved.tasks, source=from_code, target=to_code
        )
    )


@click.command()
@click.option("--date", "day", type=DAY, help=f"The day (YYYY-MM-DD, {YEARS}); default today.")
@click.option(
    "--days",
    type=Whole(1, care_lists.MAX_DAYS),
    default=1,
    show_default=True,
    help="7 for the week.",
)
@message_list_options
@reader_options
@db_options
@user_errors
def care(
    day: date | None,
    days: int,
    fmt: str,
    output: Path | None,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Birthday and holiday greetings due (customers who consented only), with the message
    from config.toml filled in, ready to send by SMS or WeChat.

    Phones are masked unless --staff (and --pin) is someone whose role may see whole numbers:
    an SMS list needs a manager's login.

    Examples:

    \b
    zhanggui care --date 2027-02-06 --staff M1 --db shop.db
    zhanggui care --format sms --output care.txt --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        day = day or ctx.clock.today()
        actor = reader(staff_code, pin)
        items = shown.care_list(day, ctx.config.customers, ctx.store_name, actor, days=days)
    finally:
        ctx.close()
    if fmt == "csv":
        text = care_lists.to_csv(items)
    elif fmt == "sms":
        text = care_lists.to_sms(items)
    else:
        rows = [(i.day.isoformat(), i.phone, i.occasion_name, i.name, i.message) for i in items]
        text = as_text(text_table([_("Date"), _("Phone"), _("Occasion"), _("Name"), _("Message")], rows))
        if not items:
            text = _("No greetings due.")
    send_text(
        text,
        fmt,
        output,
        lambda path: ngettext(
            "{n} greeting written to {path}.", "{n} greetings written to {path}.", len(items)
        ).format(n=len(items), path=path),
    )
