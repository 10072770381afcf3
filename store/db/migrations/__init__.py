"""Schema versions. Each migration is frozen SQL: later model changes add a migration,
they never edit an old one, so a database made by any released version upgrades itself.
A new version goes at the end of later.py (or a module of its own once that grows, as
drawer.py) and of MIGRATIONS."""

from __future__ import annotations

from store.db.migrations.compact_ids import V10
from store.db.migrations.drawer import V14
from store.db.migrations.first_releases import V1, V2, V3, V4, V5, V6, V7, V8, V9
from store.db.migrations.later import V11, V12, V13

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

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14)
# Versions that copy tables into new ones (store.db.connection._rebuild).
REBUILDS = frozenset({10})
LATEST = len(MIGRATIONS)
