"""The demo store's suppliers and shelves: Apple and Huawei handsets come direct (直供), the
other handsets through a regional distributor (地包商), accessories from a wholesaler in
packs; every product stands on a shelf, so a count can take one shelf at a time."""

from __future__ import annotations

from store.demo.clock import _stamp
from store.demo.state import _State
from store.kernel.ids import new_id

# code, name, channel, lead time in days
SUPPLIERS = (
    ("APPLE", "苹果授权直供", "direct", 7),
    ("HUAWEI", "华为直供", "direct", 5),
    ("HNTX", "华南通信地包", "distributor", 3),
    ("SZPJ", "深圳配件批发", "distributor", 2),
)
DIRECT_BRANDS = {"Apple": "APPLE", "Huawei": "HUAWEI"}
PACKS = {"case": 10, "protector": 10, "cable": 10, "charger": 5, "earphones": 5, "power_bank": 5, "other": 5}
SHELVES = {
    "case": "B1 保护壳",
    "protector": "B2 贴膜",
    "cable": "C1 数据线",
    "charger": "C1 充电器",
    "earphones": "C2 耳机",
    "power_bank": "C2 充电宝",
    "other": "C3 其他配件",
}


class _SupplierSetup(_State):
    def _create_suppliers(self) -> None:
        stamp = _stamp(self.start_us)
        ids = {code: new_id() for code, *_rest in SUPPLIERS}
        self.conn.executemany(
            'INSERT INTO "supplier" ("id", "code", "name", "channel", "lead_time_days", "phone", "active", '
            "\"created_at\") VALUES (?, ?, ?, ?, ?, '', 1, ?)",
            [(ids[code], code, name, channel, lead, stamp) for code, name, channel, lead in SUPPLIERS],
        )
        items: list[tuple[str, str, str, int]] = []
        shelves: list[tuple[str, str]] = []
        for item in self.items:
            if item.category == "service":
                continue
            if item.category == "handset":
                supplier, pack = DIRECT_BRANDS.get(item.brand, "HNTX"), 1
                shelves.append((f"A {item.brand}", item.id))
            else:
                supplier, pack = "SZPJ", PACKS.get(item.group, 1)
                shelves.append((SHELVES.get(item.group, "C3 其他配件"), item.id))
            items.append((new_id(), item.id, ids[supplier], pack))
        self.conn.executemany(
            'INSERT INTO "supplier_item" ("id", "product_id", "supplier_id", "pack_size") '
            "VALUES (?, ?, ?, ?)",
            items,
        )
        self.conn.executemany('UPDATE "product" SET "shelf" = ? WHERE "id" = ?', shelves)
