"""The store core never pulls in the user interface: every module under store/ imports in a
fresh interpreter without textual, click, rich or tui ending up in sys.modules. Head office
tools, the benchmarks and the tests rely on store/ staying UI-free and quick to import."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("textual", "click", "rich", "tui")
PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})))
"""


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
    # One fresh interpreter per module, a few at a time (start-up dominates, not the import).
    pending = list(modules)
    leaks: dict[str, list[str]] = {}
    while pending:
        batch, pending = pending[:4], pending[4:]
        procs = {
            name: subprocess.Popen(
                [sys.executable, "-c", code, name],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in batch
        }
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, f"importing {name} failed:\n{err}"
            loaded = json.loads(out.strip().splitlines()[-1])
            if loaded:
                leaks[name] = loaded
    assert leaks == {}
