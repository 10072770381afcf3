"""The suspended-sales list shows the shop's own time, not the database's UTC."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from store.models import HeldCart
from tui.screens.held import _describe


def test_held_sale_time_is_the_shops_local_time() -> None:
    row = HeldCart(
        id="h1",
        label="王先生",
        payload=json.dumps({"lines": [{"name": "iPhone 15"}]}),
        created_at=datetime(2026, 12, 7, 3, 3),  # UTC, as stored
    )
    text = _describe(row, ZoneInfo("Asia/Shanghai")).plain
    assert text.startswith("11:03  王先生  iPhone 15"), text
