"""Stock coming in: the opening stock, phone deliveries and the morning restock."""

from __future__ import annotations

from store.demo.bulk import _BulkWriter
from store.demo.clock import _Calendar


class _Deliveries(_BulkWriter, _Calendar):
    """Receives goods: the stock movements that put them on the shelf."""

    def _opening_stock(self) -> None:
        self._deliver_units(-1)
        at = self._delivery_us(-1)
        for i in self.stocked:
            qty = self.batch[i] + self.reorder_at[i]
            self.on_hand[i] += qty
            self._move(i, None, "receive", qty, self.manager_id, at, "OPENING")

    def _deliver_units(self, day: int) -> None:
        arriving = self.units_by_day.get(day)
        if not arriving:
            return
        at = self._delivery_us(day)
        doc = "OPENING" if day < 0 else f"DN-{self.days[day]:%Y%m%d}"
        for u in arriving:
            product = self.unit_product[u]
            self.available[product].append(u)
            self.on_hand[product] += 1
            self._move(product, self.unit_ids[u], "receive", 1, self.manager_id, at, doc)
        self.handsets_in_stock += len(arriving)

    def _restock(self, d: int) -> None:
        at = self._at_local(d, 9 * 60 + 5)
        if at >= self.end_us:
            return
        doc = f"PO-{self.days[d]:%Y%m%d}"
        on_hand, reorder_at, batch = self.on_hand, self.reorder_at, self.batch
        for i in self.stocked:
            if on_hand[i] < reorder_at[i]:
                on_hand[i] += batch[i]
                self._move(i, None, "receive", batch[i], self.manager_id, at, doc)
