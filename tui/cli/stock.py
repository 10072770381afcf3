"""zhanggui products import / zhanggui receive: a real store's first catalog and stock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from store.kernel.errors import PermissionDenied
from store.kernel.i18n import _, ngettext
from store.kernel.text import read_text_file
from store.people import staff
from store.stock import catalog_import, lookups, receiving, suppliers
from store.stock import ledger as stock
from store.stock.ledger import ReceivedUnit
from tui.cli.common import context_for, db_options, encoding_option, user_errors
from tui.cli.param_types import Whole


def _manager(code: str, pin: str, now: datetime) -> str:
    member = staff.login(code, pin, now=now)
    if not staff.is_manager(member):
        raise PermissionDenied(_("{name} is not a manager.").format(name=member.name))
    return str(member.id)


def _unit(text: str) -> ReceivedUnit:
    """'IMEI' or 'IMEI1/IMEI2' (a dual-SIM handset); a comma works as well as a slash."""
    first, _sep, second = text.replace(",", "/").partition("/")
    return ReceivedUnit(first.strip(), second.strip() or None)


def _lines_of(path: Path, encoding: str | None) -> list[str]:
    text = read_text_file(path, encoding)  # UTF-8, UTF-16 or GB18030; BOMs anywhere dropped
    return [line.strip() for line in text.splitlines() if line.strip()]


@click.group()
def products() -> None:
    """The product catalog.

    Examples:

    \b
    zhanggui products import examples/pricelist.csv --staff M1 --db shop.db
    """


@products.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@encoding_option
@db_options
@user_errors
def import_(
    csv_file: Path,
    staff_code: str,
    pin: str,
    encoding: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Create products from a CSV with the columns sku, barcode, brand, model, colour,
    storage, category (handset, accessory or service), price and cost in yuan. All rows or
    none are imported.

    Examples:

    \b
    zhanggui products import examples/pricelist.csv --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        created = catalog_import.import_products(
            csv_file, by=_manager(staff_code, pin, ctx.clock()), encoding=encoding
        )
    finally:
        ctx.close()
    click.echo(
        ngettext("{n} product imported.", "{n} products imported.", len(created)).format(n=len(created))
    )


@click.command()
@click.argument("sku")
@click.option("--qty", type=Whole(0, stock.MAX_QTY), default=0, help="How many (accessories and services).")
@click.option(
    "--imei", "imeis", multiple=True, help="A handset's IMEI; repeat for each, 'IMEI1/IMEI2' for dual SIM."
)
@click.option(
    "--imei-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with one handset a line (as a scanner writes it).",
)
@click.option("--document", default="", help="Delivery note or invoice number.")
@click.option(
    "--supplier", "supplier_code", default="", help="The supplier's code (then --document is its invoice)."
)
@click.option(
    "--order", "order_number", default="", help="The purchase order this delivery answers (in part or whole)."
)
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@encoding_option
@db_options
@user_errors
def receive(
    sku: str,
    qty: int,
    imeis: tuple[str, ...],
    imei_file: Path | None,
    document: str,
    supplier_code: str,
    order_number: str,
    staff_code: str,
    pin: str,
    encoding: str | None,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Receive stock of one product: a quantity, or handsets by IMEI.

    Examples:

    \b
    zhanggui receive IP17-256-BK --imei 356850109900017 --staff M1 --db shop.db
    zhanggui receive FILM-IP17P-HD --qty 20 --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        product = lookups.product_by_sku(sku)
        numbers = list(imeis)
        if imei_file is not None:
            numbers += _lines_of(imei_file, encoding)
        units = [_unit(n) for n in numbers]
        if supplier_code or order_number:
            line = receiving.DeliveryLine(product, qty=qty, units=units)
            _receive_delivery(line, document, supplier_code, order_number, staff_code, pin, ctx.clock())
            count = line.count
        else:
            count = stock.receive(
                product,
                staff_id=_manager(staff_code, pin, ctx.clock()),
                qty=qty,
                units=units or None,
                document=document,
                now=ctx.clock(),
            )
        on_hand = stock.on_hand(product.id)
    finally:
        ctx.close()
    click.echo(
        _("Received {n} of {name}; {on_hand} in stock.").format(
            n=count, name=product.display_name, on_hand=on_hand
        )
    )


def _receive_delivery(
    line: receiving.DeliveryLine,
    invoice: str,
    supplier_code: str,
    order_number: str,
    staff_code: str,
    pin: str,
    now: datetime,
) -> None:
    """A delivery from a supplier with its invoice, against a purchase order or not."""
    supplier = suppliers.find_supplier(supplier_code) if supplier_code else None
    order = None
    if order_number:
        order = lookups.purchase_order(order_number)
        if supplier is None:
            supplier = lookups.supplier_of_order(order)
    receiving.receive_delivery(
        lines=[line],
        staff_id=_manager(staff_code, pin, now),
        supplier_id=supplier.id if supplier else None,
        invoice_no=invoice,
        order_id=order.id if order else None,
        now=now,
    )
