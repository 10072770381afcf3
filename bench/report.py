"""The results: one Figure a line, judged PASS/FAIL, printed as a table and written as JSON."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from tabulate import tabulate

from bench.paths import REPO, RESULTS

MS = 1000.0


@dataclass
class Figure:
    """One line of the table. ``kind`` says how PASS/FAIL is decided: 'ratio' compares
    ours/floor with the target, 'absolute' compares ours with it, 'info' has no target."""

    name: str
    unit: str
    ours: float
    floor: float | None
    target: float | None
    kind: str  # ratio / absolute / info
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.ours / self.floor

    @property
    def passed(self) -> bool | None:
        if self.target is None or self.kind == "info":
            return None
        if self.kind == "ratio":
            return self.ratio is not None and self.ratio <= self.target
        return self.ours <= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        if self.kind == "ratio":
            return f"≤ {self.target:g}×"
        return f"≤ {self.target:g} {self.unit}"

    def row(self) -> list[str]:
        def number(value: float | None) -> str:
            if value is None:
                return "—"
            digits = 3 if abs(value) < 1 else 2 if abs(value) < 100 else 1
            return f"{value:,.{digits}f} {self.unit}"

        ratio = self.ratio
        verdict = {True: "PASS", False: "FAIL", None: "—"}[self.passed]
        return [
            self.name,
            number(self.ours),
            number(self.floor),
            "—" if ratio is None else f"{ratio:.2f}×",
            self.target_text(),
            verdict,
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "ours": self.ours,
            "floor": self.floor,
            "ratio": self.ratio,
            "target": self.target,
            "target_kind": self.kind,
            "pass": self.passed,
            "detail": self.detail,
        }


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * MS


def versions() -> dict[str, str]:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        rev = ""
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": metadata.version("textual"),
        "peewee": metadata.version("peewee"),
        "git": rev,
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
    }


# The table's order, by how the figures' names start (they are measured in another order).
TABLE_ORDER = [
    "demo",
    "database bytes",
    "start-up to",
    "start-up:",
    "start-up after",
    "start-up peak",
    "RSS after",
    "commit_sale",
    "lookup_code barcode",
    "lookup_code imei",
    "scan Enter → cart line (median)",
    "scan Enter → cart line (max)",
]


def sort_for_table(figures: list[Figure]) -> None:
    # A figure no prefix names goes last rather than stopping the run after all was measured.
    last = len(TABLE_ORDER)
    figures.sort(
        key=lambda f: next((i for i, prefix in enumerate(TABLE_ORDER) if f.name.startswith(prefix)), last)
    )


def write_results(figures: list[Figure], meta: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "latest.json"
    payload = {**meta, "figures": [f.to_json() for f in figures]}
    target.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return target


def table(figures: Sequence[Figure]) -> str:
    headers = ["figure", "ours", "floor", "ratio", "target", "PASS/FAIL"]
    text: str = tabulate([f.row() for f in figures], headers=headers, disable_numparse=True)
    return text
