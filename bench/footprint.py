"""Figure 7: what the console costs to install and to import, beside what Textual alone costs.

    python -m bench.footprint [--runs 9]

- the size of this environment's site-packages (everything `pip install -c constraints.txt .`
  brought in), shown with its largest distributions; no target: it is the issue 13 record of
  what the printing extras saved;
- the import time of the console's modules (`import tui.launch, tui.app`, what `zhanggui`
  imports before the login screen; the store's modules load behind it, tui/opening.py)
  against `import textual.app, textual.widgets` in the same kind of fresh process: the median
  of --runs each, from `-X importtime`'s own totals.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

from bench.paths import REPO
from bench.report import Figure, table

CONSOLE = "import tui.launch, tui.app"
FLOOR = "import textual.app, textual.widgets"
_TOTAL = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)")


def tree_bytes(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total


def largest(site: Path, top: int = 5) -> list[tuple[str, int]]:
    sizes = [(entry.name, tree_bytes(entry)) for entry in site.iterdir() if entry.is_dir()]
    return sorted(sizes, key=lambda item: -item[1])[:top]


def import_seconds(statement: str) -> float:
    """The sum of the top-level imports' cumulative times (µs) that -X importtime prints."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    for line in proc.stderr.splitlines():
        found = _TOTAL.match(line)
        # a top-level import (its name not indented under another): its cumulative time counts once
        if found and not line.split("|", 2)[2].startswith("  "):
            total += int(found.group(1))
    return total / 1e6


def figures(runs: int) -> list[Figure]:
    site = Path(sysconfig.get_paths()["purelib"])
    size = tree_bytes(site)
    ours = statistics.median(import_seconds(CONSOLE) for _ in range(runs))
    floor = statistics.median(import_seconds(FLOOR) for _ in range(runs))
    return [
        Figure(
            "installed site-packages",
            "MiB",
            size / 2**20,
            None,
            None,
            "info",
            {"largest": [(name, round(b / 2**20, 1)) for name, b in largest(site)]},
        ),
        Figure("import of the console (tui.launch, tui.app)", "s", ours, floor, None, "info", {"runs": runs}),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.footprint")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    found = figures(args.runs)
    print(table(found))
    print("largest:", ", ".join(f"{n} {m} MiB" for n, m in found[0].detail["largest"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
