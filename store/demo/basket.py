"""One customer's sale: the phone or accessories picked, what goes with a phone, and how it
is paid."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from store.demo.catalog import _Item
from store.demo.sampling import _pick
from store.demo.state import _State

TENDER_WEIGHTS_SMALL = (("wechat", 45), ("alipay", 28), ("cash", 17), ("card", 10))
TENDER_WEIGHTS_HANDSET = (("wechat", 35), ("alipay", 28), ("card", 27), ("cash", 10))


class _Basket(_State):
    """Composes one sale: its lines, its promoter and its tenders."""

    def _pick_unit(self) -> int | None:
        if not self.handsets_in_stock:
            return None
        rng = self.rng
        for _try in range(8):
            product = _pick(rng, self.handsets, self.handset_cum)
            stock = self.available[product]
            if stock:
                break
        else:
            product = next(p for p in self.handsets if self.available[p])
            stock = self.available[product]
        self.handsets_in_stock -= 1
        self.on_hand[product] -= 1
        return stock.popleft()

    def _pick_accessory(self, qty: int, taken: set[int]) -> int | None:
        rng = self.rng
        for _try in range(6):
            i = _pick(rng, self.accessories, self.accessory_cum)
            if i not in taken and self.on_hand[i] >= qty:
                return i
        return None

    def _take(self, product: int, qty: int, lines: list[list[int]], taken: set[int]) -> None:
        self.on_hand[product] -= qty
        taken.add(product)
        item = self.items[product]
        discount = 0
        if item.price >= 5000 and self.rng.random() < 0.08:  # a few yuan off, within a promoter's 5%
            discount = min(item.price * qty * 5 // 100, self.rng.choice((500, 1000, 2000)))
        lines.append([product, -1, qty, discount])

    def _compose(self, max_lines: int, p_handset: float) -> tuple[list[list[int]], str]:
        """The lines of one sale ([product, unit, qty, line discount]) and its promoter."""
        rng = self.rng
        lines: list[list[int]] = []
        taken: set[int] = set()
        promoter = self.shop_promoters[bisect_right(self.promoter_cum, rng.random() * self.promoter_cum[-1])]
        r = rng.random()
        unit = self._pick_unit() if r < p_handset else None
        if unit is not None:
            product = self.unit_product[unit]
            item = self.items[product]
            if item.brand in self.brand_promoter and rng.random() < 0.7:
                promoter = self.brand_promoter[item.brand]
            discount = 0
            roll = rng.random()
            if roll < 0.3:  # 5999 -> 5900: the odd yuan taken off the phone
                discount = item.price % 10000
            elif roll < 0.4:
                discount = 10000
            if discount * 100 > item.price * 5:
                discount = 0
            lines.append([product, unit, 1, discount])
            taken.add(product)
            for extra in self._extras(item):
                if len(lines) >= max_lines:
                    break
                if extra not in taken and self.on_hand[extra] >= 1:
                    self._take(extra, 1, lines, taken)
            return lines, promoter
        if r < p_handset + 0.1:
            i = _pick(rng, self.walk_in_services, self.walk_in_cum)
            if self.on_hand[i] >= 1:
                self._take(i, 1, lines, taken)
        else:
            roll = rng.random()
            wanted = 1 if roll < 0.3 else (2 if roll < 0.7 else 3)
            for _n in range(min(wanted, max_lines)):
                q = rng.random()
                qty = 1 if q < 0.88 else (2 if q < 0.98 else 3)
                pick = self._pick_accessory(qty, taken)
                if pick is not None:
                    self._take(pick, qty, lines, taken)
        if not lines:  # everything picked was sold out: a cable always sells
            fallback = self._pick_accessory(1, taken)
            if fallback is None:
                fallback = max(self.accessories, key=self.on_hand.__getitem__)
            self._take(fallback, 1, lines, taken)
        return lines, promoter

    def _extras(self, phone: _Item) -> list[int]:
        rng = self.rng
        extras: list[int] = []
        cases = self.cases_for.get(phone.fits)
        if cases and rng.random() < 0.55:
            extras.append(rng.choice(cases))
        protectors = self.protectors_for.get(phone.fits)
        if protectors and rng.random() < 0.45:
            extras.append(rng.choice(protectors))
        wanted: list[str] = []
        if rng.random() < 0.25:
            wanted.append("SVC-FILM")
        yuan = phone.price // 100
        if rng.random() < 0.2:
            wanted.append("SVC-EW1-A" if yuan < 3000 else ("SVC-EW1-B" if yuan < 6000 else "SVC-EW1-C"))
        if rng.random() < 0.12:
            wanted.append("SVC-DATA")
        if rng.random() < 0.08:
            wanted.append("SVC-SCR-A" if yuan < 4000 else "SVC-SCR-B")
        extras.extend(self.service_by_sku[s] for s in wanted if s in self.service_by_sku)
        return extras

    def _tenders(self, total: int, has_handset: bool) -> list[tuple[str, int, int, int]]:
        """(kind, amount, tendered, change); cash, the only tender that gives change, goes last."""
        rng = self.rng
        weights = TENDER_WEIGHTS_HANDSET if has_handset else TENDER_WEIGHTS_SMALL
        kinds = [k for k, _w in weights]
        cum = list(accumulate(w for _k, w in weights))
        first = _pick(rng, kinds, cum)
        if total >= 50000 and rng.random() < 0.07:  # split: part by card or QR code, the rest
            second = rng.choice([k for k in kinds if k != first])
            if first == "cash":
                first, second = second, first
            part = total * rng.randint(30, 80) // 100 // 10000 * 10000 or 10000
            if part < total:
                return [(first, part, part, 0), self._tender(second, total - part)]
        return [self._tender(first, total)]

    def _tender(self, kind: str, amount: int) -> tuple[str, int, int, int]:
        if kind != "cash" or self.rng.random() < 0.3:
            return (kind, amount, amount, 0)
        step = self.rng.choice((1000, 5000, 10000))  # handed over: the next 10, 50 or 100 yuan
        tendered = -(-amount // step) * step
        return (kind, amount, tendered, tendered - amount)
