"""A signed file is in its folder whole or not at all: a writer killed at any moment (SIGKILL,
nothing of ours runs afterwards) leaves no partial file, by the unnamed-file route and by the
hidden-temporary-name route (file systems without O_TMPFILE), where the next write clears up."""

from __future__ import annotations

import os
import random
import signal
from pathlib import Path

import pytest

from store.exchange import durable
from store.exchange.container import encode_signed
from store.exchange.keys import SigningKey
from tests.exchange_helpers import MANIFEST, decode, make_key

KILLS = 10  # a mode; a round costs a fork and a few fsyncs


def _days(key: SigningKey, count: int) -> list[bytes]:
    """Files large enough (~300 KB, incompressible) that a kill often lands inside a write."""
    rng = random.Random(15)
    return [
        encode_signed({**MANIFEST, "sequence": n}, {"sales.jsonl": rng.randbytes(300_000)}, key)
        for n in range(count)
    ]


def _write_until_killed(folder: Path, days: list[bytes], ready: int) -> None:
    code = 0
    try:
        n = 0
        while True:  # new names and replacements of files already there
            durable.publish(folder / f"day-{n % 3}.zip", days[n % len(days)])
            os.write(ready, b".")
            n += 1
    except BaseException:
        code = 3
    finally:
        os._exit(code)


@pytest.mark.slow
@pytest.mark.parametrize("unnamed", [True, False], ids=["o_tmpfile", "named-temporary"])
def test_a_writer_killed_mid_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    if unnamed and not durable.USE_TMPFILE:
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(durable, "USE_TMPFILE", unnamed)
    key = make_key()
    days = _days(key, 4)
    folder = tmp_path / "out"
    folder.mkdir()
    leftovers = 0
    for round_no in range(KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _write_until_killed(folder, days, write_end)
        os.close(write_end)
        for _written in range(round_no % 4 + 1):  # kill after 1-4 whole files: mid-way into the next
            assert os.read(read_end, 1) == b".", f"round {round_no}: the writer stopped by itself"
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(read_end)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        names = sorted(os.listdir(folder))
        visible = [n for n in names if not n.startswith(".")]
        assert visible and set(visible) <= {"day-0.zip", "day-1.zip", "day-2.zip"}
        for name in visible:
            assert (folder / name).read_bytes() in days, f"round {round_no}: {name} is not a whole file"
        hidden = [n for n in names if n.startswith(".")]
        assert unnamed is False or hidden == [], hidden
        leftovers += len(hidden)
        if hidden:  # the next write into the folder clears what the killed one left
            durable.publish(folder / "day-0.zip", days[0])
            assert [n for n in os.listdir(folder) if n.startswith(".")] == []
    assert decode((folder / "day-0.zip").read_bytes(), key).manifest["sequence"] in range(4)
    print(f"hidden temporary files left by {KILLS} kills: {leftovers}")


def test_clearing_up_leaves_a_running_writers_temporary_file_alone(tmp_path: Path) -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)  # a writer that is gone
    gone = tmp_path / f".day-0.zip.{pid}.0123abcd.partial"
    running = tmp_path / f".day-1.zip.{os.getppid()}.0123abcd.partial"  # (pytest's parent runs)
    other = tmp_path / ".day-2.zip.notes"
    for path in (gone, running, other):
        path.write_bytes(b"half")
    assert durable.sweep(tmp_path) == [gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, other.name])
