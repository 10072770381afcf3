"""What the timed sales are made of, picked and stocked up before any clock runs: the member
of staff who sells, the accessories, and enough sellable handsets and accessory stock."""

from __future__ import annotations

import random

from store.models import ImeiUnit, Product, Staff
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit


def selling_staff() -> Staff:
    for roles in (("promoter", "cashier"), ("manager", "admin")):
        member: Staff | None = (
            Staff.select()
            .where((Staff.active == True) & Staff.role.in_(roles))  # noqa: E712
            .order_by(Staff.code)
            .first()
        )
        if member is not None:
            return member
    raise RuntimeError("no active staff in the database")


def fresh_imeis(count: int, rng: random.Random) -> list[str]:
    """IMEIs under a TAC no demo or test uses, skipping any already known."""
    out: list[str] = []
    serial = rng.randrange(0, 10**6) * 100
    while len(out) < count:
        batch = [with_check_digit(f"990012{(serial + i) % 10**8:08d}") for i in range(count - len(out))]
        serial += len(batch)
        clash = ImeiUnit.select(ImeiUnit.imei, ImeiUnit.imei2).where(
            ImeiUnit.imei.in_(batch) | ImeiUnit.imei2.in_(batch)
        )
        known = {number for unit in clash for number in (unit.imei, unit.imei2) if number}
        out.extend(i for i in batch if i not in known)
    return out


def restock(needed: int, accessories: list[Product], staff_id: str, rng: random.Random) -> None:
    """Enough sellable handsets and accessory stock for ``needed`` sales (untimed)."""
    sellable = (
        ImeiUnit.select()
        .join(Product)
        .where(ImeiUnit.status.in_(stock.SELLABLE) & (Product.active == True))  # noqa: E712
        .count()
    )
    if sellable < needed:
        handset = (
            Product.select()
            .where((Product.serialized == True) & (Product.active == True))  # noqa: E712
            .order_by(Product.sku)
            .first()
        )
        if handset is None:
            raise RuntimeError("no handset product to receive units of")
        missing = needed - sellable
        for start in range(0, missing, 1000):
            chunk = fresh_imeis(min(1000, missing - start), rng)
            stock.receive(
                handset, staff_id=staff_id, units=[ReceivedUnit(i) for i in chunk], document="bench"
            )
    for product in accessories:
        have = stock.on_hand(product.id)
        if have < needed:
            stock.receive(
                product, staff_id=staff_id, qty=min(needed - have + 1, stock.MAX_QTY), document="bench"
            )


def accessory_pool(size: int, rng: random.Random) -> list[Product]:
    products = list(
        Product.select()
        .where((Product.category == "accessory") & (Product.serialized == False) & (Product.active == True))  # noqa: E712
        .order_by(Product.sku)
    )
    if len(products) < 2:
        raise RuntimeError("the database needs at least two active accessories")
    return rng.sample(products, min(size, len(products)))


def sellable_units(count: int) -> list[ImeiUnit]:
    units = list(
        ImeiUnit.select(ImeiUnit, Product)
        .join(Product)
        .where(ImeiUnit.status.in_(stock.SELLABLE) & (Product.active == True))  # noqa: E712
        .order_by(ImeiUnit.received_at, ImeiUnit.id)
        .limit(count)
    )
    if len(units) < count:
        raise RuntimeError(f"only {len(units)} sellable IMEI units, {count} needed")
    return units
