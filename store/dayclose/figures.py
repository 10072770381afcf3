"""What a terminal's drawer saw in a business day, read once: its shifts, the receipts rung
during each, their lines and tenders, and the cash paid in, paid out and dropped.

A receipt belongs to the shift that was open when it was rung: the latest shift of its
business day opened at or before it (one rung before the day's first shift, to the first), so
the shifts of a day share out its receipts and the sum of the X reports is the Z report. A
voided receipt's cash came in in its own shift and went back out in the shift that voided it
(counted with the cash refunds there), so a shift already counted never changes."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from store.kernel.i18n import _
from store.kernel.ids import from_db
from store.models import CashMovement, CashSession, database

CASH = "cash"


@dataclass
class Cash:
    """The drawer's cash over a stretch of shifts, in fen."""

    float: int = 0  # counted in at the start
    tendered: int = 0  # cash handed over for sales
    change: int = 0  # given back as change
    refunds: int = 0  # cash refunds on returns
    paid_in: int = 0
    paid_out: int = 0
    drops: int = 0  # taken to the safe

    @property
    def expected(self) -> int:
        """float + cash tenders - cash refunds - change + paid-in - paid-out - drops."""
        return (
            self.float
            + self.tendered
            - self.refunds
            - self.change
            + self.paid_in
            - self.paid_out
            - self.drops
        )

    def lines(self) -> list[tuple[str, int]]:
        """Label and signed amount of each part of the expected cash, then the expected cash:
        one list for the printed report and the CSV/XLSX tables alike."""
        return [
            (_("Float"), self.float),
            (_("Cash tendered"), self.tendered),
            (_("Change given"), -self.change),
            (_("Cash refunds"), -self.refunds),
            (_("Paid in"), self.paid_in),
            (_("Paid out"), -self.paid_out),
            (_("Drops to the safe"), -self.drops),
            (_("Expected in the drawer"), self.expected),
        ]

    def add_flows(self, other: Cash) -> None:
        """Add ``other``'s movements (not its float: a handover carries the float on)."""
        self.tendered += other.tendered
        self.change += other.change
        self.refunds += other.refunds
        self.paid_in += other.paid_in
        self.paid_out += other.paid_out
        self.drops += other.drops


# Plain slotted classes, not frozen ones: a frozen dataclass sets each field through
# object.__setattr__, and a busy day makes tens of thousands of these.
@dataclass(slots=True)
class SaleFacts:
    """A receipt as the reports need it (read as a plain row: a model object a receipt cost
    most of a 1,000-sale day's report)."""

    id: str
    receipt_no: str
    kind: str  # sale / return / exchange
    status: str  # completed / voided
    total: int
    discount: int
    created_at: datetime
    voided_at: datetime | None


@dataclass(slots=True)
class TenderFacts:
    sale_id: str
    kind: str
    amount: int
    tendered: int
    change: int
    reference: str


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the reports say of a product: its brand, model, category and name."""

    brand: str
    model: str
    category: str
    display_name: str


@dataclass(slots=True)
class LineFacts:
    receipt_id: str
    product: ProductFacts
    promoter: str
    qty: int
    total: int
    list_price: int
    unit_price: int
    override_reason: str
    imei: str
    line_no: int  # with receipt_id, which line it is


@dataclass
class DayFacts:
    """The receipts, lines, tenders and cash movements of the chosen shifts of a day."""

    terminal_id: str
    day: date
    sessions: list[CashSession]
    sales: list[SaleFacts] = field(default_factory=list)
    lines: list[LineFacts] = field(default_factory=list)
    tenders: list[TenderFacts] = field(default_factory=list)
    movements: list[CashMovement] = field(default_factory=list)
    receipts: dict[str, SaleFacts] = field(default_factory=dict)
    voided_here: set[str] = field(default_factory=set)  # receipts voided during these shifts

    def cash(self) -> Cash:
        cash = Cash(float=self.sessions[0].float if self.sessions else 0)
        rung = {s.id for s in self.sales}
        for tender in self.tenders:
            if tender.kind != CASH:
                continue
            if tender.sale_id in rung:
                if tender.amount >= 0:
                    cash.tendered += tender.tendered
                    cash.change += tender.change
                else:
                    cash.refunds -= tender.amount
            if tender.sale_id in self.voided_here:
                cash.refunds += tender.amount  # a void gives the cash back (or takes a refund back)
        for move in self.movements:
            if move.kind == "paid_in":
                cash.paid_in += move.amount
            elif move.kind == "paid_out":
                cash.paid_out += move.amount
            else:
                cash.drops += move.amount
        return cash

    def only(self, seqs: set[int] | None) -> DayFacts:
        """The share of the shifts numbered ``seqs`` (None: the whole day, this very object):
        the receipts rung during them, the voids made during them, their cash movements."""
        if seqs is None:
            return self
        chosen = [s for s in self.sessions if s.seq in seqs]
        part = DayFacts(self.terminal_id, self.day, chosen)
        if self.sessions:
            starts, numbers = [s.opened_at for s in self.sessions], [s.seq for s in self.sessions]
            part.sales = [s for s in self.sales if _shift_of(s.created_at, starts, numbers) in seqs]
            part.voided_here = {
                s.id
                for s in self.sales
                if s.id in self.voided_here
                and _shift_of(s.voided_at or s.created_at, starts, numbers) in seqs
            }
        part.receipts = {s.id: s for s in part.sales}
        part.receipts.update((s.id, s) for s in self.sales if s.id in part.voided_here)
        wanted = part.receipts.keys()
        part.tenders = [t for t in self.tenders if t.sale_id in wanted]
        part.lines = [ln for ln in self.lines if ln.receipt_id in wanted]
        sessions = {s.id for s in chosen}
        part.movements = [m for m in self.movements if m.session_id in sessions]
        return part


def day_sessions(terminal_id: str, day: date) -> list[CashSession]:
    return list(
        CashSession.select()
        .where((CashSession.terminal_id == terminal_id) & (CashSession.business_date == day))
        .order_by(CashSession.seq)
    )


def _shift_of(stamp: datetime, starts: list[datetime], seqs: list[int]) -> int:
    at = bisect.bisect_right(starts, stamp)
    return seqs[max(at - 1, 0)]


def gather(terminal_id: str, day: date, seqs: set[int] | None = None, *, lines: bool = True) -> DayFacts:
    """The day's facts, or only those of the shifts numbered ``seqs``; without their sale
    lines when ``lines`` is False (the cash alone needs none)."""
    return read_day(terminal_id, day, lines=lines).only(seqs)


def read_day(terminal_id: str, day: date, *, lines: bool = True) -> DayFacts:
    """Everything the drawer saw in the day, read once: one statement a table, as plain rows
    (a model object a receipt, line, tender and product was most of a 1,000-sale day's Z
    report). The shifts' shares are then taken from it (DayFacts.only) without reading it again."""
    sessions = day_sessions(terminal_id, day)
    facts = DayFacts(terminal_id, day, sessions)
    params = (terminal_id, day.isoformat())
    stamp = datetime.fromisoformat  # a DateTimeField's text, as peewee reads it: naive UTC
    facts.sales = [
        SaleFacts(str(from_db(i)), no, kind, status, total, disc, stamp(at), voided and stamp(voided))
        for i, no, kind, status, total, disc, at, voided in _plain_rows(
            'SELECT "id", "receipt_no", "kind", "status", "total", "discount", "created_at", "voided_at" '
            'FROM "sale" WHERE "terminal_id" = ? AND "business_date" = ? ORDER BY "created_at"',
            params,
        )
    ]
    facts.voided_here = {s.id for s in facts.sales if s.status != "completed" and s.voided_at is not None}
    facts.receipts = {s.id: s for s in facts.sales}
    # Tenders and lines name their receipt by its number (unique), and a line carries its
    # product's columns: no id to turn into text (store.db.ids), no Product to build.
    by_no = {s.receipt_no: s.id for s in facts.sales}
    facts.tenders = [
        TenderFacts(by_no[no], kind, amount, tendered, change, ref)
        for no, kind, amount, tendered, change, ref in _plain_rows(
            'SELECT s."receipt_no", t."kind", t."amount", t."tendered", t."change", t."reference" '
            'FROM "tender" t JOIN "sale" s ON s."id" = t."sale_id" '
            'WHERE s."terminal_id" = ? AND s."business_date" = ? ORDER BY t."sale_id", t."id"',
            params,
        )
    ]
    if not lines:
        return _with_movements(facts)
    products: dict[str, ProductFacts] = {}
    for no, line_no, sku, brand, model, storage, colour, category, *rest in _plain_rows(
        'SELECT s."receipt_no", l."line_no", pr."sku", pr."brand", pr."model", pr."storage", '
        'pr."colour", pr."category", COALESCE(p."name", \'\'), COALESCE(u."imei", \'\'), '
        'l."qty", l."total", l."list_price", l."unit_price", l."override_reason" '
        'FROM "sale_line" l JOIN "sale" s ON s."id" = l."sale_id" '
        'JOIN "product" pr ON pr."id" = l."product_id" '
        'LEFT JOIN "staff" p ON p."id" = l."promoter_id" '
        'LEFT JOIN "imei_unit" u ON u."id" = l."imei_unit_id" '
        'WHERE s."terminal_id" = ? AND s."business_date" = ? ORDER BY l."sale_id", l."line_no"',
        params,
    ):
        product = products.get(sku)
        if product is None:
            product = products[sku] = ProductFacts(
                brand, model, category, _display_name(brand, model, storage, colour)
            )
        promoter, imei, qty, total, list_price, unit_price, reason = rest
        facts.lines.append(
            LineFacts(by_no[no], product, promoter, qty, total, list_price, unit_price, reason, imei, line_no)
        )
    return _with_movements(facts)


def _with_movements(facts: DayFacts) -> DayFacts:
    if facts.sessions:
        facts.movements = list(
            CashMovement.select()
            .where(CashMovement.session.in_([s.id for s in facts.sessions]))
            .order_by(CashMovement.created_at)
        )
    return facts


def _plain_rows(sql: str, params: tuple[str, str]) -> list[Any]:
    """The rows of ``sql`` as SQLite gives them: no row passes through the connection's id
    conversion (store.db.ids; a Python call a row), so a 16-byte id read here is converted
    by the caller (store.kernel.ids.from_db). Parameters are bound as usual, and the
    statement runs as peewee runs any (its errors are peewee's)."""
    cursor = database.obj.execute_sql(sql, params)
    try:
        cursor.row_factory = None  # read as each row is fetched: none has been yet
        rows: list[Any] = cursor.fetchall()
        return rows
    finally:
        cursor.close()


def _display_name(brand: str, model: str, storage: str, colour: str) -> str:
    """As store.models.Product.display_name."""
    return " ".join(p for p in (brand, model, storage, colour) if p)
