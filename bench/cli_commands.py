"""Figure 11: read-only CLI commands as a manager types them, on the large demo: the real
`zhanggui` command spawned, timed until it has exited.

    python -m bench.cli_commands DB [--runs 5]

- `zhanggui --db DB customers find 8000`: the issue's example of a read-only command, target
  ≤ 0.5 s (it took 2.1 s when every command ran `PRAGMA quick_check` first);
- `zhanggui --db DB reorder`, `customers segments`, `velocity` and `zhanggui --help`, shown.

The floor of each is a fresh interpreter importing click and peewee (what any command of ours
must load; peewee without the PostgreSQL driver it would import, as the store loads it) and
running nothing: the part of a command's time that is Python starting. The
children get the clean environment of bench.startup (empty XDG folders, .pyc files under the
run's own folder); one discarded warm-up run of each puts the files in the OS cache.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.paths import REPO
from bench.report import Figure, table
from bench.startup import child_env

FIND_TARGET_S = 0.5
# peewee imports a PostgreSQL driver at its import when one is installed (psycopg, ~0.15 s here);
# the store keeps it out (store/__init__.py), and so does the floor, or it would flatter us.
FLOOR = ["-c", "import sys; sys.modules.update(psycopg=None, psycopg2=None); import click, peewee"]


@dataclass(frozen=True)
class Command:
    label: str
    args: tuple[str, ...]  # after `zhanggui --db DB` (or alone, when ``db`` is False)
    judged: bool = False
    db: bool = True


COMMANDS = (
    Command("customers find 8000", ("customers", "find", "8000"), judged=True),
    Command("reorder", ("reorder",)),
    Command("customers segments", ("customers", "segments")),
    Command("velocity", ("velocity",)),
    Command("--help", ("--help",), db=False),
)


def _timed(argv: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit; a command that fails is an error, not a time."""
    start = time.perf_counter()
    done = subprocess.run(list(argv), cwd=REPO, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{tail}")
    return seconds


def measure(
    db_path: Path, runs: int, home: Path, commands: Sequence[Command] = COMMANDS
) -> dict[str, dict[str, list[float]]]:
    """label -> {"ours": [...], "floor": [...]}, each command and the floor interleaved."""
    home.mkdir(parents=True, exist_ok=True)
    env = child_env(home)
    env.update(LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    zhanggui = str(Path(sys.executable).with_name("zhanggui"))
    floor = [sys.executable, *FLOOR]
    out: dict[str, dict[str, list[float]]] = {}
    for command in commands:
        argv = [zhanggui, *(("--db", str(db_path)) if command.db else ()), *command.args]
        _timed(argv, env)  # warm-up: .pyc files written, pages in the OS cache
        _timed(floor, env)
        times: dict[str, list[float]] = {"ours": [], "floor": []}
        for i in range(runs):
            pair = ((argv, "ours"), (floor, "floor"))
            for args, key in pair if i % 2 == 0 else reversed(pair):
                times[key].append(_timed(args, env))
        out[command.label] = times
    return out


def figures(found: dict[str, dict[str, list[float]]]) -> list[Figure]:
    result = []
    for command in COMMANDS:
        times = found.get(command.label)
        if times is None:
            continue
        result.append(
            Figure(
                f"`zhanggui {command.label}`, spawn to exit (median)",
                "s",
                statistics.median(times["ours"]),
                statistics.median(times["floor"]),
                FIND_TARGET_S if command.judged else None,
                "absolute" if command.judged else "info",
                {"runs": times["ours"], "floor_runs": times["floor"]},
            )
        )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli_commands")
    parser.add_argument("db", type=Path, help="a demo store (the large one for the figure)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhanggui-cli-") as home:
        found = figures(measure(args.db, args.runs, Path(home)))
    print(table(found))
    return 0 if all(f.passed is not False for f in found) else 1


if __name__ == "__main__":
    sys.exit(main())
