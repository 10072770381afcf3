"""Head office's brand mix, promoter league, stock on hand and slow movers (issue 15), on
SQLite and PostgreSQL: every figure equals what the stores' own databases say, to the fen."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from store.exchange.reader import read_signed
from store.hq.db import HqDb, connect
from store.hq.importer import Outcome, import_file
from store.hq.reports import brand_mix, promoter_league, slow_movers, stock_on_hand
from store.hq.stores import add_store
from tests.exchange_helpers import trusting
from tests.hq_helpers import FIRST_DAY, StoreDays
from tui.cli import main

LAST_DAY = FIRST_DAY + timedelta(days=4)
NOW = datetime(2026, 12, 12, 2, 0)
PHONE, CASE = "IP15-128-BK", "CASE-IP15"


def _import_all(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    for store in chain.values():
        add_store(hq, store.code, store.key.public.text, now=NOW, name=f"{store.code}店")
    for store in chain.values():
        for path in reversed(store.files):  # newest first: staff names must still be the newest
            assert import_file(hq, path, now=NOW).outcome is Outcome.IMPORTED


def _sold(chain: dict[str, StoreDays]) -> dict[str, tuple[int, int]]:
    total: dict[str, tuple[int, int]] = {}
    for store in chain.values():
        for sku, (units, fen) in store.sold.items():
            u, f = total.get(sku, (0, 0))
            total[sku] = (u + units, f + fen)
    return total


def test_brand_mix_equals_the_stores_sales_to_the_fen(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    _import_all(hq, chain)
    table = brand_mix(hq, FIRST_DAY, LAST_DAY)
    models = {
        sku: (brand, model) for sku, brand, model in hq.execute("SELECT sku, brand, model FROM hq_products")
    }
    want = {models[sku]: figures for sku, figures in _sold(chain).items()}
    got = {(r[0], r[1]): (r[2], r[3]) for r in table.rows}
    assert got == want and want[models[PHONE]][0] == 3
    chain_net = sum(sum(store.z_net.values()) for store in chain.values())
    assert sum(int(str(r[3])) for r in table.rows) == chain_net > 0
    assert abs(sum(int(str(r[4])) for r in table.rows) - 1000) <= len(table.rows)
    # Best-selling brand first; a day without sales is an empty table, not an error.
    assert [r[3] for r in table.rows] == sorted((r[3] for r in table.rows), reverse=True)
    assert brand_mix(hq, LAST_DAY + timedelta(days=1), LAST_DAY + timedelta(days=2)).rows == []


def test_promoter_league_names_each_stores_promoters(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    _import_all(hq, chain)
    rows = promoter_league(hq, FIRST_DAY, LAST_DAY).rows
    got = {(r[1], r[2]): (r[4], r[5], r[6]) for r in rows}
    want = {(s.code, code): figures for s in chain.values() for code, figures in s.promoters.items()}
    assert got == want and all(handsets == 1 for _u, _f, handsets in got.values())
    assert {r[3] for r in rows} == {"李小红"}
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert [r[5] for r in rows] == sorted((r[5] for r in rows), reverse=True)
    # One day only: just that day's lines (the phones went on the second day).
    second = promoter_league(hq, FIRST_DAY + timedelta(days=1), FIRST_DAY + timedelta(days=1)).rows
    assert sum(int(str(r[6])) for r in second) == 3
    first = promoter_league(hq, FIRST_DAY, FIRST_DAY).rows
    assert len(first) == 3 and all(r[6] == 0 for r in first)


def test_stock_on_hand_is_each_stores_own_at_its_latest_day(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    _import_all(hq, chain)
    rows = stock_on_hand(hq, FIRST_DAY, LAST_DAY).rows
    got = {(r[0], r[2]): r[6] for r in rows}
    want = {(s.code, sku): qty for s in chain.values() for sku, qty in s.on_hand.items() if qty}
    assert got == want and got[("S001", PHONE)] == 4
    assert {r[1] for r in rows} == {LAST_DAY}
    assert {(r[0], r[2]): r[5] for r in rows} == {
        (s.code, sku): units for s in chain.values() for sku, (units, _fen) in s.sold.items()
    }
    # As of an earlier --to: the stores' latest day up to it, nothing sold after it counted.
    early = stock_on_hand(hq, FIRST_DAY, FIRST_DAY).rows
    assert {r[1] for r in early} == {FIRST_DAY}
    assert {(r[0], r[2]): r[6] for r in early if r[2] == PHONE} == {(s, PHONE): 5 for s in chain}


def test_slow_movers_are_held_and_unsold_for_the_days(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    _import_all(hq, chain)
    assert slow_movers(hq, FIRST_DAY, LAST_DAY).rows == []  # both sold within 30 days
    phones = sum(s.on_hand[PHONE] for s in chain.values())
    # The phones went on the second day, three days before the last; the cases sell daily.
    assert slow_movers(hq, FIRST_DAY, LAST_DAY, days=3).rows == [
        (PHONE, "Apple", "iPhone 15", phones, 3, FIRST_DAY + timedelta(days=1), 3)
    ]
    assert slow_movers(hq, FIRST_DAY, LAST_DAY, days=4).rows == []
    later = LAST_DAY + timedelta(days=40)
    rows = slow_movers(hq, later, later).rows
    assert [(r[0], r[3], r[6]) for r in rows] == [
        (PHONE, phones, 43),
        (CASE, sum(s.on_hand[CASE] for s in chain.values()), 40),
    ]
    # Before the phones were ever sold: held, never sold (no last sale), at the top.
    assert slow_movers(hq, FIRST_DAY, FIRST_DAY, days=1).rows[0][5:] == (None, None)


def _run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["hq", *args, "--db", url])
    return result.exit_code, result.output


def test_the_four_reports_as_csv_and_xlsx(hq_url: str, chain: dict[str, StoreDays], tmp_path: Path) -> None:
    hq = connect(hq_url, create=True)
    try:
        _import_all(hq, chain)
    finally:
        hq.close()
    span = ("--from", FIRST_DAY.isoformat(), "--to", LAST_DAY.isoformat())
    code, out = _run(hq_url, "report", "brands", *span, "--format", "csv")
    assert code == 0, out
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0] == ["Brand", "Model", "Units", "Sales (¥)", "Share"]
    fen = sum(sum(s.z_net.values()) for s in chain.values())
    assert sum(round(float(r[3]) * 100) for r in rows[1:]) == fen
    code, out = _run(hq_url, "report", "promoters", *span)
    assert code == 0 and "李小红" in out and "Handsets" in out
    code, out = _run(hq_url, "report", "slow", *span, "--days", "3", "--format", "csv")
    assert code == 0 and PHONE in out and CASE not in out
    code, out = _run(hq_url, "report", "slow", *span, "--days", "0")
    assert code == 2 and "--days" in out
    for name, header, check in (
        ("brands", ["Brand", "Model", "Units", "Sales (¥)", "Share"], 3),
        ("promoters", ["Rank", "Store", "Code", "Promoter", "Units", "Sales (¥)", "Handsets"], 5),
        ("stock", ["Store", "As of", "SKU", "Brand", "Model", "Sold", "On hand"], 6),
        ("slow", ["SKU", "Brand", "Model", "On hand", "Stores", "Last sale", "Days unsold"], 3),
    ):
        target = tmp_path / f"{name}.xlsx"
        extra = ("--days", "3") if name == "slow" else ()
        code, out = _run(hq_url, "report", name, *span, *extra, "--format", "xlsx", "--output", str(target))
        assert code == 0, out
        sheet = load_workbook(target).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == header and len(values) > 1
        column = [v[check] for v in values[1:]]
        if name in ("brands", "promoters"):
            assert round(sum(float(str(v)) for v in column) * 100) == fen
        elif name == "stock":
            want = sum(q for s in chain.values() for q in s.on_hand.values())
            assert sum(int(str(v)) for v in column) == want
        else:
            assert column == [sum(s.on_hand[PHONE] for s in chain.values())]


def test_the_day_file_names_staff_without_their_secrets(chain: dict[str, StoreDays]) -> None:
    store = chain["S001"]
    parts = read_signed(store.files[0], trusting(store.key), kind="day", schema_versions={1}).parts
    staff = [json.loads(line) for line in parts["staff.jsonl"].splitlines()]
    assert {s["code"] for s in staff} >= {"P1"}
    assert all(set(s) == {"id", "code", "name", "role", "brand", "home_store", "status"} for s in staff)


def test_a_head_office_from_before_gets_promoters_and_stock(hq_url: str, chain: dict[str, StoreDays]) -> None:
    hq = connect(hq_url, create=True)
    try:
        _import_all(hq, chain)
        league = promoter_league(hq, FIRST_DAY, LAST_DAY).rows
        stock = stock_on_hand(hq, FIRST_DAY, LAST_DAY).rows
        with hq.transaction():  # as a head office made before kept them
            hq.execute(
                "INSERT INTO hq_records (store_code, family, id, business_date, seq, body)"
                " SELECT store_code, 'stock_movements', id, business_date, 1, body FROM hq_stock_movements"
            )
            hq.execute("DELETE FROM hq_stock_movements")
            hq.execute(
                "INSERT INTO hq_records (store_code, family, id, business_date, seq, body)"
                " SELECT store_code, 'stock_levels', id, business_date, 1, body FROM hq_stock_levels"
            )
            hq.execute("DELETE FROM hq_stock_levels")
            hq.execute("ALTER TABLE hq_sale_lines DROP COLUMN promoter_id")
    finally:
        hq.close()
    hq = connect(hq_url)
    try:
        assert promoter_league(hq, FIRST_DAY, LAST_DAY).rows == league
        assert stock_on_hand(hq, FIRST_DAY, LAST_DAY).rows == stock
        moved = "SELECT COUNT(*) FROM hq_records WHERE family IN ('stock_movements', 'stock_levels')"
        assert hq.execute(moved)[0][0] == 0
    finally:
        hq.close()


def test_stock_is_the_stores_own_level_without_its_earlier_files(
    hq: HqDb, chain: dict[str, StoreDays]
) -> None:
    """Head office holds only S001's second day, when it sold its phone: summing that day's
    movements would say -1; the level the store sent at its close says the 4 it still holds."""
    s1 = chain["S001"]
    add_store(hq, "S001", s1.key.public.text, now=NOW)
    assert import_file(hq, s1.files[1], now=NOW).outcome is Outcome.IMPORTED
    second = FIRST_DAY + timedelta(days=1)
    rows = stock_on_hand(hq, FIRST_DAY, LAST_DAY).rows
    assert [(r[0], r[1], r[5], r[6]) for r in rows if r[2] == PHONE] == [("S001", second, 1, 4)]
    slow = {r[0]: r[3:6] for r in slow_movers(hq, LAST_DAY, LAST_DAY, days=3).rows}
    assert slow[PHONE] == (4, 1, second)


def test_a_voided_sale_is_left_out(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    """A voided receipt (as a store sends one) counts in neither the mix nor the league: the
    reports read the few voided sales and leave their lines out."""
    _import_all(hq, chain)
    before = sum(int(str(r[3])) for r in brand_mix(hq, FIRST_DAY, LAST_DAY).rows)
    sale, total = hq.execute(
        "SELECT id, total FROM hq_sales WHERE store_code = 'S002' AND business_date = %s ORDER BY id",
        (LAST_DAY.isoformat(),),
    )[0]
    with hq.transaction():
        hq.execute("UPDATE hq_sales SET status = 'voided' WHERE store_code = 'S002' AND id = %s", (sale,))
    assert sum(int(str(r[3])) for r in brand_mix(hq, FIRST_DAY, LAST_DAY).rows) == before - int(total)
    league = {r[1]: int(str(r[5])) for r in promoter_league(hq, FIRST_DAY, LAST_DAY).rows}
    assert league["S002"] == chain["S002"].promoters["P1"][1] - int(total)
