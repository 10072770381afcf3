"""zhanggui staff: list, add, set-pin, unlock, deactivate, role — as the manager who signs in
with --staff and --pin (asked for when left out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from store.config.loader import ROLES
from store.kernel import auth
from store.kernel.auth import Actor
from store.kernel.i18n import _
from store.people import staff, staff_admin
from store.reports.table import text_table
from store.reports.writers import as_text
from tui.cli.common import context_for, db_options, user_errors

F = TypeVar("F", bound=Callable[..., Any])


def signed_in(fn: F) -> F:
    """--staff and --pin: who is doing this (a manager); asked for when left out."""
    fn = click.option("--pin", default=None, help="Your PIN (asked for when left out).")(fn)
    fn = click.option("--staff", "staff_code", default=None, help="Your staff code (a manager's).")(fn)
    return fn


def new_pin_option(fn: F) -> F:
    return click.option(
        "--new-pin", default=None, help="The new PIN, 4 to 8 digits (asked twice when left out)."
    )(fn)


def actor(code: str | None, pin: str | None) -> Actor:
    """The manager signing in for this command (wrong PINs count towards their lock)."""
    if not code:
        code = str(click.prompt(_("Your staff code")))
    if not pin:
        pin = str(click.prompt(_("Your PIN"), hide_input=True))
    return auth.sign_in(code, pin)


def ask_new_pin(new_pin: str | None) -> str:
    if new_pin:
        return new_pin
    return str(click.prompt(_("New PIN"), hide_input=True, confirmation_prompt=_("The new PIN again")))


@click.group("staff")
def staff_group() -> None:
    """Staff: who works here, PINs, locked accounts, leavers, roles and discount limits.

    Examples:

    \b
    zhanggui staff list --db shop.db
    """


@staff_group.command("list")
@click.option("--all", "everyone", is_flag=True, help="Include people who left.")
@db_options
@user_errors
def list_command(everyone: bool, db_path: str | None, config_path: str | None) -> None:
    """Everyone with their role, discount limit and whether they are locked out.

    Examples:

    \b
    zhanggui staff list --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        lines = staff_admin.staff_lines(cfg.discounts, include_inactive=everyone)
    finally:
        ctx.close()
    rows = [
        (
            line.code,
            staff.role_name(line.role),
            f"{line.discount_limit}%" + ("*" if line.own_limit else ""),
            staff_admin.state_text(line, cfg.tz),
            line.name,
        )
        for line in lines
    ]
    headers = [_("Code"), _("Role"), _("Discount"), _("State"), _("Name")]
    click.echo(as_text(text_table(headers, rows)))
    if any(line.own_limit for line in lines):
        click.echo(_("* a limit set for this person instead of their role's"))


@staff_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="promoter, cashier, manager or admin.")
@new_pin_option
@signed_in
@db_options
@user_errors
def add_command(
    code: str,
    name: str,
    role: str,
    new_pin: str | None,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Add a staff member with their first PIN.

    Examples:

    \b
    zhanggui staff add P5 孙丽 --role promoter --new-pin 4321 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)  # a missing store is refused before any prompt
    try:
        new_pin = ask_new_pin(new_pin)
        who = actor(staff_code, pin)
        member = staff_admin.add_staff(code, name, role, new_pin, actor=who)
    finally:
        ctx.close()
    click.echo(_("Added {name} ({code}).").format(name=member.name, code=member.code))


@staff_group.command("set-pin")
@click.argument("code")
@new_pin_option
@signed_in
@db_options
@user_errors
def set_pin_command(
    code: str,
    new_pin: str | None,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Give someone a new PIN (it also opens their account if wrong PINs locked it).

    Examples:

    \b
    zhanggui staff set-pin P1 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)  # a missing store is refused before any prompt
    try:
        new_pin = ask_new_pin(new_pin)
        who = actor(staff_code, pin)
        member = staff_admin.set_pin(code, new_pin, actor=who, now=ctx.clock())
    finally:
        ctx.close()
    click.echo(_("{name} has a new PIN.").format(name=member.name))


@staff_group.command("unlock")
@click.argument("code")
@signed_in
@db_options
@user_errors
def unlock_command(
    code: str, staff_code: str | None, pin: str | None, db_path: str | None, config_path: str | None
) -> None:
    """Open an account that wrong PINs locked.

    Examples:

    \b
    zhanggui staff unlock P1 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        who = actor(staff_code, pin)
        member = staff_admin.unlock(code, actor=who, now=ctx.clock())
    finally:
        ctx.close()
    click.echo(_("{name} can log in again.").format(name=member.name))


@staff_group.command("deactivate")
@click.argument("code")
@click.option("--to", "successor", default="", help="Who takes over their customers and open tasks.")
@signed_in
@db_options
@user_errors
def deactivate_command(
    code: str,
    successor: str,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Deactivate a leaver: they can no longer log in; their customers and open follow-up
    tasks go to --to in the same step.

    Examples:

    \b
    zhanggui staff deactivate P2 --to P1 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        who = actor(staff_code, pin)
        moved = staff_admin.deactivate(code, successor=successor, actor=who, now=ctx.clock())
    finally:
        ctx.close()
    click.echo(
        _("{code} is deactivated; {customers} customers and {tasks} open tasks moved.").format(
            code=code, customers=moved.customers, tasks=moved.tasks
        )
    )


@staff_group.command("role")
@click.argument("code")
@click.argument("role", type=click.Choice(ROLES))
@click.option(
    "--discount",
    type=int,
    default=None,
    help="Their own discount limit in percent (left out: the role's limit from [discounts]).",
)
@signed_in
@db_options
@user_errors
def role_command(
    code: str,
    role: str,
    discount: int | None,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Change someone's role and discount limit.

    Examples:

    \b
    zhanggui staff role P1 cashier --discount 8 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        who = actor(staff_code, pin)
        cfg = ctx.config
        member = staff_admin.set_role(
            code, role, cfg.discounts, discount=discount, actor=who, now=ctx.clock()
        )
        limit = staff.discount_limit(member, cfg.discounts)
    finally:
        ctx.close()
    click.echo(
        _("{name} is now {role}, discount limit {pct}%.").format(
            name=member.name, role=staff.role_name(member.role), pct=limit
        )
    )
