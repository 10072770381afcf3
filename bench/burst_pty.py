"""Figure 5b: a scan as the cashier sees it. The real `zhanggui --db DB` runs in an 80×24
pseudo-terminal, logged in as the demo's cashier; codes are typed 5-20 ms a key, as a
keyboard-wedge scanner types, then Enter; each scan is timed from the Enter written to the
terminal until the sale screen's new subtotal has been drawn (written to the terminal), which
is what the cashier waits for. Beside it, a bare Textual app (Input, DataTable, a totals line)
in the same terminal that adds a row and redraws its subtotal on Enter: the floor is what
Textual itself needs to draw a change, so the ratio is what the till adds (target ≤ 2×).

    python -m bench.burst_pty DB [--scans N]

The store is a checkpointed copy of DB: the sale left on screen is held when the console
stops, and the demo is never written."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.databases import checkpointed_copy
from bench.report import MS, Figure
from bench.startup_pty import LOGIN_DRAWN, SALE_DRAWN, Terminal, pty_env

BARE_READY = "BARE-READY"
BARE_APP = f'''
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Input, Static


class Bare(App[None]):
    CSS = "DataTable {{ height: 1fr; }}"  # the totals line stays on screen, as on the sale screen

    def compose(self) -> ComposeResult:
        yield Input(placeholder="{BARE_READY}")
        yield DataTable()
        yield Static("Subtotal ¥0.00", id="totals")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("#", "Item", "Qty", "Total")
        self.fen = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one(DataTable)
        code = event.value
        price = int(code[-4:]) + 1  # a price from the code, as a lookup would give one
        self.fen += price
        table.add_row(str(table.row_count + 1), code, "1", f"{{price / 100:.2f}}")
        table.move_cursor(row=table.row_count - 1)
        yuan, cents = divmod(self.fen, 100)
        self.query_one("#totals", Static).update(f"Subtotal ¥{{yuan:,}}.{{cents:02d}}")
        event.input.value = ""


Bare().run()
'''


@dataclass(frozen=True)
class Scan:
    code: str
    subtotal: str  # the sale's subtotal once the code is on it, as the screen writes it


def scans_for(db_path: Path, n: int, seed: int) -> list[Scan]:
    """Distinct codes that each add a line (bench.burst's), and the subtotal after each."""
    from bench.burst import _burst_codes
    from store.db.connection import open_database
    from store.kernel.money import format_fen
    from store.stock import catalog

    db = open_database(db_path, full_check=False)
    try:
        codes = _burst_codes(n, random.Random(seed))
        total = 0
        found = []
        for code in codes:
            result = catalog.lookup_code(code)
            if result is None:
                raise RuntimeError(f"{code} is not known to the store")
            total += int(result.product.price)
            found.append(Scan(code, f"Subtotal {format_fen(total)}"))
        return found
    finally:
        db.close()


def bare_scans(n: int) -> list[Scan]:
    fen = 0
    found = []
    for i in range(n):
        code = f"69{i:011d}"
        fen += int(code[-4:]) + 1
        yuan, cents = divmod(fen, 100)
        found.append(Scan(code, f"Subtotal ¥{yuan:,}.{cents:02d}"))
    return found


def run_scans(term: Terminal, scans: list[Scan], seed: int) -> list[float]:
    """Each code a key at a time, then Enter: seconds from the Enter until its subtotal is
    drawn (Terminal.wait_for times from ``start``, set as the Enter is written)."""
    rng = random.Random(seed)
    latencies = []
    for scan in scans:
        for ch in scan.code:
            os.write(term.fd, ch.encode())
            time.sleep(rng.uniform(0.005, 0.020))
        term.seen = b""
        term.start = time.perf_counter()
        os.write(term.fd, b"\r")
        latencies.append(term.wait_for(scan.subtotal))
        time.sleep(rng.uniform(0.2, 0.4))  # the cashier picks up the next item
    return latencies


def run_ours(
    db_path: Path, env: dict[str, str], scans: list[Scan], seed: int, login: tuple[str, str] = ("C1", "4444")
) -> list[float]:
    """``login``: the demo cashier's code and PIN (store/demo/staff.py)."""
    term = Terminal([str(Path(sys.executable).with_name("zhanggui")), "--db", str(db_path)], env)
    try:
        term.wait_for(LOGIN_DRAWN)
        time.sleep(0.3)  # as bench.startup_pty logs in: the code, then the PIN
        term.type(login[0] + "\r")
        time.sleep(0.2)
        term.type(login[1] + "\r")
        term.wait_for(SALE_DRAWN)
        time.sleep(0.5)  # the sale screen's first loads
        return run_scans(term, scans, seed)
    finally:
        term.close()


def run_bare(script: Path, env: dict[str, str], scans: list[Scan], seed: int) -> list[float]:
    term = Terminal([sys.executable, str(script)], env)
    try:
        term.wait_for(BARE_READY)
        time.sleep(0.5)
        return run_scans(term, scans, seed)
    finally:
        term.close()


@dataclass
class BurstResult:
    ours: list[float]
    bare: list[float]


def measure(
    db_path: Path, n: int, home: Path, seed: int = 13, login: tuple[str, str] = ("C1", "4444")
) -> BurstResult:
    home.mkdir(parents=True, exist_ok=True)
    env = pty_env(home)
    script = home / "bare_burst.py"
    script.write_text(BARE_APP, encoding="utf-8")
    copy = checkpointed_copy(db_path, home / "store.db")
    scans = scans_for(copy, n, seed)
    return BurstResult(run_ours(copy, env, scans, seed, login), run_bare(script, env, bare_scans(n), seed))


def figures(result: BurstResult) -> list[Figure]:
    ours = [s * MS for s in result.ours]
    bare = [s * MS for s in result.bare]
    return [
        Figure(
            "scan Enter → subtotal drawn, pty (median)",
            "ms",
            statistics.median(ours),
            statistics.median(bare),
            2.0,  # the till adds at most what Textual's own drawing of a change costs
            "ratio",
            {"n": len(ours), "ours_ms": ours, "bare_ms": bare},
        ),
        Figure("scan Enter → subtotal drawn, pty (max)", "ms", max(ours), max(bare), None, "info"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    from bench.report import table

    parser = argparse.ArgumentParser(prog="python -m bench.burst_pty")
    parser.add_argument("db", type=Path, help="a demo store (a checkpointed copy is used)")
    parser.add_argument("--scans", type=int, default=50)
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="zhanggui-burst-"))
    try:
        found = figures(measure(args.db, args.scans, home))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(table(found))
    return 0 if all(f.passed is not False for f in found) else 1


if __name__ == "__main__":
    sys.exit(main())
