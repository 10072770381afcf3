"""`zhanggui check`: read the whole database file for damage, on demand (other commands skip
it unless the last program did not close the file, or a file is about to leave the shop)."""

from __future__ import annotations

import click

from store.kernel.i18n import _
from tui.cli.common import context_for, db_options, user_errors


@click.command("check")
@db_options
@user_errors
def check_command(db_path: str | None, config_path: str | None) -> None:
    """Read every page of the store database for damage. Exit code 1: damaged (restore the
    last backup).

    Examples:

    \b
    zhanggui check --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        problem = ctx.integrity_problem()
    finally:
        ctx.close()
    if problem is not None:
        raise click.ClickException(problem)
    click.echo(_("The database {path} is intact.").format(path=ctx.db_path))
