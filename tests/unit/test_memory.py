"""A PIN check's 16 MiB goes back to the system, however many worker threads check PINs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import sys, threading
    from store.kernel.memory import return_big_blocks
    from store.people.staff import hash_pin, check_pin

    if sys.argv[1] == "fixed":
        assert return_big_blocks()
    stored = hash_pin("2468")

    def rss_mib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 / 2**20

    before = rss_mib()
    for _ in range(4):  # four threads, as the console's worker pool would use
        t = threading.Thread(target=check_pin, args=("2468", stored))
        t.start()
        t.join()
    print(rss_mib() - before)
    """
)


def grown(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_pin_checks_in_threads_give_their_memory_back() -> None:
    # Without the fix each thread keeps a 16 MiB block (so this probe sees the problem it
    # guards against); with it, a few MiB at most.
    assert grown("dynamic") >= 32
    assert grown("fixed") < 8
