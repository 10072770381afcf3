"""zhanggui reorder / zhanggui velocity / zhanggui suppliers: what to order, what sells, and
who supplies it."""

from __future__ import annotations

from pathlib import Path

import click

from store.kernel.auth import sign_in
from store.kernel.errors import ValidationError
from store.kernel.i18n import _, ngettext
from store.kernel.money import format_fen
from store.reports.table import text_table
from store.reports.writers import as_text
from store.stock import cost_views, lookups, reorder, reorder_export, suppliers
from store.stock.velocity import class_name
from tui.cli.common import context_for, db_options, output_option, reader, reader_options, user_errors
from tui.cli.param_types import Whole


def _ordered(n: int, path: Path) -> str:
    return ngettext(
        "{n} product to order written to {path}", "{n} products to order written to {path}", n
    ).format(n=n, path=path)


@click.command("reorder")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "xlsx"]),
    default="table",
    show_default=True,
    help="table to read, csv or xlsx (a sheet a supplier) for the distributor.",
)
@output_option("out")
@db_options
@user_errors
def reorder_command(fmt: str, out: Path | None, db_path: str | None, config_path: str | None) -> None:
    """Suggested orders: every product at or under its reorder point, by supplier.

    Examples:

    \b
    zhanggui reorder --db shop.db
    zhanggui reorder --format xlsx --output order.xlsx --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        wanted = reorder.suggestions(reorder.plans(ctx.config.stock, ctx.config.tz, now=ctx.clock()))
        if fmt == "xlsx":
            target = out or ctx.config.exports_dir() / f"reorder-{ctx.clock.today():%Y%m%d}.xlsx"
            reorder_export.write_xlsx(wanted, target)
            click.echo(_ordered(len(wanted), target))
            return
        text = reorder_export.to_csv(wanted) if fmt == "csv" else reorder_export.as_text(wanted)
        if out is not None:
            if fmt == "csv":
                reorder_export.write_csv(wanted, out)
            else:
                out.write_text(text + "\n", encoding="utf-8")
            click.echo(_ordered(len(wanted), out))
        else:
            click.echo(text, nl=not text.endswith("\n"))
    finally:
        ctx.close()


@click.command("velocity")
@click.option(
    "--dead", is_flag=True, help="Only dead stock (no sale in [stock] dead_days), most money first."
)
@reader_options
@db_options
@user_errors
def velocity_command(
    dead: bool, staff_code: str | None, pin: str | None, db_path: str | None, config_path: str | None
) -> None:
    """Every product's velocity class (hot / regular / slow) from recent sales, with stock;
    the money at cost for a manager's --staff and --pin only.

    Examples:

    \b
    zhanggui velocity --dead --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        settings = ctx.config.stock
        every = reorder.plans(settings, ctx.config.tz, now=ctx.clock())
        view = cost_views.velocity(every, reader(staff_code, pin), dead_only=dead)
        rows = [
            [r.sku, r.name, class_name(r.velocity), r.sold, r.on_hand, r.idle_days]
            + ([format_fen(r.tied_up or 0)] if view.with_costs else [])
            for r in view.rows
        ]
        heads = [_("SKU"), _("Product"), _("Class"), _("Sold"), _("On hand"), _("Days idle")]
        heads += [_("At cost")] if view.with_costs else []
        if rows:
            click.echo(as_text(text_table(heads, rows)))
        counts = {v: sum(1 for p in every if p.velocity == v) for v in ("hot", "regular", "slow")}
        click.echo(
            _("Last {days} days: {hot} hot, {regular} regular, {slow} slow.").format(
                days=settings.velocity_days, **counts
            )
        )
        if view.dead_value is not None:
            click.echo(
                ngettext(
                    "Dead stock (no sale in {days} days): {n} product, {value} tied up.",
                    "Dead stock (no sale in {days} days): {n} products, {value} tied up.",
                    view.dead,
                ).format(days=settings.dead_days, n=view.dead, value=format_fen(view.dead_value))
            )
        else:
            click.echo(
                ngettext(
                    "Dead stock (no sale in {days} days): {n} product.",
                    "Dead stock (no sale in {days} days): {n} products.",
                    view.dead,
                ).format(days=settings.dead_days, n=view.dead)
            )
    finally:
        ctx.close()


@click.group("suppliers")
def suppliers_group() -> None:
    """Suppliers, their lead times and the products each supplies.

    Examples:

    \b
    zhanggui suppliers list --db shop.db
    """


@suppliers_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option(
    "--channel", type=click.Choice(["distributor", "direct"]), default="distributor", show_default=True
)
@click.option(
    "--lead-days",
    type=Whole(1, suppliers.MAX_LEAD_DAYS),
    default=7,
    show_default=True,
    help="Days from order to delivery.",
)
@click.option("--phone", default="", help="Who to call.")
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def add_supplier(
    code: str,
    name: str,
    channel: str,
    lead_days: int,
    phone: str,
    staff_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Add a supplier.

    Examples:

    \b
    zhanggui suppliers add HN01 华南通信 --channel distributor --lead-days 3 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        supplier = suppliers.create_supplier(
            code=code,
            name=name,
            channel=channel,
            lead_time_days=lead_days,
            phone=phone,
            actor=sign_in(staff_code, pin),
        )
    finally:
        ctx.close()
    click.echo(_("Supplier {code} added.").format(code=supplier.code))


@suppliers_group.command("assign")
@click.argument("code")
@click.argument("skus", nargs=-1)
@click.option("--brand", default="", help="Every product of this brand as well.")
@click.option(
    "--pack",
    type=Whole(1, suppliers.MAX_PACK),
    default=1,
    show_default=True,
    help="Units in the supplier's pack.",
)
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def assign_products(
    code: str,
    skus: tuple[str, ...],
    brand: str,
    pack: int,
    staff_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Make a supplier the supplier of some products (by SKU, or a whole brand).

    Examples:

    \b
    zhanggui suppliers assign HNTX --brand Honor --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        chosen = [lookups.product_by_sku(sku) for sku in skus]
        if brand:
            chosen.extend(lookups.products_of_brand(brand))
        if not chosen:
            raise ValidationError(_("Name the products: SKUs or --brand."))
        supplier = suppliers.find_supplier(code)
        n = suppliers.assign(supplier, chosen, pack_size=pack, actor=sign_in(staff_code, pin))
    finally:
        ctx.close()
    click.echo(
        ngettext("{n} product is supplied by {name}.", "{n} products are supplied by {name}.", n).format(
            n=n, name=supplier.name
        )
    )


@suppliers_group.command("list")
@db_options
@user_errors
def list_suppliers(db_path: str | None, config_path: str | None) -> None:
    """The suppliers, their channel and lead time.

    Examples:

    \b
    zhanggui suppliers list --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        rows = [
            [s.code, s.name, suppliers.channel_name(s.channel), s.lead_time_days, s.items.count()]
            for s in suppliers.suppliers()
        ]
    finally:
        ctx.close()
    heads = [_("Code"), _("Supplier"), _("Channel"), _("Lead days"), _("Products")]
    click.echo(as_text(text_table(heads, rows)) if rows else _("No suppliers yet."))
