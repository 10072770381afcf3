"""Receipts: what a receipt of a committed sale says (store, lines, payments, customer, the
referral code), built once and rendered by store.selling.receipt_render."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from peewee import JOIN, SQL

from store.kernel.errors import NotFound
from store.kernel.i18n import N_, _
from store.kernel.phone import mask
from store.models import ImeiUnit, Product, Sale, SaleLine, Staff, Tender
from store.referrals import codes
from store.selling.cart_lines import TENDER_NAMES as TENDER_NAMES  # re-exported: callers import it here
from store.selling.cart_lines import tender_label
from store.selling.config import ReturnsSection

KIND_TITLES = {
    "sale": N_("Sales receipt"),
    "return": N_("Return receipt"),
    "exchange": N_("Exchange receipt"),
}


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    imei: str | None
    qty: int  # negative on a returned line
    unit_price: int
    discount: int  # fen taken off this line (negative on a returned line: the discount given back)
    total: int  # unit_price * qty - discount

    @property
    def is_return(self) -> bool:
        return self.qty < 0


@dataclass(frozen=True)
class ReceiptTender:
    kind: str
    amount: int
    tendered: int
    change: int
    reference: str

    @property
    def label(self) -> str:
        """Translated when read, so a receipt built earlier follows a language switch. A
        refund's tender says where the money went back to."""
        if self.amount < 0:
            return _("Back to {tender}").format(tender=tender_label(self.kind))
        return tender_label(self.kind)


@dataclass(frozen=True)
class Receipt:
    sale_id: str
    receipt_no: str
    store_name: str
    header: tuple[str, ...]
    footer: tuple[str, ...]
    created_at: datetime  # aware, in the store's time zone
    kind: str  # sale / return / exchange
    voided: bool
    reprint: bool
    original_receipt_no: str
    cashier: str
    promoters: tuple[str, ...]
    customer_name: str
    customer_phone: str  # masked: 138****8000
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    discount: int
    total: int
    tenders: tuple[ReceiptTender, ...]
    change: int
    qr_payload: str
    # The customer's 老带新 code, printed with its own QR so a friend can be referred by
    # scanning the receipt; "" without a customer (or when referrals are off).
    referral_code: str = ""
    referral_note: tuple[str, ...] = ()
    return_reason: str = ""  # what a return gave as its reason, by its name in config.toml

    @property
    def title(self) -> str:
        return _(KIND_TITLES.get(self.kind, KIND_TITLES["sale"]))

    @property
    def local_time(self) -> str:
        return self.created_at.strftime("%Y-%m-%d %H:%M:%S")


def clean_text(text: str) -> str:
    """Control characters in a name would be printer commands on an ESC/POS roll."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).strip()


def _text_lines(text: str) -> tuple[str, ...]:
    return tuple(clean_text(line) for line in text.splitlines()) if text.strip() else ()


def build_receipt(
    sale_id: str,
    *,
    store_name: str,
    header: str,
    footer: str,
    tz: ZoneInfo,
    reprint: bool = False,
    referrals: bool = True,
    referral_note: str = "",
    returns: ReturnsSection | None = None,
) -> Receipt:
    """``referrals``: print the customer's referral code and QR, with ``referral_note``
    ([referrals] receipt_note) under it. ``returns``: the [returns] reasons a return's reason
    code is named by (the default list without one)."""
    sale = Sale.get_or_none(Sale.id == sale_id)
    if sale is None:
        raise NotFound(_("No receipt {code}.").format(code=sale_id[:40]))
    rows = list(
        SaleLine.select(SaleLine, Product, ImeiUnit, Staff)
        .join(Product)
        .switch(SaleLine)
        .join(ImeiUnit, JOIN.LEFT_OUTER)
        .switch(SaleLine)
        .join(Staff, on=(SaleLine.promoter == Staff.id))
        .where(SaleLine.sale == sale.id)
        .order_by(SaleLine.line_no)
    )
    lines = tuple(
        ReceiptLine(
            name=clean_text(row.product.display_name),
            imei=row.imei_unit.imei if row.imei_unit is not None else None,
            qty=row.qty,
            unit_price=row.unit_price,
            discount=row.discount,
            total=row.total,
        )
        for row in rows
    )
    promoters: list[str] = []
    for row in rows:
        name = clean_text(row.promoter.name)
        if name not in promoters:
            promoters.append(name)
    tenders = tuple(
        ReceiptTender(
            kind=t.kind, amount=t.amount, tendered=t.tendered, change=t.change, reference=t.reference
        )
        # rowid: the order they were taken in (UUIDv7 ids are not ordered within a millisecond).
        for t in Tender.select().where(Tender.sale == sale.id).order_by(SQL("rowid"))
    )
    customer = sale.customer
    original = sale.original
    # An erased customer is nobody to refer friends any more.
    code = ""
    if referrals and customer is not None and customer.erased_at is None:
        # code_of gives a row an older version made its code on the way.
        code = customer.referral_code or codes.code_of(customer.id)
    created: datetime = sale.created_at
    return Receipt(
        sale_id=sale.id,
        receipt_no=sale.receipt_no,
        store_name=clean_text(store_name),
        header=_text_lines(header),
        footer=_text_lines(footer),
        created_at=created.replace(tzinfo=UTC).astimezone(tz),
        kind=sale.kind,
        voided=sale.status == "voided",
        reprint=reprint,
        original_receipt_no=original.receipt_no if original is not None else "",
        cashier=clean_text(sale.staff.name),
        promoters=tuple(promoters),
        customer_name=clean_text(customer.name) if customer is not None else "",
        customer_phone=mask(customer.phone) if customer is not None else "",
        lines=lines,
        subtotal=sale.subtotal,
        discount=sale.discount,
        total=sale.total,
        tenders=tenders,
        change=sum(t.change for t in tenders),
        qr_payload=sale.receipt_no,
        referral_code=code,
        referral_note=_text_lines(referral_note) if code else (),
        return_reason=clean_text((returns or ReturnsSection()).name_of(sale.return_reason))
        if sale.return_reason
        else "",
    )
