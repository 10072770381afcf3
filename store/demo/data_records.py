"""Reference data for the demo store: what a Chinese phone shop sold in 2025-2026.

Prices are the brands' China retail prices in yuan (shops discount from these); the demo
generator turns them into fen. Colour and product names are in Chinese as on the boxes.
The tables are split by subject in the data_*.py modules beside this one; these are the
shapes of their rows.
"""

from __future__ import annotations

from typing import NamedTuple


class HandsetModel(NamedTuple):
    brand: str
    model: str
    code: str  # SKU stem
    popularity: int  # relative sales weight in a typical county-town shop
    variants: tuple[tuple[str, int], ...]  # (storage, price in yuan)
    colours: tuple[str, ...]


class AccessoryKind(NamedTuple):
    group: str  # case / protector / charger / cable / earphones / power_bank / other
    brand: str
    name: str
    code: str
    price: int  # yuan
    colours: tuple[str, ...]
    weight: float  # relative sales weight of one SKU


class ServiceItem(NamedTuple):
    code: str
    name: str
    price: int  # yuan
    kind: str  # film / data / warranty / care / screen
    weight: float
