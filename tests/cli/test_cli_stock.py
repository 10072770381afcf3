from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from store.db.connection import open_database
from store.models import ImeiUnit, Product
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from tests.store_helpers import shop_in_file
from tui.cli import main

CSV = """sku,barcode,brand,model,colour,storage,category,price,cost
HW-M80-256-BK,6901443000011,Huawei,Mate 80,曜石黑,12GB+256GB,handset,4699,4100.50
CHG-66W,6901443000028,Huawei,66W 超级快充充电器,,,accessory,149.00,60
"""


def test_import_products_then_receive_by_imei_and_by_quantity(db_path: Path, tmp_path: Path) -> None:
    shop_in_file(db_path)
    price_list = tmp_path / "prices.csv"
    price_list.write_text(CSV, encoding="utf-8")
    runner = CliRunner()
    db = ["--db", str(db_path)]
    result = runner.invoke(
        main, ["products", "import", str(price_list), "--staff", "M1", *db], input="1234\n"
    )
    assert result.exit_code == 0, result.output
    assert "2 products imported" in result.output

    first, second = with_check_digit("86200458100001"), with_check_digit("86200458100002")
    dual = f"{with_check_digit('86200458100003')}/{with_check_digit('86200458100004')}"
    scans = tmp_path / "scans.txt"
    scans.write_text(f"{second}\n{dual}\n", encoding="utf-8")
    result = runner.invoke(
        main,
        [
            "receive",
            "HW-M80-256-BK",
            "--imei",
            first,
            "--imei-file",
            str(scans),
            "--staff",
            "M1",
            "--pin",
            "1234",
            *db,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Received 3" in result.output and "3 in stock" in result.output
    result = runner.invoke(main, ["receive", "CHG-66W", "--qty", "12", "--staff", "M1", "--pin", "1234", *db])
    assert result.exit_code == 0, result.output

    database = open_database(db_path)
    phone = Product.get(Product.sku == "HW-M80-256-BK")
    assert phone.serialized and phone.price == 469900 and phone.cost == 410050
    assert ImeiUnit.get(ImeiUnit.imei2 == with_check_digit("86200458100004")).product_id == phone.id
    assert stock.on_hand(Product.get(Product.sku == "CHG-66W").id) == 12
    database.close()


def test_a_bad_row_imports_nothing_and_names_the_line(db_path: Path, tmp_path: Path) -> None:
    shop_in_file(db_path)
    price_list = tmp_path / "prices.csv"
    price_list.write_text(CSV + "BAD-1,,Xiaomi,Redmi 15,,,handset,-5,\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["products", "import", str(price_list), "--staff", "M1", "--pin", "1234", "--db", str(db_path)]
    )
    assert result.exit_code == 1
    assert "Line 4" in result.output and "Traceback" not in result.output
    database = open_database(db_path)
    assert Product.select().count() == 2  # only the fixture's phone and case
    database.close()


def test_receive_refuses_a_promoter_and_a_wrong_imei(db_path: Path) -> None:
    shop_in_file(db_path)
    runner = CliRunner()
    db = ["--db", str(db_path)]
    promoter = runner.invoke(
        main, ["receive", "CASE-IP15", "--qty", "5", "--staff", "P1", "--pin", "1111", *db]
    )
    assert promoter.exit_code == 1 and "not a manager" in promoter.output
    bad = runner.invoke(
        main, ["receive", "IP15-128-BK", "--imei", "353281110000018", "--staff", "M1", "--pin", "1234", *db]
    )
    assert bad.exit_code == 1 and "check digit" in bad.output
    unknown = runner.invoke(main, ["receive", "NOPE", "--qty", "1", "--staff", "M1", "--pin", "1234", *db])
    assert unknown.exit_code == 1 and "No product with SKU NOPE" in unknown.output


BIG5_CSV = """sku,barcode,brand,model,colour,storage,category,price,cost
HW-M60-BK,,華為,Mate 60 Pro 手機,雅丹黑,12GB+512GB,handset,6999,6100
CHG-66W,,通用,66W 超級快充 充電器,,,accessory,149.00,60
"""


def test_a_big5_price_list_is_refused_until_its_encoding_is_named(db_path: Path, tmp_path: Path) -> None:
    """Big5 bytes also decode as GB18030: it used to be imported as garbage without a word."""
    shop_in_file(db_path)
    price_list = tmp_path / "prices.csv"
    price_list.write_bytes(BIG5_CSV.encode("big5"))
    args = ["products", "import", str(price_list), "--staff", "M1", "--pin", "1234", "--db", str(db_path)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1
    assert "--encoding big5" in refused.output and "Traceback" not in refused.output
    database = open_database(db_path)
    assert Product.select().count() == 2  # only the fixture's phone and case
    database.close()

    accepted = CliRunner().invoke(main, [*args, "--encoding", "big5"])
    assert accepted.exit_code == 0, accepted.output
    database = open_database(db_path)
    assert Product.get(Product.sku == "HW-M60-BK").brand == "華為"
    assert Product.get(Product.sku == "CHG-66W").model == "66W 超級快充 充電器"
    database.close()


def test_a_gb18030_price_list_is_read_without_being_told(db_path: Path, tmp_path: Path) -> None:
    shop_in_file(db_path)
    price_list = tmp_path / "prices.csv"
    price_list.write_bytes(CSV.encode("gb18030"))
    result = CliRunner().invoke(
        main, ["products", "import", str(price_list), "--staff", "M1", "--pin", "1234", "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    database = open_database(db_path)
    assert Product.get(Product.sku == "CHG-66W").model == "66W 超级快充充电器"
    database.close()


def test_an_imei_file_with_a_byte_order_mark_in_the_middle(db_path: Path, tmp_path: Path) -> None:
    """Two scanner files joined: the second one's BOM starts a line, invisible to the user."""
    shop_in_file(db_path)
    first, second = with_check_digit("35328111000201"), with_check_digit("35328111000202")
    scans = tmp_path / "scans.txt"
    scans.write_bytes(f"\ufeff{first}\n".encode() + f"\ufeff{second}\n".encode())
    args = ["receive", "IP15-128-BK", "--imei-file", str(scans), "--staff", "M1", "--pin", "1234"]
    result = CliRunner().invoke(main, [*args, "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Received 2" in result.output
    database = open_database(db_path)
    assert ImeiUnit.select().where(ImeiUnit.imei.in_([first, second])).count() == 2
    database.close()
