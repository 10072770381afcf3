"""zhanggui staff list / add / set-pin / unlock / deactivate / role (issue 10, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from store.crm.records import create_customer
from store.db.connection import open_database
from store.kernel.errors import PermissionDenied
from store.models import AuditLog, Customer, Staff
from store.people import staff
from tests.conftest import Shop
from tui.cli import main


@pytest.fixture
def store_file(db_path: Path) -> Path:
    database = open_database(db_path)
    shop = Shop()
    leaver = staff.create_staff("P2", "张伟", "promoter", "2222")
    create_customer("13600000000", "王五", owner_id=leaver.id, by=shop.manager.id)
    database.close()
    return db_path


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.output


def lock_p1(store_file: Path) -> None:
    database = open_database(store_file)
    try:
        for _ in range(5):
            with pytest.raises(PermissionDenied):
                staff.login("P1", "0000")
    finally:
        database.close()


def test_list_is_read_only_and_shows_who_is_locked(store_file: Path) -> None:
    lock_p1(store_file)
    code, out = run("staff", "list", "--db", str(store_file))
    assert code == 0, out
    rows = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    assert "locked" in rows["P1"] and "李小红" in rows["P1"] and "5%" in rows["P1"]
    assert "can log in" in rows["M1"] and "100%" in rows["M1"]


def test_unlock_from_the_command_line_is_audited(store_file: Path) -> None:
    lock_p1(store_file)
    db = ["--db", str(store_file)]
    code, out = run("staff", "unlock", "P1", "--staff", "P2", "--pin", "2222", *db)
    assert code == 1 and "is not a manager" in out
    code, out = run("staff", "unlock", "P1", *db, input="M1\n1234\n")  # asked for when left out
    assert code == 0 and "李小红 can log in again." in out
    database = open_database(store_file)
    try:
        row = AuditLog.get(AuditLog.action == "staff.unlock")
        manager = Staff.get(Staff.code == "M1")
        assert (row.staff_id, row.approved_by) == (manager.id, manager.id)
        assert staff.login("P1", "1111").code == "P1"
    finally:
        database.close()


def test_add_set_pin_and_role(store_file: Path) -> None:
    db = ["--db", str(store_file)]
    me = ["--staff", "M1", "--pin", "1234"]
    code, out = run("staff", "add", "C1", "陈芳", "--role", "cashier", *me, *db, input="4444\n4444\n")
    assert code == 0 and "Added 陈芳 (C1)." in out
    code, out = run("staff", "set-pin", "C1", "--new-pin", "12", *me, *db)
    assert code == 1 and "A PIN is 4 to 8 digits." in out and "Traceback" not in out
    code, out = run("staff", "set-pin", "C1", "--new-pin", "5555", *me, *db)
    assert code == 0 and "陈芳 has a new PIN." in out
    code, out = run("staff", "role", "C1", "promoter", "--discount", "8", *me, *db)
    assert code == 0 and "陈芳 is now promoter, discount limit 8%." in out
    code, out = run("staff", "list", *db)
    assert "8%*" in out
    database = open_database(store_file)
    try:
        assert staff.login("C1", "5555").role == "promoter"
        actions = [a.action for a in AuditLog.select().order_by(AuditLog.seq)][-3:]
        assert actions == ["staff.create", "staff.set_pin", "staff.role"]
    finally:
        database.close()


def test_deactivate_a_leaver_hands_over_their_customers(store_file: Path) -> None:
    db = ["--db", str(store_file)]
    me = ["--staff", "M1", "--pin", "1234"]
    code, out = run("staff", "deactivate", "P2", *me, *db)
    assert code == 1 and "name who takes them over" in out
    code, out = run("staff", "deactivate", "P2", "--to", "P1", *me, *db)
    assert code == 0 and "P2 is deactivated; 1 customers and 0 open tasks moved." in out
    database = open_database(store_file)
    try:
        assert Customer.get(Customer.phone == "13600000000").owner.code == "P1"
        assert not Staff.get(Staff.code == "P2").active
    finally:
        database.close()
    code, out = run("staff", "list", *db)
    assert "P2" not in out
    code, out = run("staff", "list", "--all", *db)
    assert "P2" in out and "left" in out


def test_every_staff_command_has_an_example() -> None:
    from tui.cli.staff import staff_group

    for name, command in staff_group.commands.items():
        assert "\n    zhanggui staff " + name in (command.help or ""), name
