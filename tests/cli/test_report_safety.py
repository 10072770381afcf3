"""Every report and export, in every format it offers, on a store whose supplier, product,
staff and customer names start with = + - @: no text cell or field reaches a spreadsheet as a
formula, every CSV starts with a BOM, and the Chinese tables line up on the terminal."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import wcwidth
from click.testing import CliRunner
from openpyxl import load_workbook

from store.config.loader import Config
from store.crm.records import create_customer
from store.db.connection import open_database
from store.models import Product, Staff, Supplier, SupplierItem
from store.models import base as model_base
from store.people import roster_edit
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import count_entry, count_sessions
from tests.conftest import Shop
from tests.referral_helpers import policy, sell_to, till_with
from tests.store_helpers import manager_actor, pay, scan
from tui.cli import main

NOW = datetime(2026, 11, 27, 4, 0)  # noon in Shanghai
MONTH = "2026-11"
WEEK = "2026-W48"
SUPPLIER = '=HYPERLINK("http://x","y")华南地包'
PRODUCT = "+SUM(1,2) 磁吸手机壳"
PROMOTER = "-李小红"
REFERRER = "@张老客"
NEWCOMER = "=cmd|' /C calc'!A0 王新客"
HOSTILE = (SUPPLIER, PRODUCT, PROMOTER, REFERRER, NEWCOMER)
FORMULA_START = "=+-@\t\r"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands take 'today' from the store's clock; here it is NOW, never the wall."""
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith(("store.", "tui.")) and getattr(module, "utcnow", None) is model_base.utcnow:
            monkeypatch.setattr(module, "utcnow", lambda: NOW)


@pytest.fixture
def hostile_store(db_path: Path) -> Path:
    database = open_database(db_path)
    shop = Shop()
    Staff.update(name=PROMOTER).where(Staff.id == shop.promoter.id).execute()
    Product.update(brand="+SUM(1,2)", model="磁吸手机壳").where(Product.id == shop.case.id).execute()
    supplier = Supplier.create(code="HN01", name=SUPPLIER, channel="distributor", lead_time_days=3)
    SupplierItem.create(product=shop.case.id, supplier=supplier.id, pack_size=10)
    till = till_with(shop, policy())
    old = create_customer("13800138000", REFERRER, birthday="11-27", consent_how="paper", by=shop.manager.id)
    sell_to(shop, till, old, shop.imeis[1], when=NOW - timedelta(days=40))
    newcomer = create_customer("13900139000", NEWCOMER, consent_how="paper", by=shop.manager.id)
    sell_to(shop, till, newcomer, shop.imeis[0], referrer=old, when=NOW - timedelta(days=5))
    for days_ago in (2, 5, 9, 14, 20):  # the case sells: below its reorder point
        cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
        cart.add_scan(scan(shop.case.sku), 3)
        pay(cart)
        checkout.commit_sale(cart, shop.till, now=NOW - timedelta(days=days_ago))
    roster_edit.assign(shop.promoter.id, date(2026, 11, 23), "E", Config(), actor=manager_actor(shop))
    count = count_sessions.start_count(scope_kind="all", staff_id=shop.promoter.id, now=NOW)
    count_entry.enter(count.id, f"3*{shop.case.sku}", staff_id=shop.promoter.id, now=NOW)
    count_sessions.close(count.id, staff_id=shop.promoter.id, now=NOW)
    (db_path.parent / "count-number").write_text(count.number, encoding="utf-8")
    database.close()
    return db_path


def run_bytes(*args: str) -> bytes:
    """What the command printed, byte for byte (Result.output turns CRLF into LF)."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout_bytes


def run(*args: str) -> str:
    return run_bytes(*args).decode("utf-8")


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _assert_safe(cells: list[str], where: str) -> None:
    """A cell starting with = + - @ is a number or carries the apostrophe that makes it text;
    each hostile name appears only escaped."""
    for cell in cells:
        if cell and cell[0] in FORMULA_START:
            assert _is_number(cell), f"{where}: {cell!r} would run as a formula"
    for name in HOSTILE:
        assert not any(cell.startswith(name) for cell in cells), f"{where}: {name!r} unescaped"


def _commands(number: str) -> dict[str, list[str]]:
    """Every report and export, by name, with what it needs (formats are added below)."""
    return {
        "roster": ["roster", "--week", WEEK],
        "promoters report": ["promoters", "report", "--month", MONTH],
        "referrals report": ["referrals", "report", "--month", MONTH],
        "referrals invite": ["referrals", "invite", "--days", "180"],
        "care": ["care", "--date", "2026-11-27"],
        "reorder": ["reorder"],
        "counts show": ["counts", "show", number, "--all"],
    }


FORMATS = {
    "roster": ("table", "csv", "xlsx"),
    "promoters report": ("table", "csv", "xlsx"),
    "referrals report": ("table", "csv", "xlsx"),
    "referrals invite": ("table", "csv"),
    "care": ("table", "csv"),
    "reorder": ("table", "csv", "xlsx"),
    "counts show": ("table", "csv"),
}
OUTPUT_OPTION = {"reorder": "--output"}
# Which names each report shows (a report lists only what it is about).
SHOWS = {
    "roster": (PROMOTER,),
    "promoters report": (PROMOTER,),
    "referrals report": (REFERRER,),
    "referrals invite": (REFERRER, NEWCOMER),
    "care": (REFERRER,),
    "reorder": (SUPPLIER, PRODUCT),
    "counts show": (PRODUCT,),
}


def _cases() -> list[tuple[str, str]]:
    return [(name, fmt) for name, formats in FORMATS.items() for fmt in formats]


@pytest.mark.parametrize(("name", "fmt"), _cases())
def test_every_export_neutralises_every_text_cell(
    hostile_store: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    number = (hostile_store.parent / "count-number").read_text(encoding="utf-8")
    args = [*_commands(number)[name], "--format", fmt, "--db", str(hostile_store)]
    if fmt == "table":
        out = run(*args)
        for shown in SHOWS[name]:
            assert shown in out, f"{name}: {shown!r} not listed, so the test proves nothing"
        return
    target = tmp_path / f"out.{fmt}"
    if name != "counts show":
        args += [OUTPUT_OPTION.get(name, "--output"), str(target)]
        run(*args)
    else:
        target.write_bytes(run_bytes(*args))  # it prints the CSV: `> file.csv` is the file
    if fmt == "csv":
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}: no BOM, Excel on a Chinese Windows reads GBK"
        text = raw.decode("utf-8-sig")
        assert "\n" not in text.replace("\r\n", ""), f"{name}: a line not ended by CRLF"
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    else:
        book = load_workbook(target)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}: {sheet.title}!{cell.coordinate} is a formula"
                    if isinstance(cell.value, str):
                        cells.append(cell.value)
    _assert_safe(cells, f"{name} {fmt}")
    for shown in SHOWS[name]:
        assert any(shown in cell for cell in cells), (
            f"{name} {fmt}: {shown!r} missing, so the test proves nothing"
        )


def _columns(separator: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(separator + " "):
        if ch == "-" and start is None:
            start = i
        elif ch != "-" and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _cells_at(line: str) -> str:
    """The line as terminal cells: a wide character takes two."""
    return "".join(ch + ("\0" if wcwidth.wcwidth(ch) == 2 else "") for ch in line)


@pytest.mark.parametrize(
    "args",
    [
        ["roster", "--week", WEEK],
        ["promoters", "report", "--month", MONTH],
        ["suppliers", "list"],
        ["referrals", "report", "--month", MONTH],
        ["reorder"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_chinese_tables_line_up(hostile_store: Path, args: list[str]) -> None:
    out = run(*args, "--db", str(hostile_store))
    lines = out.splitlines()
    separators = [
        i for i, line in enumerate(lines) if line.strip() and set(line) <= {"-", " "} and "--" in line
    ]
    assert separators, out
    checked = 0
    for at in separators:
        separator = lines[at]
        width = len(separator)
        gaps = [end for _start, end in _columns(separator)[:-1]]
        rows = [lines[at - 1]]  # the header, then the rows that name someone or something
        for line in lines[at + 1 :]:
            if not line.strip():
                break
            if any(name in line for name in (*HOSTILE, "王店长")):
                rows.append(line)
        checked += len(rows) - 1
        for line in rows:
            cells = _cells_at(line)
            assert wcwidth.wcswidth(line.rstrip()) <= width, f"{args}: too wide\n{separator}\n{line}"
            assert all(g >= len(cells) or cells[g] == " " for g in gaps), (
                f"{args}: a column starts out of line\n{separator}\n{line}"
            )
    assert checked, f"{args}: no row names anyone, so nothing was checked\n{out}"
