"""All tables, one concern a module, gathered in MODELS."""

from store.models.audit import AuditLog
from store.models.base import database
from store.models.catalog import ImeiUnit, Product
from store.models.customer import Customer
from store.models.meta import Meta, ReceiptCounter
from store.models.sale import HeldCart, Sale, SaleLine, Tender
from store.models.staff import Staff
from store.models.stock import StockMovement

MODELS = (
    Meta,
    ReceiptCounter,
    Staff,
    Product,
    ImeiUnit,
    Customer,
    Sale,
    SaleLine,
    Tender,
    HeldCart,
    StockMovement,
    AuditLog,
)

__all__ = [
    "MODELS",
    "AuditLog",
    "Customer",
    "HeldCart",
    "ImeiUnit",
    "Meta",
    "Product",
    "ReceiptCounter",
    "Sale",
    "SaleLine",
    "Staff",
    "StockMovement",
    "Tender",
    "database",
]
