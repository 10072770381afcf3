"""zhanggui roster: a week's roster as a table, CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from store.kernel.i18n import _
from store.people import roster as rosters
from store.people import roster_export
from tui.cli.common import context_for, db_options, deliver, export_options, user_errors
from tui.cli.param_types import WEEK, YEARS


@click.command()
@click.option("--week", type=WEEK, default="", help=f"ISO week, e.g. 2026-W48, {YEARS} (default: this week).")
@export_options
@db_options
@user_errors
def roster(week: str, fmt: str, output: Path | None, db_path: str | None, config_path: str | None) -> None:
    """Print or export a week's roster: who works which shift each day, hours, conflicts.

    Examples:

    \b
    zhanggui roster --db shop.db
    zhanggui roster --week 2026-W48 --format xlsx --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        cfg = ctx.config
        week = rosters.parse_week(week) if week else rosters.week_of(ctx.clock.today())
        grid = rosters.load_week(week, cfg)
    finally:
        ctx.close()
    deliver(
        fmt,
        output,
        cfg.exports_dir() / f"roster-{week}.xlsx",
        xlsx=lambda path: roster_export.write_xlsx(grid, cfg, path),
        table=lambda: roster_export.as_text(grid, cfg),
        csv=lambda: roster_export.as_csv(grid, cfg),
        done=_("Roster written to {path}"),
    )
