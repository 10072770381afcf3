from __future__ import annotations

from store.audit import integrity
from store.models import ImeiUnit, Sale, SaleLine, StockMovement, Tender
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import catalog
from store.stock import ledger as stock
from tests.conftest import Shop


def test_phone_and_case_sale_with_split_tender(shop: Shop) -> None:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    phone = catalog.lookup_code(shop.imeis[0])
    case = catalog.lookup_code("6900000000011")
    assert phone is not None and case is not None
    cart.add_scan(phone)
    cart.add_scan(case, 2)
    assert cart.total == 599900 + 2 * 3900
    cart.add_tender("wechat", 500000)
    cart.add_tender("cash", 200000)
    assert cart.due == 0 and cart.change == 200000 - (607700 - 500000)
    sale = checkout.commit_sale(cart, shop.till)
    assert sale.receipt_no.startswith("S001-T1-")
    assert SaleLine.select().where(SaleLine.sale == sale.id).count() == 2
    assert sum(t.amount for t in Tender.select().where(Tender.sale == sale.id)) == sale.total
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "sold"
    assert stock.on_hand(shop.case.id) == 18
    assert StockMovement.select().where(StockMovement.document == sale.id).count() == 2
    assert integrity.verify() == []
    # Committing the same cart again (a retry after a crash) never rings it twice.
    again = checkout.commit_sale(cart, shop.till)
    assert again.id == sale.id and Sale.select().count() == 1
