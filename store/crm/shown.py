"""Customers as a given person may see them: every view here takes the ``Actor`` of a login
(None: an anonymous operator, such as a command run without --staff and --pin) and hands back
phone numbers already masked (138****8000) unless the actor's role is one of [customers]
full_phone_roles. Screens and commands show what they get and never mask themselves, so a new
view cannot forget to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from store.crm import care, followup, search, value
from store.crm.config import CustomersSection
from store.crm.profile import Profile, load_profile, shown_phone
from store.kernel.auth import Actor


def phone_for(actor: Actor | None, phone: str, rules: CustomersSection) -> str:
    """The number as ``actor`` may see it: whole for the roles of full_phone_roles, masked for
    every other role and for nobody logged in; "(erased)" for an erased customer."""
    return shown_phone(phone, actor.role if actor is not None else "", rules)


def lookup(
    text: str, actor: Actor | None, rules: CustomersSection, *, off_thread: bool = False
) -> list[search.CustomerHit]:
    """``search.lookup`` (``lookup_off_thread`` in a worker) with the phones as ``actor`` sees them."""
    hits = search.lookup_off_thread(text) if off_thread else search.lookup(text)
    return [replace(h, phone=phone_for(actor, h.phone, rules)) for h in hits]


def care_list(
    first: date, rules: CustomersSection, store_name: str, actor: Actor | None, days: int = 1
) -> list[care.CareItem]:
    """``care.care_list`` with the phones as ``actor`` sees them."""
    items = care.care_list(first, rules, store_name, days=days)
    return [replace(i, phone=phone_for(actor, i.phone, rules)) for i in items]


@dataclass(frozen=True)
class TaskLine:
    """A follow-up task due, with its customer as the owner sees them."""

    task_id: str
    customer_id: str
    due: date
    title: str
    name: str
    phone: str


def my_tasks(staff_id: str, today: date, actor: Actor | None, rules: CustomersSection) -> list[TaskLine]:
    """``followup.my_tasks``: open tasks of ``staff_id`` due by ``today``, oldest first."""
    return [
        TaskLine(
            task_id=str(item.task.id),
            customer_id=str(item.customer.id),
            due=item.task.due,
            title=followup.task_title(item.task),
            name=str(item.customer.name or ""),
            phone=phone_for(actor, str(item.customer.phone), rules),
        )
        for item in followup.my_tasks(staff_id, today)
    ]


@dataclass(frozen=True)
class Person:
    name: str
    phone: str


def people(customer_ids: list[str], actor: Actor | None, rules: CustomersSection) -> dict[str, Person]:
    """Name and phone of each customer behind a list of scores (the A-class list)."""
    return {
        cid: Person(str(c.name or ""), phone_for(actor, str(c.phone), rules))
        for cid, c in value.people(customer_ids).items()
    }


@dataclass(frozen=True)
class ProfileShown:
    """A customer's profile with the phone as ``actor`` may see it."""

    profile: Profile
    phone: str


def profile(customer_id: str, actor: Actor | None, rules: CustomersSection) -> ProfileShown:
    loaded = load_profile(customer_id, rules)
    return ProfileShown(loaded, phone_for(actor, str(loaded.customer.phone), rules))


def cart_label(customer_id: str) -> str:
    """The customer as the sale screen and receipt name them: the name and the masked number,
    whoever is selling (the customer's own display and paper show it too)."""
    from store.crm.records import get_customer
    from store.kernel.phone import mask

    customer = get_customer(customer_id)
    return f"{customer.name} {mask(str(customer.phone))}".strip()
