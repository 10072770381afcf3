"""zhanggui's domain and persistence. Never imports textual, click, rich or tui."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

# A finder needs only find_spec (sys.meta_path takes any object with it): importlib.abc's base
# class would load importlib.resources and its helpers (~8 ms, 160 KiB) before every login.
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType


class _NoPostgresForPeewee:
    """peewee imports a PostgreSQL driver at its own import whenever one is installed (psycopg:
    ~0.6 s, more than the console's whole start-up). The store never talks to PostgreSQL
    through peewee; head office (store/hq) imports psycopg itself. So while peewee's module
    is being run, its driver imports fail as if nothing were installed; any other import of
    them, before or after, is untouched."""

    DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname in self.DRIVERS:
            peewee = sys.modules.get("peewee")
            if peewee is not None and not hasattr(peewee, "Database"):  # peewee half-imported
                raise ImportError(f"{fullname}: not loaded with peewee (store/__init__.py)")
        return None


if not any(isinstance(f, _NoPostgresForPeewee) for f in sys.meta_path):
    sys.meta_path.insert(0, _NoPostgresForPeewee())
