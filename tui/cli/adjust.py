"""zhanggui adjust: write off or book in a quantity of an accessory, with a reason."""

from __future__ import annotations

import click

from store.kernel.i18n import _
from store.people import staff
from store.stock import adjustments, lookups
from store.stock import ledger as stock
from tui.cli.common import context_for, db_options, user_errors
from tui.cli.param_types import Whole


@click.command("adjust")
@click.argument("sku")
@click.option(
    "--qty",
    type=Whole(-stock.MAX_QTY, stock.MAX_QTY),
    required=True,
    help="How many: negative takes away, e.g. --qty -2.",
)
@click.option("--reason", required=True, help="Why: damaged, found, sample...")
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def adjust_command(
    sku: str, qty: int, reason: str, staff_code: str, pin: str, db_path: str | None, config_path: str | None
) -> None:
    """Adjust the stock of an accessory by --qty (negative takes away), with a reason. Handsets
    are corrected by a stock count.

    Examples:

    \b
    zhanggui adjust FILM-IP17P-HD --qty -1 --reason 贴膜损坏 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        product = lookups.product_by_sku(sku)
        approval = staff.approve(staff_code, pin, now=ctx.clock())
        adjustments.adjust(product, qty=qty, reason=reason, approval=approval, now=ctx.clock())
        on_hand = stock.on_hand(product.id)
    finally:
        ctx.close()
    click.echo(
        _("{name}: {qty:+d}, {on_hand} in stock.").format(name=product.display_name, qty=qty, on_hand=on_hand)
    )
