"""The lookups the interfaces use instead of querying tables (issue 11): products by SKU, brand
and IMEI, a sale's products, staff by code and id, the logged-in Member and its discount limit."""

from __future__ import annotations

import pytest

from store.config.loader import Config
from store.kernel.errors import NotFound
from store.people import directory
from store.stock import lookups
from tests.conftest import Shop
from tests.store_helpers import sell


def test_products_by_sku_brand_and_imei(shop: Shop) -> None:
    assert lookups.product_by_sku(" CASE-IP15 ").id == shop.case.id
    assert [p.id for p in lookups.products_of_brand("Apple")] == [shop.phone.id]
    assert lookups.product_of_imei(shop.imeis[0]).id == shop.phone.id
    with pytest.raises(NotFound, match="No product with SKU NOPE"):
        lookups.product_by_sku("NOPE")
    with pytest.raises(NotFound, match="No products of brand Nokia"):
        lookups.products_of_brand("Nokia")
    with pytest.raises(NotFound, match="not in this store's stock"):
        lookups.product_of_imei("490154203237518")
    with pytest.raises(NotFound, match="No purchase order PO-1"):
        lookups.purchase_order("PO-1")


def test_the_products_of_a_sale_each_once(shop: Shop) -> None:
    sale = sell(shop, shop.imeis[0], shop.case.sku, shop.case.sku)
    assert sorted(lookups.product_ids_of_sale(sale.id)) == sorted([shop.phone.id, shop.case.id])
    assert lookups.product_ids_of_sale("no-such-sale") == []


def test_staff_directory(shop: Shop) -> None:
    assert directory.staff_id_for_code(" P1 ") == shop.promoter.id
    assert directory.staff_name(shop.manager.id) == "王店长" and directory.staff_name("nobody") == "?"
    assert directory.staff_names()[shop.promoter.id] == "李小红"
    with pytest.raises(NotFound):
        directory.staff_id_for_code("X9")


def test_a_login_gives_a_member_snapshot_with_its_actor(shop: Shop) -> None:
    member = directory.log_in("M1", "1234")
    assert (member.id, member.code, member.role, member.is_manager) == (
        shop.manager.id,
        "M1",
        "admin",
        True,
    )
    assert member.actor.staff_id == shop.manager.id and member.actor.is_manager
    promoter = directory.member_of(shop.promoter)
    assert not promoter.is_manager and directory.member_of(promoter) is promoter
    discounts = Config().discounts
    assert directory.discount_limit(promoter, discounts) == discounts.promoter
    own = directory.Member("x", "X1", "某人", "promoter", discount_limit=3)
    assert directory.discount_limit(own, discounts) == 3
