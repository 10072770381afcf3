"""The suite compiles each module once even where PYTHONDONTWRITEBYTECODE is set
(tests/conftest.py), keeping the compiled files out of the tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests import conftest


def test_no_bytecode_written_becomes_a_cache_outside_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    conftest._compile_each_module_once()
    prefix = os.environ["PYTHONPYCACHEPREFIX"]
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ  # the workers and spawned consoles write too
    assert sys.pycache_prefix == prefix and sys.dont_write_bytecode is False
    repo = Path(conftest.__file__).resolve().parent.parent
    assert not Path(prefix).resolve().is_relative_to(repo)


@pytest.mark.parametrize(
    ("dont_write", "prefix"), [("1", "/somewhere/chosen"), (None, None), (None, "/somewhere/chosen")]
)
def test_a_choice_already_made_is_kept(
    monkeypatch: pytest.MonkeyPatch, dont_write: str | None, prefix: str | None
) -> None:
    for name, value in (("PYTHONDONTWRITEBYTECODE", dont_write), ("PYTHONPYCACHEPREFIX", prefix)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "pycache_prefix", prefix)
    conftest._compile_each_module_once()
    assert os.environ.get("PYTHONDONTWRITEBYTECODE") == dont_write
    assert os.environ.get("PYTHONPYCACHEPREFIX") == prefix and sys.pycache_prefix == prefix
