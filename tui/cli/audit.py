"""zhanggui audit verify, zhanggui audit anchor."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from store.audit import anchoring, integrity
from store.audit import keys as audit_files
from store.kernel.i18n import _
from tui.cli.common import context_for, db_options, user_errors


class NotFullyChecked(click.ClickException):
    """Some rows could not be checked here (their key is on another computer): exit code 2."""

    exit_code = 2


def _finding(item: integrity.AuditProblem) -> str:
    if item.until and item.until != item.seq:
        return _("rows {seq}–{until}: {problem}").format(seq=item.seq, until=item.until, problem=item.problem)
    if item.seq:
        return _("row {seq}: {problem}").format(seq=item.seq, problem=item.problem)
    return item.problem


def _local(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return ""
    return at.replace(tzinfo=UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


@click.group()
def audit() -> None:
    """The tamper-evident audit log: verify it, or print its head to write down.

    Examples:

    \b
    zhanggui audit verify --db shop.db
    """


@audit.command()
@db_options
@click.option(
    "--anchor",
    "anchor_text",
    help="A head written down or printed earlier ('zhanggui audit anchor'), e.g. 1234-3f9a2b1c4d5e6f70.",
)
@user_errors
def verify(db_path: str | None, config_path: str | None, anchor_text: str | None) -> None:
    """Check that no audit row was changed or removed, and that the log still reaches every
    anchor kept on this computer (and the one given). Exit code 1: tampered or damaged;
    2: some rows could not be checked on this computer.

    Examples:

    \b
    zhanggui audit verify --db shop.db
    """
    given = audit_files.parse_anchor(anchor_text) if anchor_text else None
    ctx = context_for(db_path, config_path, full_check=True)  # a damaged page is a finding too
    try:
        report = integrity.check(*([given] if given else []), tz=ctx.config.tz)
        kept = anchoring.keep_head("verify") if report.intact and report.complete else None
    finally:
        ctx.close()
    for item in (*report.notes, *report.unchecked, *report.problems):
        click.echo(_finding(item))
    if report.problems:
        raise click.ClickException(_("The audit log was tampered with or damaged."))
    if not report.complete:
        raise NotFullyChecked(_("The audit log could not be fully checked on this computer."))
    click.echo(
        _("Audit log intact: {rows} rows, {anchors} anchors checked.").format(
            rows=report.rows, anchors=report.anchors_checked
        )
    )
    if kept:
        click.echo(kept, err=True)


@audit.command()
@db_options
@user_errors
def anchor(db_path: str | None, config_path: str | None) -> None:
    """Print the audit chain's head for a manager to write down or print, and keep it on this
    computer too. A later verify against it shows whether the log up to it was rewritten,
    emptied or cut, or an older copy of the database was put back.

    Examples:

    \b
    zhanggui audit anchor --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        current = anchoring.head()
        kept = anchoring.keep_anchor(current, "manual")
    finally:
        ctx.close()
    if current.count == 0:
        click.echo(_("The audit log is empty: there is nothing to anchor yet."))
        return
    click.echo(
        _("Audit chain head of store {store}: {token}").format(
            store=current.store_code or "?", token=current.token
        )
    )
    click.echo(
        _("{rows} rows, at {when}. Write it down or print it; later run:").format(
            rows=current.count, when=_local(current.at, ctx.config.tz)
        )
    )
    click.echo(f"  zhanggui audit verify --anchor {current.token}")
    if kept:
        click.echo(kept, err=True)
