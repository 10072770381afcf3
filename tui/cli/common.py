"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from store.context import StoreContext, load, open_store
from store.errors import ZhangguiError

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
