"""The layer contracts in pyproject.toml ([tool.importlinter]) hold, and they would catch a
new import across the line: store never imports the UI, tui never reaches into the tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_tree_keeps_its_layer_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_new_import_across_a_layer_breaks_the_contracts(tmp_path: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "locale", "*.pyc")
    for package in ("store", "tui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "store" / "leaky.py").write_text("import textual\n", encoding="utf-8")
    (tmp_path / "tui" / "leaky.py").write_text("from store.models import Product\n", encoding="utf-8")
    (tmp_path / "store" / "db" / "leaky.py").write_text("from store.crm import search\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "store.leaky -> textual" in result.stdout
    assert "tui.leaky -> store.models" in result.stdout
    assert "store.db.leaky -> store.crm.search" in result.stdout
    assert "0 kept, 3 broken" in result.stdout
