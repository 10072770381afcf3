"""zhanggui export: the signed file of a closed business day, for head office."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from store.kernel.i18n import _, ngettext
from tui.cli.common import Aliased, context_for, db_options, user_errors, writable
from tui.cli.param_types import Day


@click.command("export")
@db_options
@click.option("--day", "day", type=Day(), default=None, help="The closed business day (YYYY-MM-DD).")
@click.option("--pending", is_flag=True, help="Every closed day not exported yet.")
@click.option(
    "--output",
    "--out",
    "out",
    cls=Aliased,
    hidden=("--out",),
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the files (default: the exports folder of config.toml's [paths]).",
)
@user_errors
def export_command(
    db_path: str | None, config_path: str | None, day: date | None, pending: bool, out: Path | None
) -> None:
    """Write the signed file of a closed business day for head office: its sales, returns,
    payments, stock, customers, referrals, staff hours, cash and audit rows. Without --day or
    --pending: the last closed day. The same day exported again gives the same file.

    Examples:

    \b
    zhanggui export --db shop.db --output usb
    zhanggui export --db shop.db --pending
    """
    from store.exchange import day_export
    from store.exchange.keys import load_signing_key

    if day is not None and pending:
        raise click.UsageError(_("Give --day or --pending, not both."))
    ctx = context_for(db_path, config_path, full_check=True)
    try:
        key = load_signing_key(ctx.identity()[0])
        folder = out if out is not None else ctx.config.exports_dir()
        writable(folder / "day.zip")  # the folder made, or a sentence saying why not
        hq, tz = ctx.config.hq, ctx.config.tz
        if pending:
            done = day_export.export_pending(folder, key=key, hq=hq, tz=tz)
            if not done:
                click.echo(_("Every closed day has been exported; nothing to write."))
        else:
            if day is None:
                closed = day_export.closed_days()
                if not closed:
                    raise click.ClickException(_("No business day is closed yet: nothing to export."))
                day = closed[-1]
            done = [day_export.export_day(day, folder, key=key, hq=hq, tz=tz)]
        for result in done:
            click.echo(
                _("{day}: {path} (sequence {n}, {records} records)").format(
                    day=result.business_date.isoformat(),
                    path=result.path,
                    n=result.sequence,
                    records=sum(result.counts.values()),
                )
            )
        if pending and done:
            click.echo(ngettext("{n} day exported.", "{n} days exported.", len(done)).format(n=len(done)))
    finally:
        ctx.close()
