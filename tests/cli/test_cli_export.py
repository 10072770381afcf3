"""zhanggui export: a missing key, an open day, a closed day written and read back, --pending."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from store.db.connection import open_database
from store.exchange.keys import load_signing_key
from store.exchange.reader import read_signed
from store.kernel import FixedClock
from tests.conftest import Shop
from tests.exchange_helpers import trusting
from tests.store_helpers import sell, shop_in_file
from tui.cli import main


def _run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", str(db_path)])
    return result.exit_code, result.output


def test_export_a_closed_day_and_the_pending_ones(db_path: Path, tmp_path: Path, clock: FixedClock) -> None:
    day = clock.today().isoformat()  # the business day by the suite's clock: any moment, any month end
    shop_in_file(db_path)
    database = open_database(db_path)
    sell(Shop.load(), case_qty=2)
    database.close()
    config = tmp_path / "config.toml"
    config.write_text('[hq]\nphone_secret = "0123456789abcdef-chain"\n', encoding="utf-8")
    out_dir = tmp_path / "usb"
    export = ["export", "--config", str(config), "--out", str(out_dir)]
    code, out = _run(db_path, *export, "--day", day)
    assert code == 1 and "zhanggui keys init" in out and "Traceback" not in out
    assert _run(db_path, "keys", "init")[0] == 0
    code, out = _run(db_path, *export, "--day", day)
    assert code == 1 and f"{day} is not closed" in out and "zhanggui day close" in out
    assert not out_dir.exists() or not list(out_dir.iterdir())
    close = ["day", "close", "--date", day, "--staff", "M1", "--pin", "1234", "--not-counted"]
    assert _run(db_path, *close, "--reason", "测试")[0] == 0
    code, out = _run(db_path, *export, "--pending")
    assert code == 0 and f"{day}:" in out and "sequence 1" in out and "1 day exported." in out, out
    (written,) = out_dir.iterdir()
    read = read_signed(written, trusting(load_signing_key("S001")), kind="day", schema_versions={1})
    assert read.manifest["counts"]["sales"] == 1 and read.manifest["z_numbers"] == {"T1": 1}
    code, out = _run(db_path, *export, "--pending")
    assert code == 0 and "nothing to write" in out
    first = written.read_bytes()
    code, out = _run(db_path, *export)  # the last closed day, again: the very same file
    assert code == 0 and "sequence 1" in out and written.read_bytes() == first
