"""zhanggui demo: fill a new database with a demo store."""

from __future__ import annotations

from typing import Any

import click

from store import demo as demo_store
from store import setup
from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.reports.table import Column, Kind, Table, text_table
from store.reports.writers import as_text
from tui.cli.common import context_for, db_options, user_errors
from tui.cli.param_types import Whole

# The same msgids as the console's staff screens use.
ROLE_NAMES = {
    "promoter": N_("promoter"),
    "cashier": N_("cashier"),
    "manager": N_("manager"),
    "admin": N_("admin"),
}


def _who(member: demo_store.DemoStaff) -> str:
    """'周婷 (promoter, Huawei)': the name, the role and the brand a brand promoter sells."""
    about = [_(ROLE_NAMES.get(member.role, member.role))]
    if member.brand:
        about.append(member.brand)
    return f"{member.name} ({', '.join(about)})"


class _Progress:
    """One progress bar per stage of the generator."""

    def __init__(self) -> None:
        self.stage = ""
        self.done = 0
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.done = 0
            self.bar = click.progressbar(length=max(total, 1), label=stage)
            self.bar.__enter__()
        if self.bar is not None and done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command()
@click.option(
    "--size",
    type=click.Choice(sorted(demo_store.SIZES)),
    default="small",
    show_default=True,
    help="small: about 120 products and 20 sales a day; large: the benchmark data set "
    "(100,000 customers, 5,000 products, 20,000 IMEIs, 1,000,000 sale lines).",
)
@click.option(
    "--seed",
    type=Whole(0, 999_999_999),
    default=1,
    show_default=True,
    help="The same seed gives the same store.",
)
@db_options
@user_errors
def demo(size: str, seed: int, db_path: str | None, config_path: str | None) -> None:
    """Create a demo store in a new database: phones, accessories, stock, customers and
    90 days of sales, with staff to log in as.

    Examples:

    \b
    zhanggui demo --db demo.db
    """
    ctx = context_for(db_path, config_path, create=True)
    progress = _Progress()
    try:
        if setup.is_initialised():
            raise ValidationError(
                _("{path} already holds a store; give a new file with --db.").format(path=ctx.db_path)
            )
        summary = demo_store.build_demo(
            size,
            seed,
            progress=progress,
            tz=ctx.config.tz,
            terminal_id=ctx.config.terminal.id,
        )
    finally:
        progress.close()
        ctx.close()
    click.echo(
        _("Demo store created in {path} ({seconds:.1f} s).").format(path=ctx.db_path, seconds=summary.seconds)
    )
    counts = [
        (summary.products, _("Products")),
        (summary.imei_units, _("IMEI units")),
        (summary.customers, _("Customers")),
        (summary.sales, _("Sales")),
        (summary.returns, _("of which returns")),
        (summary.sale_lines, _("Sale lines")),
        (summary.stock_movements, _("Stock movements")),
    ]
    click.echo(as_text(Table([Column(_("Count"), Kind.INT), Column(_("What"))], list(counts))))
    click.echo()
    click.echo(_("Log in as:"))
    staff = [(m.code, m.pin, _who(m)) for m in demo_store.DEMO_STAFF]
    click.echo(as_text(text_table([_("Code"), _("PIN"), _("Name")], staff)))
