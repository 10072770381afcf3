"""Product and price maintenance by managers (store.stock.products) and shelf labels."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from store.audit import integrity
from store.kernel import auth
from store.kernel.errors import NeedsApproval, NotFound, PermissionDenied, ValidationError
from store.models import AuditLog, Product, Staff
from store.selling import printer
from store.stock import catalog, products, shelf_label
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import forge_approval, snapshot

T0 = datetime(2026, 12, 1, 10, 0)


def me(member: Staff) -> auth.Actor:
    return auth.actor_for_login(member)


def last_action() -> AuditLog:
    return AuditLog.select().order_by(AuditLog.seq.desc()).get()


# ---- finding ----------------------------------------------------------------------------
def test_find_by_barcode_sku_imei_and_words_with_stock_on_hand(shop: Shop) -> None:
    assert [p.sku for p in products.find_products("6900000000011")] == ["CASE-IP15"]
    assert [p.sku for p in products.find_products(" IP15-128-BK ")] == ["IP15-128-BK"]
    assert [p.sku for p in products.find_products(shop.imeis[0])] == ["IP15-128-BK"]
    found = products.find_products("iphone 15")
    assert [(p.sku, p.on_hand) for p in found] == [("IP15-128-BK", len(shop.imeis)), ("CASE-IP15", 20)]
    assert products.find_products("nokia") == []
    assert {p.sku for p in products.find_products("")} == {"IP15-128-BK", "CASE-IP15"}


def test_retired_products_are_found_after_the_active_ones(shop: Shop) -> None:
    products.set_active(shop.phone.id, False, actor=me(shop.manager), now=T0)
    found = products.find_products("iphone")
    assert [(p.sku, p.active) for p in found] == [("CASE-IP15", True), ("IP15-128-BK", False)]
    assert [p.sku for p in products.find_products("IP15-128-BK")] == ["IP15-128-BK"]


def test_on_hand_of_answers_every_id(shop: Shop) -> None:
    new = catalog.create_product(sku="NEW", brand="X", model="Y", category="accessory", price=100)
    assert stock.on_hand_of([shop.case.id, new.id, shop.case.id]) == {shop.case.id: 20, new.id: 0}


# ---- price ------------------------------------------------------------------------------
def test_a_manager_changes_a_price_audited_with_before_and_after(shop: Shop) -> None:
    line = products.set_price(shop.case.id, 4500, actor=me(shop.manager), now=T0)
    assert line.price == 4500 and Product.get_by_id(shop.case.id).price == 4500
    row = last_action()
    assert (row.action, row.staff_id, row.approved_by, row.entity_id) == (
        "product.price",
        shop.manager.id,
        shop.manager.id,
        shop.case.id,
    )
    assert json.loads(row.before)["price"] == 3900 and json.loads(row.after)["price"] == 4500
    assert row.at == T0
    assert integrity.verify() == []


def test_a_promoter_cannot_change_a_price_and_nothing_is_written(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(NeedsApproval) as err:
        products.set_price(shop.case.id, 100, actor=me(shop.promoter), now=T0)
    assert str(err.value) == "Changing a price needs a manager."
    with pytest.raises(PermissionDenied):
        products.set_price(shop.case.id, 100, now=T0)
    assert snapshot() == before


def test_a_promoter_with_a_managers_approval_changes_a_price(shop: Shop) -> None:
    ok = forge_approval(shop.manager.id, shop.manager.name, shop.promoter.id)
    products.set_price(shop.case.id, 4200, actor=me(shop.promoter), approval=ok, now=T0)
    row = last_action()
    assert (row.staff_id, row.approved_by) == (shop.promoter.id, shop.manager.id)


def test_a_manager_demoted_since_login_is_refused(shop: Shop) -> None:
    actor = me(shop.manager)
    Staff.update(role="promoter").where(Staff.id == shop.manager.id).execute()
    with pytest.raises(PermissionDenied):
        products.set_price(shop.case.id, 100, actor=actor, now=T0)
    assert Product.get_by_id(shop.case.id).price == 3900


@pytest.mark.parametrize("price", [-1, 1.5, True, 10_000_000_01])
def test_a_price_is_whole_fen_in_range(shop: Shop, price: object) -> None:
    with pytest.raises(ValidationError):
        products.set_price(shop.case.id, price, actor=me(shop.manager), now=T0)  # type: ignore[arg-type]


def test_the_same_price_again_writes_nothing(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError):
        products.set_price(shop.case.id, 3900, actor=me(shop.manager), now=T0)
    assert snapshot() == before


def test_an_unknown_product_is_not_found(shop: Shop) -> None:
    with pytest.raises(NotFound):
        products.set_price("nope", 100, actor=me(shop.manager), now=T0)


# ---- name -------------------------------------------------------------------------------
def test_renaming_changes_the_name_and_what_search_finds(shop: Shop) -> None:
    line = products.rename(
        shop.case.id, brand="Baseus", model="iPhone 15 硅胶壳", colour="黑色", actor=me(shop.manager), now=T0
    )
    assert line.display_name == "Baseus iPhone 15 硅胶壳 黑色"
    assert [p.sku for p in catalog.search_products("baseus 硅胶")] == ["CASE-IP15"]
    assert catalog.search_products("generic") == []
    row = last_action()
    assert row.action == "product.rename"
    assert json.loads(row.before)["brand"] == "Generic" and json.loads(row.after)["brand"] == "Baseus"


def test_a_promoter_cannot_rename(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        products.rename(shop.case.id, brand="X", model="Y", actor=me(shop.promoter), now=T0)
    assert snapshot() == before


def test_a_name_needs_brand_and_model(shop: Shop) -> None:
    with pytest.raises(ValidationError):
        products.rename(shop.case.id, brand=" ", model="Y", actor=me(shop.manager), now=T0)


# ---- retire and bring back --------------------------------------------------------------
def test_a_retired_product_no_longer_scans_and_comes_back(shop: Shop) -> None:
    products.set_active(shop.case.id, False, actor=me(shop.manager), now=T0)
    assert catalog.lookup_code("CASE-IP15") is None
    assert last_action().action == "product.active"
    assert json.loads(last_action().after)["active"] is False
    products.set_active(shop.case.id, True, actor=me(shop.manager), now=T0)
    found = catalog.lookup_code("CASE-IP15")
    assert found is not None and found.product.id == shop.case.id


def test_a_promoter_cannot_retire_a_product(shop: Shop) -> None:
    with pytest.raises(PermissionDenied):
        products.set_active(shop.case.id, False, actor=me(shop.promoter), now=T0)
    assert Product.get_by_id(shop.case.id).active


# ---- add --------------------------------------------------------------------------------
def test_a_manager_adds_a_product(shop: Shop) -> None:
    line = products.add_product(
        sku="CHG-20W",
        brand="Apple",
        model="20W 充电器",
        category="accessory",
        price=14900,
        cost=9000,
        barcode="6900000000028",
        actor=me(shop.manager),
        now=T0,
    )
    assert (line.sku, line.price, line.cost, line.on_hand, line.active) == ("CHG-20W", 14900, 9000, 0, True)
    found = catalog.lookup_code("6900000000028")
    assert found is not None and found.product.id == line.id
    row = last_action()
    assert (row.action, row.staff_id, row.approved_by, row.at) == (
        "product.create",
        shop.manager.id,
        shop.manager.id,
        T0,
    )


def test_a_promoter_cannot_add_a_product(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        products.add_product(
            sku="X1", brand="X", model="Y", category="accessory", price=100, actor=me(shop.promoter), now=T0
        )
    assert snapshot() == before


def test_a_duplicate_sku_is_refused_and_nothing_is_written(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError):
        products.add_product(
            sku="CASE-IP15", brand="X", model="Y", category="accessory", price=1, actor=me(shop.manager)
        )
    assert snapshot() == before


# ---- shelf label ------------------------------------------------------------------------
def test_a_label_is_saved_when_no_printer_is_set_up(shop: Shop, tmp_path: Path) -> None:
    done = shelf_label.make_label(shop.phone.id, directory=tmp_path, width=32)
    assert (done.printed, done.problem) == (False, "")
    assert done.path == tmp_path / "labels" / "label-IP15-128-BK.txt"
    text = done.path.read_text(encoding="utf-8")
    assert "Apple iPhone 15 128GB Black" in text
    assert "¥5,999.00" in text and "SKU IP15-128-BK" in text
    assert "█" in text  # the QR code


def test_a_label_prints_as_escpos(shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[bytes, str, str]] = []
    monkeypatch.setattr(
        printer, "print_receipt", lambda data, kind, target: sent.append((data, kind, target))
    )
    done = shelf_label.make_label(
        shop.case.id, directory=tmp_path, printer_kind="network", printer_target="10.0.0.9"
    )
    assert done.printed
    [(data, kind, target)] = sent
    assert (kind, target) == ("network", "10.0.0.9")
    assert data.startswith(b"\x1b@") and "￥39.00".encode("gb18030") in data
    assert b"6900000000011" in data  # the QR code holds the barcode


def test_a_printer_that_fails_still_leaves_the_saved_label(shop: Shop, tmp_path: Path) -> None:
    done = shelf_label.make_label(
        shop.case.id, directory=tmp_path, printer_kind="file", printer_target=str(tmp_path / "no" / "lp0")
    )
    assert not done.printed and done.problem.startswith("Cannot print to")
    assert done.path.exists()


def test_a_long_name_is_cut_to_two_lines(shop: Shop) -> None:
    label = shelf_label.ShelfLabel("华为" * 40, "S", 100, "S")
    text = shelf_label.render_text(label, width=32)
    first, second = text.splitlines()[:2]
    assert second.endswith("…") and "¥1.00" in text.splitlines()[2]
    assert shelf_label.file_name("A/B C") == "label-A_B_C.txt"
    assert first


def test_find_by_the_pinyin_of_a_chinese_name(shop: Shop) -> None:
    catalog.create_product(
        sku="CHG-20W", brand="Apple", model="20W 电源适配器", colour="白色", category="accessory", price=14900
    )
    catalog.create_product(sku="CBL-1M", brand="Apple", model="编织充电线", category="accessory", price=14500)
    assert [p.sku for p in products.find_products("dyspq")] == ["CHG-20W"]
    assert [p.sku for p in products.find_products("apple dianyuan")] == ["CHG-20W"]
    assert [p.sku for p in products.find_products("cdx")] == ["CBL-1M"]
    assert products.find_products("zzz") == []
    assert products.pinyin_keys("apple 20w 电源适配器 白色") == ("dianyuanshipeiqibaise", "dyspqbs")
