"""The demo store generator: the small store keeps every invariant a real store keeps."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from peewee import SqliteDatabase
from stdnum import ean

from store import demo, setup
from store.audit import integrity
from store.config.loader import Config
from store.db.connection import open_database
from store.kernel.clock import business_date
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.phone import normalise_mobile
from store.models import (
    AuditLog,
    Customer,
    ImeiUnit,
    Product,
    ReceiptCounter,
    Sale,
    SaleLine,
    Staff,
    StockMovement,
    Tender,
)
from store.people.staff import login
from store.selling import checkout, sale_lookup
from store.selling.cart import Cart
from store.selling.till import Till
from store.stock import catalog
from store.stock import ledger as stock
from store.stock.imei import validate
from tests.cli.demo_store import NOW, SHANGHAI
from tui.cli import main

TILL = Till(store_code=demo.DEMO_STORE_CODE, terminal_id="T1", tz=SHANGHAI)
SMALL = demo.SIZES["small"]


def rows(db: SqliteDatabase, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return list(db.execute_sql(sql, params).fetchall())


def test_the_small_store_has_the_promised_size(store_db: SqliteDatabase, summary: demo.DemoSummary) -> None:
    assert (summary.products, summary.imei_units, summary.customers, summary.sale_lines) == (
        SMALL.products,
        SMALL.imei_units,
        SMALL.customers,
        SMALL.sale_lines,
    )
    assert Product.select().count() == 120
    assert ImeiUnit.select().count() == 300
    assert Customer.select().count() == 300
    assert SaleLine.select().count() == 3300
    assert Sale.select().count() == summary.sales
    assert StockMovement.select().count() == summary.stock_movements
    categories = Counter(p.category for p in Product.select())
    assert set(categories) == {"handset", "accessory", "service"}
    assert categories["handset"] == SMALL.handsets and categories["service"] == SMALL.services
    per_day = Counter(s.business_date for s in Sale.select())
    assert len(per_day) == demo.DAYS
    assert 15 <= summary.sales / demo.DAYS <= 25  # "about twenty sales a day"
    assert summary.seconds < 5


def test_history_ends_at_now_and_spans_ninety_days(store_db: SqliteDatabase) -> None:
    first = min(s.created_at for s in Sale.select())
    last = max(s.created_at for s in Sale.select())
    assert last <= NOW and NOW - last < timedelta(hours=6)
    assert NOW - first < timedelta(days=demo.DAYS)
    today = NOW.replace(tzinfo=UTC).astimezone(SHANGHAI).date()
    dates = sorted({s.business_date for s in Sale.select()})
    assert dates[-1] == today and dates[0] == today - timedelta(days=demo.DAYS - 1)
    for sale in Sale.select():  # the business date is the shop's local date of the sale
        assert sale.business_date == business_date(sale.created_at, SHANGHAI)
        local_time = sale.created_at.replace(tzinfo=UTC).astimezone(SHANGHAI).time()
        assert "09:30" <= local_time.strftime("%H:%M") <= "21:30"


def test_on_hand_is_the_sum_of_movements_and_never_negative(store_db: SqliteDatabase) -> None:
    totals = stock.on_hand_all()
    products = list(Product.select())
    assert set(totals) == {p.id for p in products}  # everything was received once at least
    assert all(qty >= 0 for qty in totals.values())
    running: dict[str, int] = defaultdict(int)
    movements = StockMovement.select().order_by(StockMovement.created_at, StockMovement.qty.desc())
    for move in movements:
        running[move.product_id] += move.qty
        assert running[move.product_id] >= 0, (move.product_id, move.created_at)
    assert dict(running) == totals
    sellable = Counter(u.product_id for u in ImeiUnit.select().where(ImeiUnit.status.in_(stock.SELLABLE)))
    for product in products:
        assert stock.on_hand(product.id) == totals[product.id]
        if product.serialized:
            assert totals[product.id] == sellable[product.id], product.sku
    kinds = Counter(m.kind for m in StockMovement.select())
    # count: the approved stock count; transfer_out: the transfer to store S002
    assert set(kinds) == {"receive", "sale", "return", "count", "transfer_out"}
    lines = SaleLine.select().count()
    assert kinds["sale"] + kinds["return"] == lines  # one movement for every sale line


def test_every_line_has_its_stock_movement(store_db: SqliteDatabase) -> None:
    missing = rows(
        store_db,
        """SELECT l.id FROM sale_line l JOIN sale s ON s.id = l.sale_id
           WHERE NOT EXISTS (SELECT 1 FROM stock_movement m WHERE m.document = l.sale_id
                 AND m.product_id = l.product_id AND m.qty = -l.qty
                 AND m.imei_unit_id IS l.imei_unit_id AND m.created_at = s.created_at
                 AND m.kind = CASE WHEN l.qty > 0 THEN 'sale' ELSE 'return' END)""",
    )
    assert missing == []


def test_each_sold_imei_has_exactly_one_net_sale(store_db: SqliteDatabase) -> None:
    net: dict[str, int] = defaultdict(int)
    for line in SaleLine.select().join(Sale).where(Sale.status == "completed"):
        if line.imei_unit_id:
            net[line.imei_unit_id] += line.qty
    statuses = Counter()
    for unit in ImeiUnit.select():
        statuses[unit.status] += 1
        assert net.get(unit.id, 0) == (1 if unit.status == "sold" else 0), unit.imei
    assert statuses["sold"] > 150 and statuses["in_stock"] > 30 and statuses["returned"] >= 1
    handset_lines = SaleLine.select().join(Product).where(Product.category == "handset")
    assert all(line.imei_unit_id and abs(line.qty) == 1 for line in handset_lines)


def test_sale_lines_and_tenders_add_up_in_whole_fen(store_db: SqliteDatabase) -> None:
    money = {
        "sale": ("subtotal", "discount", "total"),
        "sale_line": ("qty", "list_price", "unit_price", "discount", "total"),
        "tender": ("amount", "tendered", "change"),
        "product": ("price", "cost"),
        "imei_unit": ("cost",),
    }
    for table, columns in money.items():
        for column in columns:
            kinds = rows(store_db, f'SELECT DISTINCT typeof("{column}") FROM "{table}"')
            assert kinds == [("integer",)], (table, column)
    lines: dict[str, list[SaleLine]] = defaultdict(list)
    for line in SaleLine.select():
        assert line.total == line.unit_price * line.qty - line.discount
        lines[line.sale_id].append(line)
    tenders: dict[str, list[Tender]] = defaultdict(list)
    for tender in Tender.select():
        tenders[tender.sale_id].append(tender)
        assert tender.change == tender.tendered - tender.amount
        assert tender.change == 0 or (tender.kind == "cash" and tender.change > 0)
    split = 0
    for sale in Sale.select():
        mine = lines[sale.id]
        assert 1 <= len(mine) <= 3
        assert sorted(ln.line_no for ln in mine) == list(range(1, len(mine) + 1))
        assert sum(ln.total for ln in mine) == sale.total
        assert sum(ln.unit_price * ln.qty for ln in mine) == sale.subtotal
        assert sum(ln.discount for ln in mine) == sale.discount
        assert sale.subtotal - sale.discount == sale.total
        assert sum(t.amount for t in tenders[sale.id]) == sale.total
        assert sale.status == "completed"
        split += len(tenders[sale.id]) > 1
        if sale.kind == "sale":
            assert sale.total > 0
            # Within a promoter's 5 % limit: no demo sale needed a manager's PIN.
            assert sale.discount * 100 <= sale.subtotal * 5
    assert split >= 5
    assert {t.kind for t in Tender.select()} == {"cash", "wechat", "alipay", "card"}
    assert Sale.select().where(Sale.customer.is_null(False)).count() > Sale.select().count() // 5


def test_every_line_is_credited_to_a_promoter(store_db: SqliteDatabase) -> None:
    codes = {s.id: s.code for s in Staff.select()}
    credited = Counter(codes[line.promoter_id] for line in SaleLine.select())
    assert {"P1", "P2", "P3", "B1"} <= set(credited)
    huawei_only = (
        SaleLine.select()
        .join(Product)
        .where((SaleLine.promoter == Staff.get(Staff.code == "B1").id) & (Product.category == "handset"))
    )
    assert {line.product.brand for line in huawei_only} == {"Huawei"}  # a brand promoter sells one brand


def test_returns_refer_to_their_original_lines(store_db: SqliteDatabase) -> None:
    returns = list(Sale.select().where(Sale.kind == "return"))
    assert len(returns) == SMALL.returns
    for sale in returns:
        assert sale.original_id and sale.total < 0 and sale.note
        assert Config().returns.reason(sale.return_reason) is not None  # filed under a [returns] reason
        original = Sale.get_by_id(sale.original_id)
        assert original.created_at < sale.created_at <= original.created_at + timedelta(days=8)
        assert sale.customer_id == original.customer_id
        for line in sale.lines:
            assert line.qty < 0 and line.original_line_id
            sold = SaleLine.get_by_id(line.original_line_id)
            assert sold.sale_id == original.id and sold.product_id == line.product_id
            assert sold.imei_unit_id == line.imei_unit_id
            assert line.total == -sold.total  # the whole line back: exactly what was paid
            assert sale_lookup.returned_qty(sold.id) == sold.qty
            if line.imei_unit_id:
                assert ImeiUnit.get_by_id(line.imei_unit_id).status == "returned"
        assert [t.kind for t in sale.tenders] == [original.tenders[0].kind]


def test_receipt_numbers_continue_with_the_next_real_sale(store_db: SqliteDatabase) -> None:
    pattern = re.compile(rf"^{demo.DEMO_STORE_CODE}-T1-(\d{{8}})-(\d{{4}})$")
    by_day: dict[date, list[Sale]] = defaultdict(list)
    for sale in Sale.select().order_by(Sale.created_at):
        match = pattern.match(sale.receipt_no)
        assert match, sale.receipt_no
        assert match.group(1) == sale.business_date.strftime("%Y%m%d")
        by_day[sale.business_date].append(sale)
    for day, day_sales in by_day.items():
        assert [int(s.receipt_no[-4:]) for s in day_sales] == list(range(1, len(day_sales) + 1))
        assert ReceiptCounter.get_by_id(f"T1|{day.isoformat()}").last == len(day_sales)
    assert checkout.unacknowledged("T1") == []  # nobody is asked to reprint 90 days of receipts


def test_the_next_real_sale_continues_the_receipt_sequence(db: SqliteDatabase) -> None:
    demo.build_demo("small", seed=3, now=NOW)
    today = NOW.replace(tzinfo=UTC).astimezone(SHANGHAI).date()
    rung_today = Sale.select().where(Sale.business_date == today).count()
    assert rung_today > 0
    unit = ImeiUnit.select().where(ImeiUnit.status == "in_stock").first()
    promoter = login("P1", "1111")
    cart = Cart(staff_id=promoter.id, staff_role=promoter.role, discount_limit_percent=5)
    scanned = catalog.lookup_code(unit.imei)
    assert scanned is not None and scanned.unit is not None
    cart.add_scan(scanned)
    on_hand = stock.on_hand_all()
    accessories = Product.select().where(Product.category == "accessory").order_by(Product.sku)
    case = max(accessories, key=lambda p: on_hand[p.id])
    case_scan = catalog.lookup_code(case.barcode)
    assert case_scan is not None
    cart.add_scan(case_scan)
    cart.add_tender("wechat", cart.total)
    sale = checkout.commit_sale(cart, TILL, now=NOW + timedelta(minutes=5))
    assert sale.receipt_no == f"{demo.DEMO_STORE_CODE}-T1-{today:%Y%m%d}-{rung_today + 1:04d}"
    assert ImeiUnit.get_by_id(unit.id).status == "sold"
    assert all(qty >= 0 for qty in stock.on_hand_all().values())
    assert integrity.verify() == []


def test_audit_chain_demo_flag_and_pragmas(store_db: SqliteDatabase, summary: demo.DemoSummary) -> None:
    assert integrity.verify() == []
    assert setup.is_demo() and setup.is_initialised()
    assert setup.get_meta("store_code") == demo.DEMO_STORE_CODE
    actions = Counter(row.action for row in AuditLog.select())
    # One row stands for the bulk-written history; what the store's own functions wrote
    # after it (rosters, leave, targets, the ladder, counts) is audited as they audit it.
    assert actions["demo.generate"] == 1 and actions["roster.publish"] == 8
    assert {"leave.approve", "target.set", "staff.training", "stock_count.approve", "staff.status"} <= set(
        actions
    )
    # The drawer's days: each open, drop, paid-out, handover and Z report as the drawer audits it.
    drawer = {a: n for a, n in actions.items() if a.startswith(("drawer.", "day."))}
    assert drawer["drawer.open"] == 90 and drawer["drawer.handover"] == drawer["day.close"] == 89
    assert sum(actions.values()) - sum(drawer.values()) <= 100
    generated = AuditLog.get(AuditLog.action == "demo.generate")
    assert '"sale_lines": 3300' in generated.after and f'"sales": {summary.sales}' in generated.after
    # The bulk load's shortcuts are undone, and every key it wrote points at a real row.
    assert store_db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    assert store_db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store_db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert rows(store_db, "PRAGMA foreign_key_check") == []


def test_imeis_phones_and_barcodes_are_valid(store_db: SqliteDatabase) -> None:
    numbers: list[str] = []
    tacs: dict[str, set[str]] = defaultdict(set)
    dual = 0
    for unit in ImeiUnit.select(ImeiUnit, Product).join(Product):
        for number in (unit.imei, unit.imei2):
            if number is not None:
                assert validate(number) == number  # 15 digits, Luhn check digit right
                numbers.append(number)
                tacs[f"{unit.product.brand} {unit.product.model}"].add(number[:8])
        dual += unit.imei2 is not None
        assert unit.cost == unit.product.cost and unit.cost < unit.product.price
    assert len(numbers) == len(set(numbers))  # no IMEI twice, across both SIM slots
    assert 0 < dual < ImeiUnit.select().count()
    assert all(len(found) == 1 for found in tacs.values())  # one TAC per model
    for model, found in tacs.items():
        assert next(iter(found))[:2] == ("35" if model.startswith(("Apple", "Samsung")) else "86"), model
    phones = [c.phone for c in Customer.select()]
    assert all(normalise_mobile(phone) == phone for phone in phones)
    assert len(set(phones)) == len(phones)
    names = [c.name for c in Customer.select() if c.name]
    assert len(names) > 250 and all(2 <= len(n) <= 4 for n in names)
    assert {n[0] for n in names} & set("曾单解仇区")  # the surnames pinyin lookup gets wrong easily
    barcodes = [p.barcode for p in Product.select()]
    assert all(ean.is_valid(code) and len(code) == 13 for code in barcodes)
    assert len(set(barcodes)) == len(barcodes)


def test_customers_exist_before_they_buy(store_db: SqliteDatabase) -> None:
    late = Sale.select().join(Customer).where(Customer.created_at > Sale.created_at).count()
    assert late == 0


def test_prices_are_real_shop_prices(store_db: SqliteDatabase) -> None:
    iphone = Product.get(
        (Product.model == "iPhone 17") & (Product.storage == "256GB") & (Product.colour == "黑色")
    )
    assert (iphone.brand, iphone.price, iphone.category, iphone.serialized) == (
        "Apple",
        599900,
        "handset",
        True,
    )
    for product in Product.select():
        assert product.price % 100 == 0 and 0 <= product.cost <= product.price
        assert product.search_text == catalog.search_text_for(
            product.brand, product.model, product.storage, product.colour, product.sku
        )
        if product.category == "handset":
            assert 80000 <= product.price <= 2000000
        else:
            assert not product.serialized
    assert catalog.search_products("iphone 17 256gb")
    brands = {p.brand for p in Product.select().where(Product.category == "handset")}
    assert {"Apple", "Huawei", "Xiaomi", "OPPO", "vivo", "Honor"} <= brands


def test_demo_staff_can_log_in(store_db: SqliteDatabase) -> None:
    for member in demo.DEMO_STAFF:
        staff = login(member.code, member.pin)
        assert (staff.name, staff.role) == (member.name, member.role)
    assert Staff.select().count() == len(demo.DEMO_STAFF) + 1  # and the promoter who left
    leaver = Staff.get(Staff.code == demo.DEMO_LEAVER.code)
    assert (leaver.status, leaver.active) == ("left", False)
    hired = max(s.created_at for s in Staff.select())
    assert hired < min(s.created_at for s in Sale.select())


def test_the_same_seed_gives_the_same_store(tmp_path: Path) -> None:
    def content(seed: int, name: str) -> tuple[list[object], ...]:
        db = open_database(tmp_path / name)
        try:
            demo.build_demo("small", seed=seed, now=NOW)
            return (
                [p.sku for p in Product.select().order_by(Product.created_at, Product.id)],
                [(c.phone, c.name) for c in Customer.select().order_by(Customer.created_at)],
                [u.imei for u in ImeiUnit.select().order_by(ImeiUnit.imei)],
                [(s.receipt_no, s.total) for s in Sale.select().order_by(Sale.receipt_no)],
            )
        finally:
            db.close()

    first, again, other = content(1, "a.db"), content(1, "b.db"), content(2, "c.db")
    assert first == again
    assert first[0] == other[0]  # the catalog is the size's, not the seed's
    assert first[1] != other[1] and first[3] != other[3]


def test_refuses_a_database_that_is_not_empty(db: SqliteDatabase) -> None:
    with pytest.raises(ValidationError, match="size"):
        demo.build_demo("huge")
    catalog.create_product(sku="X1", brand="Generic", model="Thing", category="accessory", price=100)
    with pytest.raises(ValidationError, match="not empty"):
        demo.build_demo("small", now=NOW)
    assert Product.select().count() == 1 and not setup.is_initialised()


def test_refuses_a_second_demo(db: SqliteDatabase) -> None:
    demo.build_demo("small", now=NOW)
    before = Sale.select().count()
    with pytest.raises(ValidationError, match="already holds a store"):
        demo.build_demo("small", now=NOW)
    assert Sale.select().count() == before and integrity.verify() == []


def test_cli_builds_the_demo_and_refuses_a_second_run(db_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--db", str(db_path), "--seed", "7"])
    assert first.exit_code == 0, first.output
    assert "Demo store created" in first.output
    assert "3,300" in first.output and "Sale lines" in first.output
    for member in demo.DEMO_STAFF:
        assert re.search(rf"{member.code}\s+{member.pin}\s+{member.name}", first.output), member.code
    assert "周婷 (promoter, Huawei)" in first.output

    second = runner.invoke(main, ["demo", "--db", str(db_path)])
    assert second.exit_code == 1
    assert "already holds a store" in second.output and "Traceback" not in second.output

    db = open_database(db_path)
    try:
        assert setup.is_demo() and SaleLine.select().count() == SMALL.sale_lines
    finally:
        db.close()


def test_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0
    assert "Examples:\n\n  zhanggui demo --db demo.db" in result.output and "--size" in result.output


def test_referrals_link_new_buyers_to_earlier_buyers(store_db: SqliteDatabase) -> None:
    """The demo's 老带新 obeys the rules a till enforces: a referrer bought before the new
    customer's first sale, nobody refers themselves or is referred twice, and each reward's
    state is what its dates give."""
    links = rows(
        store_db, "SELECT COUNT(*), COUNT(DISTINCT referee_id) FROM referral WHERE status = 'active'"
    )
    assert links[0][0] > 20 and links[0][0] == links[0][1]
    bad = rows(
        store_db,
        "SELECT r.id FROM referral r JOIN sale s ON s.id = r.sale_id "
        "WHERE r.referrer_id = r.referee_id OR s.customer_id != r.referee_id "
        "OR NOT EXISTS (SELECT 1 FROM sale o WHERE o.customer_id = r.referrer_id AND o.status = 'completed' "
        "AND o.created_at < s.created_at) "
        "OR EXISTS (SELECT 1 FROM sale o WHERE o.customer_id = r.referee_id AND o.created_at < s.created_at)",
    )
    assert bad == []
    today = rows(store_db, "SELECT MAX(business_date) FROM sale")[0][0]
    wrong = rows(
        store_db,
        "SELECT id, status FROM referral_reward WHERE "
        "(status = 'pending' AND earn_on <= ?) OR (status = 'earned' AND (earn_on > ? OR expires_on < ?))",
        (today, today, today),
    )
    assert wrong == []
    statuses = {status for (status,) in rows(store_db, "SELECT DISTINCT status FROM referral_reward")}
    assert {"earned", "redeemed"} <= statuses


def test_the_demo_has_every_index_a_new_database_has(store_db: SqliteDatabase, tmp_path: Path) -> None:
    """The history is loaded with the big tables' indexes dropped and built again after."""
    fresh = open_database(tmp_path / "fresh.db")
    sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    expected = list(fresh.execute_sql(sql).fetchall())
    fresh.close()
    assert rows(store_db, sql) == expected


def test_product_names_do_not_repeat_the_brand(store_db: SqliteDatabase) -> None:
    names = [p.display_name for p in Product.select()]
    assert not [n for n in names if n.split()[0].lower() == n.split()[1].lower()]
    assert Product.select().where(Product.brand == "Redmi", Product.model == "Note 15 Pro").exists()
    handset = Product.select().where(Product.category == "handset", Product.brand == "Xiaomi").first()
    assert handset is not None and not handset.model.startswith("Xiaomi")
    # A case still names the phone it fits in full.
    assert Product.select().where(Product.model.startswith("Xiaomi 17 ")).exists()


def test_customers_have_birthdays_consent_and_owners(store_db: SqliteDatabase) -> None:
    from store.config.loader import Config
    from store.crm import care
    from store.referrals import invite

    everyone = list(Customer.select())
    with_birthday = [c for c in everyone if c.birth_month and c.birth_day]
    consenting = [c for c in everyone if c.consent_at is not None]
    assert 0.7 <= len(with_birthday) / len(everyone) <= 0.9
    assert 0.5 <= len(consenting) / len(everyone) <= 0.7
    assert all(c.consent_how in ("paper", "verbal", "wechat", "sms") for c in consenting)
    assert all(date(c.birth_year or 2000, c.birth_month, c.birth_day) for c in with_birthday)  # real dates
    assert all(c.owner_id for c in everyone)
    config = Config()
    spring_festival = care.care_list(date(2027, 2, 6), config.customers, demo.DEMO_STORE_NAME)
    assert {i.occasion for i in spring_festival} >= {"spring_festival"}
    assert len(spring_festival) >= len(consenting) // 2
    month = care.care_list(date(2026, 3, 14), config.customers, demo.DEMO_STORE_NAME, days=31)
    assert sum(i.occasion == "birthday" for i in month) >= 3
    assert invite.invites(config.referrals, demo.DEMO_STORE_NAME, date(2026, 3, 14), 180)


def test_the_leaver_has_customers_to_hand_over(
    demo_file: tuple[Path, demo.DemoSummary], tmp_path: Path
) -> None:
    import shutil

    from store.crm import handover
    from store.kernel.auth import actor_for_login

    copy = tmp_path / "copy.db"
    shutil.copy(demo_file[0], copy)
    db = open_database(copy)
    try:
        leaver = Staff.get(Staff.code == demo.DEMO_LEAVER.code)
        owned = Customer.select().where(Customer.owner == leaver.id).count()
        assert owned > 30 and leaver.status == "left"
        with pytest.raises(ZhangguiError):
            login(demo.DEMO_LEAVER.code, demo.DEMO_LEAVER.pin)
        manager, p1 = Staff.get(Staff.code == "M1"), Staff.get(Staff.code == "P1")
        moved = handover.reassign(leaver.id, p1.id, actor=actor_for_login(manager), now=NOW)
        assert moved.customers == owned
        assert not Customer.select().where(Customer.owner == leaver.id).exists()
    finally:
        db.close()


def test_eight_published_weeks_of_rosters_with_punches_and_leave(store_db: SqliteDatabase) -> None:
    from store.config.loader import Config
    from store.models import LeaveRequest, RosterEntry, RosterWeek, TimeEntry
    from store.people import roster

    config = Config()
    today = NOW.replace(tzinfo=UTC).astimezone(SHANGHAI).date()
    weeks = sorted(w.week for w in RosterWeek.select().where(RosterWeek.status == "published"))
    assert len(weeks) == 8 and weeks[-1] == roster.week_of(today)
    for week in weeks:
        loaded = roster.load_week(week, config)
        assert not loaded.hard_conflicts and not loaded.conflicts, (week, loaded.conflicts)
        for day in loaded.days:
            assert sum(1 for (_sid, d) in loaded.cells if d == day) >= 4, (week, day)
    leave = list(LeaveRequest.select())
    approved = [lv for lv in leave if lv.status == "approved"]
    assert {lv.kind for lv in approved} == {"annual", "in_lieu"} and len(leave) == 3
    assert all(lv.decided_by for lv in approved)
    for lv in approved:
        assert (
            not RosterEntry.select()
            .where(RosterEntry.staff == lv.staff_id, RosterEntry.day.between(lv.first_day, lv.last_day))
            .exists()
        )
    punches = {(t.staff_id, t.business_date): t for t in TimeEntry.select()}
    past = [e for e in RosterEntry.select() if e.day < today]
    missing = [e for e in past if (e.staff_id, e.day) not in punches]
    assert len(missing) == 1  # the one absence
    assert len(punches) >= len(past) - 1
    late = 0
    for entry in past:
        punch = punches.get((entry.staff_id, entry.day))
        if punch is None:
            continue
        local_in = punch.clock_in.replace(tzinfo=UTC).astimezone(SHANGHAI)
        minutes = local_in.hour * 60 + local_in.minute
        late += minutes > entry.start_minute + config.roster.late_grace_minutes
        assert punch.clock_out is not None and punch.clock_out > punch.clock_in
        assert punch.business_date == local_in.date()
    assert 2 <= late <= len(past) // 5
    assert all(t.clock_in <= NOW and (t.clock_out is None or t.clock_out <= NOW) for t in punches.values())


def test_targets_levels_training_and_counts(store_db: SqliteDatabase) -> None:
    from store.models import SalesTarget, StockCount, TrainingRecord

    months = {t.month for t in SalesTarget.select()}
    assert months == {"2025-12", "2026-01", "2026-02", "2026-03"}
    for month in months:
        mine = list(SalesTarget.select().where(SalesTarget.month == month))
        assert any(t.staff_id is None and not t.brand for t in mine)  # the store's
        assert any(t.brand == "Huawei" and t.staff_id for t in mine)  # the brand promoter's
        assert sum(1 for t in mine if t.staff_id and not t.brand) == 3
    levels = {s.code: s.level for s in Staff.select()}
    assert levels["P1"] == "L3" and levels["P3"] == "L1"
    assert TrainingRecord.select().count() >= 5
    counts = {c.status: c for c in StockCount.select()}
    assert set(counts) == {"approved", "review"}
    assert StockMovement.select().where(StockMovement.kind == "count").count() == 2  # one short, one found
    from store.models import StockTransfer

    sent = list(StockTransfer.select())
    assert [(t.direction, t.to_store) for t in sent] == [("out", "S002")]  # its file to write again
