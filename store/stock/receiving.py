"""Receiving a delivery: from a regional distributor (地包商) or direct supply (直供), with the
supplier's invoice number, against a purchase order or not. One delivery is one GoodsReceipt
and one transaction: its lines, the IMEI units, the stock movements, the order's received
quantities and an audit row, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    ImeiUnit,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
)
from store.stock import imei
from store.stock import ledger as stock
from store.stock.catalog import check_amount, clean_text
from store.stock.ledger import ReceivedUnit, status_name
from store.stock.tac import models_for_tac


@dataclass
class DeliveryLine:
    """One product of a delivery: a quantity of an accessory, or handsets by IMEI."""

    product: Product
    qty: int = 0
    units: list[ReceivedUnit] = field(default_factory=list)
    cost: int | None = None  # fen a unit; None: the product's cost

    @property
    def count(self) -> int:
        return len(self.units) if self.product.serialized else self.qty

    @property
    def unit_cost(self) -> int:
        """Fen a unit as received: the one typed, else the product's current cost."""
        return self.product.cost if self.cost is None else self.cost


def check_new_imei(text: str, taken: set[str] | None = None) -> str:
    """A valid IMEI that is neither in this delivery already nor known to the store."""
    number = imei.validate(text)
    if taken is not None and number in taken:
        raise ValidationError(_("IMEI {imei} is scanned twice.").format(imei=number))
    known = ImeiUnit.select().where((ImeiUnit.imei == number) | (ImeiUnit.imei2 == number)).first()
    if known is not None:
        raise ValidationError(
            _("IMEI {imei} is already known (status: {status}).").format(
                imei=number, status=status_name(known.status)
            )
        )
    return number


def suggest_model(text: str) -> list[Product]:
    """Handset models an unknown IMEI probably is, by its TAC (first 8 digits)."""
    return [p for p in models_for_tac(text) if p.serialized]


@dataclass(frozen=True)
class Remaining:
    line: PurchaseOrderLine
    product: Product
    left: int


def open_orders(supplier_id: str | None = None) -> list[PurchaseOrder]:
    query = PurchaseOrder.select().where(PurchaseOrder.status.in_(("open", "partial")))
    if supplier_id:
        query = query.where(PurchaseOrder.supplier == supplier_id)
    return list(query.order_by(PurchaseOrder.created_at))


def remaining(order_id: str) -> list[Remaining]:
    """What is still to come on a purchase order."""
    rows = (
        PurchaseOrderLine.select(PurchaseOrderLine, Product)
        .join(Product)
        .where(PurchaseOrderLine.order == order_id)
        .order_by(Product.brand, Product.model)
    )
    return [Remaining(r, r.product, r.qty - r.received) for r in rows if r.qty > r.received]


def receive_delivery(
    *,
    lines: list[DeliveryLine],
    staff_id: str,
    supplier_id: str | None = None,
    invoice_no: str = "",
    order_id: str | None = None,
    now: datetime | None = None,
) -> GoodsReceipt:
    """Book a delivery in. A purchase order may be received in part; never more of a product
    than it still has to come."""
    invoice = clean_text(invoice_no, _("Invoice number"), required=supplier_id is not None, limit=40)
    if any(ln.product.serialized and ln.qty and not ln.units for ln in lines):
        raise ValidationError(_("Scan the IMEI of every handset received."))
    wanted = [ln for ln in lines if ln.count]
    if not wanted:
        raise ValidationError(_("The delivery is empty."))
    seen: set[str] = set()
    for line in wanted:
        if line.product.serialized:
            for unit in line.units:
                for number in (unit.imei, unit.imei2):
                    if number:
                        seen.add(check_new_imei(number, seen))
        else:
            stock.validate_qty(line.qty)
        if line.cost is not None:
            check_amount(line.cost)
    stamp = moment(now)

    def _tx() -> GoodsReceipt:
        supplier = None
        if supplier_id is not None:
            supplier = Supplier.get_or_none(Supplier.id == supplier_id)
            if supplier is None:
                raise NotFound(_("That supplier no longer exists."))
            earlier = GoodsReceipt.get_or_none(
                (GoodsReceipt.supplier == supplier.id) & (GoodsReceipt.invoice_no == invoice)
            )
            if earlier is not None:
                raise ValidationError(
                    _("Invoice {invoice} from {supplier} was received already.").format(
                        invoice=invoice, supplier=supplier.name
                    )
                )
        order = _check_order(order_id, supplier_id, wanted)
        receipt = GoodsReceipt.create(
            supplier=supplier_id, invoice_no=invoice, order=order_id, created_at=stamp, created_by=staff_id
        )
        for line in wanted:
            cost = line.unit_cost
            stock.receive(
                line.product,
                staff_id=staff_id,
                qty=line.qty,
                units=line.units or None,
                document=receipt.id,
                cost=cost,
                now=stamp,
            )
            GoodsReceiptLine.create(receipt=receipt.id, product=line.product.id, qty=line.count, cost=cost)
        if order is not None:
            _book_against(order, wanted)
        chain.record(
            "goods_receipt.create",
            staff_id=staff_id,
            entity="goods_receipt",
            entity_id=receipt.id,
            after={
                "supplier": supplier.name if supplier else "",
                "invoice": invoice,
                "order": order.number if order else "",
                # sku, how many, unit cost in fen
                "lines": [[ln.product.sku, ln.count, ln.unit_cost] for ln in wanted],
            },
            at=stamp,
        )
        return receipt

    return write(_tx)


def _check_order(
    order_id: str | None, supplier_id: str | None, lines: list[DeliveryLine]
) -> PurchaseOrder | None:
    if order_id is None:
        return None
    order = PurchaseOrder.get_or_none(PurchaseOrder.id == order_id)
    if order is None:
        raise NotFound(_("That purchase order no longer exists."))
    if order.status not in ("open", "partial"):
        raise ValidationError(_("Purchase order {number} is closed.").format(number=order.number))
    if supplier_id is not None and order.supplier_id != supplier_id:
        raise ValidationError(_("Purchase order {number} is another supplier's.").format(number=order.number))
    left = {r.product.id: r.left for r in remaining(order.id)}
    for line in lines:
        if line.product.id not in left:
            raise ValidationError(
                _("{name} is not (or no longer) on order {number}.").format(
                    name=line.product.display_name, number=order.number
                )
            )
        if line.count > left[line.product.id]:
            raise ValidationError(
                _("Only {n} of {name} are still to come on order {number}.").format(
                    n=left[line.product.id], name=line.product.display_name, number=order.number
                )
            )
    return order


def _book_against(order: PurchaseOrder, lines: list[DeliveryLine]) -> None:
    for line in lines:
        PurchaseOrderLine.update(received=PurchaseOrderLine.received + line.count).where(
            (PurchaseOrderLine.order == order.id) & (PurchaseOrderLine.product == line.product.id)
        ).execute()
    done = not remaining(order.id)
    PurchaseOrder.update(status="received" if done else "partial").where(
        PurchaseOrder.id == order.id
    ).execute()
