"""One small demo store for the whole test session (the tests that use it only read it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from peewee import SqliteDatabase

from store import demo
from store.db.connection import open_database
from tests.store_helpers import cheap_pins

NOW = datetime(2026, 3, 14, 6, 30)  # naive UTC: half past two in the afternoon in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, demo.DemoSummary]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        cheap_pins(mp)
        db = open_database(path)
        summary = demo.build_demo("small", seed=1, now=NOW)
        db.close()
    yield path, summary


@pytest.fixture
def store_db(demo_file: tuple[Path, demo.DemoSummary]) -> Iterator[SqliteDatabase]:
    db = open_database(demo_file[0])
    yield db
    db.close()


@pytest.fixture
def summary(demo_file: tuple[Path, demo.DemoSummary]) -> demo.DemoSummary:
    return demo_file[1]
