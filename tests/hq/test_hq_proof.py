"""The proof of issue 15 at a size the suite affords: three stores, five days each, imported in
random order with duplicates and one day missing. Head office's totals equal the stores' own Z
reports to the fen, and the missing day is listed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from store.hq.db import HqDb
from store.hq.importer import Outcome, import_file, missing_sequences
from store.hq.reports import missing_days, sales_by_store_day, store_ranking
from store.hq.stores import add_store
from tests.hq_helpers import StoreDays

NOW = datetime(2026, 12, 12, 2, 0)


def test_chain_totals_equal_the_stores_z_reports_and_the_missing_day_is_listed(
    hq: HqDb, chain: dict[str, StoreDays]
) -> None:
    # The chain's days follow the suite's clock: every store starts on the same business day.
    (first_day,) = {store.first_day for store in chain.values()}
    last_day = first_day + timedelta(days=4)
    for store in chain.values():
        add_store(hq, store.code, store.key.public.text, now=NOW)
    lost = chain["S002"].files[2]  # S002's third day never arrives
    files = [f for store in chain.values() for f in store.files if f != lost]
    order = random.Random(15)
    files += order.sample(files, 4)
    order.shuffle(files)
    outcomes = [import_file(hq, path, now=NOW).outcome for path in files]
    assert outcomes.count(Outcome.IMPORTED) == 14 and outcomes.count(Outcome.SAME_FILE) == 4

    got = {(row[0], row[1]): row[4] for row in sales_by_store_day(hq, first_day, last_day).rows}
    want = {
        (store.code, day): net
        for store in chain.values()
        for day, net in store.z_net.items()
        if (store.code, day) != ("S002", first_day + timedelta(days=2))
    }
    assert got == want and all(net > 0 for net in want.values())
    assert sum(got.values()) == sum(want.values())
    ranking = store_ranking(hq, first_day, last_day).rows
    assert [row[5] for row in ranking] == sorted((row[5] for row in ranking), reverse=True)
    assert sum(int(str(row[5])) for row in ranking) == sum(want.values())

    # Products matched by SKU: each store's own ids map to the chain's two products.
    assert hq.execute("SELECT COUNT(*) FROM hq_products")[0][0] == 2
    mapped = hq.execute("SELECT store_code, COUNT(DISTINCT sku) FROM hq_store_products GROUP BY store_code")
    assert sorted((code, int(n)) for code, n in mapped) == [("S001", 2), ("S002", 2), ("S003", 2)]
    assert missing_sequences(hq, "S002") == [3]
    assert missing_days(hq, first_day, last_day).rows == [("S002", first_day + timedelta(days=2))]
