"""The demo phones themselves: IMEI units under each brand's TACs, in the opening stock or
delivered on later days."""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from store.demo.bulk import SQL_UNIT, _Ids
from store.demo.catalog import _crc
from store.demo.clock import DAYS, _Calendar, _stamp
from store.demo.data_handsets import DUAL_SIM, DUAL_SIM_DEFAULT, TAC_HEADS
from store.demo.sampling import _share
from store.stock.imei import with_check_digit


class _UnitSetup(_Calendar):
    """Writes the IMEI units and plans the day each one arrives."""

    def _create_units(self) -> None:
        """IMEI units, each with the delivery day it arrives on (-1: the opening stock)."""
        rng = self.rng
        items = self.items
        counts = _share(self.spec.imei_units, [items[i].weight for i in self.handsets])
        # A product that gets no unit from the split still gets one, taken from the biggest.
        for k, n in enumerate(counts):
            if n == 0:
                biggest = max(range(len(counts)), key=counts.__getitem__)
                counts[biggest] -= 1
                counts[k] = 1
        tacs: dict[str, str] = {}
        used_tacs: set[str] = set()
        serials: dict[str, int] = {}
        delivery_days = [
            d
            for d in range(DAYS - 5)
            if self.days[d].weekday() in (0, 3) and self._at_local(d, 9 * 60) < self.end_us
        ]
        units_by_day: dict[int, list[int]] = {}
        unit_product: list[int] = []
        unit_ids: list[str] = []
        unit_rows: list[tuple[Any, ...]] = []
        ids = _Ids()
        for i, n in zip(self.handsets, counts, strict=True):
            it = items[i]
            model_key = f"{it.brand}|{it.model}"
            tac = tacs.get(model_key)
            if tac is None:
                heads = TAC_HEADS.get(it.brand, ("8600",))
                h = _crc(model_key)
                tac = f"{heads[h % len(heads)]}{h // 7 % 10000:04d}"
                while tac in used_tacs:
                    tac = f"{tac[:4]}{(int(tac[4:]) + 1) % 10000:04d}"
                used_tacs.add(tac)
                tacs[model_key] = tac
                serials[tac] = 100_000 + _crc(tac) % 400_000 * 2
            dual = DUAL_SIM.get(it.brand, DUAL_SIM_DEFAULT)
            opening = math.ceil(n * 0.4)
            for k in range(n):
                day = -1 if k < opening or not delivery_days else rng.choice(delivery_days)
                serial = serials[tac]
                serials[tac] = serial + 2  # the second SIM's IMEI takes the next serial
                imei = with_check_digit(f"{tac}{serial:06d}")
                imei2 = with_check_digit(f"{tac}{serial + 1:06d}") if rng.random() < dual else None
                received = self._delivery_us(day)
                uid = ids.make(received // 1000)
                unit_rows.append((uid, it.id, imei, imei2, it.cost, _stamp(received)))
                units_by_day.setdefault(day, []).append(len(unit_ids))
                unit_ids.append(uid)
                unit_product.append(i)
        self.conn.executemany(SQL_UNIT, unit_rows)
        self.unit_ids = unit_ids
        self.unit_product = unit_product
        self.unit_status = ["in_stock"] * len(unit_ids)
        self.units_by_day = units_by_day
        self.available = {i: deque() for i in self.handsets}
        self.handsets_in_stock = 0
