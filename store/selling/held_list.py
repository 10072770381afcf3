"""The suspended sales as the resume list shows them: when, the note, and the first items, read
from the held cart's saved payload here rather than in a screen (issue 11)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from store.selling import holds


@dataclass(frozen=True)
class HeldLine:
    id: str
    label: str
    created_at: datetime  # naive UTC, as stored
    names: str  # the first three items, comma separated


def held_lines() -> list[HeldLine]:
    """Every suspended sale, oldest first."""
    rows = []
    for row in holds.held_carts():
        lines = json.loads(row.payload).get("lines", [])
        rows.append(
            HeldLine(
                id=str(row.id),
                label=str(row.label),
                created_at=row.created_at,
                names=", ".join(line["name"] for line in lines[:3]),
            )
        )
    return rows
