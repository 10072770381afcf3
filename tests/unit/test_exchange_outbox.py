"""The console's side of the day files (store/exchange/outbox.py): which closed days wait, why
none can go now (no key, no phone secret, no USB stick), a manager's act, each day saying where
its file went or why not."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.config.loader import Config
from store.context import StoreContext
from store.dayclose import close, drawer
from store.exchange import outbox
from store.exchange.keys import create_signing_key
from store.kernel import FixedClock
from store.kernel.errors import PermissionDenied, ValidationError
from tests.conftest import TILL, Shop
from tests.store_helpers import forge_actor, manager_actor

TZ = TILL.tz
SECRET = "chain-secret-0123456789"


def _ctx(db: SqliteDatabase, tmp_path: Path, clock: FixedClock, folder: Path | None = None) -> StoreContext:
    config = Config()
    config.hq.phone_secret = SECRET
    if folder is not None:
        config.paths.exports = str(folder)
    return StoreContext(config=config, db_path=tmp_path / "store.db", db=db, clock=clock)


def _close(shop: Shop, clock: FixedClock, days_ago: int) -> None:
    day = clock.today() - timedelta(days=days_ago)
    close.close_day(
        TILL.terminal_id, day, TZ, counted=None, reason="测试", tolerance=500, actor=manager_actor(shop)
    )


def test_what_waits_and_why_it_cannot_go_yet(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    _close(shop, clock, 2)
    _close(shop, clock, 1)
    ctx = _ctx(db, tmp_path, clock, folder=tmp_path / "usb")
    found = outbox.waiting(ctx)
    assert found.days == [clock.today() - timedelta(days=2), clock.today() - timedelta(days=1)]
    assert "zhanggui keys init" in found.problem and found.fingerprint == ""
    with pytest.raises(ValidationError, match="zhanggui keys init"):
        outbox.send(ctx, actor=manager_actor(shop))
    key = create_signing_key("S001").key
    found = outbox.waiting(ctx)
    assert "usb is missing" in found.problem and "Plug in the USB stick" in found.problem
    assert found.fingerprint == key.public.fingerprint
    with pytest.raises(ValidationError, match="missing"):
        outbox.send(ctx, actor=manager_actor(shop))
    assert not (tmp_path / "usb").exists()  # a stick not plugged in is never made on this disk
    ctx.config.hq.phone_secret = ""
    assert "phone_secret" in outbox.waiting(ctx).problem


def test_a_manager_sends_them_and_a_day_still_open_elsewhere_says_why(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    create_signing_key("S001")
    _close(shop, clock, 1)
    drawer.open_session("T2", TZ, actor=forge_actor(shop.promoter), counts={10000: 1})  # today, at T2
    _close(shop, clock, 0)  # closed at T1 only
    ctx = _ctx(db, tmp_path, clock)  # the default folder: made on the first export
    ctx.config.paths.exports = ""
    assert outbox.waiting(ctx).problem == ""
    with pytest.raises(PermissionDenied, match="needs a manager"):
        outbox.send(ctx, actor=forge_actor(shop.promoter))
    sent = outbox.send(ctx, actor=manager_actor(shop))
    yesterday, today = clock.today() - timedelta(days=1), clock.today()
    assert [one.day for one in sent] == [yesterday, today]
    assert sent[0].export is not None and sent[0].export.path.parent == ctx.config.exports_dir()
    assert sent[0].export.path.name in sent[0].message and "sequence 1" in sent[0].message
    assert str(sent[0].export.path.parent) not in sent[0].message  # the screen heads with the folder
    assert sent[1].export is None and "still open at terminal T2" in sent[1].message
    assert outbox.waiting(ctx).days == [today]
    again = outbox.send(ctx, [yesterday], actor=manager_actor(shop))  # again: the same file
    assert again[0].export is not None and again[0].export.again
    assert again[0].export.digest == sent[0].export.digest
