"""Head office's brand codes (hq map) and the brand sell-out feed (hq sellout), on both
backends: every handset by IMEI with the brand's codes, a return as -1, the day's receipts
and stock per store, and what is not mapped or not received listed, never dropped."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from store.hq.db import HqDb
from store.hq.importer import Outcome, import_file
from store.hq.mapping import map_product, map_store, mapping_table
from store.hq.sellout import sellout
from store.hq.stores import add_store
from store.kernel.errors import ValidationError
from tests.conftest import IMEIS, Templates
from tests.sellout_helpers import DAY1, DAY2, NEW_IMEIS, HandsetStore, build_handset_chain
from tui.cli import main

NOW = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)  # head office's own time, never the wall clock


@pytest.fixture(scope="module")
def handsets(tmp_path_factory: pytest.TempPathFactory, _templates: Templates) -> dict[str, HandsetStore]:
    return build_handset_chain(tmp_path_factory.mktemp("handsets"), _templates)


def _chain(hq: HqDb, stores: dict[str, HandsetStore]) -> None:
    for code, store in stores.items():
        add_store(hq, code, store.days.key.public.text, now=NOW)
        for path in store.days.files:
            assert import_file(hq, path, now=NOW).outcome is Outcome.IMPORTED


def _run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["hq", *args, "--db", url])
    return result.exit_code, result.stdout, result.stderr


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_mappings_are_checked_and_listed(hq: HqDb, handsets: dict[str, HandsetStore]) -> None:
    _chain(hq, handsets)
    with pytest.raises(ValidationError, match="Store S009 is not registered at head office"):
        map_store(hq, "S009", "Apple", "AP-1", now=NOW)
    with pytest.raises(ValidationError, match="code for the store is empty"):
        map_store(hq, "S001", "Apple", "  ", now=NOW)
    with pytest.raises(ValidationError, match="Give a brand"):
        map_store(hq, "S001", " ", "AP-1", now=NOW)
    with pytest.raises(ValidationError, match="code for the product is empty"):
        map_product(hq, "IP15-128-BK", "Apple", "", now=NOW)
    with pytest.raises(ValidationError, match="SKU CASE-IP15 is a Generic product at head office, not Apple"):
        map_product(hq, "CASE-IP15", "Apple", "X1", now=NOW)
    with pytest.raises(ValidationError, match="not a brand's code"):
        map_store(hq, "S001", "Apple", "A\tB", now=NOW)
    first = map_store(hq, "S001", "apple", "AP-SH-0012", now=NOW)
    assert (first.brand, first.previous) == ("Apple", None)  # spelled as the catalog spells it
    with pytest.raises(ValidationError, match="Apple's code AP-SH-0012 is store S001's already"):
        map_store(hq, "S002", "Apple", "AP-SH-0012", now=NOW)
    again = map_store(hq, "S001", "APPLE", "AP-SH-0013", now=NOW)
    assert again.previous == "AP-SH-0012"
    ahead = map_product(hq, "IP16-256-BK", "Apple", "MYEX3CH/A", now=NOW)
    assert not ahead.known and ahead.brand == "Apple"  # a model no store has sent yet: taken
    assert map_product(hq, "IP15-128-BK", "Apple", "MTLX3CH/A", now=NOW).known
    rows = [list(r) for r in mapping_table(hq).rows]
    assert rows == [
        ["Apple", "Store", "S001", "AP-SH-0013"],
        ["Apple", "Product", "IP15-128-BK", "MTLX3CH/A"],
        ["Apple", "Product", "IP16-256-BK", "MYEX3CH/A"],
    ]
    assert mapping_table(hq, "Huawei").rows == []


def test_the_days_handsets_receipts_and_stock_by_the_brands_codes(
    hq: HqDb, handsets: dict[str, HandsetStore]
) -> None:
    _chain(hq, handsets)
    map_store(hq, "S001", "Apple", "AP-SH-0012", now=NOW)
    map_product(hq, "IP15-128-BK", "Apple", "MTLX3CH/A", now=NOW)
    s1, s2 = handsets["S001"].receipts, handsets["S002"].receipts

    first = sellout(hq, "apple", DAY1)
    got = [(h.store, h.brand_store, h.receipt, h.imei, h.brand_product, h.qty) for h in first.handsets]
    assert sorted(got) == sorted(
        [
            ("S001", "AP-SH-0012", s1[IMEIS[0]], IMEIS[0], "MTLX3CH/A", 1),
            ("S001", "AP-SH-0012", s1[IMEIS[1]], IMEIS[1], "MTLX3CH/A", 1),
            ("S002", "", s2[IMEIS[3]], IMEIS[3], "MTLX3CH/A", 1),  # S002 has no Apple code yet
        ]
    )
    assert all(h.total == h.price == 599900 for h in first.handsets)
    # Five phones each received at set-up, in the first day's window (from local midnight up
    # to the close), so the first file brings them as that day's receipts; two and one sold.
    assert [(s.store, s.received, s.on_hand) for s in first.stock] == [("S001", 5, 3), ("S002", 5, 4)]
    notes = [(n.kind, n.code) for n in first.notes]
    assert notes == [("store", "S002"), ("store", "S003")]
    assert "zhanggui hq map store S002 Apple CODE" in first.notes[0].text
    assert f"{DAY1} has not been received" in first.notes[1].text

    second = sellout(hq, "Apple", DAY2)
    got2 = sorted((h.receipt, h.imei, h.qty) for h in second.handsets)
    back = [h for h in second.handsets if h.qty < 0]
    assert [(h.imei, h.total) for h in back] == [(IMEIS[0], -599900)]  # the return, by its IMEI
    assert (s1[IMEIS[2]], IMEIS[2], 1) in got2 and len(got2) == 2
    assert [(s.store, s.received, s.on_hand) for s in second.stock] == [("S001", 2, 5), ("S002", 0, 4)]
    assert all(h.imei not in NEW_IMEIS for h in second.handsets)

    with pytest.raises(
        ValidationError, match="Head office knows no brand Nokia; brands known: Apple, Generic"
    ):
        sellout(hq, "Nokia", DAY1)


def test_the_command_writes_csv_and_a_workbook_that_opens(
    hq_url: str, handsets: dict[str, HandsetStore], tmp_path: Path
) -> None:
    from store.hq.db import connect

    hq = connect(hq_url, create=True)
    try:
        _chain(hq, handsets)
    finally:
        hq.close()
    code, out, err = _run(hq_url, "map", "store", "S001", "Apple", "AP-SH-0012")
    assert code == 0 and "Store S001 is AP-SH-0012 for Apple." in out
    code, out, err = _run(hq_url, "map", "store", "S001", "Apple", "AP-SH-0012")
    assert code == 0 and "nothing changed" in out
    code, out, err = _run(hq_url, "map", "store", "S404", "Apple", "AP-1")
    assert code == 1 and "Store S404 is not registered at head office" in err
    code, out, err = _run(hq_url, "map", "product", "IP17-1TB", "Apple", "MZZZ3CH/A")
    assert code == 0 and "No store has sent SKU IP17-1TB yet" in err
    code, out, err = _run(hq_url, "map", "list", "--format", "csv")
    assert _csv(out)[0] == ["Brand", "Kind", "Our code", "Brand's code"] and len(_csv(out)) == 3

    code, out, err = _run(hq_url, "sellout", "--brand", "Apple", "--date", DAY1.isoformat())
    assert code == 0, out + err
    rows = _csv(out)
    assert rows[0][:6] == ["Day", "Store", "Brand store code", "Receipt", "Type", "IMEI"]
    sold = rows[1:4]
    assert {r[5] for r in sold} == {IMEIS[0], IMEIS[1], IMEIS[3]} and {r[4] for r in sold} == {"Sold"}
    assert rows[4] == [] and rows[5][-2:] == ["Received", "On hand"]
    assert "S002: no Apple store code" in err and f"S003: its day {DAY1} has not been received" in err

    target = tmp_path / "apple.xlsx"
    code, out, err = _run(
        hq_url,
        "sellout",
        "--brand",
        "Apple",
        "--date",
        DAY2.isoformat(),
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    assert code == 0 and str(target) in out
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["Sell-out", "Receipts and stock", "Notes"]
    sheet = [list(r) for r in book["Sell-out"].iter_rows(values_only=True)]
    assert sheet[0][4:6] == ["Type", "IMEI"]
    assert sorted((r[4], r[5], r[10]) for r in sheet[1:]) == [
        ("Returned", IMEIS[0], -1),
        ("Sold", IMEIS[2], 1),
    ]
    assert all(isinstance(r[5], str) for r in sheet[1:])  # an IMEI stays text, not 3.5E+14
    stock = [list(r) for r in book["Receipts and stock"].iter_rows(values_only=True)]
    assert [(r[0], r[5], r[6]) for r in stock[1:]] == [("S001", 2, 5), ("S002", 0, 4)]
    book.close()

    code, out, err = _run(hq_url, "sellout", "--brand", "Nokia", "--date", DAY1.isoformat())
    assert code == 1 and "knows no brand Nokia" in err and "Traceback" not in out + err


def test_stock_on_hand_is_the_stores_own_figure_without_its_earlier_files(
    hq: HqDb, handsets: dict[str, HandsetStore]
) -> None:
    """Head office holds only S001's second day: summing the movements it has would say 2 + 1
    - 1 = 2 phones; the level the store sent at its close says the 5 it holds."""
    s1 = handsets["S001"]
    add_store(hq, "S001", s1.days.key.public.text, now=NOW)
    assert import_file(hq, s1.days.files[1], now=NOW).outcome is Outcome.IMPORTED
    feed = sellout(hq, "Apple", DAY2)
    assert [(s.store, s.sku, s.received, s.on_hand) for s in feed.stock] == [("S001", "IP15-128-BK", 2, 5)]
    assert sorted((h.imei, h.qty) for h in feed.handsets) == sorted([(IMEIS[0], -1), (IMEIS[2], 1)])
    # Before that day head office has nothing of the store: no figures, and the day is noted.
    before = sellout(hq, "Apple", DAY1)
    assert before.stock == [] and [(n.code, "not been received" in n.text) for n in before.notes] == [
        ("S001", True)
    ]
