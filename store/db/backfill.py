"""Columns a migration added but SQL cannot compute (customer search keys in pinyin, random
referral codes), filled at open for rows an older version or a bulk load wrote.

The domain modules that know how register here when they are imported (store.crm.search,
store.referrals.codes), so the database layer never imports a domain module; store.context,
the composition root, imports them before it opens a store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backfill:
    name: str
    missing: Callable[[], bool]  # cheap: is there anything to fill?
    fill: Callable[[], int]


_REGISTERED: dict[str, Backfill] = {}


def register(name: str, missing: Callable[[], bool], fill: Callable[[], int]) -> None:
    """Fill ``name`` at every open where ``missing()`` says so (registering again replaces)."""
    _REGISTERED[name] = Backfill(name, missing, fill)


def run_all() -> list[str]:
    """Fill what is missing; the names of the back-fills that ran."""
    ran = []
    for backfill in list(_REGISTERED.values()):
        if backfill.missing():
            backfill.fill()
            ran.append(backfill.name)
    return ran
