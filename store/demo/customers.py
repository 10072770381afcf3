"""The demo customers: names and mobile numbers, when they signed up, and who comes back."""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

from store.crm.search import key_columns
from store.demo.bulk import SQL_CUSTOMER, _Ids
from store.demo.clock import _DAY_US, _stamp
from store.demo.data_people import GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, SURNAMES
from store.demo.roster import DEMO_STORE_CODE
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


def _search_keys(name: str, phone: str) -> tuple[str | None, ...]:
    """The search keys create_customer would give them: written with the rows, so the shop's
    first open has nothing to back-fill (pinyin for every customer: seconds on the large demo,
    and pypinyin's +25 MiB resident in the console that did it)."""
    keys = key_columns(name, phone)
    return (keys["py"], keys["py_initials"], keys["py_alt"], keys["py_alt_initials"], keys["phone_last4"])


# Who looks after a customer: the shop's promoters, the brand promoter, and the promoter who
# left (code P4), whose customers wait to be handed over.
OWNER_WEIGHTS = {"P1": 25, "P2": 25, "P3": 20, "B1": 10, "P4": 20}
BIRTHDAY_SHARE = 0.8  # most customers give a birthday (month and day at least)
BIRTH_YEAR_SHARE = 0.75  # of those, the year too
CONSENT_SHARE = 0.6  # agree to hear from the shop (care greetings, referral invitations)
CONSENT_HOW = ("paper", "verbal", "wechat", "sms")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _care_fields(
    rng: random.Random, times: list[int], owners: list[str], owner_cum: list[int], this_year: int
) -> list[tuple[object, ...]]:
    """Birthday, gender, marketing consent and owner of each customer, from a generator of
    their own (adding them left the rest of the demo as it was): (year, month, day, gender,
    consent_at, consent_how, owner)."""
    rows: list[tuple[object, ...]] = []
    for t in times:
        year = month = day = None
        if rng.random() < BIRTHDAY_SHARE:
            month = rng.randrange(1, 13)
            day = rng.randrange(1, _MONTH_DAYS[month - 1] + 1)
            if rng.random() < BIRTH_YEAR_SHARE:
                year = this_year - rng.randrange(18, 66)
                if month == 2 and day == 29 and year % 4:
                    day = 28
        gender = rng.choice(("female", "male", ""))
        consent, how = (_stamp(t), rng.choice(CONSENT_HOW)) if rng.random() < CONSENT_SHARE else (None, "")
        rows.append((year, month, day, gender, consent, how, _pick(rng, owners, owner_cum)))
    return rows


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
        owners = [self.leaver_id if code == "P4" else self.staff_by_code[code] for code in OWNER_WEIGHTS]
        care = _care_fields(
            random.Random(f"customer-care-{self.seed}-{n}"),
            times,
            owners,
            list(accumulate(OWNER_WEIGHTS.values())),
            self.days[-1].year,
        )
        self.conn.executemany(
            SQL_CUSTOMER,
            [
                (cid, phone, name, _stamp(t), code, *fields, DEMO_STORE_CODE, *_search_keys(name, phone))
                for cid, phone, name, t, code, fields in zip(
                    cust_ids,
                    phones,
                    names,
                    times,
                    _make_codes(random.Random(f"referral-codes-{n}"), n),
                    care,
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
