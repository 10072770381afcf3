"""python-escpos, imported once its printer capabilities are cached for this machine.

At import, python-escpos parses its 96 KB capabilities file with PyYAML's pure-Python parser
unless it finds a pickle of it in ESCPOS_CAPABILITIES_PICKLE_DIR, which by default is a new
temporary folder every process: every start of the console paid 0.4–1.2 s for it at its first
receipt (measured on this machine: YAML 1.21 s against 0.5 ms for the same file read as JSON,
at load 10), and left a folder behind in /tmp. The file is JSON and YAML reads it to the same
dict, so the pickle is written here from the JSON, once, in the user's cache folder; the store
imports python-escpos only through this module."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import platform
import tempfile
from importlib.util import find_spec
from pathlib import Path

import platformdirs

PICKLE_DIR_VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def capabilities_file() -> Path | None:
    """python-escpos's capabilities.json (or the one ESCPOS_CAPABILITIES_FILE names), found
    without importing python-escpos."""
    named = os.environ.get("ESCPOS_CAPABILITIES_FILE")
    if named:
        return Path(named)
    spec = find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"


def prepare_capabilities() -> Path | None:
    """Point python-escpos at a pickle of its capabilities in the cache folder, writing it first
    when it is missing or older than the file. Where nothing can be written (a read-only home),
    python-escpos is left to do as it always did: slower, never broken. The folder it uses."""
    source = capabilities_file()
    if source is None:
        return None
    chosen = os.environ.get(PICKLE_DIR_VARIABLE)  # a folder the machine's owner chose
    cache = Path(platformdirs.user_cache_dir("zhanggui", appauthor=False))
    folder = Path(chosen) if chosen else cache / "escpos"
    # The name python-escpos looks for (escpos/capabilities.py).
    target = folder / f"{platform.python_version()}.capabilities.pickle"
    try:
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            folder.mkdir(parents=True, exist_ok=True)
            capabilities = json.loads(source.read_text(encoding="utf-8"))
            # Another process may write it at the same moment: each writes its own file and
            # renames it over the name, so python-escpos never reads half a pickle.
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(capabilities, out, protocol=2)
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
    except (OSError, ValueError):
        return None
    os.environ[PICKLE_DIR_VARIABLE] = str(folder)
    return folder


prepare_capabilities()

from escpos.constants import QR_ECLEVEL_M  # noqa: E402  (after the capabilities are in place)
from escpos.exceptions import Error as EscposError  # noqa: E402
from escpos.printer import Dummy, File, Network, Serial, Usb  # noqa: E402

__all__ = ["QR_ECLEVEL_M", "Dummy", "EscposError", "File", "Network", "Serial", "Usb", "prepare_capabilities"]
