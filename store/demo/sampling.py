"""Drawing from weights and sharing totals out, exactly, with the generator's one random.Random."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def _pick(rng: random.Random, population: Sequence[T], cum_weights: Sequence[float]) -> T:
    """rng.choices(population, cum_weights=...)[0] without the list it builds."""
    return population[bisect_right(cum_weights, rng.random() * cum_weights[-1], 0, len(population) - 1)]


def _share(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
