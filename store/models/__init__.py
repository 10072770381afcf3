"""All tables, one concern a module, gathered in MODELS."""

from store.models.audit import AuditLog
from store.models.base import database
from store.models.catalog import ImeiUnit, Product
from store.models.count import StockCount, StockCountEntry, StockCountItem
from store.models.customer import Customer, CustomerContact, CustomerScore, CustomerTask
from store.models.drawer import CashMovement, CashSession, DayClose
from store.models.meta import Meta, ReceiptCounter
from store.models.referral import Referral, ReferralReward, VoucherUse
from store.models.roster import (
    LeaveRequest,
    PromoterDaySales,
    RosterEntry,
    RosterWeek,
    SalesTarget,
    TimeEntry,
)
from store.models.sale import HeldCart, Sale, SaleLine, Tender
from store.models.staff import Staff, TrainingRecord
from store.models.stock import StockMovement
from store.models.summary import CustomerTotals, ProductDayDemand, ProductStock
from store.models.supply import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    StockTransfer,
    Supplier,
    SupplierItem,
)

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
    CustomerContact,
    CustomerTask,
    CustomerScore,
    TrainingRecord,
    RosterWeek,
    RosterEntry,
    LeaveRequest,
    TimeEntry,
    SalesTarget,
    PromoterDaySales,
    Supplier,
    SupplierItem,
    PurchaseOrder,
    PurchaseOrderLine,
    GoodsReceipt,
    GoodsReceiptLine,
    StockTransfer,
    StockCount,
    StockCountItem,
    StockCountEntry,
    Referral,
    ReferralReward,
    VoucherUse,
    ProductStock,
    ProductDayDemand,
    CustomerTotals,
    CashSession,
    CashMovement,
    DayClose,
)

__all__ = [
    "MODELS",
    "AuditLog",
    "CashMovement",
    "CashSession",
    "Customer",
    "CustomerContact",
    "CustomerScore",
    "CustomerTask",
    "CustomerTotals",
    "DayClose",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "HeldCart",
    "ImeiUnit",
    "LeaveRequest",
    "Meta",
    "Product",
    "ProductDayDemand",
    "ProductStock",
    "PromoterDaySales",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "ReceiptCounter",
    "Referral",
    "ReferralReward",
    "RosterEntry",
    "RosterWeek",
    "Sale",
    "SaleLine",
    "SalesTarget",
    "Staff",
    "StockCount",
    "StockCountEntry",
    "StockCountItem",
    "StockMovement",
    "StockTransfer",
    "Supplier",
    "SupplierItem",
    "Tender",
    "TimeEntry",
    "TrainingRecord",
    "VoucherUse",
    "database",
]
