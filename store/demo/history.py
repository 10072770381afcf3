"""The demo store's 90 days of trading, one day at a time: deliveries and restocking in the
morning, then the day's sales and returns in time order, each written as commit_sale would."""

from __future__ import annotations

from store.demo.basket import _Basket
from store.demo.bulk import SQL_LINE, SQL_MOVEMENT, SQL_SALE, SQL_TENDER
from store.demo.clock import _stamp
from store.demo.customers import _Customers
from store.demo.deliveries import _Deliveries
from store.demo.returns import _Returns
from store.demo.roster import DEMO_STORE_CODE
from store.demo.state import _PastSale, _SoldLine


class _History(_Deliveries, _Customers, _Basket, _Returns):
    """One trading day at a time: the morning's deliveries, then its sales and returns."""

    def _run_day(self, d: int) -> None:
        rng = self.rng
        self._deliver_units(d)
        self._restock(d)
        returns = self._pick_returns(d)
        self.keep_p = self._keep_probability(d)
        plans: list[tuple[list[list[int]], str] | _PastSale] = []
        left = self.quota[d] - len(returns)
        while left > 0:
            lines, promoter = self._compose(min(3, left), self.p_handset)
            plans.append((lines, promoter))
            left -= len(lines)
        returned_stock: list[tuple[int, int]] = []
        for past in returns:
            plans.append(past)
        rng.shuffle(plans)
        times = sorted(self._time_in_day(d) for _p in plans)
        prefix = f"{DEMO_STORE_CODE}-{self.terminal_id}-{self.days[d]:%Y%m%d}-"
        business_date = self.days[d].isoformat()
        for seq, (plan, moment) in enumerate(zip(plans, times, strict=True), 1):
            receipt = f"{prefix}{seq:04d}"
            if isinstance(plan, _PastSale):
                returned_stock.append(self._emit_return(d, plan, moment, receipt, business_date))
            else:
                self._emit_sale(d, plan[0], plan[1], moment, receipt, business_date)
        # Returned goods go back on the shelf after the day's sales were planned, so that a
        # sale earlier in the day never took stock that only came back later.
        for product, qty in returned_stock:
            if self.items[product].category != "handset":
                self.on_hand[product] += qty
        if plans:
            self.receipt_counters.append((f"{self.terminal_id}|{business_date}", len(plans)))
        self._flush()

    def _emit_sale(
        self, d: int, lines: list[list[int]], promoter: str, moment: int, receipt: str, business_date: str
    ) -> None:
        rng = self.rng
        items = self.items
        ms = moment // 1000
        sale_id = self.ids.make(ms)
        created = _stamp(moment)
        staff = promoter if rng.random() < 0.65 else self.cashier_id
        has_handset = lines[0][1] >= 0
        nets = [items[p].price * q - disc for p, _u, q, disc in lines]
        base = sum(nets)
        sale_discount = 0
        # 抹零: the total rounded down to ten yuan, on a sale without line discounts (together
        # they could pass a promoter's 5 % and would have needed a manager's PIN).
        if base >= 20000 and not any(line[3] for line in lines) and rng.random() < 0.2:
            sale_discount = base % 1000
            if sale_discount * 100 > base * 5:
                sale_discount = 0
        shares = [0] * len(lines)
        if sale_discount:  # split as Cart.allocations does: largest remainder over positive nets
            eligible = [k for k, net in enumerate(nets) if net > 0]
            remainders = {}
            for k in eligible:
                shares[k], remainders[k] = divmod(sale_discount * nets[k], base)
            left = sale_discount - sum(shares)
            for k in sorted(eligible, key=lambda k: (-remainders[k], -nets[k], k))[:left]:
                shares[k] += 1
        subtotal = 0
        line_discounts = 0
        line_buf = self.buffers[SQL_LINE]
        move_buf = self.buffers[SQL_MOVEMENT]
        make = self.ids.make
        keep = rng.random() < (self.keep_p * 3 if has_handset else self.keep_p)
        kept: list[_SoldLine] = []
        handset_fen = 0
        for n, ((product, unit, qty, disc), net, share) in enumerate(
            zip(lines, nets, shares, strict=True), 1
        ):
            item = items[product]
            line_id = make(ms)
            unit_id = self.unit_ids[unit] if unit >= 0 else None
            total = net - share
            line_buf.append(
                (
                    line_id,
                    sale_id,
                    n,
                    item.id,
                    unit_id,
                    qty,
                    item.price,
                    item.price,
                    disc + share,
                    total,
                    promoter,
                    None,
                )
            )
            subtotal += item.price * qty
            line_discounts += disc
            move_buf.append((make(ms), item.id, unit_id, "sale", -qty, staff, created, sale_id, ""))
            if unit >= 0:
                self.unit_status[unit] = "sold"
            if item.category == "handset":
                handset_fen += total
            if keep:
                kept.append((line_id, product, unit, qty, item.price, item.price, total, promoter))
        discount = line_discounts + sale_discount
        total = subtotal - discount
        customer = self._customer_at(moment) if rng.random() < (0.85 if has_handset else 0.3) else None
        tenders = self._tenders(total, has_handset)
        if customer is not None and customer not in self.first_sales:
            self.first_sales[customer] = (sale_id, business_date, created, staff, handset_fen)
        tender_buf = self.buffers[SQL_TENDER]
        for kind, amount, tendered, change in tenders:
            tender_buf.append((self.ids.make(ms), sale_id, kind, amount, tendered, change))
            if kind == "cash":  # what the drawer takes in (store.demo.drawer_days)
                self.cash_flows[d].append((moment, tendered - change))
        self.buffers[SQL_SALE].append(
            (
                sale_id,
                receipt,
                DEMO_STORE_CODE,
                self.terminal_id,
                business_date,
                created,
                "sale",
                staff,
                customer,
                None,
                subtotal,
                discount,
                total,
                "",
                created,  # the receipt printed as the sale was committed
                "",  # a sale gives no return reason
            )
        )
        self.counts.sales += 1
        self.counts.lines += len(lines)
        if keep:
            self.pool.setdefault((d, has_handset), []).append(
                _PastSale(sale_id, customer, tenders[0][0], kept)
            )
