"""Issue 15's proof of damaged files, end to end: a real store's day file with one byte
flipped at 500 offsets spread over it, and cut at 100 lengths, each given to head office's
import (not only to the container's reader). Every one is refused with a sentence naming the
file, and no table of head office gains or loses a row. On a SQLite head office: the refusal
comes before the database is touched, so PostgreSQL would add only its cost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from store.hq.db import HqDb, connect
from store.hq.importer import Outcome, import_file
from store.hq.stores import add_store
from tests.hq_helpers import StoreDays

NOW = datetime(2026, 12, 12, 2, 0)
FLIPS, CUTS = 500, 100


def _rows(hq: HqDb) -> dict[str, int]:
    """The row count of every table head office has."""
    tables = [row[0] for row in hq.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert len(tables) >= 10, tables
    return {t: int(hq.execute(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables}


def test_every_flipped_byte_and_every_cut_is_refused_and_writes_nothing(
    chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    s1 = chain["S001"]
    hq = connect(str(tmp_path / "hq.db"), create=True)
    try:
        add_store(hq, s1.code, s1.key.public.text, now=NOW)
        assert import_file(hq, s1.files[0], now=NOW).outcome is Outcome.IMPORTED
        before = _rows(hq)
        victim = s1.files[1]  # the next day: taken whole, it would add rows to most tables
        data = victim.read_bytes()
        assert len(data) > FLIPS
        damaged = tmp_path / victim.name
        refusals: list[str] = []
        for n in range(FLIPS):
            flipped = bytearray(data)
            flipped[n * len(data) // FLIPS] ^= 1 << (n % 8)  # every bit position, spread over the file
            damaged.write_bytes(bytes(flipped))
            result = import_file(hq, damaged, now=NOW)
            assert result.outcome is Outcome.REFUSED, f"flip {n}: {result.message}"
            refusals.append(result.message)
        for n in range(CUTS):
            damaged.write_bytes(data[: n * len(data) // CUTS])
            result = import_file(hq, damaged, now=NOW)
            assert result.outcome is Outcome.REFUSED, f"cut {n}: {result.message}"
            refusals.append(result.message)
        assert _rows(hq) == before
        for message in refusals:  # one sentence naming the file, saying nothing was used
            assert message.startswith(victim.name) and "nothing in it was used" in message
            assert message.endswith(".") and "\n" not in message and "Traceback" not in message
        # The file itself, undamaged, still imports: the refusals were the damage's.
        assert import_file(hq, victim, now=NOW).outcome is Outcome.IMPORTED
        assert _rows(hq) != before
    finally:
        hq.close()
