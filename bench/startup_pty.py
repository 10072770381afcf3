"""Figure 2 as a shop sees it: the real `zhanggui --db DB` command in an 80×24 pseudo-terminal,
timed from spawn until the login screen is drawn; then a PIN typed and the process's RSS read
once the sale screen is drawn. Beside it, a bare Textual app (Header, Input, DataTable, Footer)
started and drawn the same way, with a key typed in place of the PIN.

    python -m bench.startup_pty DB [--runs N] [--crash]

``--crash`` also times a start after an unclean shutdown (a -wal file left behind): the issue
asks that it reach the login screen within 1.5× a normal start.

Each run also reads the RSS again ``SETTLE_S`` seconds after that screen, both apps alike: by
then the console has done what it starts behind the sale screen (the file check at 2 s, the
reorder line's first read of every product at 3 s), which a till carries for the rest of the day.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.paths import REPO
from bench.report import Figure
from bench.startup import child_env

ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]"
)
LOGIN_DRAWN = "log in"  # the login dialog's title, "掌柜 zhanggui — log in" (LANG=en_US)
SALE_DRAWN = "Pay"  # the sale screen's key bar (F2 Pay): not on the login screen
BARE_DRAWN = "BARE-READY"
BARE_TYPED = "BARE-TYPED"
TIMEOUT_S = 60.0
# After the file check (2 s after the sale screen, ~1 s on the large demo) and the reorder
# line's first full read (3 s, ~0.3 s): tui/app.py, tui/widgets/reorder_panel.py.
SETTLE_S = 6.0
RSS_AFTER_PIN = "RSS after the PIN check, pty (median)"

BARE_APP = f'''
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input, Label

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("{BARE_DRAWN}", id="state")
        yield Input()
        yield DataTable()
        yield Footer()

    def on_input_submitted(self) -> None:
        self.query_one("#state", Label).update("{BARE_TYPED}")

Bare().run()
'''


@dataclass
class PtyRun:
    drawn_s: float  # spawn -> first screen drawn (login / the bare app)
    rss_kb: int  # VmRSS once the PIN was checked and the next screen drawn
    settled_kb: int = 0  # VmRSS ``settle_s`` later (0: not waited for)


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Terminal:
    """A child in an 80×24 pty; ``wait_for`` reads its output until a text shows."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.start = time.perf_counter()
        self.pid, self.fd = os.forkpty()
        if self.pid == 0:  # the child
            try:
                os.chdir(REPO)
                os.execvpe(argv[0], list(argv), env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.seen = b""

    def wait_for(self, text: str) -> float:
        """Seconds from spawn until ``text`` was drawn (escape sequences stripped)."""
        wanted = text.encode()
        deadline = time.perf_counter() + TIMEOUT_S
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.seen += chunk
                if wanted in ANSI.sub(b"", self.seen):
                    return time.perf_counter() - self.start
        tail = ANSI.sub(b"", self.seen)[-600:].decode(errors="replace")
        raise RuntimeError(f"{text!r} never drawn; the screen said: {tail}")

    def type(self, keys: str) -> None:
        self.seen = b""
        for key in keys:
            os.write(self.fd, key.encode())
            time.sleep(0.02)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            try:
                os.read(self.fd, 65536)  # keep the pty drained so the child can exit
            except OSError:
                time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def _settled_kb(term: Terminal, settle_s: float) -> int:
    """VmRSS after ``settle_s`` more seconds (the pty kept drained meanwhile); 0 for none."""
    if settle_s <= 0:
        return 0
    deadline = time.perf_counter() + settle_s
    while (left := deadline - time.perf_counter()) > 0:
        ready, _, _ = select.select([term.fd], [], [], min(left, 0.1))
        if ready:
            with contextlib.suppress(OSError):
                os.read(term.fd, 65536)
    return _rss_kb(term.pid)


def run_ours(db_path: Path, env: dict[str, str], login: str = "C1\r4444\r", settle_s: float = 0.0) -> PtyRun:
    """``login``: the demo's cashier's code and PIN (store/demo/staff.py), straight to selling."""
    term = Terminal([str(Path(sys.executable).with_name("zhanggui")), "--db", str(db_path)], env)
    try:
        drawn = term.wait_for(LOGIN_DRAWN)
        # In one burst, in the instant of the login's first frame (a badge reader, a fast typist):
        # the login keeps every key of it (tui/screens/login.py).
        term.type(login)
        term.wait_for(SALE_DRAWN)
        return PtyRun(drawn, _rss_kb(term.pid), _settled_kb(term, settle_s))
    finally:
        term.close()


def run_bare(script: Path, env: dict[str, str], settle_s: float = 0.0) -> PtyRun:
    term = Terminal([sys.executable, str(script)], env)
    try:
        drawn = term.wait_for(BARE_DRAWN)
        term.type("1234\r")
        term.wait_for(BARE_TYPED)
        return PtyRun(drawn, _rss_kb(term.pid), _settled_kb(term, settle_s))
    finally:
        term.close()


@dataclass
class PtyResult:
    bare: list[PtyRun]
    ours: list[PtyRun]
    crashed: list[PtyRun]


def _leave_a_wal(db_path: Path) -> None:
    """What a crash leaves: a non-empty -wal beside the file (the console then checks the file)."""
    db_path.with_name(db_path.name + "-wal").write_bytes(b"\x00" * 32)


def pty_env(home: Path) -> dict[str, str]:
    """bench.startup's clean child environment, in English (the screens' texts are matched)."""
    env = child_env(home)
    env.update(LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8", TERM="xterm-256color", COLUMNS="80", LINES="24")
    return env


def measure(db_path: Path, runs: int, home: Path, crash: bool, settle_s: float = SETTLE_S) -> PtyResult:
    """Interleaved runs after one discarded warm-up of each (files in the OS cache)."""
    env = pty_env(home)
    script = home / "bare_app.py"
    script.write_text(BARE_APP, encoding="utf-8")
    run_bare(script, env)
    run_ours(db_path, env)
    result = PtyResult([], [], [])
    for i in range(runs):
        bare, ours = (
            (lambda: result.bare.append(run_bare(script, env, settle_s=settle_s))),
            (lambda: result.ours.append(run_ours(db_path, env, settle_s=settle_s))),
        )
        for go in (bare, ours) if i % 2 == 0 else (ours, bare):
            go()
        if crash:
            _leave_a_wal(db_path)
            result.crashed.append(run_ours(db_path, env))
    return result


def figures(result: PtyResult) -> list[Figure]:
    ours_s = [r.drawn_s for r in result.ours]
    bare_s = [r.drawn_s for r in result.bare]
    ours_mib = [r.rss_kb / 1024 for r in result.ours]
    bare_mib = [r.rss_kb / 1024 for r in result.bare]
    found = [
        Figure(
            "start-up: `zhanggui` to login drawn, pty (median)",
            "s",
            statistics.median(ours_s),
            statistics.median(bare_s),
            1.3,
            "ratio",
            {"ours_s": ours_s, "bare_s": bare_s},
        ),
        Figure(
            RSS_AFTER_PIN,
            "MiB",
            statistics.median(ours_mib),
            statistics.median(bare_mib),
            1.3,
            "ratio",
            {"ours_mib": ours_mib, "bare_mib": bare_mib},
        ),
    ]
    settled_ours = [r.settled_kb / 1024 for r in result.ours if r.settled_kb]
    settled_bare = [r.settled_kb / 1024 for r in result.bare if r.settled_kb]
    if settled_ours and settled_bare:
        found.append(
            Figure(
                f"RSS {SETTLE_S:g} s after the sale screen (check, reorder line), pty (median)",
                "MiB",
                statistics.median(settled_ours),
                statistics.median(settled_bare),
                1.3,
                "ratio",
                {"ours_mib": settled_ours, "bare_mib": settled_bare},
            )
        )
    if result.crashed:
        crashed_s = [r.drawn_s for r in result.crashed]
        found.append(
            Figure(
                "start-up after a crash to login drawn (median)",
                "s",
                statistics.median(crashed_s),
                statistics.median(ours_s),
                1.5,
                "ratio",
                {"crashed_s": crashed_s, "normal_s": ours_s},
            )
        )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    from bench.report import table

    parser = argparse.ArgumentParser(prog="python -m bench.startup_pty")
    parser.add_argument("db", type=Path, help="a demo store (it is copied; the copy is started)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--crash", action="store_true", help="also time a start after an unclean shutdown")
    parser.add_argument(
        "--settle", type=float, default=SETTLE_S, help="seconds after the sale screen for the settled RSS"
    )
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="zhanggui-pty-"))
    try:
        copy = home / "store.db"
        shutil.copyfile(args.db, copy)
        found = figures(measure(copy, args.runs, home, args.crash, settle_s=args.settle))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(table(found))
    return 0 if all(f.passed is not False for f in found) else 1


if __name__ == "__main__":
    sys.exit(main())
