"""python-escpos reads its capabilities from a pickle in the user's cache folder, written once
from the JSON file, instead of parsing the file as YAML in every process."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from store.selling import escpos_lib


def test_the_pickle_is_the_capabilities_file_and_is_written_again_when_older(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(escpos_lib.PICKLE_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = escpos_lib.prepare_capabilities()
    assert folder == tmp_path / "cache" / "zhanggui" / "escpos"
    assert os.environ[escpos_lib.PICKLE_DIR_VARIABLE] == str(folder)
    (made,) = folder.glob("*.capabilities.pickle")
    source = escpos_lib.capabilities_file()
    assert source is not None
    with made.open("rb") as handle:
        assert pickle.load(handle) == json.loads(source.read_text(encoding="utf-8"))
    os.utime(made, (0, 0))  # older than the file (python-escpos upgraded): written again
    escpos_lib.prepare_capabilities()
    assert made.stat().st_mtime > 0
    assert [p.name for p in folder.iterdir()] == [made.name]  # no temporary file left


def test_a_folder_that_cannot_be_written_leaves_python_escpos_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv(escpos_lib.PICKLE_DIR_VARIABLE, str(blocked / "escpos"))
    assert escpos_lib.prepare_capabilities() is None
    monkeypatch.delenv(escpos_lib.PICKLE_DIR_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert escpos_lib.prepare_capabilities() is None
    assert escpos_lib.PICKLE_DIR_VARIABLE not in os.environ


def test_a_new_process_loads_the_pickle_not_the_yaml(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop(escpos_lib.PICKLE_DIR_VARIABLE, None)
    script = (
        "from store.selling import escpos_lib\n"
        "import escpos.capabilities as c\n"
        "print(c.full_load, c.pickle_dir)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", str(tmp_path / "cache" / "zhanggui" / "escpos")]
