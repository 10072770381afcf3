"""The suspended-sales list shows the shop's own time, not the database's UTC, and the first
items of the held cart's saved payload."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from store.models import HeldCart
from store.selling.held_list import HeldLine, held_lines
from tests.conftest import Shop
from tui.screens.held import _describe


def test_held_sale_time_is_the_shops_local_time() -> None:
    row = HeldLine(id="h1", label="王先生", created_at=datetime(2026, 12, 7, 3, 3), names="iPhone 15")
    text = _describe(row, ZoneInfo("Asia/Shanghai")).plain
    assert text.startswith("11:03  王先生  iPhone 15"), text


def test_held_lines_name_the_first_three_items(shop: Shop) -> None:
    names = ["iPhone 15", "Case", "Film", "Charger"]
    HeldCart.create(
        id="h1",
        staff=shop.promoter.id,
        label="王先生",
        payload=json.dumps({"lines": [{"name": n} for n in names]}),
        created_at=datetime(2026, 12, 7, 3, 3),
    )
    (line,) = held_lines()
    assert line == HeldLine("h1", "王先生", datetime(2026, 12, 7, 3, 3), "iPhone 15, Case, Film")
