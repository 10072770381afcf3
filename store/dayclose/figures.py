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
from store.models import CashMovement, CashSession, ImeiUnit, Product, Sale, SaleLine, Staff, Tender

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


@dataclass
class LineFacts:
    receipt_id: str
    product: Product
    promoter: str
    qty: int
    total: int
    list_price: int
    unit_price: int
    override_reason: str
    imei: str
    line_id: str


@dataclass
class DayFacts:
    """The receipts, lines, tenders and cash movements of the chosen shifts of a day."""

    terminal_id: str
    day: date
    sessions: list[CashSession]
    sales: list[Sale] = field(default_factory=list)
    lines: list[LineFacts] = field(default_factory=list)
    tenders: list[Tender] = field(default_factory=list)
    movements: list[CashMovement] = field(default_factory=list)
    receipts: dict[str, Sale] = field(default_factory=dict)
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


def day_sessions(terminal_id: str, day: date) -> list[CashSession]:
    return list(
        CashSession.select()
        .where((CashSession.terminal_id == terminal_id) & (CashSession.business_date == day))
        .order_by(CashSession.seq)
    )


def _shift_of(stamp: datetime, starts: list[datetime], seqs: list[int]) -> int:
    at = bisect.bisect_right(starts, stamp)
    return seqs[max(at - 1, 0)]


def gather(terminal_id: str, day: date, seqs: set[int] | None = None) -> DayFacts:
    """The day's facts, or only those of the shifts numbered ``seqs``."""
    sessions = day_sessions(terminal_id, day)
    chosen = [s for s in sessions if seqs is None or s.seq in seqs]
    facts = DayFacts(terminal_id, day, chosen)
    sales = list(
        Sale.select()
        .where((Sale.terminal_id == terminal_id) & (Sale.business_date == day))
        .order_by(Sale.created_at)
    )
    voided = [s for s in sales if s.status != "completed" and s.voided_at is not None]
    if seqs is not None and sessions:
        starts, numbers = [s.opened_at for s in sessions], [s.seq for s in sessions]
        sales = [s for s in sales if _shift_of(s.created_at, starts, numbers) in seqs]
        voided = [s for s in voided if _shift_of(s.voided_at or s.created_at, starts, numbers) in seqs]
    elif seqs is not None:
        sales, voided = [], []
    facts.sales = sales
    facts.voided_here = {s.id for s in voided}
    facts.receipts = {s.id: s for s in [*sales, *voided]}
    ids = list(facts.receipts)
    for chunk in _chunks(ids):
        facts.tenders.extend(Tender.select().where(Tender.sale.in_(chunk)).order_by(Tender.sale, Tender.id))
        query = (
            SaleLine.select(
                SaleLine.sale,
                SaleLine.id,
                SaleLine.product,
                SaleLine.promoter,
                SaleLine.imei_unit,
                SaleLine.qty,
                SaleLine.total,
                SaleLine.list_price,
                SaleLine.unit_price,
                SaleLine.override_reason,
            )
            .where(SaleLine.sale.in_(chunk))
            .order_by(SaleLine.sale, SaleLine.line_no)
            .tuples()
        )
        rows = list(query)
        facts.lines.extend(_lines(rows))
    if chosen:
        facts.movements = list(
            CashMovement.select()
            .where(CashMovement.session.in_([s.id for s in chosen]))
            .order_by(CashMovement.created_at)
        )
    return facts


def _lines(rows: list[Any]) -> list[LineFacts]:
    """Lines read as plain tuples (a model a line cost most of a 1,000-sale day's report),
    with their products, promoters and IMEIs read once each."""
    products = {p.id: p for p in Product.select().where(Product.id.in_(list({str(r[2]) for r in rows})))}
    names = {
        s.id: s.name
        for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_(list({str(r[3]) for r in rows})))
    }
    units = [str(r[4]) for r in rows if r[4]]
    imeis = {u.id: u.imei for u in ImeiUnit.select(ImeiUnit.id, ImeiUnit.imei).where(ImeiUnit.id.in_(units))}
    return [
        LineFacts(
            receipt_id=str(sale),
            product=products[str(product)],
            promoter=names.get(str(promoter), ""),
            qty=int(qty),
            total=int(total),
            list_price=int(list_price),
            unit_price=int(unit_price),
            override_reason=str(reason),
            imei=imeis.get(str(unit), "") if unit else "",
            line_id=str(line_id),
        )
        for sale, line_id, product, promoter, unit, qty, total, list_price, unit_price, reason in rows
    ]


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[n : n + size] for n in range(0, len(ids), size)]
