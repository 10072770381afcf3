"""The demo staff's accounts: who opens the store, who sells (the list and PINs: roster.py)."""

from __future__ import annotations

from datetime import timedelta
from itertools import accumulate

from store import setup
from store.demo.clock import _DAY_US, _EPOCH
from store.demo.roster import DEMO_LEAVER, DEMO_STAFF, DEMO_STORE_CODE, DEMO_STORE_NAME
from store.demo.state import _State
from store.models import Staff
from store.people.staff import create_staff


class _StaffSetup(_State):
    """Opens the demo store and creates its staff accounts."""

    def _create_staff(self) -> None:
        first, *others = DEMO_STAFF
        manager = setup.initialise_store(
            store_code=DEMO_STORE_CODE,
            store_name=DEMO_STORE_NAME,
            manager_code=first.code,
            manager_name=first.name,
            pin=first.pin,
            demo=True,
        )
        ids = [manager.id]
        for member in others:
            ids.append(create_staff(member.code, member.name, member.role, member.pin, by=manager.id).id)
        leaver = DEMO_LEAVER
        self.leaver_id = create_staff(leaver.code, leaver.name, leaver.role, leaver.pin, by=manager.id).id
        # Staff who rang up 90 days of sales were hired before them.
        hired = _EPOCH + timedelta(microseconds=self.start_us - 200 * _DAY_US)
        Staff.update(created_at=hired).where(Staff.id.in_([*ids, self.leaver_id])).execute()
        self.staff_ids = ids
        self.manager_id = ids[0]
        by_code = {m.code: sid for m, sid in zip(DEMO_STAFF, ids, strict=True)}
        self.shop_promoters = [by_code["P1"], by_code["P2"], by_code["P3"]]
        self.promoter_cum = list(accumulate((35, 35, 30)))
        self.cashier_id = by_code["C1"]
        self.brand_promoter = {m.brand: by_code[m.code] for m in DEMO_STAFF if m.brand}
        self.staff_by_code = by_code
