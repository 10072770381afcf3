"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from store.context import StoreContext, load, open_store
from store.errors import ValidationError, ZhangguiError
from store.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def db_options(fn: F) -> F:
    """--db and --config, the same on every command that touches a store database."""
    fn = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        envvar="ZHANGGUI_CONFIG",
        help="config.toml to use (default: the user config dir).",
    )(fn)
    fn = click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        envvar="ZHANGGUI_DB",
        help="Store database file (default: from config, else the user data dir).",
    )(fn)
    return fn


def export_options(fn: F) -> F:
    """--format table|csv|xlsx and --output, the same on every command that exports a report."""
    fn = click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to write (default: standard output; XLSX goes to the exports folder).",
    )(fn)
    fn = click.option(
        "--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", help="Output format."
    )(fn)
    return fn


def encoding_option(fn: F) -> F:
    """--encoding, the same on every command that reads a file from outside (UTF-8, UTF-16
    and GB18030 are recognised; a Big5 file is refused until it is named)."""
    return click.option(
        "--encoding", default=None, help="The file's encoding when it is not UTF-8 or GB18030, e.g. big5."
    )(fn)


def user_errors(fn: F) -> F:
    """A ZhangguiError becomes a one-line message and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ZhangguiError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def context_for(db_path: str | None, config_path: str | None) -> StoreContext:
    return open_store(load(config_path), db_path)


def writable(path: Path) -> Path:
    """``path`` with its folder made; a folder that cannot be made is a one-line error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    return path


def deliver(
    fmt: str,
    output: Path | None,
    default_xlsx: Path,
    *,
    xlsx: Callable[[Path], None],
    table: Callable[[], str],
    csv: Callable[[], str],
    done: str,
) -> None:
    """What export_options asked for: an XLSX file (--output, else ``default_xlsx`` in the
    exports folder), or the table or CSV text on standard output or in --output. ``done`` is
    the message naming the file written, with a {path} field."""
    if fmt == "xlsx":
        target = writable(output or default_xlsx)
        xlsx(target)
        click.echo(done.format(path=target))
        return
    body = table() if fmt == "table" else csv()
    if output is None:
        click.echo(body, nl=False)
        return
    try:
        writable(output).write_text(body, encoding="utf-8")
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {path}: {error}").format(path=output, error=exc.strerror or exc)
        ) from exc
    click.echo(done.format(path=output))


def message_list_options(fn: F) -> F:
    """--format table|csv|sms and --output, the same on every command that lists messages
    for the shop to send (care greetings, referral invitations)."""
    fn = click.option(
        "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead."
    )(fn)
    fn = click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "sms"]),
        default="table",
        show_default=True,
        help="csv for a spreadsheet; sms for one 'number<TAB>message' line each.",
    )(fn)
    return fn


def send_text(text: str, fmt: str, output: Path | None, done: Callable[[Path], str]) -> None:
    """Print the list, or write it to --output (a CSV with a BOM, so Excel reads it as UTF-8
    instead of guessing GBK) and print ``done(path)``."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    except OSError as exc:
        raise ValidationError(_("Cannot write {path}: {error}").format(path=output, error=exc)) from exc
    click.echo(done(output))
