"""Schema versions. Each migration is frozen SQL: later model changes add a migration,
they never edit an old one, so a database made by any released version upgrades itself.
A new version goes at the end of later.py (or a module of its own once that grows, as
drawer.py), into _MODULE_OF and the order of MIGRATIONS below, and LATEST goes up by one.

Every start reads LATEST (the console compares it with the file's header before its login is
drawn, the open with user_version), but only a store that upgrades runs the SQL: the modules
that hold it load on first use of MIGRATIONS or of a version's name."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.db.migrations.compact_ids import V10
    from store.db.migrations.drawer import V14
    from store.db.migrations.first_releases import V1, V2, V3, V4, V5, V6, V7, V8, V9
    from store.db.migrations.later import V11, V12, V13

    MIGRATIONS: tuple[tuple[str, ...], ...]

__all__ = [
    "LATEST",
    "MIGRATIONS",
    "REBUILDS",
    "V1",
    "V2",
    "V3",
    "V4",
    "V5",
    "V6",
    "V7",
    "V8",
    "V9",
    "V10",
    "V11",
    "V12",
    "V13",
    "V14",
]

LATEST = 14  # len(MIGRATIONS): loading them checks it
# Versions that copy tables into new ones (store.db.connection._rebuild).
REBUILDS = frozenset({10})

_MODULE_OF = {
    **{f"V{n}": "first_releases" for n in range(1, 10)},
    "V10": "compact_ids",
    "V11": "later",
    "V12": "later",
    "V13": "later",
    "V14": "drawer",
}


def _version(name: str) -> tuple[str, ...]:
    statements: tuple[str, ...] = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    return statements


def __getattr__(name: str) -> object:
    if name == "MIGRATIONS":
        value: object = tuple(_version(f"V{n}") for n in range(1, len(_MODULE_OF) + 1))
        if len(_MODULE_OF) != LATEST:
            raise RuntimeError(f"LATEST is {LATEST} but there are {len(_MODULE_OF)} migrations")
    elif name in _MODULE_OF:
        value = _version(name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once: later lookups find it without this function
    return value
