"""The main screens reachable from F1 (and the command palette). Each issue's screens add
one Destination here; the sale screen is always underneath."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from store.i18n import N_


@dataclass(frozen=True)
class Destination:
    id: str
    title: str  # msgid, translated when shown
    make: Callable[[], Screen[None]] | None  # None: back to the sale screen
    manager_only: bool = False


DESTINATIONS: list[Destination] = [
    Destination("sale", N_("Sale"), None),
]
