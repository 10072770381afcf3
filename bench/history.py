"""Large demo stores with more or less history: the same shop (5,000 SKUs, 100,000 customers)
after ``factor`` times the large demo's 90 days of trading, at the same daily rate of sales.

    /work/venv/bin/python -m bench.history --db /tmp/zhanggui-large-2x.db --factor 2

Reports that read the whole ledger grow with its history; the figures that must not
(reorder, RFM: bench/stock.py and bench/customers.py with --history) are measured on the
large demo and on one of these beside it."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from store.db.connection import open_database


@contextlib.contextmanager
def scaled_history(factor: float) -> Iterator[str]:
    """For the block, a demo size 'large-history' of ``factor`` times the large demo's days
    and sale lines (and returns); every other count as the large demo's."""
    from store.demo import build, catalog, clock, sizes

    days = max(1, round(clock.DAYS * factor))
    large = sizes.SIZES["large"]
    spec = dataclasses.replace(
        large, sale_lines=round(large.sale_lines * factor), returns=round(large.returns * factor)
    )
    saved = clock.DAYS
    with contextlib.ExitStack() as stack:
        for module in (clock, build, catalog):
            stack.callback(setattr, module, "DAYS", module.DAYS)
            module.DAYS = days  # type: ignore[attr-defined]
        sizes.SIZES["large-history"] = spec
        stack.callback(sizes.SIZES.pop, "large-history")
        yield "large-history"
    assert saved == clock.DAYS


def build(target: Path, factor: float, seed: int = 1) -> float:
    """Build the scaled demo into a new file ``target``; the wall time in seconds."""
    from store.config.loader import Config
    from store.demo import build_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    db = open_database(target)
    try:
        with scaled_history(factor) as size:
            build_demo(size, seed, tz=Config().tz)
    finally:
        db.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the new database file")
    parser.add_argument("--factor", type=float, default=2.0, help="times the large demo's history")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    import store.context  # noqa: F401  (the back-fills the domain registers, as the CLI has them)

    seconds = build(args.db, args.factor, args.seed)
    print(f"{args.db}: {args.factor:g}x history built in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
