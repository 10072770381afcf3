"""Head office's tests run twice: on a SQLite file and on the PostgreSQL at ZHANGGUI_TEST_PG
(.ci/run sets it; without it the PostgreSQL case is skipped), each in a fresh schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.hq.db import HqDb, connect
from tests.conftest import Templates
from tests.hq_helpers import StoreDays, build_chain, pg_schema, pg_url


@pytest.fixture(scope="session")
def chain(tmp_path_factory: pytest.TempPathFactory, _templates: Templates) -> dict[str, StoreDays]:
    """Three stores with five closed and exported days each, made once."""
    return build_chain(tmp_path_factory.mktemp("chain"), _templates, ("S001", "S002", "S003"), 5)


@pytest.fixture(params=["sqlite", "postgresql"])
def hq_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "hq.db")
        return
    base = pg_url()
    if base is None:
        pytest.skip("ZHANGGUI_TEST_PG is not set: no PostgreSQL to test head office on")
    with pg_schema(base) as url:
        yield url


@pytest.fixture
def hq(hq_url: str) -> Iterator[HqDb]:
    database = connect(hq_url, create=True)
    yield database
    database.close()
