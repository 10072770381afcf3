"""The command line: the bare command opens the console, subcommands do side jobs."""

from __future__ import annotations

import click

from store.context import load, resolve_db_path
from store.kernel.errors import ZhangguiError
from tui.cli.adjust import adjust_command
from tui.cli.audit import audit
from tui.cli.common import CommandLine, db_options
from tui.cli.counts import counts_group
from tui.cli.customers import care, customers
from tui.cli.demo import demo
from tui.cli.history import history_command
from tui.cli.promoters import promoters
from tui.cli.referrals import referrals
from tui.cli.reorder import reorder_command, suppliers_group, velocity_command
from tui.cli.roster import roster
from tui.cli.staff import staff_group
from tui.cli.stock import products, receive
from tui.cli.transfers import transfer_group


@click.group(
    cls=CommandLine, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@db_options
@click.pass_context
def main(ctx: click.Context, db_path: str | None, config_path: str | None) -> None:
    """掌柜 zhanggui — point of sale and store operations for phone shops.

    Run without a command to open the console, e.g. `zhanggui --db shop.db`. --db and
    --config given before a command apply to it (`zhanggui --db shop.db customers find zs`).
    """
    if ctx.invoked_subcommand is not None:
        return
    from tui.app import run_console  # the console pulls in Textual; side jobs need not

    try:
        cfg = load(config_path)
        run_console(cfg, resolve_db_path(cfg, db_path))
    except ZhangguiError as exc:
        raise click.ClickException(str(exc)) from exc


main.add_command(audit)
main.add_command(demo)
main.add_command(products)
main.add_command(receive)
main.add_command(promoters)
main.add_command(roster)
main.add_command(customers)
main.add_command(care)
main.add_command(reorder_command)
main.add_command(suppliers_group)
main.add_command(velocity_command)
main.add_command(counts_group)
main.add_command(history_command)
main.add_command(transfer_group)
main.add_command(adjust_command)
main.add_command(referrals)
main.add_command(staff_group)
