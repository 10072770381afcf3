"""The command line: the bare command opens the console, subcommands do side jobs.

Each subcommand's module is imported only when that command runs (or help lists them all):
a shop's `zhanggui customers find` should not pay for the demo builder, the report writers
and every other command's imports."""

from __future__ import annotations

import importlib
from gettext import gettext as click_gettext  # the call click makes for its own "Commands" heading

import click

from store.kernel.errors import ZhangguiError
from tui.cli.common import CommandLine, db_options

# name -> "module:attribute" of the click command
SUBCOMMANDS: dict[str, str] = {
    "adjust": "tui.cli.adjust:adjust_command",
    "audit": "tui.cli.audit:audit",
    "backup": "tui.cli.backup:backup_command",
    "care": "tui.cli.customers:care",
    "check": "tui.cli.check:check_command",
    "counts": "tui.cli.counts:counts_group",
    "customers": "tui.cli.customers:customers",
    "day": "tui.cli.day:day_group",
    "demo": "tui.cli.demo:demo",
    "export": "tui.cli.export:export_command",
    "history": "tui.cli.history:history_command",
    "hq": "tui.cli.hq:hq_group",
    "keys": "tui.cli.keys:keys",
    "products": "tui.cli.stock:products",
    "promoters": "tui.cli.promoters:promoters",
    "receive": "tui.cli.stock:receive",
    "referrals": "tui.cli.referrals:referrals",
    "reorder": "tui.cli.reorder:reorder_command",
    "restore": "tui.cli.backup:restore_command",
    "roster": "tui.cli.roster:roster",
    "sellout": "tui.cli.sellout:sellout_command",
    "staff": "tui.cli.staff:staff_group",
    "suppliers": "tui.cli.reorder:suppliers_group",
    "transfer": "tui.cli.transfers:transfer_group",
    "velocity": "tui.cli.reorder:velocity_command",
}


class LazyCommandLine(CommandLine):
    """CommandLine whose subcommands are loaded by name from SUBCOMMANDS when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*SUBCOMMANDS, *self.commands})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands in the help, as click writes it, from tui.cli.short_help: the
        help loads no command's module (a command missing there is loaded for its help)."""
        from tui.cli.short_help import SHORT_HELP

        rows: list[tuple[str, str]] = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(name) for name in names), default=0)
        for name in names:
            if name in SHORT_HELP and name not in self.commands:
                # click's own shortening, on a stand-in holding the command's short help
                rows.append((name, click.Command(name, help=SHORT_HELP[name]).get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section(click_gettext("Commands")):
                formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in SUBCOMMANDS:
            module, _, attribute = SUBCOMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(
    cls=LazyCommandLine, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@db_options
@click.pass_context
def main(ctx: click.Context, db_path: str | None, config_path: str | None) -> None:
    """掌柜 zhanggui — point of sale and store operations for phone shops.

    Run without a command to open the console, e.g. `zhanggui --db shop.db`. --db and
    --config given before a command apply to it (`zhanggui --db shop.db customers find zs`).

    Examples:

    \b
    zhanggui demo --db demo.db
    zhanggui --db shop.db customers find zs
    """
    from store.kernel.memory import return_big_blocks

    return_big_blocks()  # each PIN check's 16 MiB goes back to the system (see there)
    if ctx.invoked_subcommand is not None:
        return
    from tui.launch import open_console  # the console pulls in Textual; side jobs need not

    try:
        open_console(db_path, config_path)
    except ZhangguiError as exc:
        raise click.ClickException(str(exc)) from exc
