"""Day files for head office's tests, made by the real store: the Shop's template copied per
store, a few sales a day, each day closed with its Z report and exported."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from store.config.hq import HqSection
from store.dayclose import close, drawer, figures
from store.db.connection import open_database
from store.exchange import day_export
from store.exchange.keys import SigningKey, create_signing_key
from store.kernel import FixedClock, set_process_clock
from store.kernel import clock as clock_module
from store.kernel.clock import business_date
from store.kernel.i18n import current_language, set_language
from store.stock import ledger
from tests.conftest import TEST_NOW, TILL, Shop, Templates
from tests.store_helpers import cheap_pins, forge_actor, manager_actor, sell

# The chain's first day: the business day of the suite's clock (tests/conftest.py TEST_NOW), as
# every store's StoreDays.first_day says (the 8th at 2026-12-07T16:01, 1 December at
# 2026-11-30T16:30), never a fixed date.
FIRST_DAY = business_date(TEST_NOW, TILL.tz)
HASHED = HqSection(central_crm=False, phone_secret="chain-secret-0123456789")


@dataclass(frozen=True)
class StoreDays:
    """A store's key, its day files in sequence order and its own Z totals (fen) a day, from
    its first day on: the business day of the suite's clock when the store's template was made
    (the 8th at 16:01 UTC on the 7th, 1 December at 2026-11-30T16:30); what its own database
    says over all its days: net units and fen sold by SKU, by promoter code (units, fen,
    handsets), stock on hand by SKU at the last close."""

    code: str
    key: SigningKey
    files: list[Path]
    z_net: dict[date, int]
    first_day: date
    sold: dict[str, tuple[int, int]] = field(default_factory=dict)
    promoters: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    on_hand: dict[str, int] = field(default_factory=dict)


def _own_figures(store: StoreDays) -> StoreDays:
    """``store`` with what its own database says (sold, promoters, on hand), read from it."""
    from peewee import fn

    from store.models import Product, Sale, SaleLine, Staff
    from store.stock.ledger import on_hand_all

    lines = (
        SaleLine.select(
            Product.sku,
            Product.category,
            Staff.code,
            fn.SUM(SaleLine.qty).alias("units"),
            fn.SUM(SaleLine.total).alias("fen"),
        )
        .join(Sale)
        .switch(SaleLine)
        .join(Product)
        .switch(SaleLine)
        .join(Staff, on=SaleLine.promoter == Staff.id)
        .where(Sale.status == "completed")
        .group_by(Product.sku, Product.category, Staff.code)
        .tuples()
    )
    sold: dict[str, tuple[int, int]] = {}
    promoters: dict[str, tuple[int, int, int]] = {}
    for sku, category, code, units, fen in lines:
        u, f = sold.get(sku, (0, 0))
        sold[sku] = (u + units, f + fen)
        pu, pf, ph = promoters.get(code, (0, 0, 0))
        promoters[code] = (pu + units, pf + fen, ph + (units if category == "handset" else 0))
    skus = {p.id: p.sku for p in Product.select(Product.id, Product.sku)}
    on_hand = {skus[pid]: qty for pid, qty in on_hand_all().items()}
    return StoreDays(
        store.code, store.key, store.files, store.z_net, store.first_day, sold, promoters, on_hand
    )


def _sales(salt: int, n: int, one_a_day: bool) -> list[int]:
    """The cases sold in each sale of the store's ``n``-th day."""
    if one_a_day:
        return [(salt + n) % 2 + 1]
    return [k % 2 + 1 for k in range((salt + n) % 3 + 1)]


@dataclass(frozen=True)
class OpenStore:
    """A store copied from the Shop's template and open, on a clock of its own."""

    shop: Shop
    clock: FixedClock
    key: SigningKey
    path: Path
    config: Path  # its XDG config folder (its audit anchors and its signing key)


@contextmanager
def store_copy(root: Path, templates: Templates, code: str) -> Iterator[OpenStore]:
    """The Shop's template copied as store ``code`` under ``root`` with a signing key, open
    (cheap PINs, its own config folder) on a clock starting where the template's stopped."""
    path = root / f"{code}.db"
    shutil.copyfile(templates.shop.path, path)
    config = root / f"{code}-config"
    shutil.copytree(templates.shop.config, config, dirs_exist_ok=True)
    fixed = FixedClock(templates.shop.clock_after, TILL.tz, tick=timedelta(milliseconds=1))
    set_process_clock(fixed)
    with pytest.MonkeyPatch.context() as mp:
        cheap_pins(mp)
        mp.setenv("XDG_CONFIG_HOME", str(config))
        database = open_database(path)
        try:
            yield OpenStore(Shop.load(), fixed, create_signing_key(code).key, path, config)
        finally:
            database.close()


def close_days(store: OpenStore, days: int, trade: Callable[[int], object]) -> dict[date, int]:
    """``days`` business days from the store clock's: the drawer opened, ``trade(n)`` on day n,
    the day closed with its Z report (counted as expected), the clock a day on. Each day's Z
    net tenders (fen)."""
    z_net: dict[date, int] = {}
    for n in range(days):
        day = store.clock.today()  # the drawer opens on the clock's business day
        drawer.open_session(
            TILL.terminal_id, TILL.tz, actor=forge_actor(store.shop.promoter), counts={10000: 1}
        )
        trade(n)
        facts = figures.gather(TILL.terminal_id, day)
        z_net[day] = sum(t.amount for t in facts.tenders)
        close.close_day(
            TILL.terminal_id,
            day,
            TILL.tz,
            counted=facts.cash().expected,
            tolerance=500,
            actor=manager_actor(store.shop),
        )
        store.clock.advance(days=1)
    return z_net


def export_days(root: Path, store: OpenStore, code: str) -> list[Path]:
    """Every closed day of the store not yet exported, written into ``root``/``code``."""
    out = root / code
    out.mkdir()
    return [d.path for d in day_export.export_pending(out, key=store.key, hq=HASHED, tz=TILL.tz)]


def _store(root: Path, templates: Templates, code: str, days: int, salt: int, one_a_day: bool) -> StoreDays:
    with store_copy(root, templates, code) as store:
        shop = store.shop
        first_day = store.clock.today()
        assert first_day == FIRST_DAY  # the template was made on the suite's first day
        short = sum(sum(_sales(salt, n, one_a_day)) for n in range(days)) - ledger.on_hand(shop.case.id)
        if short > 0:  # more days than the Shop's cases last
            ledger.receive(shop.case, staff_id=shop.manager.id, qty=short)

        def trade(n: int) -> None:
            for i, qty in enumerate(_sales(salt, n, one_a_day)):
                # Each store sells one phone on its second day: a handset for the promoter
                # league and a product whose last sale is days back for the slow movers.
                phone = (shop.imeis[salt],) if n == 1 and i == 0 else ()
                sell(shop, *phone, case_qty=qty)

        z_net = close_days(store, days, trade)
        files = export_days(root, store, code)
        return _own_figures(StoreDays(code, store.key, files, z_net, first_day))


def build_chain(
    root: Path, templates: Templates, codes: tuple[str, ...], days: int, *, one_a_day: bool = False
) -> dict[str, StoreDays]:
    """Each store of ``codes`` with ``days`` closed and exported days (a different number of
    sales a day at each, or one sale of one or two cases with ``one_a_day``: the cheapest day
    that has a Z total), on a clock and in a language of its own, the suite's put back."""
    outer_clock, outer_language = clock_module._process_clock, current_language()
    set_language("en")
    try:
        return {code: _store(root, templates, code, days, salt, one_a_day) for salt, code in enumerate(codes)}
    finally:
        set_process_clock(outer_clock)
        set_language(outer_language)


def relabel(source: StoreDays, codes: list[str], root: Path) -> dict[str, StoreDays]:
    """``source``'s day files as other stores would send them: each store's code in the
    manifest and in every record, signed by a key of its own. The records and Z totals stay
    ``source``'s, so a chain of many stores costs one store's closes and exports, not one
    each; head office keys every record by (store, id), so they merge all the same."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from store.exchange.container import encode_signed
    from store.exchange.reader import read_signed

    keys = {code: SigningKey(code, root / f"{code}.key", Ed25519PrivateKey.generate()) for code in codes}
    files: dict[str, list[Path]] = {code: [] for code in codes}
    for code in codes:
        (root / code).mkdir()
    # (The real stores are copies of the Shop, whose records all say S001.)
    own_code = re.compile(rb'"store_code":"[^"]*"')
    for path in source.files:
        signed = read_signed(path, lambda _code: [source.key.public], kind="day", schema_versions={1})
        own = ("format", "format_version", "signer", "parts")
        manifest = {k: v for k, v in signed.manifest.items() if k not in own}
        for code in codes:
            new = f'"store_code":"{code}"'.encode()
            parts = {name: own_code.sub(new, data) for name, data in signed.parts.items()}
            target = root / code / path.name.replace(source.code, code, 1)
            target.write_bytes(encode_signed(manifest | {"store": code}, parts, keys[code]))
            files[code].append(target)
    return {
        code: StoreDays(code, keys[code], files[code], dict(source.z_net), source.first_day) for code in codes
    }


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A fresh schema in the test PostgreSQL, dropped after: the URL that works in it."""
    import psycopg

    schema = "hq_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def pg_url() -> str | None:
    return os.environ.get("ZHANGGUI_TEST_PG") or None


def resign(
    source: Path,
    store: StoreDays,
    target: Path,
    *,
    parts: dict[str, bytes] | None = None,
    **fields: object,
) -> Path:
    """``source`` (one of ``store``'s files) signed again by the store's own key, with its
    parts or manifest fields replaced: what a store could send, honestly signed."""
    from store.exchange.container import encode_signed
    from store.exchange.reader import read_signed

    def trusted(code: str) -> list[object]:
        return [store.key.public] if code == store.code else []

    signed = read_signed(source, trusted, kind="day", schema_versions={1})  # type: ignore[arg-type]
    own = ("format", "format_version", "signer", "parts")
    manifest = {k: v for k, v in signed.manifest.items() if k not in own}
    target.write_bytes(encode_signed({**manifest, **fields}, {**signed.parts, **(parts or {})}, store.key))
    return target
