from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store.config.loader import Config, default_config_path, load_config
from store.kernel.errors import ConfigError, ZhangguiError
from tui.keymap import check_keymap

DATA = Path(__file__).parent.parent / "data"
BAD = sorted((DATA / "bad_config").glob("*.toml"))


def expected_error(path: Path) -> str:
    """Each broken file says on its first line what the message must contain."""
    first = path.read_bytes().splitlines()[0].decode("ascii")
    assert first.startswith("# error: "), path
    return first.removeprefix("# error: ")


def test_defaults_when_no_file() -> None:
    # conftest points ZHANGGUI_CONFIG at a file that does not exist.
    assert not default_config_path().exists()
    cfg = load_config()
    assert cfg == Config()
    assert cfg.store.code == "S001"
    assert cfg.terminal.id == "T1"
    assert cfg.tz == ZoneInfo("Asia/Shanghai")
    assert cfg.printer.kind == "none"
    assert cfg.receipt.width == 32
    assert cfg.ui.idle_lock_minutes == 5
    assert cfg.discount_limit_percent("promoter") == 5
    assert cfg.discount_limit_percent("manager") == 30
    assert cfg.discount_limit_percent("nobody") == 0
    assert cfg.source == ""


def test_default_paths_live_in_the_user_data_dir(tmp_path: Path) -> None:
    cfg = load_config()
    assert cfg.database_path() == tmp_path / "xdg-data" / "zhanggui" / "store.db"
    assert cfg.receipts_dir().name == "receipts"
    assert cfg.exports_dir().name == "exports"


def test_env_variable_picks_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "custom.toml"
    target.write_text('[terminal]\nid = "T9"\n', encoding="utf-8")
    monkeypatch.setenv("ZHANGGUI_CONFIG", str(target))
    cfg = load_config()
    assert cfg.terminal.id == "T9"
    assert cfg.source == str(target)
    assert cfg.store.code == "S001"  # untouched keys keep their defaults


def test_full_file() -> None:
    cfg = load_config(DATA / "config_full.toml")
    assert cfg.store.code == "SZ01"
    assert cfg.store.name == "深圳华强北店"
    assert cfg.store.grade == "A"
    assert cfg.tz == ZoneInfo("Asia/Urumqi")
    assert cfg.terminal.id == "T2"
    assert cfg.ui.language == "zh_CN"
    assert cfg.ui.idle_lock_minutes == 0
    assert cfg.receipt.header == "[bold]欢迎[/bold]"
    assert cfg.receipt.width == 48
    assert cfg.printer.kind == "network"
    assert cfg.printer.target == "192.168.1.50:9100"
    assert [cfg.discount_limit_percent(r) for r in ("promoter", "cashier", "manager", "admin")] == [
        3,
        0,
        20,
        100,
    ]
    assert cfg.database_path() == Path("/srv/zhanggui/store.db")
    assert cfg.keymap == {"pay": "f12", "hold": "f8"}
    assert cfg.source == str(DATA / "config_full.toml")


def test_empty_file_is_all_defaults(tmp_path: Path) -> None:
    target = tmp_path / "empty.toml"
    target.write_text("", encoding="utf-8")
    cfg = load_config(target)
    assert cfg.store == Config().store
    assert cfg.discounts == Config().discounts


def test_bad_config_files_exist() -> None:
    assert len(BAD) >= 20


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_config_is_one_config_error_naming_the_key(path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        check_keymap(load_config(path).keymap)  # what the console checks before it starts
    message = str(err.value)
    assert expected_error(path) in message
    assert isinstance(err.value, ZhangguiError)
    assert "Traceback" not in message


def test_wrong_type_message_is_specific() -> None:
    with pytest.raises(ConfigError) as err:
        load_config(DATA / "bad_config" / "promoter_not_number.toml")
    assert str(err.value) == "config error at 'discounts.promoter': expected a whole number"


def test_syntax_error_names_file_and_line() -> None:
    path = DATA / "bad_config" / "bad_syntax.toml"
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert "line 2" in str(err.value)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "nope.toml")
    assert str(err.value) == f"config file not found: {tmp_path / 'nope.toml'}"


def test_a_directory_is_not_a_config_file(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as err:
        load_config(folder)
    assert str(folder) in str(err.value)


def test_bad_default_file_is_an_error_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHANGGUI_CONFIG", str(DATA / "bad_config" / "bad_printer.toml"))
    with pytest.raises(ConfigError) as err:
        load_config()
    assert "printer.kind" in str(err.value)
