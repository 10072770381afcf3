"""zhanggui transfer send / receive: stock between the stores of a chain, as a file."""

from __future__ import annotations

from pathlib import Path

import click

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.stock import lookups, transfer_receive, transfer_send
from store.stock.ledger import parse_qty
from store.stock.transfer_send import TransferLine
from tui.cli.common import context_for, db_options, output_option, user_errors
from tui.cli.stock import _manager


@click.group("transfer")
def transfer_group() -> None:
    """Send stock to another store of the chain, or receive what one sent.

    Examples:

    \b
    zhanggui transfer receive examples/transfer.json --staff M1 --db shop.db
    """


@transfer_group.command("send")
@click.argument("to_store")
@click.option("--line", "lines", multiple=True, help="SKU=QTY of an accessory; repeat for each.")
@click.option("--imei", "imeis", multiple=True, help="A handset's IMEI; repeat for each.")
@output_option("out", required=True, help="The transfer file.")
@click.option("--note", default="", help="A note for the other store.")
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def send_command(
    to_store: str,
    lines: tuple[str, ...],
    imeis: tuple[str, ...],
    out: Path,
    note: str,
    staff_code: str,
    pin: str,
    db_path: str | None,
    config_path: str | None,
) -> None:
    """Book stock out to another store and write the file it books in.

    Examples:

    \b
    zhanggui transfer send S002 --line FILM-IP17P-HD=5 --output t.json --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path, full_check=True)  # a file leaves the shop
    try:
        wanted: dict[str, TransferLine] = {}
        for text in lines:
            sku, _sep, qty = text.partition("=")
            product = lookups.product_by_sku(sku)
            wanted.setdefault(product.id, TransferLine(product)).qty += parse_qty(qty or "1")
        for number in imeis:
            product = lookups.product_of_imei(number)
            wanted.setdefault(product.id, TransferLine(product)).imeis.append(number.strip())
        # The file is written (whole, on the disk) before the booking out commits.
        transfer, _text = transfer_send.send(
            to_store=to_store,
            lines=list(wanted.values()),
            staff_id=_manager(staff_code, pin, ctx.clock()),
            tz=ctx.config.tz,
            note=note,
            now=ctx.clock(),
            out=out,
        )
    finally:
        ctx.close()
    click.echo(
        _("Transfer {number} to {code} written to {path}").format(
            number=transfer.number, code=transfer.to_store, path=out
        )
    )


@transfer_group.command("receive")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--staff", "staff_code", required=True, help="Manager's staff code (PIN is asked).")
@click.option("--pin", prompt=True, hide_input=True, help="The manager's PIN.")
@db_options
@user_errors
def receive_command(
    file: Path, staff_code: str, pin: str, db_path: str | None, config_path: str | None
) -> None:
    """Book in a transfer file another store of the chain sent (all of it or nothing).

    Examples:

    \b
    zhanggui transfer receive examples/transfer.json --staff M1 --db shop.db
    """
    ctx = context_for(db_path, config_path)
    try:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(_("Cannot read {path}: {error}").format(path=file, error=exc)) from exc
        now = ctx.clock()
        transfer = transfer_receive.receive(text, staff_id=_manager(staff_code, pin, now), now=now)
    finally:
        ctx.close()
    click.echo(
        _("Transfer {number} from {code} received.").format(number=transfer.number, code=transfer.from_store)
    )


@transfer_group.command("export")
@click.argument("number", required=False, default="")
@output_option("out", required=True, help="The transfer file.")
@db_options
@user_errors
def export_command(number: str, out: Path, db_path: str | None, config_path: str | None) -> None:
    """Write a sent transfer's file again (the first copy was lost or never arrived). It is
    the same transfer: the other store still takes it in only once. Without NUMBER: the
    newest transfer sent.

    Examples:

    \b
    zhanggui transfer export --output again.json --db shop.db
    """
    ctx = context_for(db_path, config_path, full_check=True)  # a file leaves the shop
    try:
        transfer = transfer_send.write_again(number, out)
    finally:
        ctx.close()
    click.echo(
        _("Transfer {number} to {code} written to {path}").format(
            number=transfer.number, code=transfer.to_store, path=out
        )
    )
