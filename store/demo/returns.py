"""Returns: sales kept aside for a week, and the refunds written when something comes back."""

from __future__ import annotations

from store.demo.bulk import SQL_LINE, SQL_SALE, SQL_TENDER, _BulkWriter
from store.demo.clock import _stamp
from store.demo.data_people import RETURN_REASON_CODES, RETURN_REASONS
from store.demo.roster import DEMO_STORE_CODE
from store.demo.sizes import LINES_PER_SALE
from store.demo.state import _PastSale


class _Returns(_BulkWriter):
    """Picks which past sales come back, and writes their refunds."""

    def _keep_probability(self, d: int) -> float:
        """The share of day ``d``'s sales kept for the coming week's returns to draw from."""
        upcoming = sum(self.return_quota[d + 1 : d + 8])
        per_day = self.quota[d] / LINES_PER_SALE or 1.0
        return min(1.0, 30 * upcoming / 7 / per_day)

    def _pick_returns(self, d: int) -> list[_PastSale]:
        rng = self.rng
        picked: list[_PastSale] = []
        for _k in range(self.return_quota[d]):
            phone = rng.random() < 0.4  # phones come back more often than their share of sales
            keys = [(p, phone) for p in range(max(0, d - 7), d) if self.pool.get((p, phone))]
            keys = keys or [(p, not phone) for p in range(max(0, d - 7), d) if self.pool.get((p, not phone))]
            if not keys:
                break
            for _attempt in range(20):  # a service (a film put on, data moved) is not taken back
                bucket = self.pool[rng.choice(keys)]
                if not bucket:
                    continue
                k = rng.randrange(len(bucket))
                bucket[k], bucket[-1] = bucket[-1], bucket[k]
                past = bucket.pop()
                goods = [ln for ln in past.lines if self.items[ln[1]].category != "service"]
                if goods:
                    past.lines = [goods[0] if goods[0][2] >= 0 and rng.random() < 0.6 else rng.choice(goods)]
                    picked.append(past)
                    break
        for key in [key for key in self.pool if key[0] < d - 7]:
            del self.pool[key]
        return picked

    def _emit_return(
        self, d: int, past: _PastSale, moment: int, receipt: str, business_date: str
    ) -> tuple[int, int]:
        """A full refund of one line, to the way it was paid, as store.selling.checkout writes a return."""
        line_id, product, unit, qty, list_price, unit_price, paid, promoter = past.lines[0]
        self.returned_sales.add(past.sale_id)
        ms = moment // 1000
        sale_id = self.ids.make(ms)
        created = _stamp(moment)
        staff = self.cashier_id if self.rng.random() < 0.7 else self.manager_id
        refund = paid  # returning the whole line refunds exactly what was paid for it
        discount = refund - unit_price * qty  # as Cart.add_return_line: net of the line is -refund
        unit_id = self.unit_ids[unit] if unit >= 0 else None
        self.buffers[SQL_LINE].append(
            (
                self.ids.make(ms),
                sale_id,
                1,
                self.items[product].id,
                unit_id,
                -qty,
                list_price,
                unit_price,
                discount,
                -refund,
                promoter,
                line_id,
            )
        )
        self._move(product, unit_id, "return", qty, staff, moment, sale_id, created)
        if unit >= 0:
            self.unit_status[unit] = "returned"
        self.buffers[SQL_TENDER].append((self.ids.make(ms), sale_id, past.tender_kind, -refund, -refund, 0))
        if past.tender_kind == "cash":
            self.cash_flows[d].append((moment, -refund))
        note = self.rng.choice(RETURN_REASONS)
        self.buffers[SQL_SALE].append(
            (
                sale_id,
                receipt,
                DEMO_STORE_CODE,
                self.terminal_id,
                business_date,
                _stamp(moment),
                "return",
                staff,
                past.customer_id,
                past.sale_id,
                -unit_price * qty,
                discount,
                -refund,
                note,
                created,
                RETURN_REASON_CODES[note],  # the [returns] reason it is filed under
            )
        )
        self.counts.sales += 1
        self.counts.returns += 1
        self.counts.lines += 1
        return product, qty
