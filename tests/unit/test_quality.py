"""ruff and strict mypy are part of the suite, so CI refuses code that is not clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean() -> None:
    result = run("ruff", "check", "store", "tui", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = run("mypy", "store", "tui")
    assert result.returncode == 0, result.stdout + result.stderr


def _requirement_names(requirements: list[str]) -> dict[str, str]:
    from packaging.requirements import Requirement

    return {Requirement(r).name.lower().replace("_", "-"): r for r in requirements}


def test_every_dependency_has_bounds_and_an_exact_pin() -> None:
    """A release elsewhere must never turn main red: ranges in pyproject, exact pins for CI."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _requirement_names(project["dependencies"] + project["optional-dependencies"]["test"])
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    for name, requirement in wanted.items():
        assert ">=" in requirement and "<" in requirement.replace("<=", ""), requirement
        assert name in pins, f"{name} has no exact version in constraints.txt"
