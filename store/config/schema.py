"""The one reader of config.toml: each section is a dataclass whose fields say what they take.

A field made with ``setting(default, Int(1, 168))`` is read from the file under its name (or
``key=``); a field without a spec (``source``, ``order``) is never read. ``parse`` refuses
unknown keys, wrong types and out-of-range values with one ConfigError naming the key
(``roster.shifts[1].end``); rules between fields live in the section's ``check_config``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING, dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from store.kernel.errors import ConfigError
from store.kernel.i18n import _

T = TypeVar("T")
MINUTES_PER_DAY = 24 * 60
SPEC = "zhanggui.config"


def config_error(key: str, problem: str) -> ConfigError:
    return ConfigError(_("config error at '{key}': {problem}").format(key=key, problem=problem))


class Spec(Protocol):
    def read(self, value: Any, key: str) -> Any: ...


def setting(
    default: Any = MISSING, spec: Spec | None = None, *, factory: Any = MISSING, key: str = ""
) -> Any:
    """A dataclass field read from the file by ``spec``; no default and no factory: required."""
    meta = {SPEC: (spec, key)}
    if factory is not MISSING:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def parse_clock(text: object, key: str) -> int:
    """'09:00' -> 540 minutes after midnight; '24:00' is the end of the day."""
    if not isinstance(text, str):
        raise config_error(key, _("expected a time like 09:00"))
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise config_error(key, _("expected a time like 09:00"))
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY:
        raise config_error(key, _("expected a time like 09:00"))
    return value


@dataclass(frozen=True)
class Int:
    """A whole number (never true/false) from ``low`` to ``high``; ``scale`` turns yuan into fen."""

    low: int | None = None
    high: int | None = None
    scale: int = 1

    def read(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise config_error(key, _("expected a whole number"))
        if self.high is not None and self.low is not None and not self.low <= value <= self.high:
            raise config_error(key, _("between {low} and {high}").format(low=self.low, high=self.high))
        if self.high is not None and value > self.high:
            raise config_error(key, _("at most {high}").format(high=self.high))
        if self.low is not None and value < self.low:
            if self.low == 0:
                raise config_error(key, _("must not be negative"))
            raise config_error(key, _("at least {low}").format(low=self.low))
        return value * self.scale


@dataclass(frozen=True)
class Text:
    """Text, stripped if asked; ``choices`` or an ``accept`` test with its ``problem``."""

    limit: int | None = None
    strip: bool = False
    required: bool = False
    choices: tuple[str, ...] = ()
    accept: Callable[[str], bool] | None = None
    problem: Callable[[], str] | None = None

    def read(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise config_error(key, _("expected text"))
        text = value.strip() if self.strip else value
        if self.required and not text:
            raise config_error(key, _("must not be empty"))
        if self.limit is not None and len(text) > self.limit:
            raise config_error(key, _("at most {n} characters").format(n=self.limit))
        if self.choices and text not in self.choices:
            kinds = ", ".join(c for c in self.choices if c)
            if "" in self.choices:
                raise config_error(key, _("one of {kinds} or empty").format(kinds=kinds))
            raise config_error(key, _("one of {kinds}").format(kinds=kinds))
        if self.accept is not None and not self.accept(text):
            raise config_error(key, self.problem() if self.problem else _("not allowed here"))
        return text


def fills_only(*names: str) -> Callable[[str], bool]:
    """A message template that fills in only ``{name}``-style fields from ``names``."""

    def accept(text: str) -> bool:
        try:
            text.format(**dict.fromkeys(names, "x"))
        except (KeyError, IndexError, ValueError):
            return False
        return True

    return accept


@dataclass(frozen=True)
class Bool:
    def read(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise config_error(key, _("expected true or false"))
        return value


@dataclass(frozen=True)
class Date:
    """A TOML date or '2026-01-31'; ``optional``: an empty text is no date."""

    optional: bool = False

    def read(self, value: Any, key: str) -> date | None:
        if self.optional and value == "":
            return None
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise config_error(key, _("expected a date like 2026-01-31"))


@dataclass(frozen=True)
class Time:
    """'09:00': kept as text, or turned into minutes after midnight."""

    minutes: bool = False

    def read(self, value: Any, key: str) -> int | str:
        minute = parse_clock(value, key)
        return minute if self.minutes else str(value).strip()


@dataclass(frozen=True)
class Section:
    """A nested table read into ``cls`` with ``parse``."""

    cls: type[Any]

    def read(self, value: Any, key: str) -> Any:
        return parse(self.cls, value, key)


@dataclass(frozen=True)
class Flat:
    """A dataclass whose keys sit in the parent table behind ``prefix`` (referrer_points)."""

    cls: type[Any]
    prefix: str

    def read(self, value: Any, key: str) -> Any:
        mine = {k: v for k, v in value.items() if k.startswith(self.prefix)}
        return parse(self.cls, mine, key, prefix=self.prefix)

    def keys(self) -> set[str]:
        return {self.prefix + k for k, _f, _s in _settings(self.cls)}


@dataclass(frozen=True)
class ListOf:
    """A list of ``item``; ``unique`` names an attribute no two items share; ``number`` is an
    attribute set to each item's place in the list."""

    item: Spec
    min_items: int = 0
    max_items: int | None = None
    unique: str = ""
    number: str = ""
    as_tuple: bool = False

    def read(self, value: Any, key: str) -> list[Any] | tuple[Any, ...]:
        if not isinstance(value, list):
            raise config_error(key, _("expected a list"))
        items: list[Any] = []
        for i, raw in enumerate(value):
            item = self.item.read(raw, f"{key}[{i}]")
            if self.unique and any(getattr(o, self.unique) == getattr(item, self.unique) for o in items):
                code = getattr(item, self.unique)
                raise config_error(f"{key}[{i}].{self.unique}", _("{code} is used twice").format(code=code))
            items.append(dataclasses.replace(item, **{self.number: i}) if self.number else item)
        if len(items) < self.min_items:
            raise config_error(key, _("at least {n} entries").format(n=self.min_items))
        if self.max_items is not None and len(items) > self.max_items:
            raise config_error(key, _("at most {n} entries").format(n=self.max_items))
        return tuple(items) if self.as_tuple else items


@dataclass(frozen=True)
class Mapping:
    """A table of ``keys`` (any text if empty) to ``value``; ``defaults`` fill the rest."""

    value: Spec
    keys: tuple[str, ...] = ()
    defaults: Callable[[], dict[str, Any]] | None = None
    problem: Callable[[], str] | None = None

    def read(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise config_error(key, self.problem() if self.problem else _("expected a table"))
        table: dict[str, Any] = self.defaults() if self.defaults else {}
        for name, item in value.items():
            if self.keys and name not in self.keys:
                raise config_error(f"{key}.{name}", _("unknown key"))
            try:
                table[name] = self.value.read(item, f"{key}.{name}")
            except ConfigError:
                if self.problem is None:
                    raise
                raise config_error(key, self.problem()) from None
        return table


def _settings(cls: type[Any]) -> list[tuple[str, dataclasses.Field[Any], Spec]]:
    """(key in the file, field, spec) of every field of ``cls`` read from the file."""
    found = []
    for f in dataclasses.fields(cls):
        if SPEC in f.metadata:
            spec, key = f.metadata[SPEC]
            found.append((key or f.name, f, spec))
    return found


def parse(cls: type[T], table: Any, path: str, *, prefix: str = "", unknown: str = "") -> T:
    """Build ``cls`` from a TOML table: defaults for what is missing, one ConfigError for the
    first wrong key (``unknown``: the word for a key nobody knows, e.g. "unknown section")."""
    if not isinstance(table, dict):
        raise config_error(path, _("expected a table"))

    def name(key: str) -> str:
        return f"{path}.{key}" if path else key

    settings = _settings(cls)
    known: set[str] = set()
    for key, _f, spec in settings:
        known |= spec.keys() if isinstance(spec, Flat) else {prefix + key}
    for key in table:
        if key not in known:
            raise config_error(name(key), unknown or _("unknown key"))
    values: dict[str, Any] = {}
    for key, f, spec in settings:
        if isinstance(spec, Flat):
            values[f.name] = spec.read(table, path)
        elif prefix + key in table:
            values[f.name] = spec.read(table[prefix + key], name(prefix + key))
        elif f.default is MISSING and f.default_factory is MISSING:
            raise config_error(name(prefix + key), _("missing"))
    built = cls(**values)
    check = getattr(built, "check_config", None)
    if check is not None:
        check(path)
    return built
