"""The command line for counts, history, transfers and deliveries from a supplier."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from store.db.connection import open_database
from store.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, Supplier
from store.stock import count_approval, count_entry, count_sessions
from store.stock.imei import with_check_digit
from tests.conftest import Shop
from tests.store_helpers import forge_actor, manager_ok, second_store, shop_in_file
from tui.cli import main


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_counts_list_and_show(db_path: Path) -> None:
    database = open_database(db_path)
    shop = Shop()
    count = count_sessions.start_count(scope_kind="all", staff_id=shop.promoter.id)
    count_entry.enter(count.id, "18*CASE-IP15", staff_id=shop.promoter.id)
    for number in shop.imeis:
        count_entry.enter(count.id, number, staff_id=shop.promoter.id)
    count_sessions.close(count.id, staff_id=shop.promoter.id)
    database.close()
    db = ["--db", str(db_path)]
    manager = ["--staff", "M1", "--pin", "1234"]

    shown = run("counts", "show", count.number, *manager, *db)  # not approved: the variances as of now
    assert "closed, to approve" in shown
    case = next(line for line in shown.splitlines() if line.startswith("CASE-IP15"))
    assert case.split()[-4:] == ["20", "18", "-2", "-¥16.00"]
    assert "IP15-128-BK" not in shown  # no difference
    # Costs are a manager's: without a login, or as a promoter, the value column is left out.
    for reader in ([], ["--staff", "P1", "--pin", "1111"]):
        shown = run("counts", "show", count.number, *reader, *db)
        case = next(line for line in shown.splitlines() if line.startswith("CASE-IP15"))
        assert case.split()[-3:] == ["20", "18", "-2"] and "¥" not in shown and "Value" not in shown

    database = open_database(db_path)
    count_approval.approve(count.id, actor=forge_actor(shop.promoter), approval=manager_ok(shop))
    database.close()
    listing = run("counts", "list", *manager, *db)
    row = next(line for line in listing.splitlines() if line.startswith(count.number))
    assert "approved" in row and row.rstrip().endswith("-¥16.00")
    listing = run("counts", "list", *db)
    assert "approved" in listing and "¥" not in listing and "Net value" not in listing
    text = run("counts", "show", count.number, "--all", "--format", "csv", *db)
    assert text.removeprefix("\ufeff").splitlines()[0] == "SKU,Product,Book,Counted,Diff,Moved"
    text = run("counts", "show", count.number, "--all", "--format", "csv", *manager, *db)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["SKU", "Product", "Book", "Counted", "Diff", "Moved", "Value"]
    assert sorted(r[0] for r in rows[1:]) == ["CASE-IP15", "IP15-128-BK"]
    # The value is a number of yuan: "-¥16.00" was text starting with "-", which Excel runs.
    assert ["CASE-IP15", "Generic iPhone 15 Case", "20", "18", "-2", "-2", "-16.00"] in rows
    assert "No count NOPE." in run("counts", "show", "NOPE", *db, code=1)
    # Without a number: the newest count.
    assert run("counts", "show", "--all", "--format", "csv", *manager, *db) == text
    assert run("counts", "show", *db).startswith(f"{count.number} ")


def test_counts_show_without_a_number_and_no_counts(db_path: Path) -> None:
    database = open_database(db_path)
    Shop()
    database.close()
    assert "No counts yet." in run("counts", "show", "--db", str(db_path), code=1)


def test_history_of_an_imei(db_path: Path) -> None:
    shop = shop_in_file(db_path)
    out = run("history", shop.imeis[0], "--db", str(db_path))
    assert f"IMEI {shop.imeis[0]}  (in stock)" in out.splitlines()[0]
    assert "received" in out and "+1" in out
    assert "Unknown code: NOPE" in run("history", "NOPE", "--db", str(db_path), code=1)


def test_receive_from_a_supplier_against_an_order(db_path: Path) -> None:
    shop = shop_in_file(db_path)
    database = open_database(db_path)
    supplier = Supplier.create(code="HN01", name="华南地包", channel="distributor", lead_time_days=3)
    order = PurchaseOrder.create(number="PO-7", supplier=supplier.id, status="open")
    PurchaseOrderLine.create(order=order.id, product=shop.case.id, qty=10, cost=800)
    database.close()
    db = ["--db", str(db_path), "--staff", "M1", "--pin", "1234"]
    out = run("receive", "CASE-IP15", "--qty", "4", "--order", "PO-7", "--document", "INV-1", *db)
    assert "Received 4 of Generic iPhone 15 Case; 24 in stock." in out
    out = run("receive", "CASE-IP15", "--qty", "7", "--order", "PO-7", "--document", "INV-2", *db, code=1)
    assert "Only 6 of Generic iPhone 15 Case are still to come on order PO-7." in out
    out = run("receive", "CASE-IP15", "--qty", "1", "--supplier", "HN01", "--document", "INV-1", *db, code=1)
    assert "Invoice INV-1 from 华南地包 was received already." in out
    database = open_database(db_path)
    try:
        assert PurchaseOrder.get().status == "partial"
        assert GoodsReceipt.select().count() == 1
    finally:
        database.close()


def test_transfer_to_another_store_and_in_there(db_path: Path, tmp_path: Path) -> None:
    shop = shop_in_file(db_path)
    other = tmp_path / "s002.db"
    second_store(other)
    file = tmp_path / "t.json"
    out = run(
        "transfer",
        "send",
        "S002",
        "--line",
        "CASE-IP15=3",
        "--imei",
        shop.imeis[0],
        "--out",
        str(file),
        "--staff",
        "M1",
        "--pin",
        "1234",
        "--db",
        str(db_path),
    )
    assert "to S002 written to" in out
    assert json.loads(file.read_text(encoding="utf-8"))["to_store"] == "S002"
    out = run("transfer", "receive", str(file), "--staff", "M1", "--pin", "1234", "--db", str(other))
    assert "from S001 received." in out
    out = run("transfer", "receive", str(file), "--staff", "M1", "--pin", "1234", "--db", str(other), code=1)
    assert "was received already" in out
    assert "(transferred)" not in run("history", shop.imeis[0], "--db", str(other))
    assert "(sent to another store)" in run("history", shop.imeis[0], "--db", str(db_path))
    assert "on hand 17" in run("history", "CASE-IP15", "--db", str(db_path))
    assert "on hand 3" in run("history", "CASE-IP15", "--db", str(other))
    unknown = with_check_digit("35328111009990")
    out = run(
        "transfer",
        "send",
        "S002",
        "--imei",
        unknown,
        "--out",
        str(tmp_path / "u.json"),
        "--staff",
        "M1",
        "--pin",
        "1234",
        "--db",
        str(db_path),
        code=1,
    )
    assert f"IMEI {unknown} is not in this store's stock." in out
