"""The X report (a shift so far, or the day so far: changes nothing) and the Z report (the
closed day) of a terminal, as data: sales, returns, voids, discounts and price overrides with
who approved them, tenders with their references, sales by promoter, category, brand, model
and hour, referral vouchers and gifts, every IMEI sold and returned, and the cash."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from store.dayclose import days, figures
from store.dayclose.figures import Cash, DayFacts
from store.models import AuditLog, ReferralReward, SaleLine, Staff


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: what, how many, how much (fen)."""

    name: str
    count: int
    amount: int


@dataclass(frozen=True)
class Shift:
    seq: int
    opened_by: str
    opened_at: datetime  # the store's local time
    float: int
    expected: int | None
    counted: int | None
    over_short: int | None
    reason: str
    end_kind: str


@dataclass(frozen=True)
class Approved:
    """A price override or a discount beyond the seller's limit, and who approved it."""

    receipt_no: str
    what: str
    amount: int
    reason: str
    approved_by: str


@dataclass(frozen=True)
class Reference:
    kind: str
    receipt_no: str
    amount: int
    reference: str


@dataclass(frozen=True)
class Imei:
    imei: str
    model: str
    receipt_no: str


@dataclass
class DrawerReport:
    kind: str  # "X" or "Z"
    terminal_id: str
    business_date: date
    shifts: list[Shift] = field(default_factory=list)
    sales: Line = Line("sales", 0, 0)
    returns: Line = Line("returns", 0, 0)
    exchanges: Line = Line("exchanges", 0, 0)
    voids: Line = Line("voids", 0, 0)
    discounts: int = 0
    approvals: list[Approved] = field(default_factory=list)
    tenders: list[Line] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    promoters: list[Line] = field(default_factory=list)
    categories: list[Line] = field(default_factory=list)
    brands: list[Line] = field(default_factory=list)
    models: list[Line] = field(default_factory=list)
    hours: list[Line] = field(default_factory=list)
    vouchers: Line = Line("vouchers", 0, 0)
    gifts: list[Line] = field(default_factory=list)
    sold: list[Imei] = field(default_factory=list)
    returned: list[Imei] = field(default_factory=list)
    cash: Cash = field(default_factory=Cash)
    counted: int | None = None
    over_short: int | None = None
    reason: str = ""
    z_no: int | None = None
    audit_seq: int | None = None
    audit_head: str = ""
    closed_by: str = ""
    closed_at: datetime | None = None

    @property
    def expected(self) -> int:
        return self.cash.expected


def _counts() -> defaultdict[str, list[int]]:
    """Count and amount by name."""
    return defaultdict(lambda: [0, 0])


def _line(name: str, rows: list[int]) -> Line:
    return Line(name, len(rows), sum(rows))


def _breakdown(pairs: dict[str, list[int]]) -> list[Line]:
    """Rows by amount, largest first (count = units)."""
    rows = [Line(name, values[0], values[1]) for name, values in pairs.items()]
    return sorted(rows, key=lambda r: (-r.amount, r.name))


def _local(stamp: datetime, tz: ZoneInfo) -> datetime:
    return stamp.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def _day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    return start, end


def build(facts: DayFacts, tz: ZoneInfo, *, kind: str = "X") -> DrawerReport:
    report = DrawerReport(kind, facts.terminal_id, facts.day)
    names = _staff_names({s.opened_by_id for s in facts.sessions})
    for s in facts.sessions:
        report.shifts.append(
            Shift(
                s.seq,
                names.get(s.opened_by_id, ""),
                _local(s.opened_at, tz),
                s.float,
                s.expected,
                s.counted,
                s.over_short,
                s.reason,
                s.end_kind,
            )
        )
    done = [s for s in facts.sales if s.status == "completed"]
    report.sales = _line("sales", [s.total for s in done if s.kind == "sale"])
    report.returns = _line("returns", [s.total for s in done if s.kind == "return"])
    report.exchanges = _line("exchanges", [s.total for s in done if s.kind == "exchange"])
    report.voids = _line("voids", [s.total for s in facts.sales if s.status != "completed"])
    report.discounts = sum(s.discount for s in done)
    kept = {s.id for s in done}
    by_tender: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in facts.tenders:
        if t.sale_id not in kept:
            continue
        by_tender[t.kind][0] += 1
        by_tender[t.kind][1] += t.amount
        if t.kind != figures.CASH:
            report.references.append(
                Reference(t.kind, facts.receipts[t.sale_id].receipt_no, t.amount, t.reference)
            )
    report.tenders = _breakdown(dict(by_tender))
    voucher = by_tender.get("voucher", [0, 0])
    report.vouchers = Line("vouchers", voucher[0], voucher[1])
    by_promoter, by_category, by_brand, by_model = (_counts(), _counts(), _counts(), _counts())
    receipts = facts.receipts
    for ln in facts.lines:  # a busy day's tens of thousands: each step here counts (unrolled)
        if ln.receipt_id not in kept:
            continue
        product, qty, total = ln.product, ln.qty, ln.total
        row = by_promoter[ln.promoter]
        row[0] += qty
        row[1] += total
        row = by_category[product.category]
        row[0] += qty
        row[1] += total
        row = by_brand[product.brand]
        row[0] += qty
        row[1] += total
        row = by_model[f"{product.brand} {product.model}"]
        row[0] += qty
        row[1] += total
        if ln.imei:
            target = report.sold if qty > 0 else report.returned
            target.append(Imei(ln.imei, product.display_name, receipts[ln.receipt_id].receipt_no))
    report.promoters, report.categories = _breakdown(by_promoter), _breakdown(by_category)
    report.brands, report.models = _breakdown(by_brand), _breakdown(by_model)
    hours = _counts()
    hour_at: dict[datetime, str] = {}  # by the minute: the receipts of a minute share an hour
    for sale in done:
        minute = sale.created_at.replace(second=0, microsecond=0)
        hour = hour_at.get(minute)
        if hour is None:
            hour = hour_at[minute] = f"{_local(minute, tz).hour:02d}:00"
        row = hours[hour]
        row[0] += 1
        row[1] += sale.total
    report.hours = [Line(h, v[0], v[1]) for h, v in sorted(hours.items())]
    report.approvals = _approvals(facts, kept, tz)
    report.gifts = _gifts(facts, tz)
    report.cash = facts.cash()
    return report


def _staff_names(ids: set[str]) -> dict[str, str]:
    ids.discard("")
    if not ids:
        return {}
    return {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_(list(ids)))}


def _first_seq_at(moment: datetime) -> int:
    """The first audit row written at or after ``moment``: rows are appended in time order,
    so a binary search by sequence number finds it in a few reads of the primary key."""
    last = AuditLog.select(AuditLog.seq).order_by(AuditLog.seq.desc()).first()
    low, high = 1, (last.seq + 1 if last else 1)
    while low < high:
        mid = (low + high) // 2
        row = (
            AuditLog.select(AuditLog.seq, AuditLog.at)
            .where(AuditLog.seq >= mid)
            .order_by(AuditLog.seq)
            .first()
        )
        if row is None or row.at >= moment:
            high = mid
        else:
            low = row.seq + 1
    return low


_APPROVAL_ACTIONS = ("sale.price_override", "sale.discount_approved")


def _approvals(facts: DayFacts, kept: set[str], tz: ZoneInfo) -> list[Approved]:
    if not kept:
        return []
    times = [facts.receipts[i].created_at for i in kept]
    since = _first_seq_at(min(times) - timedelta(minutes=5))
    until = _first_seq_at(max(times) + timedelta(minutes=5))
    rows = list(
        AuditLog.select()
        .where((AuditLog.seq >= since) & (AuditLog.seq <= until) & AuditLog.action.in_(_APPROVAL_ACTIONS))
        .order_by(AuditLog.seq)
    )
    names = _staff_names({r.approved_by for r in rows})
    # An approval names the line it was given for by its id (or the receipt, by the receipt's):
    # the day's lines are read by receipt and number (store.dayclose.figures), so the few lines
    # approved are looked up here.
    approved_lines: dict[str, tuple[str, int]] = {}
    if rows:
        query = SaleLine.select(SaleLine.id, SaleLine.sale, SaleLine.line_no).where(
            SaleLine.id.in_(list({r.entity_id for r in rows}))
        )
        for line_id, sale_id, line_no in query.tuples().iterator():
            approved_lines[str(line_id)] = (str(sale_id), int(line_no))
    # Only the approved lines' receipts: a dict of every line of a busy day cost ~50 ms.
    approved_receipts = {sale_id for sale_id, _no in approved_lines.values()}
    line_of = {
        (ln.receipt_id, ln.line_no): ln
        for ln in facts.lines
        if ln.receipt_id in approved_receipts and ln.receipt_id in kept
    }
    found: list[Approved] = []
    for row in rows:
        after = json.loads(row.after or "{}")
        at = approved_lines.get(row.entity_id)
        line = line_of.get(at) if at is not None else None
        receipt = facts.receipts.get(line.receipt_id if line else row.entity_id)
        if receipt is None or receipt.id not in kept:
            continue
        approver = names.get(row.approved_by, "")
        if row.action == "sale.price_override" and line is not None:
            found.append(
                Approved(
                    receipt.receipt_no,
                    line.product.display_name,
                    (line.unit_price - line.list_price) * line.qty,
                    str(after.get("reason", "")),
                    approver,
                )
            )
        else:
            what = line.product.display_name if line is not None else "*"
            found.append(Approved(receipt.receipt_no, what, -int(after.get("discount", 0)), "", approver))
    return found


def _gifts(facts: DayFacts, tz: ZoneInfo) -> list[Line]:
    """Referral gifts handed over in the day (or the shifts chosen)."""
    start, end = _day_bounds(facts.day, tz)
    if facts.sessions:
        start = max(start, facts.sessions[0].opened_at)
        last = facts.sessions[-1]
        if last.closed_at is not None:
            end = min(end, last.closed_at)
    rows = ReferralReward.select(ReferralReward.gift).where(
        (ReferralReward.kind == "gift")
        & (ReferralReward.status == "redeemed")
        & (ReferralReward.closed_at >= start)
        & (ReferralReward.closed_at < end)
    )
    counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        counted[row.gift or "-"][0] += 1
    return _breakdown(dict(counted))


def x_report(terminal_id: str, day: date, tz: ZoneInfo, seq: int | None = None) -> DrawerReport:
    """The X report of one shift (``seq``) or of the whole day so far; changes nothing."""
    return build(figures.gather(terminal_id, day, None if seq is None else {seq}), tz, kind="X")


def day_report(terminal_id: str, day: date, tz: ZoneInfo) -> DrawerReport:
    """The Z report of a closed day (a reprint: the same report every time), or the X report
    of the day so far while it is open."""
    closing = days.closing(terminal_id, day)
    report = build(figures.gather(terminal_id, day), tz, kind="Z" if closing else "X")
    if closing is not None:
        report.counted, report.over_short, report.reason = closing.counted, closing.over_short, closing.reason
        report.z_no, report.audit_seq, report.audit_head = closing.z_no, closing.audit_seq, closing.audit_head
        report.closed_by = _staff_names({closing.closed_by_id}).get(closing.closed_by_id, "")
        report.closed_at = _local(closing.closed_at, tz)
    return report
