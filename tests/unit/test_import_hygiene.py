"""The store core never pulls in the user interface: every module under store/ imports in a
fresh interpreter without textual, click, rich or tui ending up in sys.modules. Head office
tools, the benchmarks and the tests rely on store/ staying UI-free and quick to import."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "click", "rich", "tui")
# One fresh interpreter loads what store/ imports from outside it (the standard library and
# third-party packages, never store/ itself), then forks a child per store module: each child
# imports its one module as a fresh interpreter would, with nothing of store/ loaded, and
# reports what came with it. Anything preloaded that pulls in the UI is reported too, so a
# third-party import that drags in rich still fails the test. Forking and preloading skip an
# interpreter start-up and the same third-party imports per module, which were most of the cost.
PROBE = """
import importlib, json, os, sys, traceback

def forbidden():
    return sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})

for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except Exception:
        continue  # optional or platform-only: the module that needs it reports the failure
    print("PRELOAD", json.dumps([name, forbidden()]), flush=True)

def probe(name):
    try:
        importlib.import_module(name)
    except BaseException:
        return [name, None, traceback.format_exc()]
    return [name, forbidden(), ""]

for name in sys.argv[2:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with os.fdopen(write, "w") as out:
            json.dump(probe(name), out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as result:
        print("PROBE", result.read(), flush=True)
    os.waitpid(pid, 0)
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
    preload = _outside_imports()
    assert {"peewee", "escpos.printer"} <= set(preload)
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(preload), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    preloaded = [json.loads(line[8:]) for line in lines if line.startswith("PRELOAD ")]
    assert [name for name, loaded in preloaded if loaded] == [], preloaded
    reports = [json.loads(line[6:]) for line in lines if line.startswith("PROBE ")]
    assert [name for name, _, _ in reports] == modules, proc.stderr
    failed = {name: error for name, loaded, error in reports if loaded is None}
    assert failed == {}, "\n".join(f"importing {name} failed:\n{error}" for name, error in failed.items())
    leaks = {name: loaded for name, loaded, _ in reports if loaded}
    assert leaks == {}
