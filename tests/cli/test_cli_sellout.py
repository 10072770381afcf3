"""zhanggui sellout: a store's own sell-out feed of a brand, from its database, with the same
columns as head office's and the brand's codes left empty."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from store.kernel import FixedClock
from tests.conftest import IMEIS, TILL, Templates
from tests.sellout_helpers import DAY1, DAY2, HandsetStore, build_handset_chain
from tui.cli import main


@pytest.fixture(scope="module")
def handsets(tmp_path_factory: pytest.TempPathFactory, _templates: Templates) -> dict[str, HandsetStore]:
    return build_handset_chain(tmp_path_factory.mktemp("store-handsets"), _templates)


def _run(store: HandsetStore, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(store.config))  # its audit anchors
    result = CliRunner().invoke(main, ["sellout", *args, "--db", str(store.db)])
    return result.exit_code, result.stdout, result.stderr


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_stores_feed_has_head_offices_columns_without_the_brands_codes(
    handsets: dict[str, HandsetStore], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FixedClock
) -> None:
    s1 = handsets["S001"]
    code, out, err = _run(s1, monkeypatch, "--brand", "apple", "--date", DAY2.isoformat())
    assert code == 0, out + err
    rows = _csv(out)
    assert rows[0] == [
        "Day",
        "Store",
        "Brand store code",
        "Receipt",
        "Type",
        "IMEI",
        "IMEI 2",
        "SKU",
        "Brand product code",
        "Model",
        "Qty",
        "Price",
        "Amount",
    ]
    sold = sorted((r[1], r[2], r[4], r[5], r[8], r[10], r[12]) for r in rows[1:3])
    assert sold == [
        ("S001", "", "Returned", IMEIS[0], "", "-1", "-5999.00"),
        ("S001", "", "Sold", IMEIS[2], "", "1", "5999.00"),
    ]
    assert s1.receipts[IMEIS[2]] in {r[3] for r in rows[1:3]}
    assert rows[3] == [] and rows[4] == [
        "Store",
        "Brand store code",
        "SKU",
        "Brand product code",
        "Model",
        "Received",
        "On hand",
    ]
    # Received on day 2: two new phones; on hand: 5 - 2 sold + 2 - 1 sold + 1 back.
    assert rows[5] == ["S001", "", "IP15-128-BK", "", "iPhone 15", "2", "5"] and len(rows) == 6
    assert err == ""

    # Without --date: the store's business day on its clock.
    clock.set(datetime.combine(DAY1, time(15), TILL.tz))
    code, out, err = _run(s1, monkeypatch, "--brand", "Apple", "--format", "table")
    assert code == 0 and IMEIS[1] in out and IMEIS[2] not in out and "Receipts and stock" in out

    target = tmp_path / "feed.xlsx"
    code, out, err = _run(
        s1,
        monkeypatch,
        "--brand",
        "Apple",
        "--date",
        DAY1.isoformat(),
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0 and str(target) in out
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["Sell-out", "Receipts and stock"]
    imeis = sorted(r[5] for r in list(book["Sell-out"].iter_rows(values_only=True))[1:])
    assert imeis == [IMEIS[0], IMEIS[1]]
    book.close()

    code, out, err = _run(s1, monkeypatch, "--brand", "Nokia", "--date", DAY1.isoformat())
    assert code == 1 and "This store has no brand Nokia; brands here: Apple, Generic." in err


def test_the_brands_codes_come_from_the_sellout_section(
    handsets: dict[str, HandsetStore], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[sellout]\nstore_codes = { apple = "AP-SH-0012", Huawei = "HW-1" }\n'
        'product_codes = { "IP15-128-BK" = "MTLX3CH/A" }\n',
        encoding="utf-8",
    )
    s2 = handsets["S002"]
    code, out, err = _run(
        s2, monkeypatch, "--brand", "Apple", "--date", DAY1.isoformat(), "--config", str(config)
    )
    assert code == 0, out + err
    rows = _csv(out)
    # The store's code as its database has it: S002's is a copy of the Shop, which is S001.
    assert [(r[1], r[2], r[5], r[8]) for r in rows[1:2]] == [("S001", "AP-SH-0012", IMEIS[3], "MTLX3CH/A")]
    assert rows[4][:4] == ["S001", "AP-SH-0012", "IP15-128-BK", "MTLX3CH/A"]

    config.write_text('[sellout]\nstore_codes = { Apple = "" }\n', encoding="utf-8")
    code, out, err = _run(s2, monkeypatch, "--brand", "Apple", "--config", str(config))
    assert code == 1 and "sellout.store_codes" in err and "Traceback" not in out + err
