"""Figure 1: demo generation, the wall time of `zhanggui demo --size large` into a fresh file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.report import Figure


def zhanggui_command() -> list[str]:
    script = Path(sys.executable).parent / "zhanggui"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tui.cli import main; main()"]


def build_demo(target: Path, size: str = "large") -> float:
    """Wall time of `zhanggui demo --db TARGET --size SIZE` into a fresh file, in seconds."""
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([*zhanggui_command(), "demo", "--db", str(target), "--size", size], check=True)
    return time.perf_counter() - start


def demo_figure(seconds: float) -> Figure:
    return Figure("demo --size large (wall)", "s", seconds, None, 60, "absolute")
