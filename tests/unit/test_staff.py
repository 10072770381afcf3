from __future__ import annotations

import pytest

from store.audit import integrity
from store.kernel.errors import PermissionDenied, ValidationError
from store.models import AuditLog, Staff
from store.people import staff
from tests.conftest import Shop
from tests.store_helpers import forge_approval

REAL_HASH_PIN = staff.hash_pin  # captured before the cheap_pins fixture patches it


def test_hash_has_parameters_and_salt() -> None:
    first = REAL_HASH_PIN("1234")
    second = REAL_HASH_PIN("1234")
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(salt) >= 20 and len(digest) >= 40
    assert first != second  # a fresh salt each time
    assert first.split("$")[4] != second.split("$")[4]
    assert "1234" not in first
    assert staff.check_pin("1234", first) and staff.check_pin("1234", second)
    assert not staff.check_pin("1235", first)


def test_check_pin_honours_parameters_stored_with_the_hash() -> None:
    cheap = REAL_HASH_PIN("4321", n=2**10, r=4, p=1)
    assert cheap.startswith("scrypt$1024$4$1$")
    assert staff.check_pin("4321", cheap)


@pytest.mark.parametrize("stored", ["", "plain1234", "md5$x$y", "scrypt$1$2$3$4"])
def test_check_pin_refuses_malformed_hashes(stored: str) -> None:
    assert staff.check_pin("1234", stored) is False


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "    ", "١٢٣٤", "12.4", "-123"])
def test_pin_format(pin: str) -> None:
    with pytest.raises(ValidationError) as err:
        staff.validate_pin(pin)
    assert str(err.value) == "A PIN is 4 to 8 digits."


@pytest.mark.parametrize(("pin", "clean"), [("0000", "0000"), ("12345678", "12345678"), ("１２３４", "1234")])
def test_pin_format_ok(pin: str, clean: str) -> None:
    assert staff.validate_pin(pin) == clean


def test_full_width_pin_is_the_same_pin(shop: Shop) -> None:
    who = staff.create_staff("C2", "钱", "cashier", "５６７８")
    assert staff.login("C2", "5678").id == who.id
    assert staff.login("C2", "５６７８").id == who.id


def test_shop_pins_are_hashed_with_scrypt(shop: Shop) -> None:
    assert shop.promoter.pin_hash.startswith("scrypt$")
    assert staff.check_pin("1111", shop.promoter.pin_hash)


def test_login_ok(shop: Shop) -> None:
    who = staff.login(" P1 ", "1111")
    assert who.id == shop.promoter.id
    assert who.role == "promoter"


def test_unknown_code_is_the_same_message_as_a_wrong_pin(shop: Shop) -> None:
    with pytest.raises(PermissionDenied) as err:
        staff.login("NOBODY", "1111")
    assert str(err.value) == "Wrong staff code or PIN."


def test_wrong_pins_count_down_then_lock(shop: Shop) -> None:
    before = AuditLog.select().count()
    for left in (4, 3, 2, 1):
        with pytest.raises(PermissionDenied) as err:
            staff.login("P1", "9999")
        assert str(err.value) == f"Wrong staff code or PIN ({left} tries left)."
    with pytest.raises(PermissionDenied) as err:
        staff.login("P1", "9999")
    assert str(err.value) == "Too many wrong PINs: the account is locked; ask a manager."
    row = Staff.get_by_id(shop.promoter.id)
    assert row.locked and row.failed_pins == 5
    actions = [a.action for a in AuditLog.select().where(AuditLog.seq > 0).order_by(AuditLog.seq)][before:]
    assert actions == ["staff.pin_failed"] * 4 + ["staff.locked"]
    assert integrity.verify() == []

    # Locked: even the right PIN is refused, and no more counting happens.
    with pytest.raises(PermissionDenied) as err:
        staff.login("P1", "1111")
    assert str(err.value) == "This account is locked after too many wrong PINs; ask a manager."
    assert Staff.get_by_id(shop.promoter.id).failed_pins == 5

    staff.unlock("P1", staff.approve("M1", "1234"))
    row = Staff.get_by_id(shop.promoter.id)
    assert not row.locked and row.failed_pins == 0
    last = AuditLog.select().order_by(AuditLog.seq.desc()).get()
    assert (last.action, last.entity_id, last.approved_by) == (
        "staff.unlock",
        shop.promoter.id,
        shop.manager.id,
    )
    assert staff.login("P1", "1111").id == shop.promoter.id


def test_right_pin_resets_the_count(shop: Shop) -> None:
    with pytest.raises(PermissionDenied):
        staff.login("P1", "0000")
    assert Staff.get_by_id(shop.promoter.id).failed_pins == 1
    staff.login("P1", "1111")
    assert Staff.get_by_id(shop.promoter.id).failed_pins == 0


def test_inactive_staff_cannot_log_in(shop: Shop) -> None:
    Staff.update(active=False).where(Staff.id == shop.promoter.id).execute()
    with pytest.raises(PermissionDenied) as err:
        staff.login("P1", "1111")
    assert str(err.value) == "Wrong staff code or PIN."


def test_approve(shop: Shop) -> None:
    approval = staff.approve("M1", "1234")
    assert approval.manager_id == shop.manager.id
    assert approval.manager_name == "王店长"


def test_approve_refuses_a_promoter(shop: Shop) -> None:
    with pytest.raises(PermissionDenied) as err:
        staff.approve("P1", "1111")
    assert str(err.value) == "李小红 is not a manager."


def test_approve_with_wrong_pin(shop: Shop) -> None:
    with pytest.raises(PermissionDenied) as err:
        staff.approve("M1", "4321")
    assert "tries left" in str(err.value)


def test_unlock_unknown_code(shop: Shop) -> None:
    approval = forge_approval(shop.manager.id, shop.manager.name)
    with pytest.raises(ValidationError) as err:
        staff.unlock("ZZ9", approval)
    assert str(err.value) == "No staff member with code ZZ9."


def test_create_staff_writes_an_audit_row(shop: Shop) -> None:
    who = staff.create_staff("C1", " 赵收银 ", "cashier", "2222", by=shop.manager.id)
    assert (who.code, who.name, who.role) == ("C1", "赵收银", "cashier")
    row = AuditLog.select().order_by(AuditLog.seq.desc()).get()
    assert (row.action, row.entity_id, row.staff_id) == ("staff.create", who.id, shop.manager.id)
    assert "2222" not in row.after and who.pin_hash not in row.after


def test_duplicate_code_refused(shop: Shop) -> None:
    before = Staff.select().count()
    with pytest.raises(ValidationError) as err:
        staff.create_staff("P1", "另一个", "promoter", "3333")
    assert str(err.value) == "Staff code P1 is taken."
    assert Staff.select().count() == before


@pytest.mark.parametrize(
    ("code", "name", "role", "pin", "message"),
    [
        ("", "x", "promoter", "1111", "A staff code is 1 to 16 letters or digits."),
        ("P-2", "x", "promoter", "1111", "A staff code is 1 to 16 letters or digits."),
        ("P" * 17, "x", "promoter", "1111", "A staff code is 1 to 16 letters or digits."),
        ("P2", "  ", "promoter", "1111", "A name is 1 to 40 characters."),
        ("P2", "x" * 41, "promoter", "1111", "A name is 1 to 40 characters."),
        ("P2", "x", "boss", "1111", "Unknown role: boss"),
        ("P2", "x", "promoter", "11", "A PIN is 4 to 8 digits."),
    ],
)
def test_create_staff_validation(shop: Shop, code: str, name: str, role: str, pin: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        staff.create_staff(code, name, role, pin)
    assert str(err.value) == message


def test_list_staff_and_is_manager(shop: Shop) -> None:
    assert [s.code for s in staff.list_staff()] == ["M1", "P1"]
    Staff.update(active=False).where(Staff.id == shop.promoter.id).execute()
    assert [s.code for s in staff.list_staff()] == ["M1"]
    assert [s.code for s in staff.list_staff(active_only=False)] == ["M1", "P1"]
    assert staff.is_manager(shop.manager) and not staff.is_manager(shop.promoter)
