"""The store core never pulls in the user interface: every module under store/ imports in a
fresh interpreter without textual, click, rich or tui ending up in sys.modules. Head office
tools, the benchmarks and the tests rely on store/ staying UI-free and quick to import."""

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "click", "rich", "tui")
# One fresh interpreter imports every store module, one after another, and reports what of
# the UI is loaded after each. Importing a module loads the same modules whether or not others
# came first (store/ has no import that depends on what is already loaded), so the first
# module after which the UI appears is the one that pulls it in; a module that fails to import
# is reported with its traceback. One interpreter for all of them: a fork per module cost
# 30 s of the suite's five minutes for the same answer.
PROBE = """
import importlib, json, sys, traceback

def forbidden():
    return sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})

for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException:
        print("PROBE", json.dumps([name, None, traceback.format_exc()]), flush=True)
        continue
    print("PROBE", json.dumps([name, forbidden(), ""]), flush=True)
"""


def _outside_imports() -> list[str]:
    """Every module that store/ imports by absolute name from outside store/ (the UI excluded:
    importing that is what the children look for)."""
    names: set[str] = set()
    for path in (ROOT / "store").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    skip = {"store", "__future__", *FORBIDDEN}
    return sorted(name for name in names if name.split(".")[0] not in skip)


def _store_modules() -> list[str]:
    modules = ["store"]
    for info in pkgutil.walk_packages(store.__path__, prefix="store."):
        modules.append(info.name)
    return sorted(modules)


def test_every_store_module_is_found() -> None:
    modules = _store_modules()
    on_disk = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "store").rglob("*.py")
    }
    assert set(modules) == on_disk
    assert {"store.db", "store.selling.checkout", "store.models.sale"} <= set(modules)


def test_store_modules_import_without_the_ui() -> None:
    code = PROBE.format(forbidden=set(FORBIDDEN))
    modules = _store_modules()
    # Third-party packages store/ uses come first, so one that drags in rich is named itself.
    outside = _outside_imports()
    assert {"peewee", "escpos.printer"} <= set(outside)
    importable = [name for name in outside if importlib.util.find_spec(name.split(".")[0]) is not None]
    proc = subprocess.run(
        [sys.executable, "-c", code, *importable, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    reports = [json.loads(line[6:]) for line in proc.stdout.splitlines() if line.startswith("PROBE ")]
    assert [name for name, _, _ in reports] == [*importable, *modules], proc.stderr
    failed = {name: error for name, loaded, error in reports if loaded is None and name in modules}
    assert failed == {}, "\n".join(f"importing {name} failed:\n{error}" for name, error in failed.items())
    first_leak = next(((name, loaded) for name, loaded, _ in reports if loaded), None)
    assert first_leak is None, f"{first_leak[0]} pulls in {first_leak[1]}"
