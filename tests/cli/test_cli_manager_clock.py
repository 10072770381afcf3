"""A manager's PIN on the command line is checked at the store clock's time (ctx.clock), as
everything else a command writes: a wrong PIN is audited, and a lockout counted, then."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tui.cli.common
from store.context import StoreContext
from store.db.connection import open_database
from store.kernel.clock import FixedClock
from store.models import AuditLog
from tests.conftest import Shop
from tui.cli import main

CSV = "sku,barcode,brand,model,colour,storage,category,price,cost\nCHG-66W,,Huawei,66W,,,accessory,149,60\n"


@pytest.fixture
def shop_clock(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> FixedClock:
    """The clock every command's context reads: three hours after the suite's process clock
    (what a function reads when nobody passes it the time), and standing still."""
    own = FixedClock(clock.now() + timedelta(hours=3), clock.tz)
    opened = tui.cli.common.open_store

    def open_store(*args: Any, **kwargs: Any) -> StoreContext:
        ctx = opened(*args, **kwargs)
        ctx.clock = own
        return ctx

    monkeypatch.setattr(tui.cli.common, "open_store", open_store)
    return own


@pytest.mark.parametrize(
    "command",
    [
        "promoters target --month 2026-12 --units 5 --manager M1",
        "promoters profile P1 --level L2 --manager M1",
        "promoters training P1 --course x --date 2026-12-01 --result passed --manager M1",
        "promoters leave P1 --from 2026-12-10 --to 2026-12-11 --manager M1",
        "referrals unexpire --date 2026-12-05 --manager M1",
        "referrals settle --confirm-date 2026-12-07 --manager M1",
        "products import {csv} --staff M1",
        "receive CASE-IP15 --qty 1 --staff M1",
        "transfer send S002 --line CASE-IP15=1 --out {out} --staff M1",
        "transfer receive {csv} --staff M1",
    ],
    ids=lambda command: "-".join(command.split()[:2]),
)
def test_a_wrong_manager_pin_is_audited_at_the_store_clocks_time(
    shop: Shop, db_path: Path, tmp_path: Path, shop_clock: FixedClock, command: str
) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text(CSV, encoding="utf-8")
    args = command.format(csv=prices, out=tmp_path / "t.json").split()
    result = CliRunner().invoke(main, [*args, "--pin", "9999", "--db", str(db_path)])
    assert result.exit_code == 1, result.output
    assert "Wrong staff code or PIN" in result.output
    open_database(db_path)
    failed = AuditLog.get(AuditLog.action == "staff.pin_failed")
    assert failed.at == shop_clock.now()
