"""zhanggui hq: head office — register stores, import their day files, chain reports."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from store.kernel.i18n import _, ngettext
from tui.cli.common import config_option, deliver, export_options, given, output_option, user_errors
from tui.cli.param_types import Day

F = TypeVar("F", bound=Callable[..., Any])


def hq_db_option(fn: F) -> F:
    """--db (head office's database, required) and --config (for the language)."""
    fn = config_option(fn)
    return click.option(
        "--db",
        "db_path",
        envvar="ZHANGGUI_HQ_DB",
        help="Head office's database: a SQLite file, or postgresql://user@host/dbname.",
    )(fn)


def _with_hq(*, create: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Open head office's database from --db for the command (made only when ``create``:
    registering a store), in the language of --config, and close it after."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(db_path: str | None, config_path: str | None, **kwargs: Any) -> Any:
            from store.context import load
            from store.hq.db import connect

            load(given("config_path", config_path))
            url = given("db_path", db_path)  # typed before the command, like a store's --db
            if not url:
                raise click.UsageError(_("Give head office's database with --db (a file or postgresql://…)."))
            hq = connect(url, create=create)
            try:
                return fn(hq, **kwargs)
            except hq.errors as exc:
                raise click.ClickException(
                    _("Head office's database failed ({error}); what was being written was not kept.").format(
                        error=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    )
                ) from exc
            finally:
                hq.close()

        return wrapper

    return decorate


@click.group("hq")
def hq_group() -> None:
    """Head office: the chain's stores, their day files, chain reports. --db is a SQLite
    file or a PostgreSQL URL (postgresql://user@host/dbname, with the hq extra installed).

    Examples:

    \b
    zhanggui hq store add S001 --key zM2E7h68gWEjsJlH3v23DMnPwjBdLIYfBJ0ZMlzE1YI= --name 一店 --db hq.db
    zhanggui hq import --db hq.db usb/DEMO-2026-12-07.day.zip
    zhanggui hq report sales --from 2026-12-01 --to 2026-12-31 --db hq.db
    """


@hq_group.group("store")
def store_group() -> None:
    """The stores head office takes files from.

    Examples:

    \b
    zhanggui hq store add S001 --key zM2E7h68gWEjsJlH3v23DMnPwjBdLIYfBJ0ZMlzE1YI= --name 一店 --db hq.db
    """


@store_group.command("add")
@click.argument("code")
@click.option("--key", "key_text", required=True, help="The public key 'zhanggui keys show' prints.")
@click.option("--name", default="", help="The store's name.")
@click.option("--franchise", is_flag=True, help="A franchise store (承包制).")
@hq_db_option
@user_errors
@_with_hq(create=True)
def store_add(hq: Any, code: str, key_text: str, name: str, franchise: bool) -> None:
    """Register a store and its public key; run it again with a new key after the store
    replaced its key (files signed with either are taken).

    Examples:

    \b
    zhanggui hq store add S001 --key zM2E7h68gWEjsJlH3v23DMnPwjBdLIYfBJ0ZMlzE1YI= --name 一店 --db hq.db
    zhanggui hq store add S007 --key zM2E7h68gWEjsJlH3v23DMnPwjBdLIYfBJ0ZMlzE1YI= --franchise --db hq.db
    """
    from store.hq.stores import add_store
    from store.kernel.clock import utcnow

    added = add_store(hq, code, key_text, now=utcnow(), name=name, franchise=franchise)
    if added.created:
        click.echo(
            _("Store {code} registered, key {fingerprint}.").format(code=code, fingerprint=added.fingerprint)
        )
    elif added.key_added:
        click.echo(
            _("Key {fingerprint} added to store {code}.").format(code=code, fingerprint=added.fingerprint)
        )
    else:
        click.echo(
            _("Store {code} already has key {fingerprint}; nothing changed.").format(
                code=code, fingerprint=added.fingerprint
            )
        )


@hq_group.command("import")
@hq_db_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@user_errors
@_with_hq()
def import_command(hq: Any, files: tuple[Path, ...]) -> None:
    """Import stores' day files, each whole in one transaction or not at all. The same file
    twice adds nothing; a refused file (altered, unknown key, damaged) writes nothing. Exits
    with 1 when a file was refused.

    Examples:

    \b
    zhanggui hq import --db hq.db usb/DEMO-2026-12-07.day.zip
    """
    from store.hq.importer import Outcome, import_file
    from store.kernel.clock import utcnow

    results = []
    if len(files) > 1:
        with click.progressbar(files, label=_("Importing")) as bar:
            results = [import_file(hq, path, now=utcnow()) for path in bar]
    else:
        results = [import_file(hq, files[0], now=utcnow())]
    missing: dict[str, list[int]] = {}
    for result in results:
        click.echo(result.message, err=result.outcome in (Outcome.REFUSED, Outcome.CONFLICT))
        if result.store and result.outcome is not Outcome.REFUSED:
            missing[result.store] = result.missing
    for store, numbers in sorted(missing.items()):
        if numbers:
            click.echo(
                _("Store {store} has not sent day files number {numbers} yet.").format(
                    store=store, numbers=", ".join(map(str, numbers))
                )
            )
    done = sum(r.outcome is Outcome.IMPORTED for r in results)
    refused = sum(r.outcome in (Outcome.REFUSED, Outcome.CONFLICT) for r in results)
    click.echo(
        ngettext("{n} file imported", "{n} files imported", done).format(n=done)
        + ", "
        + ngettext("{n} refused.", "{n} refused.", refused).format(n=refused)
    )
    if refused:
        raise SystemExit(1)


REPORTS = ("sales", "stores", "brands", "promoters", "stock", "slow", "missing")


@hq_group.command("report")
@click.argument("name", type=click.Choice(REPORTS))
@click.option("--from", "start", type=Day(), required=True, help="First business day (YYYY-MM-DD).")
@click.option("--to", "end", type=Day(), required=True, help="Last business day (YYYY-MM-DD).")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="slow: a product unsold for this many days up to --to is a slow mover.",
)
@export_options
@hq_db_option
@user_errors
@_with_hq()
def report_command(
    hq: Any, name: str, start: date, end: date, days: int, fmt: str, output: Path | None
) -> None:
    """A chain report: sales by store and day, the store ranking, the brand and model mix,
    the promoter league across stores, stock on hand per store (as of each store's latest
    day imported up to --to), slow movers chain-wide (held, unsold for --days up to --to),
    or the days each store has not sent.

    Examples:

    \b
    zhanggui hq report sales --from 2026-12-01 --to 2026-12-31 --db hq.db
    zhanggui hq report stores --from 2026-12-01 --to 2026-12-31 --format xlsx --output rank.xlsx --db hq.db
    zhanggui hq report brands --from 2026-12-01 --to 2026-12-31 --db hq.db
    zhanggui hq report promoters --from 2026-12-01 --to 2026-12-31 --format csv --db hq.db
    zhanggui hq report stock --from 2026-12-01 --to 2026-12-31 --db hq.db
    zhanggui hq report slow --from 2026-12-01 --to 2026-12-31 --days 60 --db hq.db
    zhanggui hq report missing --from 2026-12-01 --to 2026-12-07 --format csv --db hq.db
    """
    from store.hq import reports
    from store.reports.writers import as_text, to_csv, write_xlsx

    builders: dict[str, Callable[[Any, date, date], Any]] = {
        "sales": reports.sales_by_store_day,
        "stores": reports.store_ranking,
        "brands": reports.brand_mix,
        "promoters": reports.promoter_league,
        "stock": reports.stock_on_hand,
        "slow": functools.partial(reports.slow_movers, days=days),
        "missing": reports.missing_days,
    }
    table = builders[name](hq, start, end)

    def xlsx(path: Path) -> None:
        write_xlsx(path, table)

    deliver(
        fmt,
        output,
        Path(f"hq-{name}-{start.isoformat()}-{end.isoformat()}.xlsx"),
        xlsx=xlsx,
        table=lambda: as_text(table) + "\n",
        csv=lambda: to_csv(table),
        done=_("Report written to {path}"),
    )


# --- Brand codes and the brand sell-out feed (串号上报) -------------------------------------


@hq_group.group("map")
def map_group() -> None:
    """A brand's own codes for the chain's stores and products, which its sell-out feed
    names them by.

    Examples:

    \b
    zhanggui hq map store DEMO Apple AP-SH-0012 --db hq.db
    zhanggui hq map list --db hq.db
    """


@map_group.command("store")
@click.argument("code")
@click.argument("brand")
@click.argument("brand_code")
@hq_db_option
@user_errors
@_with_hq()
def map_store_command(hq: Any, code: str, brand: str, brand_code: str) -> None:
    """The brand knows store CODE as BRAND_CODE (run it again to change the code).

    Examples:

    \b
    zhanggui hq map store DEMO Apple AP-SH-0012 --db hq.db
    """
    from store.hq.mapping import map_store
    from store.kernel.clock import utcnow

    done = map_store(hq, code, brand, brand_code, now=utcnow())
    _mapped(done.previous, brand_code.strip(), _("Store {code} is {new} for {brand}."), code, done.brand)


@map_group.command("product")
@click.argument("sku")
@click.argument("brand")
@click.argument("brand_code")
@hq_db_option
@user_errors
@_with_hq()
def map_product_command(hq: Any, sku: str, brand: str, brand_code: str) -> None:
    """The brand knows product SKU as BRAND_CODE (run it again to change the code).

    Examples:

    \b
    zhanggui hq map product IP15-128-BK Apple MTLX3CH/A --db hq.db
    """
    from store.hq.mapping import map_product
    from store.kernel.clock import utcnow

    done = map_product(hq, sku, brand, brand_code, now=utcnow())
    _mapped(done.previous, brand_code.strip(), _("SKU {code} is {new} for {brand}."), sku.strip(), done.brand)
    if not done.known:
        click.echo(
            _("No store has sent SKU {sku} yet: check that it is spelled as in the stores' catalogs.").format(
                sku=sku.strip()
            ),
            err=True,
        )


def _mapped(previous: str | None, new: str, said: str, code: str, brand: str) -> None:
    if previous == new:
        click.echo(
            _("{brand} knows {code} as {new} already; nothing changed.").format(
                brand=brand, code=code, new=new
            )
        )
        return
    click.echo(said.format(code=code, new=new, brand=brand))
    if previous is not None:
        click.echo(_("(It was {old}.)").format(old=previous))


@map_group.command("list")
@click.option("--brand", default=None, help="Only this brand's codes.")
@export_options
@hq_db_option
@user_errors
@_with_hq()
def map_list_command(hq: Any, brand: str | None, fmt: str, output: Path | None) -> None:
    """Every brand's codes for the stores and products (of one brand with --brand).

    Examples:

    \b
    zhanggui hq map list --db hq.db
    zhanggui hq map list --brand Apple --format csv --db hq.db
    """
    from store.hq.mapping import mapping_table
    from store.reports.writers import as_text, to_csv, write_xlsx

    table = mapping_table(hq, brand)

    def xlsx(path: Path) -> None:
        write_xlsx(path, table)

    deliver(
        fmt,
        output,
        Path("hq-brand-codes.xlsx"),
        xlsx=xlsx,
        table=lambda: as_text(table) + "\n",
        csv=lambda: to_csv(table),
        done=_("Report written to {path}"),
    )


@hq_group.command("sellout")
@click.option("--brand", required=True, help="The brand, as the products name it (e.g. Apple).")
@click.option("--date", "day", type=Day(), required=True, help="The business day (YYYY-MM-DD).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="csv", help="Output format."
)
@output_option(help="File to write (default: standard output; XLSX goes to the current folder).")
@hq_db_option
@user_errors
@_with_hq()
def sellout_command(hq: Any, brand: str, day: date, fmt: str, output: Path | None) -> None:
    """A brand's sell-out feed (串号上报) of a business day: every handset of the brand sold
    or returned in the chain's stores, by IMEI, with the brand's codes for the store and the
    product (zhanggui hq map), then the day's receipts and stock on hand per store. What has
    no brand code, and the stores whose day has not arrived, are listed at the end and on
    standard error.

    Examples:

    \b
    zhanggui hq sellout --brand Apple --date 2026-12-07 --db hq.db
    zhanggui hq sellout --brand Apple --date 2026-12-07 --format xlsx --output apple.xlsx --db hq.db
    """
    from store.hq.sellout import sellout
    from tui.cli.sellout import send_feed

    send_feed(sellout(hq, brand, day), fmt, output, Path("."))
