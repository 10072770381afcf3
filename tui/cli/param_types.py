"""The types of values people type into commands: whole numbers a shop can mean, days, ISO
weeks and months, each refused in one translated line that names the option."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import click

from store.kernel import dates
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import _


def _option(param: click.Parameter | None) -> str:
    """How the person typed the parameter: '--units', or 'CODE' for an argument."""
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return (param.human_readable_name if param is not None else "").upper()


class Whole(click.IntRange):
    """A whole number a person types (full-width digits and thousands commas welcome),
    bounded to what a shop can mean: the bounds show in --help, and anything else is one
    translated line naming the option (exit code 1, as every other bad value), instead of
    an OverflowError when SQLite gets it."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__(low, high)
        self.low, self.high = low, high
        self.example = str(max(low, min(high, 1)))  # a valid value, for tests that walk every command

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number: int | None = value
            text = str(value)
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
            number = int(text) if re.fullmatch(r"[+-]?[0-9]{1,15}", text) else None
        if number is None or not self.low <= number <= self.high:
            raise click.ClickException(
                _("{option} is a whole number from {low:,} to {high:,}: {text}").format(
                    option=_option(param), low=self.low, high=self.high, text=text[:30]
                )
            )
        return number


class _Typed(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 on
    """A date, week or month option: the store's parser, its ValidationError as the message."""

    example = ""

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # already converted (a default, or a second pass)
        if not value.strip():
            return ""  # '' is the command's own default (this week, this month)
        try:
            return self.parse(value)
        except ZhangguiError as exc:
            raise click.ClickException(
                _("{option}: {error}").format(option=_option(param), error=exc)
            ) from exc


class Day(_Typed):
    """YYYY-MM-DD in the years dates.FIRST_YEAR..dates.LAST_YEAR, as a date."""

    name = "date"
    example = "2026-11-30"

    def parse(self, text: str) -> date:
        return dates.parse_day(text)


class Week(_Typed):
    """An ISO week such as 2026-W48, normalised."""

    name = "week"
    example = "2026-W48"

    def parse(self, text: str) -> str:
        from store.people import roster  # only commands that take a week pay for it

        return roster.parse_week(text)


class Month(_Typed):
    """A month such as 2026-11, normalised."""

    name = "month"
    example = "2026-11"

    def parse(self, text: str) -> str:
        from store.people import targets  # only commands that take a month pay for it

        return targets.parse_month(text)


class Counts(_Typed):
    """Pieces by denomination, '100x2 10x5 0.5x4' (store.dayclose.drawer.parse_counts): a bad
    count is refused as the command line is read, before the store is opened."""

    name = "count"
    example = "100x2"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dict):
            return value
        try:
            return self.parse(str(value))
        except ZhangguiError as exc:
            raise click.ClickException(
                _("{option}: {error}").format(option=_option(param), error=exc)
            ) from exc

    def parse(self, text: str) -> dict[int, int]:
        from store.dayclose import drawer  # only the drawer's commands pay for it

        return drawer.parse_counts(text)


DAY = Day()
WEEK = Week()
MONTH = Month()
YEARS = f"{dates.FIRST_YEAR}-{dates.LAST_YEAR}"
