"""Manual adjustments of accessories: a reason, a manager, never below zero; and on the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from store.audit import integrity
from store.kernel.errors import NeedsApproval, PermissionDenied, StockError, ValidationError
from store.models import AuditLog, StockMovement
from store.stock import adjustments
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import forge_actor, forge_approval, manager_ok, shop_in_file, snapshot
from tui.cli import main


def test_write_off_and_book_in(shop: Shop) -> None:
    adjustments.adjust(
        shop.case, qty=-3, reason="损坏", actor=forge_actor(shop.promoter), approval=manager_ok(shop)
    )
    adjustments.adjust(
        shop.case, qty=1, reason="found", actor=forge_actor(shop.promoter), approval=manager_ok(shop)
    )
    assert stock.on_hand(shop.case.id) == 18
    moves = [(m.kind, m.qty, m.reason) for m in StockMovement.select().where(StockMovement.kind == "adjust")]
    assert sorted(moves) == [("adjust", -3, "损坏"), ("adjust", 1, "found")]
    row = AuditLog.select().where(AuditLog.action == "stock.adjust").first()
    assert row.approved_by == shop.manager.id
    assert integrity.verify() == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"qty": -21}, StockError, "Only 20 of Generic iPhone 15 Case in stock."),
        ({"qty": 0}, ValidationError, "An adjustment is a whole number other than 0."),
        ({"reason": " "}, ValidationError, "Reason is required."),
        ({"approval": None}, NeedsApproval, "A stock adjustment needs a manager's PIN."),
        ({"product": "phone"}, ValidationError, "Handsets are corrected by a stock count, IMEI by IMEI."),
        ({"approval": "promoter"}, PermissionDenied, "A stock adjustment needs a manager's PIN."),
    ],
)
def test_refusals_write_nothing(shop: Shop, kwargs: dict[str, object], error: type, message: str) -> None:
    args: dict[str, object] = {
        "qty": -1,
        "reason": "x",
        "actor": forge_actor(shop.promoter),
        "approval": manager_ok(shop),
    }
    args.update(kwargs)
    product = shop.phone if args.pop("product", None) == "phone" else shop.case
    if args["approval"] == "promoter":  # a promoter's approval, however it was made: the store
        args["approval"] = forge_approval(shop.promoter.id, "李小红")  # reads the role itself
        args["actor"] = None
    before = snapshot()
    with pytest.raises(error) as refused:
        adjustments.adjust(product, **args)  # type: ignore[arg-type]
    assert str(refused.value) == message
    assert snapshot() == before


def test_adjust_on_the_command_line(db_path: Path) -> None:
    shop_in_file(db_path)
    args = [
        "adjust",
        "CASE-IP15",
        "--qty",
        "-2",
        "--reason",
        "损坏",
        "--staff",
        "M1",
        "--pin",
        "1234",
        "--db",
        str(db_path),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Generic iPhone 15 Case: -2, 18 in stock." in result.output
    result = CliRunner().invoke(main, [*args[:6], "--staff", "P1", "--pin", "1111", "--db", str(db_path)])
    assert result.exit_code == 1 and "is not a manager" in result.output
