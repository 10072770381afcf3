"""The demo staff: who opens the store, who sells, and the PINs to log in with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from store import setup
from store.demo.clock import _DAY_US, _EPOCH
from store.demo.state import _State
from store.models import Staff
from store.people.staff import create_staff


@dataclass(frozen=True)
class DemoStaff:
    code: str
    name: str
    role: str
    pin: str
    brand: str = ""  # a brand promoter is paid by one maker and sells its phones


# Shown in the README and on the demo login screen: keep them stable. M1 opens the store,
# which makes it the admin (initialise_store gives the first staff member that role).
DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("M1", "王店长", "admin", "1234"),
    DemoStaff("P1", "李小红", "promoter", "1111"),
    DemoStaff("P2", "张伟", "promoter", "2222"),
    DemoStaff("P3", "曾静", "promoter", "3333"),
    DemoStaff("C1", "陈芳", "cashier", "4444"),
    DemoStaff("B1", "周婷", "promoter", "5555", brand="Huawei"),
)
# A promoter who left the store some weeks ago; the customers they looked after are still
# theirs until a manager hands them over (`zhanggui customers reassign P4 P1`). Not listed
# to log in as: someone who left cannot log in.
DEMO_LEAVER = DemoStaff("P4", "刘洋", "promoter", "6666")
DEMO_STORE_CODE = "DEMO"
DEMO_STORE_NAME = "掌柜演示手机店"


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
