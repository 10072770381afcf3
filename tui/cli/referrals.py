"""zhanggui referrals: the 老带新 month report, settling the reward ledger (and undoing an expiry
a wrong clock made), and the flags."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from store.kernel import clock_guard
from store.kernel.auth import Approval
from store.kernel.errors import ValidationError
from store.kernel.i18n import _, ngettext
from store.people import staff
from store.people.targets import parse_month
from store.referrals import ledger, patterns, report_export
from store.referrals import report as referral_report
from tui.cli.common import (
    context_for,
    db_options,
    deliver,
    export_options,
    manager_option,
    message_list_options,
    reader,
    reader_options,
    send_text,
    user_errors,
)
from tui.cli.param_types import DAY, MONTH, YEARS, Whole


@click.group()
def referrals() -> None:
    """Referral rewards (老带新): month report, settling rewards, suspicious patterns.

    Examples:

    \b
    zhanggui referrals invite --db shop.db
    """


@referrals.command()
@click.option("--month", type=MONTH, default="", help=f"YYYY-MM, {YEARS} (default: this month).")
@click.option("--store", "store_code", default=None, help="One store's code (default: every store).")
@export_options
@db_options
@user_errors
def report(
    month: str,
    store_code: str | None,
    fmt: str,
    output: Path | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """New customers of the month per store, how many came by referral and their share,
    what they spent, the vouchers and gifts of the reward ledger, and the top referrers
    (CSV: amounts in fen, the share in per mille).

    Examples:

    \b
    zhanggui referrals report --month 2026-11 --format xlsx --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        month = parse_month(month) if month else referral_report.default_month(cfg, now=ctx.clock())
        result = referral_report.month_report(month, cfg, store_code, now=ctx.clock())
    finally:
        ctx.close()
    deliver(
        fmt,
        output,
        cfg.exports_dir() / f"referrals-{month}.xlsx",
        xlsx=lambda path: report_export.write_xlsx(result, path),
        table=lambda: report_export.as_text(result),
        csv=lambda: report_export.as_csv(result),
        done=_("Report written to {path}"),
    )


def _manager(code: str, pin: str | None, now: datetime) -> Approval:
    if not code:
        raise ValidationError(_("A manager must confirm this: add --staff with their staff code."))
    if pin is None:
        pin = click.prompt(_("PIN"), hide_input=True)
    return staff.approve(code, pin, now=now)


@referrals.command()
@click.option(
    "--confirm-date",
    "confirm",
    type=DAY,
    default=None,
    help="YYYY-MM-DD: a manager confirms today's date when the clock looked wrong.",
)
@manager_option("manager_code", required=False, help="Manager's staff code for --confirm-date.")
@click.option("--pin", default=None, help="The manager's PIN (asked when not given).")
@db_options
@user_errors
def settle(
    confirm: date | None, manager_code: str, pin: str | None, db_path: str | None, config_path: str | None
) -> None:
    """Earn the rewards whose holding period is over (if the sale was kept), cancel those
    of sales returned meanwhile, and expire vouchers and gifts past their last day, as of
    today in the store's timezone. Safe to run again, e.g. daily from cron.

    When the computer's clock disagrees with the store's last recorded event ([clock] in
    config.toml) nothing is settled until a manager confirms the date with --confirm-date.

    Examples:

    \b
    zhanggui referrals settle --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        now = ctx.clock()
        today = ctx.clock.today()
        if confirm is not None:
            clock_guard.confirm_date(confirm, now, cfg.tz, approval=_manager(manager_code, pin, now))
        done = ledger.settle(today, cfg.referrals, now=now, clock=cfg.clock)
    finally:
        ctx.close()
    if done.held is not None:
        raise click.ClickException(
            done.held.describe(cfg.tz)
            + " "
            + _(
                "Nothing was settled: vouchers could expire by mistake. Set the clock right, or "
                "if the date is right, run again with --confirm-date {day} --staff CODE."
            ).format(day=today.isoformat())
        )
    click.echo(
        _("Rewards settled for {day}: {earned} earned, {cancelled} cancelled, {expired} expired.").format(
            day=today.isoformat(), earned=done.earned, cancelled=done.cancelled, expired=done.expired
        )
    )


@referrals.command()
@click.option("--date", "day", type=DAY, required=True, help="YYYY-MM-DD: the date the wrong clock showed.")
@manager_option("manager_code", help="Manager's staff code.")
@click.option("--pin", default=None, help="The manager's PIN (asked when not given).")
@db_options
@user_errors
def unexpire(
    day: date, manager_code: str, pin: str | None, db_path: str | None, config_path: str | None
) -> None:
    """Give back the vouchers and gifts a wrong clock expired on --date (the store's date the
    clock showed then): they are earned again as before, audited. One whose last day has
    really passed expires again at the next settlement. The example gives back what was
    settled while the clock read 2027-12-07.

    Examples:

    \b
    zhanggui referrals unexpire --date 2027-12-07 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        now = ctx.clock()
        restored = ledger.reverse_expiry(
            day, ctx.config.tz, approval=_manager(manager_code, pin, now), now=now
        )
    finally:
        ctx.close()
    click.echo(
        ngettext(
            "{n} voucher or gift expired on {day} is earned again.",
            "{n} vouchers and gifts expired on {day} are earned again.",
            restored,
        ).format(n=restored, day=day.isoformat())
    )


@referrals.command()
@click.option("--store", "store_code", default=None, help="One store's code (default: every store).")
@db_options
@user_errors
def flags(store_code: str | None, db_path: str | None, config_path: str | None) -> None:
    """Referrals worth a manager's look: a referrer whose new customers mostly never came
    back, and a referrer and new customer with the same phone prefix and surname
    (window and thresholds: [referrals] flag_* in config.toml).

    Examples:

    \b
    zhanggui referrals flags --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        found = patterns.flags(ctx.clock.today(), cfg.referrals, store_code)
    finally:
        ctx.close()
    click.echo(patterns.flags_text(found), nl=False)


@referrals.command()
@click.option(
    "--days",
    type=Whole(1, 3650),
    default=365,
    show_default=True,
    help="Only customers who bought within this many days.",
)
@message_list_options
@reader_options
@db_options
@user_errors
def invite(
    days: int,
    fmt: str,
    output: Path | None,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Tell old customers about 老带新: the invitation from config.toml ([referrals]
    invite_message) with each customer's own referral code, for customers who bought within
    --days and gave marketing consent, most recent buyers first.

    Phones are masked unless --staff (and --pin) is someone whose role may see whole numbers.

    Examples:

    \b
    zhanggui referrals invite --days 180 --format sms --output invite.txt --staff M1 --db shop.db
    """
    from store.referrals import invite as invitations
    from store.referrals import invite_view
    from store.reports.table import text_table
    from store.reports.writers import as_text

    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        actor = reader(staff_code, pin)
        items = invite_view.invites(
            cfg.referrals, cfg.customers, ctx.store_name, ctx.clock.today(), actor, days
        )
    finally:
        ctx.close()
    if fmt == "csv":
        text = invitations.to_csv(items)
    elif fmt == "sms":
        text = invitations.to_sms(items)
    elif items:
        rows = [(i.phone, i.name, i.code, i.last_purchase.isoformat(), i.message) for i in items]
        headers = [_("Phone"), _("Name"), _("Referral code"), _("Last purchase"), _("Message")]
        text = as_text(text_table(headers, rows)) + "\n"
    else:
        text = _("No customer to invite: none who bought in that time gave consent.") + "\n"
    send_text(
        text,
        fmt,
        output,
        lambda path: ngettext(
            "{n} invitation written to {path}.", "{n} invitations written to {path}.", len(items)
        ).format(n=len(items), path=path),
    )
