"""zhanggui referrals report / settle / flags on a small store."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from store.db.connection import open_database
from store.kernel.clock import business_date
from store.models import ReferralReward
from store.models.base import utcnow
from store.people.targets import month_of
from tests.conftest import TILL, Shop
from tests.referral_helpers import customer, policy, refund, sell_to, till_with
from tui.cli import main


def _last_month_moment() -> datetime:
    """Noon in Shanghai on a day of last month, always at least ten days ago."""
    moment = utcnow().replace(day=1, hour=4, minute=0, second=0, microsecond=0) - timedelta(days=10)
    return moment.replace(day=min(moment.day, 20))


MOMENT = _last_month_moment()
MONTH = month_of(business_date(MOMENT, TILL.tz))


@pytest.fixture
def store(db_path: Path) -> Path:
    """张老客 bought the month before; last month he brought 李新客 (phone and a case, the case went back)
    and 张小; 王二 came alone."""
    database = open_database(db_path)
    shop = Shop()
    till = till_with(shop, policy())
    old = customer("13800138000", "张老客")
    sell_to(shop, till, old, shop.case.sku, when=MOMENT - timedelta(days=40))
    li = customer("13900139000", "李新客")
    first = sell_to(shop, till, li, shop.imeis[0], shop.case.sku, referrer=old, when=MOMENT)
    refund(shop, till, first, 2, when=MOMENT)
    sell_to(shop, till, customer("13800131234", "张小"), shop.imeis[1], referrer=old, when=MOMENT)
    sell_to(shop, till, customer("13700137000", "王二"), shop.case.sku, when=MOMENT)
    database.close()
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["referrals", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_report_as_a_table(store: Path) -> None:
    code, out = run("report", "--month", MONTH, "--db", str(store))
    assert code == 0, out
    assert out.startswith(f"Referrals {MONTH} (through ")
    assert "2 of 3 new customers came by referral (66.7%)" in out
    assert "S001" in out and "张老客" in out and "138****8000" in out
    assert "11,998.00" in out  # the referred customers' sales, the returned case taken off


def test_report_as_csv_to_a_file_and_one_store(store: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out" / "referrals.csv"
    code, out = run(
        "report", "--month", MONTH, "--format", "csv", "--output", str(out_file), "--db", str(store)
    )
    assert code == 0, out
    assert f"Report written to {out_file}" in out
    stores, leaders = out_file.read_text(encoding="utf-8-sig").split("\n\n")
    rows = list(csv.DictReader(io.StringIO(stores)))
    assert [(r["store"], r["new_customers"], r["referred"], r["share_permille"]) for r in rows] == [
        ("S001", "3", "2", "667"),
        ("*", "3", "2", "667"),
    ]
    assert rows[0]["revenue_new_fen"] == str(2 * 599900 + 3900)
    assert rows[0]["vouchers_issued_fen"] == str(2 * (5000 + 2000))
    assert next(iter(csv.DictReader(io.StringIO(leaders))))["name"] == "张老客"
    code, out = run("report", "--month", MONTH, "--format", "csv", "--store", "S002", "--db", str(store))
    assert code == 0, out
    assert out.splitlines()[1].split(",")[1:4] == ["S002", "0", "0"]


def test_report_as_xlsx(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    code, out = run(
        "report", "--month", MONTH, "--format", "xlsx", "--output", str(target), "--db", str(store)
    )
    assert code == 0, out
    book = load_workbook(target)
    sheet = book[MONTH]
    assert [c.value for c in sheet[1]][:4] == ["Store", "New customers", "Referred", "Share"]
    assert [sheet["A2"].value, sheet["B2"].value, sheet["C2"].value] == ["S001", 3, 2]
    assert float(sheet["D2"].value) == pytest.approx(0.667)
    assert float(sheet["E2"].value) == 12037.0 and sheet["E2"].number_format == "#,##0.00"
    assert sheet["A3"].value == "All stores"
    top = book["Top referrers"]
    assert [top["A2"].value, top["B2"].value, top["C2"].value, top["D2"].value] == [
        1,
        "张老客",
        "138****8000",
        2,
    ]


def test_xlsx_goes_to_the_exports_folder_by_default(store: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nexports = "{tmp_path / "exports"}"\n', encoding="utf-8")
    code, out = run(
        "report", "--month", MONTH, "--format", "xlsx", "--db", str(store), "--config", str(config)
    )
    assert code == 0, out
    assert (tmp_path / "exports" / f"referrals-{MONTH}.xlsx").exists()


@pytest.mark.parametrize(
    ("month", "message"),
    [("2026-13", "A month is written like 2026-11"), ("soon", "A month is written like 2026-11")],
)
def test_a_bad_month_is_a_clear_error(store: Path, month: str, message: str) -> None:
    code, out = run("report", "--month", month, "--db", str(store))
    assert code == 1
    assert out.startswith("Error: ") and message in out


def test_a_future_month_is_refused(store: Path) -> None:
    future = month_of(business_date(utcnow(), TILL.tz).replace(day=28) + timedelta(days=10))
    code, out = run("report", "--month", future, "--db", str(store))
    assert code == 1 and "has not started yet" in out


def test_an_unwritable_output_is_a_clear_error(store: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, out = run(
        "report",
        "--month",
        MONTH,
        "--format",
        "xlsx",
        "--output",
        str(blocker / "r.xlsx"),
        "--db",
        str(store),
    )
    assert code == 1 and "Cannot write" in out


def test_settle_earns_what_was_kept_and_is_idempotent(store: Path) -> None:
    code, out = run("settle", "--db", str(store))
    assert code == 0, out
    today = business_date(utcnow(), TILL.tz).isoformat()
    assert f"Rewards settled for {today}: 6 earned, 0 cancelled, 0 expired." in out
    code, out = run("settle", "--db", str(store))
    assert code == 0 and "0 earned, 0 cancelled, 0 expired" in out
    database = open_database(store)
    try:
        assert {r.status for r in ReferralReward.select()} == {"earned"}
    finally:
        database.close()


def test_flags_name_the_customers_and_the_reason(store: Path) -> None:
    code, out = run("flags", "--db", str(store))
    assert code == 0, out
    assert "same prefix, surname" in out
    assert "张老客 138****8000" in out and "张小 138****1234" in out
    assert "李新客" not in out  # the default needs 5 referrals before the repeat-purchase flag
    code, out = run("flags", "--store", "S002", "--db", str(store))
    assert code == 0 and "Nothing to look at" in out


def test_every_command_has_help_with_an_example() -> None:
    for name in ("report", "settle", "flags"):
        result = CliRunner().invoke(main, ["referrals", name, "--help"])
        assert result.exit_code == 0 and f"Examples:\n\n  zhanggui referrals {name}" in result.output


def test_invite_lists_consenting_buyers_with_their_codes(store: Path, tmp_path: Path) -> None:
    from store.crm import records
    from store.models import Customer

    database = open_database(store)
    old = Customer.get(Customer.phone == "13800138000")
    records.set_consent(old.id, "paper", by="")
    code_of_old = str(old.referral_code)
    database.close()
    code, out = run("invite", "--db", str(store))
    assert code == 0, out
    assert "138" in out and code_of_old in out and "张老客您好" in out
    assert "13700137000" not in out  # 王二 bought but gave no consent
    target = tmp_path / "invite.txt"
    manager = ["--staff", "M1", "--pin", "1234"]
    code, out = run("invite", "--format", "sms", "--output", str(target), *manager, "--db", str(store))
    assert code == 0 and "1 invitation written" in out
    assert target.read_text(encoding="utf-8").startswith("13800138000\t张老客您好！")
    # Without a login the list is for reading: no whole number leaves the store.
    code, out = run("invite", "--format", "sms", "--db", str(store))
    assert code == 0 and out.startswith("138****8000\t张老客您好！") and "13800138000" not in out
    code, out = run("invite", "--days", "1", "--db", str(store))
    assert code == 0 and "No customer to invite" in out
