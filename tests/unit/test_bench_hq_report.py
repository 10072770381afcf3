"""bench.hq_report runs on a tiny chain in the test PostgreSQL (no timing is asserted here),
and says it is skipped, without failing, when no PostgreSQL is given."""

from __future__ import annotations

import pytest

from bench import hq_report
from tests.hq_helpers import pg_url


def test_without_a_postgresql_the_bench_says_it_is_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    assert hq_report.main(["--pg", ""]) == 0
    assert "skipped" in capsys.readouterr().out


def test_a_tiny_chain_is_generated_and_the_reports_agree_with_their_floors() -> None:
    url = pg_url()
    if url is None:
        pytest.skip("ZHANGGUI_TEST_PG is not set: no PostgreSQL to run the bench on")
    result = hq_report.run(url, stores=3, days=4, sales=6, runs=2, mix=True)
    assert result.sales == 3 * 4 * 6 and result.rows == 3 * 4
    assert len(result.ours) == len(result.floor) == 2
    # The mix reports agreed with their floors (else the run stops) and were measured.
    assert sorted(result.mix) == ["brand mix", "promoter league"]
    assert all(len(ours) == len(floor) == 2 for ours, floor in result.mix.values())
