"""The demo staff and the demo store's name: what the demo's login screen lists.

A leaf (no store imports): the login screen of a demo store reads it before the store is open,
and the builder's modules (models, random draws, reference tables: megabytes) stay unloaded in
a console that only shows the list (store/demo/__init__.py loads them on first use)."""

from __future__ import annotations

from dataclasses import dataclass


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
