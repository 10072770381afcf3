"""zhanggui history: a product's or a handset's life in the stock ledger."""

from __future__ import annotations

from datetime import UTC

import click

from store.kernel.i18n import _
from store.reports.table import text_table
from store.reports.writers import as_text
from store.stock import history
from store.stock import ledger as stock
from tui.cli.common import context_for, db_options, user_errors


@click.command("history")
@click.argument("code")
@db_options
@user_errors
def history_command(code: str, db_path: str | None, config_path: str | None) -> None:
    """Every stock movement of an IMEI, a barcode or a SKU: received from whom, sold to whom,
    returned, counted, transferred.

    Examples:

    \b
    zhanggui history 356850106234725 --db shop.db
    zhanggui history IP17-256-BK --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        found = history.history_of(code)
        tz = ctx.config.tz
        rows = [
            [
                f"{e.at.replace(tzinfo=UTC).astimezone(tz):%Y-%m-%d %H:%M}",
                history.kind_name(e.kind),
                f"{e.qty:+d}",
                e.imei,
                e.document,
                e.party,
                e.staff,
                e.reason,
            ]
            for e in found.events
        ]
        title = found.product.display_name
        if found.unit is not None:
            title += f"  {_('IMEI')} {found.unit.imei}  ({stock.status_name(found.unit.status)})"
        else:
            title += "  " + _("on hand {n}").format(n=stock.on_hand(found.product.id))
    finally:
        ctx.close()
    heads = [_("When"), _("What"), _("Qty"), _("IMEI"), _("Document"), _("From / to"), _("Staff"), _("Note")]
    click.echo(title)
    click.echo(as_text(text_table(heads, rows)))
