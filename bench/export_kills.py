"""Issue 15's proof that an export killed mid-write leaves no partial file in the out folder.

    .venv/bin/python -m bench.export_kills [--kills 100] [--sales 300]

Builds a store in the temp dir with one closed day of ``--sales`` sales (bench/export.py),
exports the day once (the file every later export of the day must equal: a day exported again
gives the same bytes), then ``--kills`` times in each way durable.publish writes (the unnamed
O_TMPFILE file, and the hidden temporary name used where a file system cannot): a forked child
exports the day into the out folder over and over, telling the parent through a pipe when it
starts and ends writing the file; the parent waits for a start, sleeps a random part of a
write's time and SIGKILLs it. After each kill: every file in the out folder with a visible name
is the whole file (byte for byte, and verified by head office's reader); a hidden ``.partial``
may be there (never a visible name), and the next export into the folder removes it. The
O_TMPFILE way leaves one too when it is killed between naming its file and renaming it over the
day's file already there (every export here replaces the first one). Prints how many kills
landed inside a write. Not a timing: the verdict is the count of partial files seen, which must be 0."""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import export as bench_export

BEGIN, END = b"b", b"e"


@dataclass
class Tally:
    way: str
    kills: int = 0
    inside_write: int = 0  # killed after the write began and before it ended
    partial_visible: int = 0  # must stay 0: a visible name holding anything but the whole file
    hidden_left: int = 0  # hidden temporary files found after a kill (the named way only)
    hidden_swept: int = 0  # … of which the next export cleared up
    problems: list[str] = field(default_factory=list)


def _child(export: Callable[[], object], ready: int, unnamed: bool) -> None:
    """Export forever into the folder, a byte on ``ready`` as each write starts and ends."""
    from store.exchange import container, durable

    code = 0
    try:
        durable.USE_TMPFILE = unnamed
        real = durable.publish

        def publish(target: Path, data: bytes) -> None:
            os.write(ready, BEGIN)
            real(target, data)
            os.write(ready, END)

        container.publish = publish  # type: ignore[attr-defined]  # write_signed's name for it
        while True:
            export()
    except BaseException:
        code = 3
    finally:
        os._exit(code)


def kill_rounds(
    export: Callable[[], object],
    reopen: Callable[[], Callable[[], None]],
    folder: Path,
    whole: bytes,
    check: Callable[[bytes], None],
    *,
    kills: int,
    unnamed: bool,
    write_seconds: float,
    seed: int = 15,
) -> Tally:
    """``kills`` rounds of: fork an exporting child, kill it during a write, look at the folder.
    ``reopen`` opens the store's database in the child (a connection never crosses a fork) and
    gives back what closes it."""
    from store.exchange import durable

    tally = Tally("o_tmpfile" if unnamed else "named-temporary")
    rng = random.Random(seed)
    for round_no in range(kills):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            reopen()
            _child(export, write_end, unnamed)
        os.close(write_end)
        seen = b""
        for _whole_writes in range(rng.randrange(3)):  # 0-2 whole writes, then into the next one
            seen += _until(read_end, END)
        seen += _until(read_end, BEGIN)
        time.sleep(rng.uniform(0, write_seconds))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        seen += _drain(read_end)
        os.close(read_end)
        tally.kills += 1
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            tally.problems.append(f"round {round_no}: the child ended by itself ({status})")
        if seen.endswith(BEGIN):
            tally.inside_write += 1
        names = sorted(os.listdir(folder))
        for name in (n for n in names if not n.startswith(".")):
            data = (folder / name).read_bytes()
            if data != whole:
                tally.partial_visible += 1
                tally.problems.append(f"round {round_no}: {name} holds {len(data)} bytes, not the whole file")
            else:
                check(data)
        hidden = [n for n in names if n.startswith(".")]
        tally.hidden_left += len(hidden)
        if hidden:  # the next write into the folder clears what the killed one left
            tally.hidden_swept += len(durable.sweep(folder))
    return tally


def _until(fd: int, marker: bytes) -> bytes:
    got = b""
    while not got.endswith(marker):
        byte = os.read(fd, 1)
        if not byte:
            raise RuntimeError("the exporting child stopped by itself")
        got += byte
    return got


def _drain(fd: int) -> bytes:
    got = b""
    while byte := os.read(fd, 4096):
        got += byte
    return got


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return f"load average: {os.getloadavg()}"


def run(root: Path, *, kills: int, sales: int, ways: tuple[bool, ...] = (True, False)) -> list[Tally]:
    """Build the store under ``root`` and kill its export ``kills`` times each way."""
    from store.config.hq import HqSection
    from store.db.connection import open_database
    from store.exchange import day_export, durable
    from store.exchange.keys import create_signing_key
    from store.exchange.reader import read_signed
    from store.kernel import FixedClock, set_process_clock

    os.environ["XDG_CONFIG_HOME"] = str(root / "config")  # the bench's own audit and signing keys
    set_process_clock(FixedClock(bench_export.START, bench_export.TZ, tick=timedelta(milliseconds=1)))
    db_path = root / "store.db"
    database = open_database(db_path)
    try:
        began = time.perf_counter()
        day = bench_export.build_day(sales)
        print(f"built a {sales}-sale day in {time.perf_counter() - began:.1f} s", flush=True)
        key = create_signing_key("S001").key
        hq = HqSection(central_crm=False, phone_secret="bench-chain-secret-0123")
        (root / "first").mkdir()
        first = day_export.export_day(day, root / "first", key=key, hq=hq, tz=bench_export.TZ)
    finally:
        database.close()
    whole = first.path.read_bytes()
    began = time.perf_counter()
    for _ in range(5):
        durable.publish(root / "first" / "timing.zip", whole)
    write_seconds = (time.perf_counter() - began) / 5
    print(f"the day file: {len(whole):,} bytes, written in {write_seconds * 1000:.1f} ms", flush=True)

    def check(data: bytes) -> None:
        (root / "check.zip").write_bytes(data)
        read_signed(root / "check.zip", lambda _code: [key.public], kind="day", schema_versions={1})

    def reopen() -> Callable[[], None]:
        opened: Any = open_database(db_path)
        return opened.close  # type: ignore[no-any-return]

    tallies = []
    for unnamed in ways:
        if unnamed and not durable.USE_TMPFILE:
            print("no O_TMPFILE here: that way is not measured", flush=True)
            continue
        folder = root / f"out-{'tmpfile' if unnamed else 'named'}"
        folder.mkdir()

        def export(folder: Path = folder) -> object:
            return day_export.export_day(day, folder, key=key, hq=hq, tz=bench_export.TZ)

        began = time.perf_counter()
        tally = kill_rounds(
            export, reopen, folder, whole, check, kills=kills, unnamed=unnamed, write_seconds=write_seconds
        )
        print(f"  {tally.way}: {kills} kills in {time.perf_counter() - began:.1f} s", flush=True)
        tallies.append(tally)
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=100, help="kills in each way of writing (default 100)")
    parser.add_argument("--sales", type=int, default=300, help="sales of the day exported (default 300)")
    args = parser.parse_args(argv)
    print(uptime(), flush=True)
    with tempfile.TemporaryDirectory(prefix="zhanggui-kills-") as folder:
        tallies = run(Path(folder), kills=args.kills, sales=args.sales)
    print(uptime(), flush=True)
    for tally in tallies:
        print(
            f"{tally.way}: {tally.kills} kills, {tally.inside_write} inside a write;"
            f" partial files with a visible name: {tally.partial_visible};"
            f" hidden temporary files left: {tally.hidden_left}"
            f" (cleared by durable.sweep, which every export runs first: {tally.hidden_swept})"
        )
        for problem in tally.problems[:10]:
            print("  " + problem)
    failed = any(t.partial_visible or t.problems for t in tallies) or not tallies
    print("PASS: no partial file in the out folder" if not failed else "FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
