"""zhanggui roster and zhanggui promoters on a small store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from store.config.loader import Config
from store.db.connection import open_database
from store.people import roster_edit
from tests.conftest import Shop
from tests.store_helpers import manager_actor
from tui.cli import main

MON = date(2026, 11, 23)


@pytest.fixture
def store_with_roster(db_path: Path) -> Path:
    database = open_database(db_path)
    shop = Shop()
    cfg = Config()
    roster_edit.assign(shop.promoter.id, MON, "E", cfg, actor=manager_actor(shop))
    roster_edit.assign(shop.manager.id, MON, "L", cfg, actor=manager_actor(shop))
    database.close()
    return db_path


def test_roster_table(store_with_roster: Path) -> None:
    result = CliRunner().invoke(main, ["roster", "--week", "2026-W48", "--db", str(store_with_roster)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Roster 2026-W48 (draft)"
    assert any(line.startswith("P1 李小红") and "早班" in line for line in lines)
    assert "Tue 11/24 09:00-21:00: 0 on duty, at least 2 needed." in result.output


def test_roster_csv_to_a_file(store_with_roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.csv"
    result = CliRunner().invoke(
        main,
        [
            "roster",
            "--week",
            "2026-W48",
            "--format",
            "csv",
            "--output",
            str(out),
            "--db",
            str(store_with_roster),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        "2026-W48,2026-11-23,M1,王店长,L,15:00,21:00,6:00",
        "2026-W48,2026-11-23,P1,李小红,E,09:00,15:00,6:00",
    ]


def test_roster_xlsx(store_with_roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "roster",
            "--week",
            "2026-W48",
            "--format",
            "xlsx",
            "--output",
            str(out),
            "--db",
            str(store_with_roster),
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["2026-W48"]
    assert sheet["A2"].value == "M1 王店长" and sheet["B2"].value == "晚班"
    assert sheet["A3"].value == "P1 李小红" and sheet["B3"].value == "早班"


def test_roster_bad_week_is_one_message(store_with_roster: Path) -> None:
    result = CliRunner().invoke(main, ["roster", "--week", "2026-48", "--db", str(store_with_roster)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --week: A week is written like 2026-W48: 2026-48"


@pytest.fixture
def store_with_sales(db_path: Path) -> Path:
    from store.models.base import utcnow
    from store.selling import checkout
    from tests.store_helpers import pay, promoter_cart, scan

    database = open_database(db_path)
    shop = Shop()
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.case.sku), 2)
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=utcnow())
    database.close()
    return db_path


def this_month() -> str:
    from store.kernel.clock import business_date
    from store.models.base import utcnow
    from store.people import targets
    from tests.conftest import TILL

    return targets.month_of(business_date(utcnow(), TILL.tz))


def test_promoters_target_then_report(store_with_sales: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    month = this_month()
    db = ["--db", str(store_with_sales)]
    set_it = runner.invoke(
        main,
        [
            *("promoters", "target", "--month", month, "--promoter", "P1"),
            *("--units", "4", "--amount", "20000", "--staff", "M1", "--pin", "1234", *db),
        ],
    )
    assert set_it.exit_code == 0, set_it.output
    assert set_it.output.strip() == f"Target for {month}: 4 handsets, ¥20,000.00."

    table = runner.invoke(main, ["promoters", "report", "--month", month, *db])
    assert table.exit_code == 0, table.output
    p1 = next(line for line in table.output.splitlines() if line.startswith("P1"))
    assert p1.split()[-6:] == ["6,077.00", "1", "0.00", "66.23", "20,000.00", "30%"]

    rows = runner.invoke(
        main, ["promoters", "report", "--month", month, "--format", "csv", *db]
    ).output.splitlines()
    assert rows[0].startswith("\ufeffmonth,code,name,level,rostered_minutes")
    assert rows[1].endswith(",607700,1,0,6623,2000000,4")

    out = tmp_path / "report.xlsx"
    xlsx = runner.invoke(
        main, ["promoters", "report", "--month", month, "--format", "xlsx", "--output", str(out), *db]
    )
    assert xlsx.exit_code == 0, xlsx.output
    assert load_workbook(out)[month]["B2"].value == "李小红"


def test_a_brand_target_set_on_the_command_line_is_in_the_report(store_with_sales: Path) -> None:
    """`promoters target --brand` used to be accepted and never shown (issue 13)."""
    runner = CliRunner()
    month = this_month()
    db = ["--db", str(store_with_sales)]
    set_it = runner.invoke(
        main,
        [
            *("promoters", "target", "--month", month, "--promoter", "P1", "--brand", "Apple"),
            *("--units", "2", "--staff", "M1", "--pin", "1234", *db),
        ],
    )
    assert set_it.exit_code == 0, set_it.output
    table = runner.invoke(main, ["promoters", "report", "--month", month, *db])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert "Brand targets" in lines
    p1 = next(x for x in lines[lines.index("Brand targets") :] if x.startswith("P1"))
    assert p1.split() == ["P1", "李小红", "Apple", "5,999.00", "1", "2", "50%"]
    rows = runner.invoke(main, ["promoters", "report", "--month", month, "--format", "csv", *db]).output
    assert rows.splitlines()[-1] == f"{month},P1,李小红,Apple,599900,1,0,2,50"


def test_target_spellings_one_manager_option_and_this_month_by_default(store_with_sales: Path) -> None:
    """--staff names the manager on every command (--manager still works, unshown); the old
    `--staff P1 ... --manager M1` (P1 was the promoter then) is refused, not read as a store
    target approved by whichever came last."""
    runner = CliRunner()
    db = ["--db", str(store_with_sales)]
    old = runner.invoke(
        main,
        ["promoters", "target", "--staff", "P1", "--units", "4", "--manager", "M1", "--pin", "1234", *db],
    )
    assert old.exit_code == 1
    assert "--staff was given 2 different values (P1, M1); give it once." in old.output
    alias = runner.invoke(
        main, ["promoters", "target", "--units", "4", "--manager", "M1", "--pin", "1234", *db]
    )
    assert alias.exit_code == 0, alias.output
    assert alias.output.strip() == f"Target for {this_month()}: 4 handsets, ¥0.00."
    shown = runner.invoke(main, ["promoters", "target", "--help"]).output
    assert "--staff" in shown and "--promoter" in shown and "--manager" not in shown


def test_promoters_target_refuses_a_past_month_and_a_non_manager(store_with_sales: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(store_with_sales)]
    past = runner.invoke(
        main,
        [
            "promoters",
            "target",
            "--month",
            "2020-01",
            "--units",
            "4",
            "--manager",
            "M1",
            "--pin",
            "1234",
            *db,
        ],
    )
    assert past.exit_code == 1
    assert past.output.strip() == "Error: 2020-01 is over: targets are set for this month or later."
    promoter = runner.invoke(
        main,
        [
            "promoters",
            "target",
            "--month",
            this_month(),
            "--units",
            "4",
            "--manager",
            "P1",
            "--pin",
            "1111",
            *db,
        ],
    )
    assert promoter.exit_code == 1 and "李小红 is not a manager." in promoter.output


def test_promoters_ladder(store_with_sales: Path) -> None:
    result = CliRunner().invoke(main, ["promoters", "ladder", "--db", str(store_with_sales)])
    assert result.exit_code == 0, result.output
    p1 = next(line for line in result.output.splitlines() if line.startswith("P1"))
    assert "见习促销员" in p1 and "eligible now" in p1  # not on the ladder: the first rung asks nothing


def test_profile_training_and_leave_from_the_command_line(store_with_sales: Path) -> None:
    from store.models import LeaveRequest, Staff, TrainingRecord

    runner = CliRunner()
    db = ["--db", str(store_with_sales)]
    manager = ["--manager", "M1", "--pin", "1234"]
    result = runner.invoke(
        main,
        [
            "promoters",
            "profile",
            "P1",
            "--level",
            "L2",
            "--brand",
            "Huawei",
            "--status",
            "on_leave",
            *manager,
            *db,
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "李小红: level L2, brand Huawei, home store -, on leave."
    bad = runner.invoke(main, ["promoters", "profile", "P1", "--level", "L9", *manager, *db])
    assert bad.exit_code == 1 and bad.output.strip() == "Error: Unknown ladder level: L9"
    course = runner.invoke(
        main,
        [
            "promoters",
            "training",
            "P1",
            "--course",
            "产品知识",
            "--date",
            "2026-11-20",
            "--result",
            "passed",
            *manager,
            *db,
        ],
    )
    assert course.exit_code == 0, course.output
    assert course.output.strip() == "2026-11-20  产品知识  passed"
    off = runner.invoke(
        main,
        [
            "promoters",
            "leave",
            "P1",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-03",
            "--reason",
            "回老家",
            "--kind",
            "annual",
            *manager,
            *db,
        ],
    )
    assert off.exit_code == 0, off.output
    assert "Annual leave (年假) for " in off.output
    bad_day = runner.invoke(
        main, ["promoters", "leave", "P1", "--from", "12/01", "--to", "2026-12-03", *manager, *db]
    )
    assert bad_day.exit_code == 1 and "--from: Not a date: 12/01 (write YYYY-MM-DD)" in bad_day.output
    database = open_database(store_with_sales)
    try:
        member = Staff.get(Staff.code == "P1")
        assert (member.level, member.brand, member.status) == ("L2", "Huawei", "on_leave")
        assert TrainingRecord.select().count() == 1
        leave = LeaveRequest.get()
        assert (str(leave.first_day), str(leave.last_day), leave.status, leave.kind) == (
            "2026-12-01",
            "2026-12-03",
            "approved",
            "annual",
        )
    finally:
        database.close()
