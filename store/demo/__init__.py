"""The demo store: a phone shop with real brands, stock, customers and 90 days of sales.

Everything is drawn from one ``random.Random(seed)`` and bulk-inserted through the raw
sqlite3 connection in a single transaction, so a demo store appears whole or not at all and
the large size (a million sale lines) loads within a minute. The rows are the ones
``store.selling.checkout.commit_sale`` and ``store.stock.ledger.receive`` would have written; only the
per-sale audit rows are left out (one ``demo.generate`` row stands for them).

Services are stock-tracked like accessories, because the cart checks on-hand for every
product that is not sold by IMEI: the demo receives a large quantity of each service.

The package, step by step: sizes.py says how big each demo store is; the data_*.py modules
hold the reference tables; staff.py, catalog.py, imei_units.py and customers.py set up the
store; history.py writes its 90 days (basket.py composes a sale, returns.py takes some back,
deliveries.py keeps the shelves stocked), on the calendar of clock.py with the draws of
sampling.py; bulk.py writes it all in one fast transaction. Each step is a mixin over the
shared state of state.py, and build.py puts them together behind build_demo.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# Loaded on first use, not with the package: a demo store's login screen lists the demo staff
# (store.demo.roster), and importing any submodule runs this file first; the builder behind
# these names (models, the reference tables, the random draws) is megabytes the console that
# only shows that list never needs.
if TYPE_CHECKING:
    from store.demo.build import DemoSummary, build_demo
    from store.demo.clock import DAYS, DEFAULT_TZ
    from store.demo.roster import DEMO_LEAVER, DEMO_STAFF, DEMO_STORE_CODE, DEMO_STORE_NAME, DemoStaff
    from store.demo.sizes import SIZES, DemoSize
    from store.demo.state import Progress

_WHERE = {
    "DemoSummary": "build",
    "build_demo": "build",
    "DAYS": "clock",
    "DEFAULT_TZ": "clock",
    "DEMO_LEAVER": "roster",
    "DEMO_STAFF": "roster",
    "DEMO_STORE_CODE": "roster",
    "DEMO_STORE_NAME": "roster",
    "DemoStaff": "roster",
    "SIZES": "sizes",
    "DemoSize": "sizes",
    "Progress": "state",
}

__all__ = [
    "DAYS",
    "DEFAULT_TZ",
    "DEMO_LEAVER",
    "DEMO_STAFF",
    "DEMO_STORE_CODE",
    "DEMO_STORE_NAME",
    "SIZES",
    "DemoSize",
    "DemoStaff",
    "DemoSummary",
    "Progress",
    "build_demo",
]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{where}"), name)
    globals()[name] = value  # once: later lookups find it without this function
    return value
