"""zhanggui sellout: the store's own sell-out feed of a brand, for the brand's promoters; and
the delivery of a feed that head office's ``hq sellout`` shares."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from store.kernel.i18n import _
from store.reports.sellout import Feed
from tui.cli.common import context_for, db_options, deliver, output_option, user_errors
from tui.cli.param_types import Day


def feed_file_name(feed: Feed) -> str:
    """sellout-<brand>-<day>.xlsx, the brand's name kept to letters and digits (a brand such
    as 'Xiaomi/Redmi' must not make a folder)."""
    brand = re.sub(r"[^\w]+", "_", feed.brand).strip("_") or "brand"
    return f"sellout-{brand}-{feed.day.isoformat()}.xlsx"


def send_feed(feed: Feed, fmt: str, output: Path | None, folder: Path) -> None:
    """The feed as asked (a workbook of a sheet a table, or the tables as text or CSV one
    after another); its notes also on standard error, so a file written to standard output
    or to disk never hides what the brand will miss."""
    from store.reports.writers import as_text, to_csv, write_xlsx

    tables = feed.tables()

    def xlsx(path: Path) -> None:
        write_xlsx(path, *tables)

    deliver(
        fmt,
        output,
        folder / feed_file_name(feed),
        xlsx=xlsx,
        table=lambda: "\n\n".join(f"{t.title}\n{as_text(t)}" for t in tables) + "\n",
        csv=lambda: to_csv(*tables),
        done=_("Sell-out feed written to {path}"),
    )
    for note in feed.notes:
        click.echo(f"{note.code}: {note.text}", err=True)


@click.command("sellout")
@click.option("--brand", required=True, help="The brand, as the products name it (e.g. Apple).")
@click.option("--date", "day", type=Day(), default="", help="The business day (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="csv", help="Output format."
)
@output_option(help="File to write (default: standard output; XLSX goes to the exports folder).")
@db_options
@user_errors
def sellout_command(
    brand: str, day: date | str, fmt: str, output: Path | None, db_path: str | None, config_path: str | None
) -> None:
    """The store's sell-out feed of a brand (串号上报) for its promoters: every handset of the
    brand sold or returned on the day, by IMEI, then the day's receipts and stock on hand;
    the same columns as head office's feed, with the brand's codes from config.toml's
    [sellout] (empty without them; head office keeps the chain's: zhanggui hq map).

    Examples:

    \b
    zhanggui sellout --brand Apple --db shop.db
    zhanggui sellout --brand Apple --date 2026-12-07 --format xlsx --output apple.xlsx --db shop.db
    """
    from store.stock.sellout import store_sellout

    ctx = context_for(db_path, config_path)
    try:
        tz = ctx.config.tz
        wanted = day if isinstance(day, date) else ctx.clock.today()
        feed = store_sellout(brand, wanted, ctx.identity()[0], tz, ctx.config.sellout)
        exports = ctx.config.exports_dir()
    finally:
        ctx.close()
    send_feed(feed, fmt, output, exports)
