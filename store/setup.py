"""First start: a real store (code, name, first manager) or a demo store."""

from __future__ import annotations

from store.audit import chain
from store.db.transaction import write
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import Meta, Staff
from store.people.staff import create_staff
from store.stock.catalog import clean_text


def get_meta(key: str, default: str = "") -> str:
    row = Meta.get_or_none(Meta.key == key)
    return row.value if row is not None else default


def set_meta(key: str, value: str) -> None:
    Meta.insert(key=key, value=value).on_conflict_replace().execute()


def is_initialised() -> bool:
    return bool(get_meta("store_code")) and Staff.select().exists()


def is_demo() -> bool:
    return get_meta("demo") == "1"


def initialise_store(
    *,
    store_code: str,
    store_name: str,
    manager_code: str,
    manager_name: str,
    pin: str,
    demo: bool = False,
) -> Staff:
    code = clean_text(store_code, _("Store code"), limit=12)
    if not code.isalnum():
        raise ValidationError(_("A store code is letters and digits only."))
    name = clean_text(store_name, _("Store name"), limit=40)

    def _tx() -> Staff:
        if is_initialised():
            raise ValidationError(_("This database already holds a store."))
        set_meta("store_code", code)
        set_meta("store_name", name)
        set_meta("demo", "1" if demo else "0")
        manager = create_staff(manager_code, manager_name, "admin", pin)
        chain.record(
            "store.initialise",
            staff_id=manager.id,
            entity="store",
            entity_id=code,
            after={"name": name, "demo": demo},
        )
        return manager

    return write(_tx)
