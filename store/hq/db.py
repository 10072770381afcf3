"""A connection to head office's database: a SQLite file, or PostgreSQL by its URL.

Plain DB-API on both (sqlite3, psycopg 3), with the SQL written once: ``%s`` placeholders,
turned into ``?`` for SQLite. psycopg is imported only here, only for a ``postgresql://`` URL,
and only when head office's extra is installed (``pip install 'zhanggui[hq]'``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.hq.schema import statements
from store.kernel.errors import ValidationError
from store.kernel.i18n import _

PG_PREFIXES = ("postgresql://", "postgres://")


@dataclass
class HqDb:
    """An open head-office database; ``dialect`` is "sqlite" or "postgresql"."""

    raw: Any
    dialect: str

    def _sql(self, sql: str) -> str:
        return sql.replace("%s", "?") if self.dialect == "sqlite" else sql

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        cursor = self.raw.cursor()
        try:
            cursor.executemany(self._sql(sql), [tuple(r) for r in rows])
        finally:
            cursor.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All of it or nothing: committed at the end, rolled back on any error."""
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.raw.rollback()
            raise
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def connect(url: str, *, search_path: str | None = None) -> HqDb:
    """Head office's database at ``url`` (a file path, ``sqlite:///path`` or a PostgreSQL
    URL), its tables made if missing. ``search_path``: a PostgreSQL schema to work in."""
    if url.startswith(PG_PREFIXES):
        hq = HqDb(_pg(url, search_path), "postgresql")
    else:
        path = Path(url.removeprefix("sqlite:///"))
        try:
            raw = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise ValidationError(
                _("Cannot open head office's database {path}: {error}").format(path=path, error=exc)
            ) from exc
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA journal_mode = WAL")
        hq = HqDb(raw, "sqlite")
    with hq.transaction():
        for statement in statements(hq.dialect):
            hq.execute(statement)
    return hq


def _pg(url: str, search_path: str | None) -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise ValidationError(
            _("PostgreSQL needs head office's driver: pip install -c constraints.txt -e '.[hq]' (psycopg).")
        ) from exc
    try:
        raw = psycopg.connect(url)
        if search_path:
            raw.execute(psycopg.sql.SQL("SET search_path TO {}").format(psycopg.sql.Identifier(search_path)))
            raw.commit()
    except psycopg.Error as exc:
        raise ValidationError(
            _("Cannot open head office's database {path}: {error}").format(
                path=re.sub(r"(//[^:@/]*):[^@/]*@", r"\1:***@", url), error=exc
            )
        ) from exc
    return raw
