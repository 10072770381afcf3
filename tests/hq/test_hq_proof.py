"""The proof of issue 15 at full size: ten stores, thirty days each, imported in random order
with duplicates and one day missing. Head office's totals equal the stores' own Z reports to
the fen, and the missing day is listed. On SQLite and on PostgreSQL, from the same files.

One store is real (every day sold, closed with its Z report and exported by the store's own
code); the other nine send its files under their own code and key (tests/hq_helpers.relabel),
which keeps the suite's cost to one store's thirty days (about four seconds)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest

from store.hq.db import HqDb
from store.hq.importer import Outcome, import_file, missing_sequences
from store.hq.reports import missing_days, sales_by_store_day, store_ranking
from store.hq.stores import add_store
from tests.conftest import Templates
from tests.hq_helpers import FIRST_DAY, StoreDays, build_chain, relabel

STORES, DAYS = 10, 30
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
NOW = datetime(2027, 1, 7, 2, 0)
LOST = ("S007", 12)  # the store and sequence number of the day that never arrives


@pytest.fixture(scope="session")
def chain30(tmp_path_factory: pytest.TempPathFactory, _templates: Templates) -> dict[str, StoreDays]:
    """Ten stores with thirty closed and exported days each, made once for both backends."""
    root = tmp_path_factory.mktemp("chain30")
    stores = build_chain(root, _templates, ("S001",), DAYS)
    return stores | relabel(stores["S001"], [f"S{n:03d}" for n in range(2, STORES + 1)], root)


def test_chain_totals_equal_the_stores_z_reports_and_the_missing_day_is_listed(
    hq: HqDb, chain30: dict[str, StoreDays]
) -> None:
    for store in chain30.values():
        add_store(hq, store.code, store.key.public.text, now=NOW)
    lost = chain30[LOST[0]].files[LOST[1] - 1]
    lost_day = FIRST_DAY + timedelta(days=LOST[1] - 1)
    files = [f for store in chain30.values() for f in store.files if f != lost]
    order = random.Random(15)
    files += order.sample(files, 25)
    order.shuffle(files)
    outcomes = [import_file(hq, path, now=NOW).outcome for path in files]
    assert outcomes.count(Outcome.IMPORTED) == STORES * DAYS - 1 and outcomes.count(Outcome.SAME_FILE) == 25

    got = {(row[0], row[1]): row[4] for row in sales_by_store_day(hq, FIRST_DAY, LAST_DAY).rows}
    want = {
        (store.code, day): net
        for store in chain30.values()
        for day, net in store.z_net.items()
        if (store.code, day) != (LOST[0], lost_day)
    }
    assert len(want) == STORES * DAYS - 1 and all(net > 0 for net in want.values())
    assert got == want
    assert sum(got.values()) == sum(want.values())
    ranking = store_ranking(hq, FIRST_DAY, LAST_DAY).rows
    assert len(ranking) == STORES
    assert [row[5] for row in ranking] == sorted((row[5] for row in ranking), reverse=True)
    assert sum(int(str(row[5])) for row in ranking) == sum(want.values())
    # A relabelled store's sales carry its own code.
    codes = hq.execute("SELECT store_code, body FROM hq_sales WHERE store_code = %s", ("S010",))
    assert codes and all(json.loads(body)["store_code"] == "S010" for _code, body in codes)

    # Products matched by SKU: each store's own ids map to the chain's two products.
    assert hq.execute("SELECT COUNT(*) FROM hq_products")[0][0] == 2
    mapped = hq.execute("SELECT store_code, COUNT(DISTINCT sku) FROM hq_store_products GROUP BY store_code")
    assert sorted((code, int(n)) for code, n in mapped) == [(code, 2) for code in sorted(chain30)]
    assert missing_sequences(hq, LOST[0]) == [LOST[1]]
    assert all(missing_sequences(hq, code) == [] for code in chain30 if code != LOST[0])
    assert missing_days(hq, FIRST_DAY, LAST_DAY).rows == [(LOST[0], lost_day)]
