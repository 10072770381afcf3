"""zhanggui day open / report / close: a float, the X report of the day so far, a scripted
close with the manager's PIN, the Z report reprinted as CSV and XLSX, and clear refusals."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from store.db.connection import open_database
from store.kernel import FixedClock
from store.models import DayClose
from tests.conftest import Shop
from tests.store_helpers import sell, shop_in_file
from tui.cli import main


def _run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", str(db_path)])
    return result.exit_code, result.output


def test_open_report_close_and_reprint(db_path: Path, tmp_path: Path, clock: FixedClock) -> None:
    today = clock.today().isoformat()  # the store's business day by the suite's clock
    shop_in_file(db_path)
    code, out = _run(db_path, "day", "open", "--float", "100x2 10x5", "--staff", "P1", "--pin", "1111")
    assert code == 0 and "shift 1, float ¥250.00" in out, out
    database = open_database(db_path)
    sell(Shop.load(), case_qty=2)
    database.close()
    code, out = _run(db_path, "day", "report")
    assert code == 0 and "X report" in out and "¥328.00" in out and max(map(len, out.splitlines())) <= 80
    code, out = _run(db_path, "day", "report", "--shift", "1", "--format", "csv")
    assert code == 0 and "Cash,Expected in the drawer,,328.00" in out
    close = ["day", "close", "--date", today, "--staff", "M1", "--pin", "1234"]
    code, out = _run(db_path, *close, "--cash", "318")
    assert code == 1 and "¥10.00 short. Give a reason." in out and "Traceback" not in out
    code, out = _run(db_path, *close, "--cash", "318", "--not-counted")
    assert code == 1 and "Give one of --cash, --count or --not-counted." in out
    code, out = _run(db_path, *close, "--cash", "318", "--reason", "找零错误")
    assert code == 0 and "Z report No. 0001" in out and "-¥10.00" in out and "找零错误" in out, out
    assert "made and checked" in out  # the automatic backup after the Z report
    saved = Path(out.split("Saved to ")[1].splitlines()[0].strip())
    assert saved.name == f"Z0001-T1-{today.replace('-', '')}.txt"
    assert "Z report No. 0001" in saved.read_text(encoding="utf-8")
    code, again = _run(db_path, *close, "--cash", "318", "--reason", "x")
    assert code == 1 and f"{today} is closed (Z report 1)" in again
    code, out = _run(db_path, "day", "report", "--date", today, "--width", "32")
    assert code == 0 and "Z report No. 0001" in out and max(map(len, out.splitlines())) <= 32
    code, out = _run(db_path, "day", "report", "--date", today, "--format", "csv")
    assert code == 0 and "Cash,Expected in the drawer,,328.00\n" in out and "Cash,Counted,,318.00" in out
    target = tmp_path / "z.xlsx"
    code, out = _run(db_path, "day", "report", "--date", today, "--format", "xlsx", "--output", str(target))
    assert code == 0 and load_workbook(target).sheetnames == ["Figures", "Payments", "IMEI"]
    paper = tmp_path / "printer.bin"
    config = tmp_path / "config.toml"
    config.write_text(f'[printer]\nkind = "file"\ntarget = "{paper}"\n', encoding="utf-8")
    code, out = _run(db_path, "day", "report", "--date", today, "--print", "--config", str(config))
    assert (
        code == 0
        and paper.read_bytes().startswith(b"\x1b@\x1c&")
        and b"Z report No. 0001" in paper.read_bytes()
    )
    assert max(map(len, paper.read_bytes().split(b"\n"))) <= 32
    code, out = _run(db_path, "day", "report", "--print")
    assert code == 1 and "No receipt printer is set up" in out
    database = open_database(db_path)
    assert [(z.z_no, z.counted, z.over_short) for z in DayClose.select()] == [(1, 31800, -1000)]
    database.close()


def test_refusals_are_sentences(db_path: Path) -> None:
    shop_in_file(db_path)
    code, out = _run(db_path, "day", "open", "--float", "100 x", "--staff", "P1", "--pin", "1111")
    assert code == 1 and "Not a count" in out
    code, out = _run(db_path, "day", "close", "--not-counted", "--staff", "P1", "--pin", "1111")
    assert code == 1 and "is not a manager" in out
    code, out = _run(db_path, "day", "report", "--date", "2026-13-01")
    assert code == 1 and "Not a date" in out


def test_cash_movements_and_a_handover(db_path: Path) -> None:
    shop_in_file(db_path)
    _run(db_path, "day", "open", "--float", "100x2 10x5", "--staff", "P1", "--pin", "1111")
    code, out = _run(
        db_path, "day", "cash", "paid-out", "35", "--reason", "快递费", "--staff", "P1", "--pin", "1111"
    )
    assert code == 0 and "paid-out ¥35.00" in out, out
    big = ["day", "cash", "paid-out", "201", "--reason", "x", "--staff", "P1", "--pin", "1111"]
    code, out = _run(db_path, *big)
    assert code == 1 and "needs another person's manager PIN" in out
    code, out = _run(db_path, *big, "--approver", "M1", "--approver-pin", "1234")
    assert code == 0, out
    handover = [
        "day",
        "handover",
        "--staff",
        "P1",
        "--pin",
        "1111",
        "--incoming",
        "M1",
        "--incoming-pin",
        "1234",
    ]
    code, out = _run(db_path, *handover, "--count", "1x5")
    assert code == 1 and "¥9.00 short. Give a reason." in out
    code, out = _run(db_path, *handover, "--count", "10x1 1x4", "--reason", "-")
    assert code == 0 and "expected ¥14.00, counted ¥14.00; shift 2 begins with ¥14.00" in out, out
