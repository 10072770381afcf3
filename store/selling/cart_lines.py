"""What a cart holds: its lines, its payments and the kinds of payment there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.kernel.i18n import N_, _
from store.kernel.ids import new_id

TENDER_KINDS = ("cash", "wechat", "alipay", "card", "voucher")
TENDER_NAMES = {
    "cash": N_("Cash"),
    "wechat": N_("WeChat Pay"),
    "alipay": N_("Alipay"),
    "card": N_("Card"),
    "voucher": N_("Referral voucher"),
}


def tender_label(kind: str) -> str:
    return _(TENDER_NAMES[kind]) if kind in TENDER_NAMES else kind


@dataclass
class CartLine:
    product_id: str
    sku: str
    name: str
    serialized: bool
    qty: int
    list_price: int
    unit_price: int
    promoter_id: str
    line_discount: int = 0
    imei_unit_id: str | None = None
    imei: str | None = None
    original_line_id: str | None = None
    override_reason: str = ""
    approved_by: str = ""
    id: str = field(default_factory=new_id)

    @property
    def gross(self) -> int:
        return self.unit_price * self.qty

    @property
    def net(self) -> int:
        return self.gross - self.line_discount

    @property
    def is_return(self) -> bool:
        return self.original_line_id is not None


@dataclass
class CartTender:
    kind: str
    amount: int  # applied to the sale; negative when refunding
    tendered: int
    change: int = 0
    reference: str = ""
    # A refund to WeChat Pay, Alipay or a card: the original sale's tender it gives back
    # (store.selling.refunds); None on a payment and on cash.
    original_id: str | None = None
