"""Figure 2: start-up, zhanggui beside a bare Textual app, each a fresh process (bench.startup_child)
timed from spawn to reaped exit, with its peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.paths import REPO
from bench.report import Figure


@dataclass
class ChildRun:
    seconds: float
    max_rss_kb: int


def child_env(home: Path) -> dict[str, str]:
    """No developer config or data dir leaks into a child; the same for bare and ours."""
    env = {k: v for k, v in os.environ.items() if k not in ("ZHANGGUI_CONFIG", "ZHANGGUI_DB")}
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("TERM", "xterm-256color")
    # The warm-up start of each child leaves its .pyc files behind, as an installed console
    # has them; with PYTHONDONTWRITEBYTECODE inherited, every start of ours would compile
    # store/ and tui/ from source while textual's site-packages .pyc were read. They are
    # written under the run's own directory (both children alike), never into the tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    return env


def spawn(args: Sequence[str], env: dict[str, str]) -> ChildRun:
    """Run a child; wall time from spawn to reaped exit, peak RSS as the child reports it
    (bench.startup_child.peak_rss_kb says why not wait4's ru_maxrss, the fallback)."""
    from bench.startup_child import PEAK_RSS_PREFIX

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}:\n{stderr[-3000:]}")
    reported = [line for line in stderr.splitlines() if line.startswith(PEAK_RSS_PREFIX)]
    peak_kb = int(reported[-1][len(PEAK_RSS_PREFIX) :]) if reported else int(usage.ru_maxrss)
    return ChildRun(seconds, peak_kb)  # KiB


@dataclass
class StartupResult:
    bare: list[ChildRun]
    ours: list[ChildRun]


def measure_startup(db_path: Path, runs: int, home: Path) -> StartupResult:
    """``runs`` start-ups of each, interleaved (order alternating), after one discarded warm-up
    of each so that both find the .pyc files and the database pages in the OS cache."""
    env = child_env(home)
    bare_args = ["-m", "bench.startup_child", "bare"]
    ours_args = ["-m", "bench.startup_child", "ours", str(db_path)]
    spawn(bare_args, env)
    spawn(ours_args, env)
    result = StartupResult([], [])
    for i in range(runs):
        pairs = [(bare_args, result.bare), (ours_args, result.ours)]
        for args, into in pairs if i % 2 == 0 else reversed(pairs):
            into.append(spawn(args, env))
    return result


def startup_figures(start_up: StartupResult) -> tuple[Figure, Figure]:
    """The median wall time and the median peak RSS, each as a ratio to the bare app's."""
    ours_s = [r.seconds for r in start_up.ours]
    bare_s = [r.seconds for r in start_up.bare]
    ours_rss = [r.max_rss_kb / 1024 for r in start_up.ours]
    bare_rss = [r.max_rss_kb / 1024 for r in start_up.bare]
    startup_time = Figure(
        "start-up to sale screen (median)",
        "s",
        statistics.median(ours_s),
        statistics.median(bare_s),
        1.5,
        "ratio",
        {"ours_s": ours_s, "bare_s": bare_s},
    )
    peak_rss = Figure(
        "start-up peak RSS (median)",
        "MiB",
        statistics.median(ours_rss),
        statistics.median(bare_rss),
        1.5,
        "ratio",
        {"ours_mib": ours_rss, "bare_mib": bare_rss},
    )
    return startup_time, peak_rss
