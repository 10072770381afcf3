"""zhanggui customers find / segments / reassign and zhanggui care."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.crm.records import create_customer
from store.db.connection import open_database
from store.models import AuditLog, Customer
from store.people import staff
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan
from tui.cli import main


@pytest.fixture
def store_file(db_path: Path) -> Path:
    database = open_database(db_path)
    shop = Shop()
    zhang = create_customer("13800138000", "张三", birthday="02-17", consent_how="paper", by=shop.manager.id)
    zeng = create_customer("13912348000", "曾静", birthday="06-09", consent_how="wechat", by=shop.manager.id)
    create_customer("13700000000", "=cmd|' /C calc'!A0", consent_how="paper", by=shop.manager.id)
    leaver = staff.create_staff("P2", "张伟", "promoter", "2222")
    create_customer("13600000000", "王五", owner_id=leaver.id, by=shop.manager.id)
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.customer_id = zhang.id
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=datetime(2026, 1, 5, 4, 0))
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku))
    cart.customer_id = zeng.id
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=datetime(2026, 1, 4, 4, 0))
    database.close()
    return db_path


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.output


def test_find_by_each_kind_of_key(store_file: Path) -> None:
    db = ["--db", str(store_file)]
    code, out = run("customers", "find", "8000", "--staff", "M1", "--pin", "1234", *db)
    assert code == 0 and "13800138000" in out and "13912348000" in out and "last 4 digits" in out
    code, out = run("customers", "find", "cj", *db)
    assert code == 0 and "曾静" in out and "张三" not in out
    code, out = run("customers", "find", "zhangsan", *db)
    assert code == 0 and "张三" in out and "pinyin" in out
    code, out = run("customers", "find", "+86 138-0013-8000", *db)
    assert code == 0 and "张三" in out
    code, out = run("customers", "find", "353281110000013"[:14] + "0", *db)
    assert code == 1 and "No customer matches" in out


def test_find_by_imei(store_file: Path) -> None:
    database = open_database(store_file)
    from store.models import ImeiUnit

    imei = ImeiUnit.get(ImeiUnit.status == "sold").imei
    database.close()
    code, out = run("customers", "find", imei, "--db", str(store_file))
    assert code == 0 and "张三" in out and "IMEI" in out


def test_segments_table(store_file: Path, tmp_path: Path) -> None:
    code, out = run("customers", "segments", "--date", "2026-01-10", "--db", str(store_file))
    assert code == 0, out
    # two buyers: 张三 bought later and more (R 3, F 1, M 3 = 7), 曾静 (1, 1, 1 = 3): both tier C
    assert "Tier C                     2  ¥6,038.00   100.0%  ████████████████████" in out
    assert "active                     2  ¥6,038.00   100.0%" in out
    assert "no purchase yet            2" in out
    assert "The top fifth of buyers make 99.4% of the revenue (¥6,038.00)." in out
    assert "A-class customers" not in out
    config = tmp_path / "config.toml"
    config.write_text("[customers]\ntier_a_min_score = 7\ntier_b_min_score = 4\n", encoding="utf-8")
    args = [
        "--date",
        "2026-01-10",
        "--db",
        str(store_file),
        "--config",
        str(config),
        "--staff",
        "M1",
        "--pin",
        "1234",
    ]
    code, out = run("customers", "segments", *args)
    assert code == 0, out
    assert "Tier A                     1  ¥5,999.00    99.4%  ███████████████████▉" in out
    assert "Tier C                     1     ¥39.00     0.7%  ▏" in out
    assert "A-class customers, by value:" in out
    assert "13800138000  ¥5,999.00  2026-01-05       313    张三" in out
    code, out = run("customers", "segments", "--date", "2027-01-10", "--db", str(store_file))
    assert "dormant                    2  ¥6,038.00   100.0%" in out


def test_care_as_table_csv_and_sms(store_file: Path, tmp_path: Path) -> None:
    db = ["--db", str(store_file)]
    code, out = run("care", "--date", "2026-02-17", *db)
    assert code == 0, out
    assert "Birthday" in out and "Spring Festival" in out and "张三" in out
    manager = ["--staff", "M1", "--pin", "1234"]
    code, out = run("care", "--date", "2026-02-17", "--format", "csv", *manager, *db)
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0] == ["Date", "Occasion", "Name", "Phone", "Message"]
    assert rows[1][:4] == ["2026-02-17", "Birthday", "张三", "13800138000"]
    assert ["2026-02-17", "Spring Festival", "'=cmd|' /C calc'!A0", "13700000000"] in [r[:4] for r in rows]
    assert all(not cell or cell[0] not in "=+-@" for row in rows for cell in row)
    code, out = run("care", "--date", "2027-06-09", "--format", "sms", *manager, *db)
    # 曾静's birthday, then Dragon Boat 2027 for the three who consented
    assert code == 0 and len(out.splitlines()) == 4 and "生日快乐" in out.splitlines()[0]
    assert all(line.split("\t")[0].isdigit() for line in out.splitlines())
    target = tmp_path / "care.csv"
    code, out = run("care", "--date", "2026-06-09", "--format", "csv", "--output", str(target), *db)
    assert code == 0 and "1 greeting written" in out
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    code, out = run("care", "--date", "2026-06-10", *db)
    assert code == 0 and "No greetings due." in out


def test_care_bad_date(store_file: Path) -> None:
    code, out = run("care", "--date", "2026-02-30", "--db", str(store_file))
    assert code == 1 and "Not a date: 2026-02-30" in out and "Traceback" not in out


def test_reassign_needs_a_manager_and_is_audited(store_file: Path) -> None:
    db = ["--db", str(store_file)]
    code, out = run("customers", "reassign", "P2", "P1", "--staff", "P1", "--pin", "1111", *db)
    assert code == 1 and "not a manager" in out
    code, out = run("customers", "reassign", "P2", "P1", "--staff", "M1", "--pin", "1234", *db)
    assert code == 0 and "Moved 1 customers and 0 open tasks from P2 to P1." in out
    database = open_database(store_file)
    try:
        assert Customer.get(Customer.phone == "13600000000").owner.code == "P1"
        assert AuditLog.select().where(AuditLog.action == "customer.reassign").count() == 1
    finally:
        database.close()
    code, out = run("customers", "reassign", "P9", "P1", "--staff", "M1", "--pin", "1234", *db)
    assert code == 1 and "No staff member with code P9." in out


def test_read_commands_without_a_login_mask_every_phone(store_file: Path) -> None:
    """No --staff: an anonymous operator, who sees 138****8000 in every read command."""
    db = ["--db", str(store_file)]
    code, out = run("customers", "find", "8000", *db)
    assert code == 0 and "138****8000" in out and "139****8000" in out
    assert "13800138000" not in out and "13912348000" not in out
    code, out = run("care", "--date", "2026-02-17", "--format", "csv", *db)
    assert code == 0 and "138****8000" in out and "13800138000" not in out
    config = store_file.parent / "a-class.toml"
    config.write_text("[customers]\ntier_a_min_score = 7\ntier_b_min_score = 4\n", encoding="utf-8")
    code, out = run("customers", "segments", "--date", "2026-01-10", *db, "--config", str(config))
    assert code == 0 and "138****8000  ¥5,999.00" in out and "13800138000" not in out


def test_a_promoter_login_still_sees_masked_phones(store_file: Path) -> None:
    code, out = run("customers", "find", "zs", "--staff", "P1", "--pin", "1111", "--db", str(store_file))
    assert code == 0 and "138****8000" in out and "13800138000" not in out


def test_a_wrong_pin_shows_nothing(store_file: Path) -> None:
    code, out = run("customers", "find", "zs", "--staff", "M1", "--pin", "9999", "--db", str(store_file))
    assert code != 0 and "138" not in out and "Wrong staff code or PIN" in out


def test_the_pin_is_asked_for_when_left_out(store_file: Path) -> None:
    code, out = run("customers", "find", "zs", "--staff", "M1", "--db", str(store_file), input="1234\n")
    assert code == 0 and "13800138000" in out
