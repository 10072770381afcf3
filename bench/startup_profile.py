"""Where one zhanggui start-up goes, when figure 2 misses its target (or with --profile)."""

from __future__ import annotations

import io
import json
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tabulate import tabulate

from bench.paths import REPO
from bench.startup import child_env


def profile_startup(db_path: Path, home: Path, top: int = 12) -> dict[str, Any]:
    """Where one 'ours' start-up goes: its slowest SQL statements, its slowest imports
    (-X importtime, cumulative) and a cProfile (by own time, and the project's functions)."""
    from bench.startup_child import TRACE_ENV, TRACE_PREFIX

    env = child_env(home)
    child = ["-m", "bench.startup_child", "ours", str(db_path)]
    traced = subprocess.run(
        [sys.executable, *child],
        cwd=REPO,
        env={**env, TRACE_ENV: "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    statements: list[tuple[str, float]] = []
    for line in traced.stderr.splitlines():
        if line.startswith(TRACE_PREFIX):
            statements = [(sql, ms) for sql, ms in json.loads(line[len(TRACE_PREFIX) :])]
    slow_sql = sorted(statements, key=lambda item: -item[1])[:top]

    done = subprocess.run(
        [sys.executable, "-X", "importtime", *child],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    imports: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2  # two spaces a level below the top
        if depth <= 1:  # what the start-up imports and what those import directly
            imports.append(("  " * depth + name.strip(), int(cumulative) / 1000))
    slow_imports = sorted(imports, key=lambda item: -item[1])[:top]

    with tempfile.TemporaryDirectory() as tmp:
        prof = Path(tmp) / "startup.prof"
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(prof), *child],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=True,
        )
        by_own = io.StringIO()
        pstats.Stats(str(prof), stream=by_own).sort_stats("tottime").print_stats(top)
        project = io.StringIO()
        pstats.Stats(str(prof), stream=project).sort_stats("cumulative").print_stats(
            f"{REPO}/(store|tui)/", top
        )
    return {
        "sql_ms": slow_sql,
        "sql_total_ms": sum(ms for _sql, ms in statements),
        "imports_ms": slow_imports,
        "cprofile_tottime": by_own.getvalue(),
        "cprofile_project": project.getvalue(),
    }


def _stats_table(text: str) -> str:
    """The table part of a pstats listing (from its 'ncalls' header on)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


def print_profile(profile: dict[str, Any]) -> None:
    print(
        tabulate(
            [(sql if len(sql) <= 80 else sql[:77] + "...", ms) for sql, ms in profile["sql_ms"]],
            headers=["slowest SQL at start-up", "ms"],
            floatfmt=".1f",
        )
    )
    print(f"  all SQL: {profile['sql_total_ms']:.0f} ms\n")
    print(tabulate(profile["imports_ms"], headers=["slowest imports", "cumulative ms"], floatfmt=".1f"))
    print("\ncProfile, by own time:\n" + _stats_table(profile["cprofile_tottime"]))
    print("\ncProfile, store/ and tui/ by cumulative time:\n" + _stats_table(profile["cprofile_project"]))
