"""zhanggui audit verify."""

from __future__ import annotations

import click

from store import audit as audit_log
from store.i18n import _
from tui.cli.common import context_for, db_options, user_errors


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command()
@db_options
@user_errors
def verify(db_path: str | None, config_path: str | None) -> None:
    """Check that no audit row was changed or removed.

    Example: zhanggui audit verify --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        problems = audit_log.verify()
    finally:
        ctx.close()
    if problems:
        for problem in problems:
            click.echo(_("row {seq}: {problem}").format(seq=problem.seq, problem=problem.problem))
        raise click.ClickException(_("The audit log was tampered with."))
    click.echo(_("Audit log intact."))
