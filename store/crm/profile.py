"""Everything about one customer on one screen: purchases with IMEIs and warranty end,
returns, contacts, tasks, lifetime value, first and last purchase, RFM scores and tier."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from store.crm import followup, value
from store.crm.config import CustomersSection
from store.crm.records import get_customer
from store.kernel.i18n import _
from store.kernel.phone import mask
from store.models import Customer, CustomerContact, CustomerScore, CustomerTask, Staff, database

_LINES = """
SELECT s."id", s."receipt_no", s."business_date", s."kind", s."total", s."status",
       p."brand", p."model", p."storage", p."colour", l."qty", l."total", u."imei"
FROM "sale" s
JOIN "sale_line" l ON l."sale_id" = s."id"
JOIN "product" p ON p."id" = l."product_id"
LEFT JOIN "imei_unit" u ON u."id" = l."imei_unit_id"
WHERE s."customer_id" = ?
ORDER BY s."created_at" DESC, l."line_no"
LIMIT 500
"""


@dataclass
class PurchaseLine:
    product: str
    qty: int
    total: int
    imei: str = ""
    warranty_end: date | None = None


@dataclass
class Purchase:
    sale_id: str
    receipt_no: str
    day: date
    kind: str  # sale / return / exchange
    total: int
    voided: bool
    lines: list[PurchaseLine] = field(default_factory=list)


@dataclass
class Profile:
    customer: Customer
    owner_name: str
    purchases: list[Purchase]
    contacts: list[CustomerContact]
    tasks: list[CustomerTask]
    lifetime_value: int
    first_purchase: date | None
    last_purchase: date | None
    score: CustomerScore | None
    staff_names: dict[str, str]

    @property
    def returns(self) -> list[Purchase]:
        return [p for p in self.purchases if p.kind == "return"]


def load_profile(customer_id: str, rules: CustomersSection) -> Profile:
    customer = get_customer(customer_id)
    purchases: dict[str, Purchase] = {}
    for row in database.obj.execute_sql(_LINES, (customer.id,)).fetchall():
        (
            sale_id,
            receipt_no,
            day,
            kind,
            sale_total,
            status,
            brand,
            model,
            storage,
            colour,
            qty,
            total,
            imei,
        ) = row
        purchase = purchases.get(str(sale_id))
        if purchase is None:
            purchase = purchases[str(sale_id)] = Purchase(
                str(sale_id),
                str(receipt_no),
                date.fromisoformat(str(day)),
                str(kind),
                int(sale_total),
                status == "voided",
            )
        name = " ".join(str(p) for p in (brand, model, storage, colour) if p)
        warranty = purchase.day + timedelta(days=rules.warranty_days) if imei and int(qty) > 0 else None
        purchase.lines.append(PurchaseLine(name, int(qty), int(total), str(imei or ""), warranty))
    kept = [p for p in purchases.values() if not p.voided]
    bought = [p.day for p in kept if p.kind != "return"]
    contacts = followup.contacts(customer.id)
    tasks = followup.tasks_of(customer.id)
    staff_ids = {c.staff_id for c in contacts} | {t.owner_id for t in tasks}
    if customer.owner_id:
        staff_ids.add(customer.owner_id)
    names = {s.id: s.name for s in Staff.select().where(Staff.id.in_(list(staff_ids)))} if staff_ids else {}
    return Profile(
        customer=customer,
        owner_name=names.get(customer.owner_id or "", ""),
        purchases=list(purchases.values()),
        contacts=contacts,
        tasks=tasks,
        lifetime_value=sum(p.total for p in kept),
        first_purchase=min(bought) if bought else None,
        last_purchase=max(bought) if bought else None,
        score=value.stored_score(customer.id),
        staff_names=names,
    )


def can_see_phone(role: str, rules: CustomersSection) -> bool:
    return role in rules.phone_roles()


def shown_phone(phone: str, role: str, rules: CustomersSection) -> str:
    """The whole number for roles that need it (config), 138****8000 for the others."""
    if phone.startswith("erased:"):
        return _("(erased)")
    return phone if can_see_phone(role, rules) else mask(phone)
