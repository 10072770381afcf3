"""The demo catalog: which phones, accessories and services a shop of each size stocks, with
their SKUs, prices and barcodes, and the products written from it."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from itertools import accumulate

from stdnum import ean

from store.demo.bulk import SQL_PRODUCT, _Ids
from store.demo.clock import _DAY_US, DAYS, _stamp
from store.demo.data_accessories import ACCESSORIES, CASE_STYLES, PROTECTOR_STYLES
from store.demo.data_codes import BARCODE_PREFIXES, COLOUR_CODES
from store.demo.data_handsets import HANDSETS
from store.demo.data_services import SERVICES
from store.demo.sampling import _share
from store.demo.sizes import DemoSize
from store.demo.state import _State
from store.stock.catalog import search_text_for

GROUP_SHARES = (
    ("case", 0.45),
    ("protector", 0.2),
    ("cable", 0.1),
    ("charger", 0.08),
    ("earphones", 0.07),
    ("power_bank", 0.05),
    ("other", 0.05),
)
GROUP_WEIGHT = {
    "case": 3.0,
    "protector": 4.0,
    "cable": 2.0,
    "charger": 1.5,
    "earphones": 0.8,
    "power_bank": 0.8,
    "other": 0.8,
}


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _storage_code(storage: str) -> str:
    return storage.replace("GB", "").replace("+", "-")


def _colour_code(colour: str, index: int) -> str:
    return COLOUR_CODES.get(colour, f"C{index + 1:02d}")


@dataclass(slots=True)
class _Item:
    sku: str
    brand: str
    model: str
    colour: str
    storage: str
    category: str
    group: str  # handset / case / protector / ... / service kind
    price: int  # fen
    cost: int  # fen
    weight: float  # relative sales weight
    priority: float  # lower is stocked first by a smaller shop
    fits: str = ""  # the handset model code a case or protector is made for
    id: str = ""
    barcode: str = ""


def model_name(brand: str, model: str) -> str:
    """The model as the product row keeps it: without the brand the box prints before it, as
    the brand column says it already (a name shows as 'Redmi Note 15 Pro', not 'Redmi Redmi
    Note 15 Pro'). Accessories keep the full name of the phone they fit ('ESR Xiaomi 17 …')."""
    if model.lower().startswith(brand.lower() + " "):
        return model[len(brand) + 1 :]
    return model


def _handset_pool() -> list[_Item]:
    models = sorted(HANDSETS, key=lambda m: -m.popularity)
    items: list[_Item] = []
    for pos, m in enumerate(models):
        cost_percent = 93 if m.brand == "Apple" else 87  # Apple leaves a shop the thinnest margin
        for s_idx, (storage, yuan) in enumerate(m.variants):
            for c_idx, colour in enumerate(m.colours):
                price = yuan * 100
                items.append(
                    _Item(
                        sku=f"{m.code}-{_storage_code(storage)}-{_colour_code(colour, c_idx)}",
                        brand=m.brand,
                        model=model_name(m.brand, m.model),
                        colour=colour,
                        storage=storage,
                        category="handset",
                        group="handset",
                        price=price,
                        cost=price * cost_percent // 10000 * 100,  # whole yuan
                        weight=m.popularity * 0.55**s_idx * 0.8**c_idx,
                        priority=s_idx + 0.8 * c_idx + 0.04 * pos,
                        fits=m.code,
                    )
                )
    return items


def _accessory_pool() -> dict[str, list[_Item]]:
    models = sorted(HANDSETS, key=lambda m: -m.popularity)
    pools: dict[str, list[_Item]] = {group: [] for group, _s in GROUP_SHARES}
    for pos, m in enumerate(models):
        for st_idx, (brand, name, code, yuan, colours) in enumerate(CASE_STYLES):
            for c_idx, colour in enumerate(colours):
                pools["case"].append(
                    _Item(
                        sku=f"CASE-{m.code}-{code}-{_colour_code(colour, c_idx)}",
                        brand=brand,
                        model=f"{m.model} {name}",
                        colour=colour,
                        storage="",
                        category="accessory",
                        group="case",
                        price=yuan * 100,
                        cost=yuan * 30,
                        weight=m.popularity / 10 * 0.75**c_idx * (60 / (yuan + 20)),
                        priority=st_idx + c_idx + 0.35 * pos,
                        fits=m.code,
                    )
                )
        for st_idx, (name, code, yuan, weight) in enumerate(PROTECTOR_STYLES):
            pools["protector"].append(
                _Item(
                    sku=f"FILM-{m.code}-{code}",
                    brand="SmartDevil",
                    model=f"{m.model} {name}",
                    colour="",
                    storage="",
                    category="accessory",
                    group="protector",
                    price=yuan * 100,
                    cost=yuan * 20,
                    weight=m.popularity / 10 * weight,
                    priority=st_idx + 0.35 * pos,
                    fits=m.code,
                )
            )
    for a_idx, kind in enumerate(ACCESSORIES):
        for c_idx, colour in enumerate(kind.colours):
            suffix = "" if len(kind.colours) == 1 else f"-{_colour_code(colour, c_idx)}"
            pools[kind.group].append(
                _Item(
                    sku=f"{kind.code}{suffix}",
                    brand=kind.brand,
                    model=kind.name,
                    colour=colour,
                    storage="",
                    category="accessory",
                    group=kind.group,
                    price=kind.price * 100,
                    cost=kind.price * (60 if kind.brand in ("Apple", "Huawei", "Sony") else 45),
                    weight=kind.weight * 0.6**c_idx,
                    priority=c_idx + 0.01 * a_idx,
                )
            )
    return pools


def _take_accessories(pools: dict[str, list[_Item]], count: int) -> list[_Item]:
    """``count`` accessories, each group getting its share, the best-selling of each first."""
    for items in pools.values():
        items.sort(key=lambda it: it.priority)
    groups = [g for g, _s in GROUP_SHARES]
    quota = dict(zip(groups, _share(count, [s for _g, s in GROUP_SHARES]), strict=True))
    spare = 0
    for g in groups:
        if quota[g] > len(pools[g]):
            spare += quota[g] - len(pools[g])
            quota[g] = len(pools[g])
    for g in groups:  # a group that runs out hands its share to the next with room
        room = len(pools[g]) - quota[g]
        moved = min(room, spare)
        quota[g] += moved
        spare -= moved
    return [it for g in groups for it in pools[g][: quota[g]]]


def _build_catalog(spec: DemoSize) -> list[_Item]:
    handsets = sorted(_handset_pool(), key=lambda it: it.priority)[: spec.handsets]
    services = [
        _Item(
            sku=s.code,
            brand="门店服务",
            model=s.name,
            colour="",
            storage="",
            category="service",
            group=s.kind,
            price=s.price * 100,
            cost=s.price * 40 if s.kind in ("warranty", "screen") else 0,
            weight=s.weight,
            priority=0,
        )
        for s in SERVICES[: spec.services]
    ]
    accessories = _take_accessories(_accessory_pool(), spec.products - len(handsets) - len(services))
    items = handsets + accessories + services
    counters: dict[str, int] = {}
    for item in items:
        prefix = BARCODE_PREFIXES.get(item.brand, "6970000")
        serial = counters.get(prefix, _crc(prefix) % 40_000)
        counters[prefix] = serial + 1
        body = f"{prefix}{serial:05d}"
        item.barcode = body + ean.calc_check_digit(body)
    return items


class _CatalogSetup(_State):
    """Writes the catalog, and works out what sells and when each product is reordered."""

    def _create_catalog(self) -> None:
        items = _build_catalog(self.spec)
        created = self.start_us - 30 * _DAY_US
        ids = _Ids()
        for item in items:
            item.id = ids.make(created // 1000)
        stamp = _stamp(created)
        self.conn.executemany(
            SQL_PRODUCT,
            [
                (
                    it.id,
                    it.sku,
                    it.barcode,
                    it.brand,
                    it.model,
                    it.colour,
                    it.storage,
                    it.category,
                    it.price,
                    it.cost,
                    1 if it.category == "handset" else 0,
                    search_text_for(it.brand, it.model, it.storage, it.colour, it.sku),
                    stamp,
                )
                for it in items
            ],
        )
        self.items = items
        self.on_hand = [0] * len(items)
        handsets = [i for i, it in enumerate(items) if it.category == "handset"]
        accessories = [i for i, it in enumerate(items) if it.category == "accessory"]
        services = [i for i, it in enumerate(items) if it.category == "service"]
        self.handsets = handsets
        self.handset_cum = list(accumulate(items[i].weight for i in handsets))
        self.accessories = accessories
        self.accessory_cum = list(
            accumulate(items[i].weight * GROUP_WEIGHT[items[i].group] for i in accessories)
        )
        walk_in = [i for i in services if items[i].group in ("film", "care", "data")]
        self.walk_in_services = walk_in
        self.walk_in_cum = list(accumulate(items[i].weight for i in walk_in))
        self.cases_for = {}
        self.protectors_for = {}
        for i in accessories:
            it = items[i]
            if it.group == "case":
                self.cases_for.setdefault(it.fits, []).append(i)
            elif it.group == "protector":
                self.protectors_for.setdefault(it.fits, []).append(i)
        self.service_by_sku = {items[i].sku: i for i in services}
        # Restock rules: enough for about two weeks at the expected pace, reordered at four days.
        stocked = accessories + services
        lines_per_day = self.spec.sale_lines / DAYS
        weights = [items[i].weight * GROUP_WEIGHT.get(items[i].group, 1.0) for i in accessories]
        whole = sum(weights) or 1.0
        self.reorder_at = {}
        self.batch = {}
        for i, w in zip(accessories, weights, strict=True):
            daily = lines_per_day * 0.8 * 1.2 * w / whole
            self.reorder_at[i] = max(2, math.ceil(daily * 4))
            self.batch[i] = max(5, math.ceil(daily * 14 / 5) * 5)
        for i in services:
            self.reorder_at[i] = max(50, math.ceil(lines_per_day))
            self.batch[i] = max(500, math.ceil(lines_per_day * 30 / 100) * 100)
        self.stocked = stocked
