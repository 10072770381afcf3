"""zhanggui counts: the stock counts kept, and what each found."""

from __future__ import annotations

from datetime import UTC

import click

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.models import StockCount
from store.reports.table import Column, Kind, Table, text_table
from store.reports.writers import as_text, to_csv
from store.stock import counts
from tui.cli.common import context_for, db_options, user_errors


def _local(count: StockCount, tz: object) -> str:
    from zoneinfo import ZoneInfo

    assert isinstance(tz, ZoneInfo)
    return f"{count.created_at.replace(tzinfo=UTC).astimezone(tz):%Y-%m-%d %H:%M}"


@click.group("counts")
def counts_group() -> None:
    """Stock counts: the list, and each count's variances."""


@counts_group.command("list")
@db_options
@user_errors
def list_counts(db_path: str | None, config_path: str | None) -> None:
    """Every count, newest first, with its variance at cost once approved.

    Example: zhanggui counts list --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        rows = []
        for count in counts.counts():
            lines = counts.approved_lines(count) if count.status == "approved" else []
            rows.append(
                [
                    count.number,
                    _local(count, ctx.config.tz),
                    counts.scope_label(count),
                    counts.status_name(count.status),
                    len(lines) if count.status == "approved" else "",
                    format_fen(sum(ln.value for ln in lines)) if count.status == "approved" else "",
                ]
            )
    finally:
        ctx.close()
    heads = [_("Count"), _("Started"), _("Scope"), _("Status"), _("Differences"), _("Net value")]
    click.echo(as_text(text_table(heads, rows)) if rows else _("No counts yet."))


@counts_group.command("show")
@click.argument("number")
@click.option("--all", "all_lines", is_flag=True, help="Every product counted, not only the differences.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@db_options
@user_errors
def show_count(number: str, all_lines: bool, fmt: str, db_path: str | None, config_path: str | None) -> None:
    """One count's result: book, counted, difference and value a product. An approved count
    shows what was approved; one not approved yet shows its variances as of now.

    Example: zhanggui counts show PD20261127-01 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        count = counts.find_count(number)
        if count.status == "approved":
            rows = [
                [ln.sku, ln.name, ln.expected, ln.counted, ln.variance, ln.adjusted, ln.value]
                for ln in counts.approved_lines(count, all_lines=all_lines)
            ]
        else:
            review = counts.review(count.id, now=ctx.clock())
            shown = review.lines if all_lines else review.differences
            rows = [[ln.sku, ln.name, ln.expected, ln.counted, ln.variance, None, ln.value] for ln in shown]
        heads = [_("SKU"), _("Product"), _("Book"), _("Counted"), _("Diff"), _("Moved"), _("Value")]
        title = f"{count.number}  {counts.scope_label(count)}  {counts.status_name(count.status)}"
    finally:
        ctx.close()
    if fmt == "csv":
        kinds = [Kind.TEXT, Kind.TEXT, Kind.INT, Kind.INT, Kind.INT, Kind.INT, Kind.YUAN]
        table = Table([Column(h, k) for h, k in zip(heads, kinds, strict=True)], list(rows))
        click.echo(to_csv(table), nl=False)
        return
    shown_rows = [[*r[:5], "" if r[5] is None else r[5], format_fen(r[6])] for r in rows]  # type: ignore[arg-type]
    click.echo(title)
    click.echo(as_text(text_table(heads, shown_rows)) if rows else _("No differences."))
