"""zhanggui counts: the stock counts kept, and what each found. Values at cost are shown to a
manager who logs in with --staff and --pin (store.stock.cost_views decides)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.reports.table import Column, Kind, Table, text_table
from store.reports.writers import as_text, to_csv
from store.stock import cost_views
from tui.cli.common import context_for, db_options, reader, reader_options, user_errors


def _local(created_at: datetime, tz: ZoneInfo) -> str:
    return f"{created_at.replace(tzinfo=UTC).astimezone(tz):%Y-%m-%d %H:%M}"


@click.group("counts")
def counts_group() -> None:
    """Stock counts: the list, and each count's variances.

    Examples:

    \b
    zhanggui counts list --db shop.db
    """


@counts_group.command("list")
@reader_options
@db_options
@user_errors
def list_counts(
    staff_code: str | None, pin: str | None, db_path: str | None, config_path: str | None
) -> None:
    """Every count, newest first, with its variance at cost once approved (the value for a
    manager's --staff and --pin only).

    Examples:

    \b
    zhanggui counts list --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        found, with_costs = cost_views.count_rows(reader(staff_code, pin))
        rows = []
        for c in found:
            row: list[object] = [c.number, _local(c.created_at, ctx.config.tz), c.scope, c.status]
            row.append("" if c.differences is None else c.differences)
            if with_costs:
                row.append("" if c.net_value is None else format_fen(c.net_value))
            rows.append(row)
    finally:
        ctx.close()
    heads = [_("Count"), _("Started"), _("Scope"), _("Status"), _("Differences")]
    heads += [_("Net value")] if with_costs else []
    click.echo(as_text(text_table(heads, rows)) if rows else _("No counts yet."))


@counts_group.command("show")
@click.argument("number", required=False, default="")
@click.option("--all", "all_lines", is_flag=True, help="Every product counted, not only the differences.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@reader_options
@db_options
@user_errors
def show_count(
    number: str,
    all_lines: bool,
    fmt: str,
    staff_code: str | None,
    pin: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """One count's result: book, counted, difference and value a product (the value for a
    manager's --staff and --pin only). An approved count shows what was approved; one not
    approved yet shows its variances as of now. Without NUMBER: the newest count.

    Examples:

    \b
    zhanggui counts show --staff M1 --db shop.db
    zhanggui counts show --all --format csv --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        result = cost_views.count_result(
            number, reader(staff_code, pin), all_lines=all_lines, now=ctx.clock()
        )
    finally:
        ctx.close()
    heads = [_("SKU"), _("Product"), _("Book"), _("Counted"), _("Diff"), _("Moved")]
    kinds = [Kind.TEXT, Kind.TEXT, Kind.INT, Kind.INT, Kind.INT, Kind.INT]
    if result.with_costs:
        heads.append(_("Value"))
        kinds.append(Kind.YUAN)
    rows: list[Sequence[object]] = [
        [ln.sku, ln.name, ln.book, ln.counted, ln.diff, ln.moved, *([ln.value] if result.with_costs else [])]
        for ln in result.lines
    ]
    if fmt == "csv":
        table = Table([Column(h, k) for h, k in zip(heads, kinds, strict=True)], rows)
        click.echo(to_csv(table), nl=False)
        return
    shown_rows = [
        [ln.sku, ln.name, ln.book, ln.counted, ln.diff, "" if ln.moved is None else ln.moved]
        + ([format_fen(ln.value or 0)] if result.with_costs else [])
        for ln in result.lines
    ]
    click.echo(result.title)
    click.echo(as_text(text_table(heads, shown_rows)) if rows else _("No differences."))
