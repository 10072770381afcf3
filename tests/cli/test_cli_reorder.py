"""zhanggui reorder (table, CSV, XLSX read back cell by cell), velocity and suppliers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from store.db.connection import open_database
from store.models import AuditLog, Supplier, SupplierItem
from tests.conftest import Shop
from tests.store_helpers import reorder_history, shop_in_file
from tui.cli import main


def make_store(db_path: Path) -> None:
    """The shop, a distributor with a 3-day lead time selling the case in packs of 10, and
    3 cases sold a day on 5 of the last 30 days.

    By hand: 15 units in 30 days -> regular (95 %, z = 1.6449). Mean 0.5 a day; squares
    5 x 9 = 45, variance 45/30 - 0.25 = 1.25, sigma 1.1180. Safety stock 1.6449 x 1.1180 x
    sqrt(3) = 3.185. Reorder point 0.5 x 3 + 3.185 = 4.685 -> 5. On hand 20 - 15 = 5 <= 5.
    Up to 0.5 x (3 + 14) + 3.185 = 11.685 -> 12; 12 - 5 = 7, in packs of 10 -> 10, at 8.00
    = 80.00. The phone (5 in stock, no sales) needs nothing."""
    database = open_database(db_path)
    reorder_history(Shop())
    database.close()


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_reorder_table_lists_what_to_order(db_path: Path) -> None:
    make_store(db_path)
    out = run("reorder", "--db", str(db_path))
    lines = [line for line in out.splitlines() if "CASE-IP15" in line]
    assert len(lines) == 1
    assert lines[0].split()[:2] == ["华南地包", "CASE-IP15"]
    assert "IP15-128-BK" not in out
    assert "1 product to order, ¥80.00 at cost." in out


def test_reorder_csv(db_path: Path, tmp_path: Path) -> None:
    make_store(db_path)
    text = run("reorder", "--format", "csv", "--db", str(db_path))
    assert text.startswith("\ufeff")  # a BOM on standard output too: `> order.csv` opens in Excel
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Supplier", "SKU", "Product"]
    assert rows[1] == [
        "华南地包",
        "CASE-IP15",
        "Generic iPhone 15 Case",
        "regular",
        "5",
        "0",
        "5",
        "10",
        "10",
        "8.00",
        "80.00",
    ]
    assert len(rows) == 2
    target = tmp_path / "order.csv"
    run("reorder", "--format", "csv", "--output", str(target), "--db", str(db_path))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Chinese names right
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == rows


def test_reorder_xlsx_read_back_cell_by_cell(db_path: Path, tmp_path: Path) -> None:
    make_store(db_path)
    target = tmp_path / "order.xlsx"
    out = run("reorder", "--format", "xlsx", "--out", str(target), "--db", str(db_path))
    assert "1 product to order written to" in out
    book = load_workbook(target)
    assert book.sheetnames == ["华南地包"]
    sheet = book["华南地包"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "Supplier",
        "SKU",
        "Product",
        "Class",
        "On hand",
        "On order",
        "Reorder point",
        "Order qty",
        "Pack",
        "Unit cost",
        "Value",
    ]
    assert values[1][:9] == ["华南地包", "CASE-IP15", "Generic iPhone 15 Case", "regular", 5, 0, 5, 10, 10]
    # Money comes back as numbers of yuan, exact to the fen.
    assert Decimal(str(values[1][9])) == Decimal("8.00")
    assert Decimal(str(values[1][10])) == Decimal("80.00")
    assert sheet["J2"].number_format == "#,##0.00"
    assert values[2][2] == "Total" and values[2][7] == 10 and Decimal(str(values[2][10])) == Decimal("80")
    assert len(values) == 3


def test_reorder_on_an_empty_store_and_a_bad_folder(db_path: Path, tmp_path: Path) -> None:
    shop_in_file(db_path)
    assert "0 products to order, ¥0.00 at cost." in run("reorder", "--db", str(db_path))
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["reorder", "--format", "xlsx", "--out", str(blocker / "o.xlsx"), "--db", str(db_path)]
    )
    assert result.exit_code == 1
    assert "Cannot write" in result.output and "Traceback" not in result.output


def test_velocity_names_the_classes_and_dead_stock(db_path: Path) -> None:
    make_store(db_path)
    out = run("velocity", "--staff", "M1", "--pin", "1234", "--db", str(db_path))
    case_line = next(line for line in out.splitlines() if line.startswith("CASE-IP15"))
    assert "regular" in case_line.split() and "¥" in case_line and "At cost" in out
    assert "Last 30 days: 0 hot, 1 regular, 1 slow." in out
    assert "Dead stock (no sale in 60 days): 0 products, ¥0.00 tied up." in out
    # Without a manager's login nothing at cost is shown.
    out = run("velocity", "--db", str(db_path))
    case_line = next(line for line in out.splitlines() if line.startswith("CASE-IP15"))
    assert "regular" in case_line.split() and "¥" not in out and "At cost" not in out
    assert "Dead stock (no sale in 60 days): 0 products." in out


def test_suppliers_add_assign_and_list(db_path: Path) -> None:
    shop_in_file(db_path)
    db = ["--db", str(db_path)]
    run(
        "suppliers",
        "add",
        "HW01",
        "华为直供",
        "--channel",
        "direct",
        "--lead-days",
        "5",
        "--staff",
        "M1",
        "--pin",
        "1234",
        *db,
    )
    out = run(
        "suppliers", "assign", "HW01", "IP15-128-BK", "--pack", "5", "--staff", "M1", "--pin", "1234", *db
    )
    assert "1 product is supplied by 华为直供." in out
    listing = run("suppliers", "list", *db)
    assert "HW01" in listing and "direct supply" in listing
    result = CliRunner().invoke(
        main, ["suppliers", "add", "HW01", "again", "--staff", "M1", "--pin", "1234", *db]
    )
    assert result.exit_code == 1 and "Supplier code HW01 is taken." in result.output
    result = CliRunner().invoke(
        main, ["suppliers", "add", "X1", "x", "--lead-days", "0", "--staff", "M1", "--pin", "1234", *db]
    )
    assert result.exit_code == 1 and "--lead-days is a whole number from 1 to 180: 0" in result.output
    result = CliRunner().invoke(main, ["suppliers", "add", "X2", "x", "--staff", "P1", "--pin", "1111", *db])
    assert result.exit_code == 1 and "is not a manager" in result.output
    database = open_database(db_path)
    try:
        item = SupplierItem.get()
        assert item.pack_size == 5 and item.supplier.code == "HW01"
        assert AuditLog.select().where(AuditLog.action == "supplier.assign").count() == 1
        assert Supplier.select().count() == 1
    finally:
        database.close()
