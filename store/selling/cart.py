"""The sale being rung up: in memory until it is paid and committed by store.selling.checkout."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from store.kernel.auth import MANAGER_ROLES, Approval, approver_for
from store.kernel.errors import NeedsApproval, StockError, ValidationError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.kernel.money import MAX_FEN, format_fen, require_fen
from store.models import SaleLine
from store.selling.cart_lines import CartLine, CartTender
from store.selling.cart_money import CartMoney
from store.stock import ledger as stock
from store.stock.catalog import ScanResult

if TYPE_CHECKING:
    from store.referrals.link import Referrer


@dataclass
class Cart(CartMoney):
    staff_id: str
    staff_role: str
    discount_limit_percent: int
    promoter_id: str = ""
    id: str = field(default_factory=new_id)
    lines: list[CartLine] = field(default_factory=list)
    tenders: list[CartTender] = field(default_factory=list)
    sale_discount: int = 0
    sale_discount_approved_by: str = ""
    sale_discount_base: int = 0  # what the sale discount was given on; less later -> ask again
    customer_id: str | None = None
    customer_label: str = ""
    referrer_id: str | None = None  # 老带新: the old customer who brought this new one
    referrer_label: str = ""
    original_sale_id: str | None = None
    return_approved_by: str = ""
    return_reason: str = ""  # a code of config.toml's [returns] reasons, checked at commit
    # Who let a refund go out in cash instead of back to the WeChat Pay, Alipay or card
    # payment it came from (store.selling.refunds); cleared with the payments.
    cash_refund_approved_by: str = ""

    def __post_init__(self) -> None:
        if not self.promoter_id:
            self.promoter_id = self.staff_id

    # ---- who approved --------------------------------------------------------
    @property
    def seller_is_manager(self) -> bool:
        """A manager ringing the sale acts in their own role: no PIN within their limits."""
        return self.staff_role in MANAGER_ROLES

    def _approver(self, approval: Approval | None, needed: str) -> str:
        """Who authorises something beyond the seller's own say: another person's approval,
        or the seller themselves when they are a manager. ``needed`` is the NeedsApproval
        sentence when there is neither."""
        if approval is not None:
            return approver_for(self.staff_id, approval)
        if self.seller_is_manager:
            return self.staff_id
        raise NeedsApproval(needed)

    def approved_by_other(self, approver_id: str) -> bool:
        """True when ``approver_id`` is another person's approval, not the seller's own role."""
        return bool(approver_id) and approver_id != self.staff_id

    def approvers(self) -> set[str]:
        """Everyone named as approving something on this sale (the seller for their own role)."""
        named = {ln.approved_by for ln in self.lines}
        also = {self.sale_discount_approved_by, self.return_approved_by, self.cash_refund_approved_by}
        return (named | also) - {""}

    def authority_problem(self) -> str:
        """What on this cart lacks the approval it needs, in words; "" when nothing does. A
        discount over the seller's limit needs another person, whatever the seller's role."""
        over = _("A discount over your limit needs another manager's approval.")
        for line in self.lines:
            if line.is_return or not self._over_limit(line.line_discount, line.gross):
                continue
            if not self.approved_by_other(line.approved_by):
                return over
        if self._over_limit(self.sale_discount, self.discount_base) and not self.approved_by_other(
            self.sale_discount_approved_by
        ):
            return over
        if any(ln.override_reason and not ln.approved_by for ln in self.lines):
            return _("Changing a price needs a manager's PIN.")
        return ""

    # ---- lines -------------------------------------------------------------
    def add_scan(self, result: ScanResult, qty: int = 1) -> CartLine:
        self._require_open()
        qty = stock.validate_qty(qty)
        product = result.product
        if product.serialized:
            if result.unit is None:
                raise ValidationError(
                    _("{name} is sold by IMEI: scan the handset's IMEI.").format(name=product.display_name)
                )
            unit = result.unit
            if unit.status not in stock.SELLABLE:
                raise StockError(
                    _("IMEI {imei} is not in stock (status: {status}).").format(
                        imei=unit.imei, status=stock.status_name(unit.status)
                    )
                )
            if any(line.imei_unit_id == unit.id for line in self.lines):
                raise ValidationError(_("IMEI {imei} is already on this sale.").format(imei=unit.imei))
            line = self._new_line(product, 1)
            line.imei_unit_id = unit.id
            line.imei = unit.imei
            self.lines.append(line)
            return line
        self._check_stock(product.id, self._qty_of(product.id) + qty, product.display_name)
        for line in self.lines:
            plain = not line.line_discount and not line.override_reason and line.unit_price == product.price
            if line.product_id == product.id and not line.is_return and plain:
                line.qty = stock.validate_qty(line.qty + qty)
                self._recheck_sale_discount()
                return line
        line = self._new_line(product, qty)
        self.lines.append(line)
        self._recheck_sale_discount()
        return line

    def _new_line(self, product: Any, qty: int) -> CartLine:
        return CartLine(
            product_id=product.id,
            sku=product.sku,
            name=product.display_name,
            serialized=bool(product.serialized),
            qty=qty,
            list_price=product.price,
            unit_price=product.price,
            promoter_id=self.promoter_id,
        )

    def _qty_of(self, product_id: str, skip: CartLine | None = None) -> int:
        return sum(
            ln.qty for ln in self.lines if ln.product_id == product_id and not ln.is_return and ln is not skip
        )

    def _check_stock(self, product_id: str, wanted: int, name: str) -> None:
        available = stock.on_hand(product_id)
        if wanted > available:
            raise StockError(_("Only {n} of {name} in stock.").format(n=max(available, 0), name=name))

    def line(self, index: int) -> CartLine:
        if not 0 <= index < len(self.lines):
            raise ValidationError(_("No such line."))
        return self.lines[index]

    def set_qty(self, index: int, qty: int) -> None:
        self._require_open()
        line = self.line(index)
        qty = stock.validate_qty(qty)
        if line.serialized or line.is_return:
            raise ValidationError(_("This line's quantity cannot be changed."))
        self._check_stock(line.product_id, self._qty_of(line.product_id, line) + qty, line.name)
        fewer = qty < line.qty
        line.qty = qty
        # A discount given on more units must not become a bigger share of fewer units unasked.
        over = self._over_limit(line.line_discount, line.gross)
        approved = self.approved_by_other(line.approved_by)
        if line.line_discount > line.gross or (over and (fewer or not approved)):
            line.line_discount = 0
            if not line.override_reason:
                line.approved_by = ""
        self._recheck_sale_discount()

    def remove_line(self, index: int) -> CartLine:
        self._require_open()
        self.line(index)
        removed = self.lines.pop(index)
        self._recheck_sale_discount()
        return removed

    def _over_limit(self, discount: int, base: int) -> bool:
        return discount * 100 > base * self.discount_limit_percent

    def set_line_discount(self, index: int, fen: int, approval: Approval | None = None) -> None:
        self._require_open()
        fen = require_fen(fen)
        line = self.line(index)
        if line.is_return:
            raise ValidationError(_("A returned line cannot be discounted."))
        if fen < 0 or fen > line.gross:
            raise ValidationError(_("A discount is between 0 and the line's amount."))
        approver = self._discount_approver(fen, line.gross, approval)
        line.line_discount = fen
        if self._over_limit(fen, line.gross) or not line.override_reason:
            line.approved_by = approver  # "" within a promoter's limit: no approval row
        self._recheck_sale_discount()

    def _discount_approver(self, fen: int, base: int, approval: Approval | None) -> str:
        """Who answers for a discount of ``fen`` on ``base``: over the seller's limit another
        person's approval; a manager within their own limit themselves; else nobody ("")."""
        if self._over_limit(fen, base):
            if approval is None:
                raise NeedsApproval(
                    _("A discount of {amount} is over your limit of {pct}%: manager PIN needed.").format(
                        amount=format_fen(fen), pct=self.discount_limit_percent
                    )
                )
            return approver_for(self.staff_id, approval)
        return self.staff_id if fen and self.seller_is_manager else ""

    def set_sale_discount(self, fen: int, approval: Approval | None = None) -> None:
        self._require_open()
        fen = require_fen(fen)
        base = self.discount_base
        if fen < 0 or fen > base:
            raise ValidationError(_("A discount is between 0 and the sale's amount."))
        approver = self._discount_approver(fen, base, approval)
        self.sale_discount = fen
        self.sale_discount_approved_by = approver
        self.sale_discount_base = base

    @property
    def discount_base(self) -> int:
        """What a sale discount applies to: the sold lines after their own discounts."""
        return sum(ln.net for ln in self.lines if not ln.is_return)

    def _recheck_sale_discount(self) -> None:
        """After the lines change, a sale discount that no longer fits (more than the sale, or
        over the limit on a smaller basket than the manager approved) is dropped: the total
        never goes negative and the limit cannot be dodged by removing lines afterwards."""
        if not self.sale_discount:
            return
        base = self.discount_base
        approved = self.approved_by_other(self.sale_discount_approved_by)
        still_approved = approved and base >= self.sale_discount_base
        if self.sale_discount > base or (self._over_limit(self.sale_discount, base) and not still_approved):
            self.sale_discount = 0
            self.sale_discount_approved_by = ""
            self.sale_discount_base = 0

    def override_price(self, index: int, price: int, reason: str, approval: Approval | None = None) -> None:
        self._require_open()
        price = require_fen(price)
        line = self.line(index)
        if line.is_return:
            raise ValidationError(_("A returned line's price cannot be changed."))
        approver = self._approver(approval, _("Changing a price needs a manager's PIN."))
        if not reason.strip():
            raise ValidationError(_("Give a reason for the price change."))
        if price < 0 or price > MAX_FEN:
            raise ValidationError(_("A price is between 0 and {max}.").format(max=format_fen(MAX_FEN)))
        line.unit_price = price
        line.line_discount = 0
        line.override_reason = reason.strip()[:60]
        line.approved_by = approver
        self._recheck_sale_discount()

    def set_promoter(self, promoter_id: str, index: int | None = None) -> None:
        """Credit the whole sale (or one line) to a promoter."""
        self._require_open()
        if index is None:
            self.promoter_id = promoter_id
            for line in self.lines:
                if not line.is_return:
                    line.promoter_id = promoter_id
        else:
            self.line(index).promoter_id = promoter_id

    # ---- customer and referrer -----------------------------------------------
    def attach_customer(self, customer_id: str, label: str) -> None:
        if customer_id != self.customer_id:
            self.referrer_id = None  # a referrer entered for someone else does not carry over
            self.referrer_label = ""
        self.customer_id = customer_id
        self.customer_label = label

    def set_referrer(self, referrer: Referrer | None) -> None:
        """Who brought this new customer (None clears it); the link is made when the sale is
        committed, where the same checks run again inside the transaction."""
        self._require_open()
        if referrer is None:
            self.referrer_id = None
            self.referrer_label = ""
            return
        if self.has_returns:
            raise ValidationError(_("A sale with returns is not a new customer's first sale."))
        from store.referrals import link  # loaded when a referrer is first entered, not at start-up

        link.check_link(self.customer_id, referrer.id)
        self.referrer_id = referrer.id
        self.referrer_label = referrer.label

    # ---- returns -----------------------------------------------------------
    def add_return_line(self, original: SaleLine, qty: int, already_returned: int) -> CartLine:
        """Return ``qty`` of an original line, refunded pro rata (store.selling.cart_returns)."""
        from store.selling.cart_returns import return_line

        self._require_open()
        line = return_line(self.lines, original, qty, already_returned)
        self.original_sale_id = original.sale_id
        self.lines.append(line)
        return line

    def approve_return(self, approval: Approval | None = None) -> None:
        """Another manager's approval of the returns on this sale; a manager ringing it needs none."""
        self.return_approved_by = self._approver(approval, _("A return needs a manager's PIN."))

    def set_return_reason(self, code: str) -> None:
        """Why the goods come back: a code of config.toml's [returns] reasons (the commit checks
        it against the list in force)."""
        code = code.strip()
        if not code:
            raise ValidationError(_("Choose a reason for the return."))
        self.return_reason = code

    def approve_cash_refund(self, approval: Approval | None = None) -> None:
        """Another manager lets this refund go out in cash instead of back to the payment it
        came from; a manager ringing it acts in their own role."""
        self.cash_refund_approved_by = self._approver(
            approval, _("Cash instead of the original payment needs a manager's PIN.")
        )

    def clear_tenders(self) -> None:
        super().clear_tenders()
        self.cash_refund_approved_by = ""

    @property
    def has_returns(self) -> bool:
        return any(ln.is_return for ln in self.lines)

    # ---- identity ----------------------------------------------------------
    def fingerprint(self) -> str:
        """A stable hash of everything the sale says: its lines (product, unit, quantity,
        prices, discounts, promoter, returned line), the sale discount, the payments, the
        customer and referrer, who sold it and what it returns. The same cart committed twice
        has the same fingerprint; any change of content gives another one. Line ids are left
        out: they identify rows, not what was sold."""
        content = {
            "staff": self.staff_id,
            "promoter": self.promoter_id,
            "customer": self.customer_id,
            "referrer": self.referrer_id,
            "original": self.original_sale_id,
            "sale_discount": self.sale_discount,
            "lines": [
                [
                    ln.product_id,
                    ln.imei_unit_id,
                    ln.qty,
                    ln.list_price,
                    ln.unit_price,
                    ln.line_discount,
                    ln.promoter_id,
                    ln.original_line_id,
                    ln.override_reason,
                ]
                for ln in self.lines
            ],
            "tenders": [
                [t.kind, t.amount, t.tendered, t.change, t.reference]
                + ([t.original_id] if t.original_id else [])
                for t in self.tenders
            ],
        }
        if self.return_reason:  # only where set: a sale's fingerprint is what it was before schema 13
            content["return_reason"] = self.return_reason
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # ---- hold / resume -----------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Cart:
        data = json.loads(text)
        lines = [CartLine(**ln) for ln in data.pop("lines")]
        tenders = [CartTender(**t) for t in data.pop("tenders")]
        cart = cls(**data)
        cart.lines = lines
        cart.tenders = tenders
        return cart
