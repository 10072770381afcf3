from __future__ import annotations

import pytest

from store.kernel.errors import ValidationError
from store.models import AuditLog, Product
from store.stock import catalog
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit
from tests.conftest import Shop
from tests.store_helpers import counts, snapshot

DUAL1 = with_check_digit("86123456000001")
DUAL2 = with_check_digit("86123456000002")


def full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def make(sku: str = "X1", **kw: object) -> Product:
    args: dict[str, object] = {
        "sku": sku,
        "brand": "Xiaomi",
        "model": "Redmi 13",
        "category": "handset",
        "price": 99900,
    }
    args.update(kw)
    return catalog.create_product(**args)  # type: ignore[arg-type]


def test_lookup_by_barcode_and_sku(shop: Shop) -> None:
    by_barcode = catalog.lookup_code("0194253000011")
    assert by_barcode is not None and by_barcode.product.id == shop.phone.id and by_barcode.unit is None
    by_sku = catalog.lookup_code("  CASE-IP15 ")
    assert by_sku is not None and by_sku.product.id == shop.case.id and by_sku.unit is None
    assert catalog.lookup_code("６９０００００００００１１") is not None  # full-width barcode


@pytest.mark.parametrize("code", ["", "   ", "NOPE", "123456789012345", "case-ip15"])
def test_lookup_unknown_is_none(shop: Shop, code: str) -> None:
    assert catalog.lookup_code(code) is None


def test_lookup_by_imei_typed_in_many_ways(shop: Shop) -> None:
    number = shop.imeis[2]
    for typed in (number, f"{number[:6]} {number[6:]}", f"{number[:8]}-{number[8:]}", full_width(number)):
        result = catalog.lookup_code(typed)
        assert result is not None, typed
        assert result.product.id == shop.phone.id
        assert result.unit is not None and result.unit.imei == number
        assert result.unit.status == "in_stock"


def test_a_byte_order_mark_in_a_scanned_code_is_dropped(shop: Shop) -> None:
    """Two scanner files joined, or a paste from Notepad, leave an invisible U+FEFF."""
    for typed in (
        "\ufeff0194253000011",
        "CASE-\ufeffIP15",
        f"\ufeff{shop.imeis[2]}",
        f"{shop.imeis[2]}\u200b",
    ):
        assert catalog.lookup_code(typed) is not None, repr(typed)


def test_lookup_by_either_imei_of_a_dual_sim_unit(shop: Shop) -> None:
    phone = make("RN13", model="Redmi Note 13")
    stock.receive(phone, staff_id=shop.manager.id, units=[ReceivedUnit(DUAL1, DUAL2)])
    first = catalog.lookup_code(DUAL1)
    second = catalog.lookup_code(f"{DUAL2[:7]} {DUAL2[7:]}")
    assert first is not None and second is not None
    assert first.unit is not None and second.unit is not None
    assert first.unit.id == second.unit.id
    assert second.unit.imei == DUAL1 and second.unit.imei2 == DUAL2
    assert second.product.id == phone.id


def test_inactive_product_is_not_scanned(shop: Shop) -> None:
    Product.update(active=False).where(Product.id == shop.case.id).execute()
    assert catalog.lookup_code("6900000000011") is None
    assert catalog.search_products("case") == []


def test_search_by_several_words(shop: Shop) -> None:
    make("IP15-256-BL", brand="Apple", model="iPhone 15", storage="256GB", colour="Blue", price=699900)
    make("IP15P-256", brand="Apple", model="iPhone 15 Pro", storage="256GB", colour="Natural", price=899900)
    names = [p.sku for p in catalog.search_products("apple 256")]
    assert names == ["IP15-256-BL", "IP15P-256"]  # brand, model, then price order
    assert [p.sku for p in catalog.search_products("IPHONE pro")] == ["IP15P-256"]
    assert [p.sku for p in catalog.search_products("１２８ｇｂ black")] == ["IP15-128-BK"]
    assert [p.sku for p in catalog.search_products("case")] == ["CASE-IP15"]
    assert catalog.search_products("apple samsung") == []
    assert catalog.search_products("   ") == []
    assert len(catalog.search_products("i", limit=2)) == 2


@pytest.mark.parametrize("word", ["%", "_", "\\"])
def test_search_wildcards_are_literal(shop: Shop, word: str) -> None:
    assert catalog.search_products(word) == []


def test_markup_in_a_name_is_stored_verbatim(shop: Shop) -> None:
    product = make("MK1", brand="[bold]Huawei[/bold]", model="Mate [red]60[/] \\[x]", category="accessory")
    fresh = Product.get_by_id(product.id)
    assert fresh.brand == "[bold]Huawei[/bold]"
    assert fresh.model == "Mate [red]60[/] \\[x]"
    assert fresh.display_name == "[bold]Huawei[/bold] Mate [red]60[/] \\[x]"
    assert [p.id for p in catalog.search_products("[bold]huawei")] == [product.id]


def test_control_characters_and_full_width_letters_are_cleaned(shop: Shop) -> None:
    product = make("CC1", brand="\x1b[31mＯＰＰＯ\x07", model=" Reno\u200b 12 ")
    assert product.brand == "[31mOPPO"
    assert product.model == "Reno 12"


def test_very_long_name_refused_and_nothing_written(shop: Shop) -> None:
    before = counts()
    with pytest.raises(ValidationError) as err:
        make("LONG", model="x" * 10_000)
    assert str(err.value) == "Model is too long (at most 60 characters)."
    assert counts() == before


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"sku": "  "}, "SKU is required."),
        ({"sku": "S" * 33}, "SKU is too long (at most 32 characters)."),
        ({"brand": ""}, "Brand is required."),
        ({"category": "tablet"}, "Unknown category: tablet"),
        ({"price": -1}, "A price or cost cannot be negative."),
        ({"cost": -1}, "A price or cost cannot be negative."),
        ({"price": 12.5}, "A price or cost cannot be negative."),
        ({"price": True}, "A price or cost cannot be negative."),
        ({"price": 10**20}, "A price is at most ¥10,000,000.00."),
    ],
)
def test_create_product_validation(shop: Shop, kw: dict[str, object], message: str) -> None:
    before = counts()
    with pytest.raises(ValidationError) as err:
        make(**kw)  # type: ignore[arg-type]
    assert str(err.value) == message
    assert counts() == before


def test_duplicate_sku_refused_and_nothing_written(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        make("IP15-128-BK")
    assert str(err.value) == "SKU IP15-128-BK already exists."
    assert snapshot() == before


def test_duplicate_barcode_refused_and_nothing_written(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        make("NEW1", barcode=" 6900000000011 ")
    assert str(err.value) == "Barcode 6900000000011 already exists."
    assert snapshot() == before


def test_blank_barcodes_do_not_collide(shop: Shop) -> None:
    first = make("NB1", barcode="   ")
    second = make("NB2", barcode="")
    third = make("NB3", barcode=" \t ")
    assert first.barcode is None and second.barcode is None and third.barcode is None
    assert Product.get_by_id(first.id).barcode is None


def test_create_product_defaults_and_audit(shop: Shop) -> None:
    handset = make("H1", by=shop.manager.id)
    accessory = make("A1", category="accessory")
    assert handset.serialized and not accessory.serialized
    assert make("A2", category="handset", serialized=False).serialized is False
    assert handset.search_text == "xiaomi redmi 13 h1"
    row = AuditLog.get(AuditLog.entity_id == handset.id)
    assert (row.action, row.staff_id) == ("product.create", shop.manager.id)
    assert '"price": 99900' in row.after


def test_an_emoji_zwj_sequence_in_a_name_is_kept_whole(shop: Shop) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧
    product = make("FAM1", model=f"亲情套餐{family}\u200b")
    assert product.model == f"亲情套餐{family}"
