"""zhanggui transfer send / receive / export from the command line: a damaged file is one
sentence and writes nothing; a file that cannot be written books nothing out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from store.db.connection import open_database
from store.models import ImeiUnit, StockTransfer
from tests.conftest import Shop
from tests.store_helpers import second_store, shop_in_file, snapshot
from tui.cli import main


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def stores(db_path: Path, tmp_path: Path) -> tuple[Shop, Path]:
    """S001 (the shop fixture, with stock) at db_path; S002 (same catalog, no stock)."""
    shop = shop_in_file(db_path)
    other = tmp_path / "s002.db"
    second_store(other)
    return shop, other


def send(shop: Shop, db_path: Path, out: Path, code: int = 0) -> str:
    return run(
        "transfer",
        "send",
        "S002",
        "--line",
        "CASE-IP15=2",
        "--imei",
        shop.imeis[0],
        "--out",
        str(out),
        "--staff",
        "M1",
        "--pin",
        "1234",
        "--db",
        str(db_path),
        code=code,
    )


def good_payload(shop: Shop, db_path: Path, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "good.json"
    send(shop, db_path, out)
    payload: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return payload


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (5, "The transfer file is damaged (lines is missing)."),
        (["abc"], "The transfer file is damaged: line 1 has no valid sku."),
        ([{"sku": "CASE-IP15", "qty": 1, "cost": "abc", "imeis": []}], "line 1 has no valid cost."),
        ([{"sku": "CASE-IP15", "qty": 1, "cost": -100, "imeis": []}], "line 1 has no valid cost."),
        ([{"sku": "CASE-IP15", "qty": "1", "cost": 100}], "line 1 has no valid qty."),
    ],
)
def test_a_malformed_file_is_a_sentence_and_writes_nothing(
    stores: tuple[Shop, Path], db_path: Path, tmp_path: Path, lines: object, message: str
) -> None:
    shop, other = stores
    payload = good_payload(shop, db_path, tmp_path)
    payload["lines"] = lines
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(payload), encoding="utf-8")
    database = open_database(other)
    before = snapshot()
    database.close()
    out = run("transfer", "receive", str(bad), "--staff", "M1", "--pin", "1234", "--db", str(other), code=1)
    assert message in out
    database = open_database(other)
    assert snapshot() == before
    database.close()


def test_a_file_that_is_not_text_or_not_json(stores: tuple[Shop, Path], tmp_path: Path) -> None:
    _shop, other = stores
    for name, data in (
        ("bin.json", b"\xff\xfe\x00junk"),
        ("half.json", b'{"format": "zhanggui-transfer", "lin'),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        out = run(
            "transfer", "receive", str(path), "--staff", "M1", "--pin", "1234", "--db", str(other), code=1
        )
        assert out.startswith("Error: ")


def test_a_file_that_cannot_be_written_leaves_the_handset_in_stock(
    stores: tuple[Shop, Path], db_path: Path, tmp_path: Path
) -> None:
    shop, _other = stores
    out = send(shop, db_path, tmp_path / "no-such-folder" / "t.json", code=1)
    assert "Cannot write" in out
    database = open_database(db_path)
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "in_stock"
    assert StockTransfer.select().count() == 0
    database.close()


def test_export_writes_a_sent_transfers_file_again(
    stores: tuple[Shop, Path], db_path: Path, tmp_path: Path
) -> None:
    shop, other = stores
    first = tmp_path / "t.json"
    send(shop, db_path, first)
    number = json.loads(first.read_text(encoding="utf-8"))["number"]
    again = tmp_path / "again.json"
    out = run("transfer", "export", number, "--out", str(again), "--db", str(db_path))
    assert f"Transfer {number} to S002 written to {again}" in out
    assert again.read_bytes() == first.read_bytes()
    out = run("transfer", "export", number, "--out", str(again), "--db", str(db_path), code=1)
    assert "exists already" in out
    out = run(
        "transfer", "export", "TR-NONE", "--out", str(tmp_path / "x.json"), "--db", str(db_path), code=1
    )
    assert "No transfer TR-NONE was sent from this store." in out
    newest = tmp_path / "newest.json"  # without a number: the newest transfer sent
    out = run("transfer", "export", "--output", str(newest), "--db", str(db_path))
    assert f"Transfer {number} to S002 written to {newest}" in out
    assert newest.read_bytes() == first.read_bytes()
    out = run("transfer", "export", "--output", str(tmp_path / "y.json"), "--db", str(other), code=1)
    assert "No transfer was sent from this store yet." in out
    run("transfer", "receive", str(again), "--staff", "M1", "--pin", "1234", "--db", str(other))
    out = run("transfer", "receive", str(first), "--staff", "M1", "--pin", "1234", "--db", str(other), code=1)
    assert "was received already" in out
