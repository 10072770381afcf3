"""store.reports: one table model written as text, CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import wcwidth
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from store.kernel.errors import ValidationError
from store.reports import writers
from store.reports.table import Column, Kind, Table, text_table


def _sample() -> Table:
    columns = [
        Column("Name"),
        Column("Qty", Kind.INT),
        Column("Amount", Kind.FEN),
        Column("Cost", Kind.YUAN),
        Column("Share", Kind.PERMILLE),
        Column("Hours", Kind.HOURS),
        Column("Day", Kind.DATE),
    ]
    table = Table(columns, title="Sheet")
    table.add('=HYPERLINK("http://x","y")', -3, -150, 123456, 667, 90, date(2026, 11, 27))
    table.add("张三丰", 1200, 599900, 800, None, 0, None)
    return table


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_puts_an_apostrophe_before_a_formula_start(start: str) -> None:
    assert writers.neutralise(start + "1+1") == "'" + start + "1+1"


def test_neutralise_leaves_plain_text() -> None:
    assert writers.neutralise("张三") == "张三" and writers.neutralise("") == ""


def test_csv_has_a_bom_crlf_numbers_as_numbers_and_text_neutralised() -> None:
    text = writers.to_csv(_sample())
    assert text.startswith("\ufeff")
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Name", "Qty", "Amount", "Cost", "Share", "Hours", "Day"]
    # numbers typed as numbers stay numbers, even negative; fen stays fen, yuan is yuan
    assert rows[1] == ['\'=HYPERLINK("http://x","y")', "-3", "-150", "1234.56", "667", "90", "2026-11-27"]
    assert rows[2] == ["张三丰", "1200", "599900", "8.00", "", "0", ""]


def test_a_number_held_as_text_is_neutralised_like_any_text() -> None:
    rows = list(
        csv.reader(io.StringIO(writers.to_csv(text_table(["x"], [["-¥16.00"]])).removeprefix("\ufeff")))
    )
    assert rows[1] == ["'-¥16.00"]


def test_csv_of_two_tables_has_a_blank_line_between() -> None:
    text = writers.to_csv(text_table(["a"], [["1"]]), text_table(["b"], [["2"]]))
    assert text == "\ufeffa\r\n1\r\n\r\nb\r\n2\r\n"


def test_xlsx_types_and_formats(tmp_path: Path) -> None:
    path = writers.write_xlsx(tmp_path / "t.xlsx", _sample(), text_table(["Note"], [["@me"]], title="a/b:c"))
    book = load_workbook(path)
    assert book.sheetnames == ["Sheet", "a_b_c"]
    sheet = book["Sheet"]
    assert [c.value for c in sheet[1]] == ["Name", "Qty", "Amount", "Cost", "Share", "Hours", "Day"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x","y")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3 and sheet["B3"].value == 1200
    assert Decimal(str(sheet["C2"].value)) == Decimal("-1.50") and sheet["C2"].number_format == "#,##0.00"
    assert Decimal(str(sheet["D2"].value)) == Decimal("1234.56") and sheet["D2"].number_format == "#,##0.00"
    assert Decimal(str(sheet["E2"].value)) == Decimal("0.667") and sheet["E2"].number_format == "0.0%"
    assert Decimal(str(sheet["F2"].value)) == Decimal("1.5")
    assert sheet["G2"].value.date() == date(2026, 11, 27) and sheet["G2"].number_format == "yyyy-mm-dd"
    assert sheet["E3"].value is None and sheet.freeze_panes == "A2"
    assert book["a_b_c"]["A2"].value == "'@me"


def test_xlsx_to_an_unwritable_place_is_one_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="Cannot write"):
        writers.write_xlsx(blocker / "t.xlsx", _sample())
    assert not (tmp_path / "t.xlsx.part").exists()


def test_sheet_titles_are_legal_and_unique() -> None:
    taken: set[str] = set()
    assert writers.sheet_title("x" * 40, taken) == "x" * 28
    assert writers.sheet_title("X" * 40, taken) == "X" * 25 + "~2"
    assert writers.sheet_title("'[]'", taken) == "__"


def test_text_counts_a_chinese_character_as_two_cells() -> None:
    lines = writers.as_text(_sample()).splitlines()
    widths = {wcwidth.wcswidth(line) for line in lines}
    assert len(widths) == 1, lines
    assert "1,200" in lines[3] and "5,999.00" in lines[3] and "1:30" in lines[2] and "66.7%" in lines[2]


@given(st.lists(st.text(alphabet="=+-@张三李ab 1", min_size=0, max_size=8), min_size=1, max_size=6))
def test_every_row_of_a_text_table_is_as_wide_as_the_rule(names: list[str]) -> None:
    table = text_table(["名字", "n"], [[name, "1"] for name in names])
    lines = writers.as_text(table).splitlines()
    assert len({wcwidth.wcswidth(line) for line in lines}) == 1, lines
