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
    # Without the fix a thread's arena keeps a 16 MiB block (one per arena that ever checked
    # a PIN: how many depends on how threads and arenas pair up), so this probe sees the
    # problem it guards against; with it, a few MiB at most.
    assert grown("dynamic") >= 12
    assert grown("fixed") < 8


PINYIN_PROBE = textwrap.dedent(
    """
    def rss_mib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 / 2**20

    before = rss_mib()
    from store.crm.names import name_keys, initials_of
    from store.stock.products import pinyin_keys

    keys = name_keys("曾静")
    assert (keys.py, keys.py_alt) == ("zengjing", "cengjing"), keys
    assert pinyin_keys("Apple 20W 电源适配器 白色") == ("dianyuanshipeiqibaise", "dyspqbs")
    assert initials_of("李小红") == "lxh"
    print(rss_mib() - before)
    """
)


def test_search_keys_do_not_load_pypinyins_phrase_dictionary() -> None:
    """The first new customer of the day loaded 55.6 MiB of phrases into the till for good;
    single characters cost about 12 MiB."""
    out = subprocess.run([sys.executable, "-c", PINYIN_PROBE], capture_output=True, text=True, check=True)
    assert float(out.stdout.strip()) < 30


TRIM_PROBE = textwrap.dedent(
    """
    import sys, threading
    from store.kernel.memory import give_back_free_pages

    def rss_mib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 / 2**20

    kept = []

    def work():
        # 40 MiB in 4 KiB blocks from this thread's arena, 7 in 8 of them freed: the free
        # space lies between blocks still in use, where free() itself gives nothing back
        blocks = [bytearray(4096) for _ in range(10240)]
        kept.extend(blocks[::8])

    t = threading.Thread(target=work)
    t.start()
    t.join()
    before = rss_mib()
    if sys.argv[1] == "trim":
        assert give_back_free_pages()
    print(before - rss_mib())
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_free_pages_a_worker_thread_left_go_back_to_the_system() -> None:
    """What the reorder line's full computation or the file check freed in a worker thread's
    arena stayed in the till's RSS until give_back_free_pages (malloc_trim) hands it back."""

    def given_back(mode: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", TRIM_PROBE, mode], capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip())

    assert given_back("none") < 5  # the probe's free pages stay without the trim...
    assert given_back("trim") > 20  # ...and about 35 MiB of them go back with it


def test_the_collector_comes_back_after_the_last_paused_block() -> None:
    import gc
    import threading

    from store.kernel.memory import collector_paused

    assert gc.isenabled()
    entered, leave = threading.Event(), threading.Event()

    def other_block() -> None:
        with collector_paused():
            entered.set()
            leave.wait(10)

    worker = threading.Thread(target=other_block)
    with collector_paused():
        assert not gc.isenabled()
        worker.start()
        entered.wait(10)
        with collector_paused():  # nested
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's block is still running
    leave.set()
    worker.join()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before the block: left off
    finally:
        gc.enable()
