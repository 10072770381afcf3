"""A full disk during a sale: the sale is undone whole, the message says the disk is full
and what to do, and the cart is kept (issue 10, item 12). The disk is filled for real: the
database may not grow past its size when the test starts (PRAGMA max_page_count)."""

from __future__ import annotations

import errno
import sqlite3
from datetime import datetime

import pytest
from peewee import OperationalError

from store.db.transaction import write
from store.kernel.errors import DatabaseUnavailable, DiskFull
from store.models import HeldCart, Sale, database
from store.selling import checkout, holds
from store.selling.cart import Cart
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import counts, pay, promoter_cart, scan, snapshot

DAY = datetime(2026, 11, 27, 4, 0)
FULL = "The disk is full, so nothing was saved. Free some disk space or call the manager, then try again."


def limit_size(pages: int | None = None) -> None:
    """The database may not grow past ``pages`` (now: its current size), on this connection
    and on every one opened later (a worker thread's)."""
    db = database.obj
    if pages is None:
        pages = int(db.execute_sql("PRAGMA page_count").fetchone()[0])
    db.pragma("max_page_count", pages, permanent=True)


def lift_limit() -> None:
    limit_size(1_000_000)


def one_case_cart(shop: Shop) -> Cart:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku), 1)
    pay(cart)
    return cart


def fill_disk(shop: Shop) -> Cart:
    """Sell one case at a time until the disk is full; the sale that did not fit is returned,
    and every one like it fails the same way (it was undone whole, so nothing changed)."""
    stock.receive(shop.case, staff_id=shop.manager.id, qty=500)
    limit_size()
    for _ in range(400):
        cart = one_case_cart(shop)
        before = counts()
        try:
            checkout.commit_sale(cart, shop.till, now=DAY)
        except DiskFull:
            assert counts() == before
            return cart
    raise AssertionError("the disk never filled up")


def test_a_full_disk_undoes_the_sale_and_says_so(shop: Shop) -> None:
    cart = fill_disk(shop)
    kept = cart.to_json()
    before = snapshot()
    with pytest.raises(DiskFull) as err:
        checkout.commit_sale(cart, shop.till, now=DAY)
    assert str(err.value) == FULL
    assert "rollback" not in str(err.value)
    assert snapshot() == before
    assert database.obj.in_transaction() is False
    assert cart.to_json() == kept  # the sale in progress is untouched: it can be paid again

    lift_limit()
    sale = checkout.commit_sale(cart, shop.till, now=DAY)  # space freed: the same cart goes through
    assert Sale.get_by_id(cart.id).receipt_no == sale.receipt_no


def test_a_full_disk_keeps_a_suspended_copy_when_it_still_fits(shop: Shop) -> None:
    cart = fill_disk(shop)
    with pytest.raises(DiskFull) as err:
        checkout.commit_sale_off_thread(cart, shop.till, now=DAY)
    assert err.value.held is True
    held = HeldCart.get_by_id(cart.id)
    copy = Cart.from_json(held.payload)
    assert [(ln.sku, ln.qty) for ln in copy.lines] == [(shop.case.sku, 1)]
    assert copy.tenders == [] and cart.tenders != []  # the copy waits unpaid; the cart is as it was
    lift_limit()
    checkout.commit_sale(cart, shop.till, now=DAY)
    assert HeldCart.get_or_none(HeldCart.id == cart.id) is None  # committed: the copy is gone


def test_no_copy_is_claimed_when_even_the_copy_does_not_fit(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    cart = fill_disk(shop)

    def full(cart: Cart, label: str = "", now: object = None) -> None:
        raise DiskFull(FULL)

    monkeypatch.setattr(holds, "hold", full)
    with pytest.raises(DiskFull) as err:
        checkout.commit_sale_off_thread(cart, shop.till, now=DAY)
    assert err.value.held is False
    assert HeldCart.select().count() == 0


def test_the_failed_rollback_after_a_full_disk_is_reported_as_a_full_disk(shop: Shop) -> None:
    def rollback_fails_after_full() -> None:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise OperationalError("cannot rollback - no transaction is active") from None

    with pytest.raises(DiskFull, match="The disk is full"):
        write(rollback_fails_after_full)


def test_a_failed_rollback_of_unknown_cause_says_the_write_was_undone(shop: Shop) -> None:
    def rollback_fails() -> None:
        raise OperationalError("cannot rollback - no transaction is active")

    with pytest.raises(DatabaseUnavailable) as err:
        write(rollback_fails)
    assert not isinstance(err.value, DiskFull)
    assert str(err.value).startswith("The database stopped in the middle of a write and undid it")


def test_no_space_left_from_the_file_system_is_a_full_disk(shop: Shop) -> None:
    def no_space() -> None:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise OperationalError("disk I/O error") from None

    with pytest.raises(DiskFull):
        write(no_space)
