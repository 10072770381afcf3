"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from store.context import StoreContext, load, open_store, upgrade_notice
from store.kernel.auth import Actor, sign_in
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import _, set_language

F = TypeVar("F", bound=Callable[..., Any])


def config_option(fn: F) -> F:
    """--config, the same on every command (a store's and head office's)."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        envvar="ZHANGGUI_CONFIG",
        help="config.toml to use (default: the user config dir).",
    )(fn)


def db_options(fn: F) -> F:
    """--db and --config, the same on every command that touches a store database."""
    fn = config_option(fn)
    fn = click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        envvar="ZHANGGUI_DB",
        help="Store database file (default: from config, else the user data dir).",
    )(fn)
    return fn


def reader_options(fn: F) -> F:
    """--staff and --pin for a command that shows customers: without them it runs as an
    anonymous operator and every phone number is masked (138****8000); with them, as that
    person, who sees whole numbers if their role may ([customers] full_phone_roles)."""
    fn = click.option("--pin", default=None, help="Your PIN (asked for when --staff is given without it).")(
        fn
    )
    fn = click.option(
        "--staff", "staff_code", default=None, help="Your staff code, to see what your role may see."
    )(fn)
    return fn


def reader(staff_code: str | None, pin: str | None) -> Actor | None:
    """Who runs a read command (reader_options): nobody without --staff, else their login."""
    if not staff_code:
        return None
    if pin is None:
        pin = click.prompt(_("PIN"), hide_input=True)
    return sign_in(staff_code, pin)


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


def given(name: str, value: str | None) -> str | None:
    """The value of a db_options option (``db_path`` or ``config_path``) for the running
    command: its own when typed after it, else one typed before it (``zhanggui --db shop.db
    customers find zs``), else ``value`` (from the environment, or None)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if name in ctx.params and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            typed = ctx.params[name]
            return str(typed) if typed is not None else None
        ctx = ctx.parent
    return value


def context_for(
    db_path: str | None, config_path: str | None, *, create: bool = False, full_check: bool = False
) -> StoreContext:
    """The store a command works on. Only ``demo`` (and the console's first start) pass
    ``create=True``: every other command refuses a missing, empty or never set up database
    with its path, and creates nothing.

    The whole-file integrity check reads every page (seconds on a large store), so it runs
    only where it protects something: after an unclean shutdown (always, see open_database),
    before a file leaves the shop (``full_check=True``: exports) and on ``zhanggui check``."""
    return open_store(
        load(given("config_path", config_path)),
        given("db_path", db_path),
        create=create,
        full_check=full_check,
        on_upgrade=lambda: click.echo(upgrade_notice(), err=True),
    )


def decode_args(args: Sequence[str]) -> list[str]:
    """The command line as text. Python hands bytes that are not UTF-8 over as surrogates
    (a GBK terminal typing 张三); those are read as GB18030 when they are that, or refused
    with the argument's number and its bytes, before anything touches the store. A file name
    that exists with exactly those bytes is left alone: the disk knows it that way."""
    decoded: list[str] = []
    for number, arg in enumerate(args, start=1):
        if not any("\ud800" <= ch <= "\udfff" for ch in arg):
            decoded.append(arg)
            continue
        try:
            raw = arg.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "backslashreplace")
        else:
            if os.path.lexists(raw):
                decoded.append(arg)
                continue
            try:
                decoded.append(raw.decode("gb18030"))
                continue
            except UnicodeDecodeError:
                pass
        raise click.ClickException(
            _(
                "Argument {n} ({text}) is neither UTF-8 nor GB18030 text. Set the terminal to "
                "UTF-8 and type it again."
            ).format(n=number, text=raw.decode("utf-8", "backslashreplace")[:60])
        )
    return decoded


def _early_language(args: Sequence[str]) -> None:
    """Messages about the command line itself (a bad number, an undecodable argument) come
    before a command reads its config: speak the language of the config named by the last
    --config typed (else ZHANGGUI_CONFIG, else the default file, else the environment)."""
    named: str | None = None
    for i, arg in enumerate(args):
        if arg == "--config" and i + 1 < len(args):
            named = args[i + 1]
        elif arg.startswith("--config="):
            named = arg.partition("=")[2]
    try:
        load(named)
    except ZhangguiError:  # said properly when the command loads it
        set_language(None)


class CommandLine(click.Group):
    """The top-level group: the command line decoded as text first, and a ZhangguiError from
    any command (one that forgot user_errors too) is one line and exit code 1, never a
    traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _early_language(args)
        return super().parse_args(ctx, decode_args(args))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ZhangguiError as exc:
            raise click.ClickException(str(exc)) from exc


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
        writable(output).write_text(body, encoding="utf-8", newline="")
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
    """Print the list, or write it to --output and print ``done(path)``. A CSV comes from
    store.reports, which starts it with a BOM so Excel reads it as UTF-8 instead of GBK."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(_("Cannot write {path}: {error}").format(path=output, error=exc)) from exc
    click.echo(done(output))


class Aliased(click.Option):
    """An option whose old spellings (``hidden``) still work but are not shown in --help, so
    each option has one spelling there. Given more than once (under any spelling) with
    different values, it is refused instead of the last one silently winning: an old command
    line that used the old spelling for something else then fails loudly."""

    def __init__(self, *args: Any, hidden: Sequence[str] = (), **kwargs: Any) -> None:
        self.single = not kwargs.get("multiple", False)
        if self.single:
            kwargs["multiple"] = True
            if kwargs.get("default") is not None:
                kwargs["default"] = (kwargs["default"],)
        super().__init__(*args, **kwargs)
        self.hidden_opts = tuple(hidden)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown = self.opts
        self.opts = [o for o in shown if o not in self.hidden_opts]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return f"'{self.opts[0]}'"

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        value = super().process_value(ctx, value)
        if not self.single or not isinstance(value, (tuple, list)):
            return value
        distinct = list(dict.fromkeys(value))
        if len(distinct) > 1:
            raise click.ClickException(
                _("{option} was given {count} different values ({values}); give it once.").format(
                    option=self.opts[0], count=len(distinct), values=", ".join(map(str, distinct))[:60]
                )
            )
        return distinct[0] if distinct else None


def manager_option(name: str = "staff_code", *, required: bool = True, help: str = "") -> Callable[[F], F]:
    """--staff CODE: the manager whose PIN a command asks for (--manager still works)."""
    return click.option(
        "--staff",
        "--manager",
        name,
        cls=Aliased,
        hidden=("--manager",),
        required=required,
        default=None if required else "",
        help=help or "Manager's staff code (PIN is asked).",
    )


def output_option(name: str = "output", *, required: bool = False, help: str = "") -> Callable[[F], F]:
    """--output FILE, as on every command that writes a file (--out still works)."""
    return click.option(
        "--output",
        "--out",
        name,
        cls=Aliased,
        hidden=("--out",),
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        help=help or "Write to this file.",
    )
