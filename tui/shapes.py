"""What the screens read of the records store functions hand them, said as Protocols: a screen
names the fields it shows, never a table (tui does not import store.models, issue 11). The
store's rows and dataclasses fit these structurally; nothing here is a database type."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class SaleShown(Protocol):
    """A committed sale as the sale, pay and reprint screens show it."""

    @property
    def id(self) -> str: ...
    @property
    def receipt_no(self) -> str: ...
    @property
    def total(self) -> int: ...


class ReceiptShown(SaleShown, Protocol):
    @property
    def business_date(self) -> date: ...


class ProductShown(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def sku(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def price(self) -> int: ...


class UnitShown(Protocol):
    """A handset (IMEI unit) in a list to choose from."""

    @property
    def id(self) -> str: ...
    @property
    def imei(self) -> str: ...
    @property
    def imei2(self) -> str | None: ...
    @property
    def status(self) -> str: ...


class SupplierShown(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class OrderShown(Protocol):
    """A purchase order a delivery is booked against."""

    @property
    def id(self) -> str: ...
    @property
    def number(self) -> str: ...


class StaffShown(Protocol):
    """A member of staff in a list to choose from."""

    @property
    def id(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
