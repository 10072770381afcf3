"""zhanggui hq: store add, import (with its progress bar), the three reports; on both backends."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from tests.hq_helpers import StoreDays
from tui.cli import main


def _run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["hq", *args, "--db", url])
    return result.exit_code, result.output


def test_register_import_and_report(hq_url: str, chain: dict[str, StoreDays], tmp_path: Path) -> None:
    s1 = chain["S001"]
    # The chain's five days follow the suite's clock (tests/hq_helpers.py).
    day0, day1, day2, day4 = (str(s1.first_day + timedelta(days=n)) for n in (0, 1, 2, 4))
    code, out = _run(hq_url, "store", "add", "S001", "--key", s1.key.public.text, "--name", "一店")
    assert code == 0 and f"Store S001 registered, key {s1.key.public.fingerprint}." in out
    code, out = _run(hq_url, "store", "add", "S001", "--key", s1.key.public.text)
    assert code == 0 and "nothing changed" in out
    code, out = _run(hq_url, "store", "add", "S001", "--key", "not-a-key")
    assert code == 1 and "is not a store's public key" in out and "Traceback" not in out

    files = [str(p) for p in (s1.files[0], s1.files[2], s1.files[0])]
    code, out = _run(hq_url, "import", *files)
    assert code == 0, out
    assert "imported before; nothing added" in out
    assert "Store S001 has not sent day files number 2 yet." in out
    assert "2 files imported, 0 refused." in out

    code, out = _run(hq_url, "import", str(chain["S002"].files[0]))
    assert code == 1 and "S002 has no public key registered" in out and "1 refused." in out

    code, out = _run(hq_url, "report", "sales", "--from", day0, "--to", day4, "--format", "csv")
    assert code == 0, out
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    days = s1.z_net
    assert rows[0] == ["Store", "Day", "Sales", "Returns", "Net"]
    got = {r[1]: r[4] for r in rows[1:]}
    first, third = sorted(days)[0], sorted(days)[2]
    assert got == {d.isoformat(): f"{days[d] // 100}.{days[d] % 100:02d}" for d in (first, third)}

    code, out = _run(hq_url, "report", "missing", "--from", day0, "--to", day2)
    assert code == 0 and day1 in out and day0 not in out
    target = tmp_path / "rank.xlsx"
    code, out = _run(
        hq_url,
        "report",
        "stores",
        "--from",
        day0,
        "--to",
        day4,
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0 and target.read_bytes()[:2] == b"PK"
    code, out = _run(hq_url, "report", "stores", "--from", day2, "--to", day0)
    assert code == 1 and "is before --from" in out


def test_a_missing_file_or_a_stores_own_database_is_refused_untouched(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    code, out = _run(str(missing), "report", "sales", "--from", "2026-12-07", "--to", "2026-12-07")
    assert code == 1 and f"No head-office database at {missing}" in out and not missing.exists()
    other = tmp_path / "shop.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE sale (id TEXT)")
    conn.close()
    before = other.read_bytes()
    code, out = _run(
        str(other), "store", "add", "S001", "--key", "zM2E7h68gWEjsJlH3v23DMnPwjBdLIYfBJ0ZMlzE1YI="
    )
    assert code == 1 and "holds no head-office database" in out and other.read_bytes() == before


def test_a_failing_database_is_one_sentence_and_keeps_nothing(
    chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    url = str(tmp_path / "hq.db")
    s1 = chain["S001"]
    assert _run(url, "store", "add", "S001", "--key", s1.key.public.text)[0] == 0
    with sqlite3.connect(url) as conn:  # the last write of the file's transaction fails
        conn.execute(
            "CREATE TRIGGER full BEFORE INSERT ON hq_files BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    conn.close()
    code, out = _run(url, "import", str(s1.files[0]))
    assert code == 1 and "Head office's database failed (disk full)" in out and "Traceback" not in out
    with sqlite3.connect(url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM hq_sales").fetchone() == (0,)
    conn.close()
