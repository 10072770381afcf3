"""[keymap] ids are checked against the console's bindings before it starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from store.config.loader import load_config
from store.kernel.errors import ConfigError
from tui.app import ZhangguiApp
from tui.cli import main
from tui.keymap import binding_classes, binding_ids, check_keymap

BAD = Path(__file__).parent.parent / "data" / "bad_config" / "keymap_unknown_id.toml"


def test_known_ids_are_every_binding_of_the_console() -> None:
    known = binding_ids(binding_classes())
    assert {"app.quit", "app.menu", "sale.pay", "sale.hold"} <= known
    check_keymap({"sale.pay": "f12", "app.menu": "f10"})


def test_an_unknown_id_is_one_config_error_naming_it() -> None:
    cfg = load_config(BAD)  # store/ reads it: it cannot know the console's bindings
    with pytest.raises(ConfigError) as err:
        check_keymap(cfg.keymap)
    assert str(err.value) == (
        "config error at 'keymap.sale.payy': no key binding has this id (config.toml lists them)"
    )


def test_the_console_does_not_start_with_an_unknown_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(ZhangguiApp, "run", lambda self: started.append(True))
    db = tmp_path / "store.db"
    result = CliRunner().invoke(main, ["--db", str(db), "--config", str(BAD)])
    assert result.exit_code == 1
    assert "keymap.sale.payy" in result.output
    assert "Traceback" not in result.output
    assert started == [] and not db.exists()  # stopped before the store was opened
