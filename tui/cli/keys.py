"""zhanggui keys init, zhanggui keys show: the store's signing key for the files it sends head office."""

from __future__ import annotations

import click

from store.kernel.i18n import _
from tui.cli.common import context_for, db_options, user_errors

_STORE_HELP = "Store code (default: the store in the database)."


def _store_code(store: str | None, db_path: str | None, config_path: str | None) -> str:
    """--store, else the code of the store the database holds (as every command finds it)."""
    if store:
        return store
    ctx = context_for(db_path, config_path)
    try:
        return ctx.identity()[0]
    finally:
        ctx.close()


def _show(store: str, public_text: str, fingerprint: str) -> None:
    click.echo(_("Store {store}, signing key (Ed25519)").format(store=store))
    click.echo(_("Public key:  {key}").format(key=public_text))
    click.echo(_("Fingerprint: {fingerprint}").format(fingerprint=fingerprint))


@click.group()
def keys() -> None:
    """The store's signing key: every file it sends head office is signed with it.

    Examples:

    \b
    zhanggui keys init --db shop.db
    zhanggui keys show --db shop.db
    """


@keys.command("init")
@db_options
@click.option("--store", default=None, help=_STORE_HELP)
@click.option("--force", is_flag=True, help="Replace the existing key (the old one is kept beside it).")
@user_errors
def init_command(db_path: str | None, config_path: str | None, store: str | None, force: bool) -> None:
    """Make the store's signing key, once, at set-up. The private key stays on this computer
    (user config folder, readable by you only); give head office the public key it prints.
    An existing key is never replaced without --force.

    Examples:

    \b
    zhanggui keys init --db shop.db
    """
    from store.exchange.keys import create_signing_key

    code = _store_code(store, db_path, config_path)
    created = create_signing_key(code, force=force)
    public = created.key.public
    click.echo(_("Made the signing key of store {store}: {path}").format(store=code, path=created.key.path))
    if created.replaced is not None:
        click.echo(
            _(
                "The key it replaces is kept as {path}. Register the new public key at head office:"
                " files signed from now on are refused until it is."
            ).format(path=created.replaced)
        )
    _show(code, public.text, public.fingerprint)
    click.echo(
        _("Give head office the public key, and read the fingerprint to them to check it arrived whole.")
    )


@keys.command("show")
@db_options
@click.option("--store", default=None, help=_STORE_HELP)
@user_errors
def show_command(db_path: str | None, config_path: str | None, store: str | None) -> None:
    """Print the store's public key and its fingerprint, for head office to register.

    Examples:

    \b
    zhanggui keys show --db shop.db
    """
    from store.exchange.keys import load_signing_key

    code = _store_code(store, db_path, config_path)
    public = load_signing_key(code).public
    _show(code, public.text, public.fingerprint)
