"""Figure 7: what the console costs to install and to import, beside what Textual alone costs.

    python -m bench.footprint [--runs 9]

- the size of this environment's site-packages (everything `pip install -c constraints.txt .`
  brought in), shown with its largest distributions; no target: it is the issue 13 record of
  what the printing extras saved;
- the import time of the console's modules (`import tui.launch, tui.app`, what `zhanggui`
  imports before the login screen; the store's modules load behind it, tui/opening.py)
  against `import textual.app, textual.widgets` in the same kind of fresh process: the median
  of --runs each, from `-X importtime`'s own totals;
- what the ORM adds to the RSS (``orm_share``): a fresh interpreter that has imported what the
  console has before its login, and what the till would need without an ORM too (hashlib for
  the PIN check, json for the audit chain and held carts, sqlite3, the store's id conversion),
  reads its VmRSS, then imports peewee (with the calendar it brings), reads it again, then the
  store's models. The median of --runs each. Shown, not judged: it is the part of figure 2's
  RSS after the PIN that no change short of the till without peewee can take away
  (bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
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


# Each stage prints its VmRSS (KiB): before the ORM, after peewee, after the models.
ORM_STAGES = """
def rss():
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
import tui.launch, tui.app, hashlib, json, sqlite3, store.kernel.ids
before = rss()
import peewee
with_peewee = rss()
import store.models
print(before, with_peewee, rss())
"""


@dataclass
class OrmShare:
    peewee_kib: list[int]
    models_kib: list[int]

    @property
    def mib(self) -> float:
        """The median of peewee's and the models' shares, summed."""
        return (statistics.median(self.peewee_kib) + statistics.median(self.models_kib)) / 1024


def orm_share(runs: int) -> OrmShare:
    """What ``import peewee`` and ``import store.models`` add to a fresh interpreter's RSS,
    each measured ``runs`` times after a discarded warm-up (its .pyc files then exist)."""
    from bench.startup import child_env

    share = OrmShare([], [])
    with tempfile.TemporaryDirectory(prefix="zhanggui-orm-") as home:
        env = child_env(Path(home))
        for i in range(runs + 1):
            out = subprocess.run(
                [sys.executable, "-c", ORM_STAGES],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            before, with_peewee, with_models = (int(field) for field in out.split())
            if i:
                share.peewee_kib.append(with_peewee - before)
                share.models_kib.append(with_models - with_peewee)
    return share


def orm_figures(share: OrmShare, rss_after_pin: Figure | None = None) -> list[Figure]:
    """The ORM's share; with figure 2's RSS after the PIN, that RSS less the share beside the
    bare app (shown: what the rest of the console costs against the 1.3× target)."""
    found = [
        Figure(
            "RSS of the ORM: import peewee + the models, fresh interpreter (median)",
            "MiB",
            share.mib,
            None,
            None,
            "info",
            {"peewee_kib": share.peewee_kib, "models_kib": share.models_kib},
        )
    ]
    if rss_after_pin is not None and rss_after_pin.floor:
        found.append(
            Figure(
                "RSS after the PIN less the ORM's share, beside the bare app",
                "MiB",
                rss_after_pin.ours - share.mib,
                rss_after_pin.floor,
                None,
                "info",
                {"rss_after_pin_mib": rss_after_pin.ours, "orm_mib": share.mib},
            )
        )
    return found


def figures(runs: int, rss_after_pin: Figure | None = None) -> list[Figure]:
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
        *orm_figures(orm_share(runs), rss_after_pin),
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
