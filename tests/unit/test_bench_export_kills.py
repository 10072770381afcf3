"""bench.export_kills runs on a tiny day with a few kills each way (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import export_kills


@pytest.mark.slow
def test_a_few_kills_leave_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # run() sets it: undone after
    tallies = export_kills.run(tmp_path, kills=3, sales=5)
    assert [t.kills for t in tallies] in ([3, 3], [3])
    assert all(t.partial_visible == 0 and t.problems == [] for t in tallies)
    assert all(t.hidden_swept == t.hidden_left for t in tallies)
