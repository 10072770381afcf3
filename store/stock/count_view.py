"""A stock count as the counting screen keeps it between keys: a plain snapshot (number,
status, what is counted) instead of the count's row (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass

from store.models import StockCount
from store.stock.count_sessions import scope_label


@dataclass(frozen=True)
class CountShown:
    id: str
    number: str
    status: str  # counting / paused / review / approved / cancelled
    scope: str  # "Brand Apple", in the user's language


def shown(count: StockCount) -> CountShown:
    return CountShown(
        id=str(count.id), number=str(count.number), status=str(count.status), scope=scope_label(count)
    )
