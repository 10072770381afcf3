"""The demo customers: names and mobile numbers, when they signed up, and who comes back."""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

from store.demo.bulk import SQL_CUSTOMER, _Ids
from store.demo.clock import _DAY_US, _stamp
from store.demo.data_people import GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, SURNAMES
from store.demo.sampling import _pick
from store.demo.state import _State
from store.referrals.codes import ALPHABET, LENGTH


def _make_phones(rng: random.Random, count: int) -> list[str]:
    prefixes = [p for p, _w in MOBILE_PREFIXES]
    cum = list(accumulate(w for _p, w in MOBILE_PREFIXES))
    seen: set[str] = set()
    phones: list[str] = []
    while len(phones) < count:
        number = f"{_pick(rng, prefixes, cum)}{rng.randrange(100_000_000):08d}"
        if number not in seen:
            seen.add(number)
            phones.append(number)
    return phones


def _make_codes(rng: random.Random, count: int) -> list[str]:
    """Referral codes from a generator of their own: the same every time, and drawing them
    leaves the rest of the demo exactly as it was."""
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choice(ALPHABET) for _i in range(LENGTH))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


def _make_names(rng: random.Random, count: int) -> list[str]:
    surnames = [s for s, _w in SURNAMES]
    cum = list(accumulate(w for _s, w in SURNAMES))
    names: list[str] = []
    for _i in range(count):
        if rng.random() < 0.03:  # some people only leave a phone number
            names.append("")
            continue
        pool = GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")
        names.append(_pick(rng, surnames, cum) + given)
    return names


class _Customers(_State):
    """Writes the customers, and picks the one at the till for a sale."""

    def _create_customers(self) -> None:
        rng = self.rng
        n = self.spec.customers
        phones = _make_phones(rng, n)
        names = _make_names(rng, n)
        span_before = 730 * _DAY_US
        window = self.end_us - self.start_us
        times = sorted(
            self.start_us - int(rng.random() * span_before)
            if rng.random() < 0.6
            else self.start_us + int(rng.random() * window)
            for _i in range(n)
        )
        ids = _Ids()
        cust_ids = [ids.make(t // 1000) for t in times]
        self.conn.executemany(
            SQL_CUSTOMER,
            [
                (cid, phone, name, _stamp(t), code)
                for cid, phone, name, t, code in zip(
                    cust_ids,
                    phones,
                    names,
                    times,
                    _make_codes(random.Random(f"referral-codes-{n}"), n),
                    strict=True,
                )
            ],
        )
        self.cust_ids = cust_ids
        self.cust_times = times
        self.recent_span = max(5, n // 200)

    def _customer_at(self, moment: int) -> str | None:
        k = bisect_right(self.cust_times, moment)
        if k == 0:
            return None
        rng = self.rng
        if rng.random() < 0.25:  # someone who signed up lately
            return self.cust_ids[k - 1 - int(rng.random() * min(k, self.recent_span))]
        # Long-standing customers come back more often: the 80/20 a CRM should find.
        return self.cust_ids[int(k * rng.random() ** 2.5)]
