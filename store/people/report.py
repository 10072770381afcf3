"""The month report per promoter: hours, attendance, sales, commission and targets, as a table,
CSV or XLSX."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from store.config.loader import Config
from store.kernel.errors import ValidationError
from store.kernel.i18n import _, ngettext
from store.kernel.money import format_fen
from store.models import Staff
from store.people import timeclock
from store.people.promoter_figures import Figures, sales_figures, store_today
from store.people.roster import shifts_between
from store.people.targets import month_days, month_of, parse_month, percent, targets_for
from store.reports import writers
from store.reports.table import Column, Kind, Table, text_table


@dataclass(frozen=True)
class ReportRow:
    code: str
    name: str
    level: str
    rostered: int  # minutes
    worked: int  # minutes
    late: int  # days late
    absent: int  # rostered days missed
    amount: int
    units: int
    returned: int
    commission: int
    target_amount: int
    target_units: int

    @property
    def amount_percent(self) -> int | None:
        return percent(self.amount, self.target_amount)

    def shared_cells(self) -> tuple[object, ...]:
        """The cells the CSV and the XLSX both have, in their order: code to amount target."""
        return (
            self.code,
            self.name,
            self.level,
            self.rostered,
            self.worked,
            self.late,
            self.absent,
            self.amount,
            self.units,
            self.returned,
            self.commission,
            self.target_amount,
        )


@dataclass(frozen=True)
class BrandTargetRow:
    """A target for one brand: of one promoter (code and name) or of the whole store (code "")."""

    code: str
    name: str
    brand: str
    amount: int  # fen sold of the brand in the month
    units: int  # handsets of the brand
    target_amount: int
    target_units: int

    @property
    def reached_percent(self) -> int | None:
        """Percent of the amount target, or of the units target when only units were set."""
        if self.target_amount:
            return percent(self.amount, self.target_amount)
        return percent(self.units, self.target_units)


@dataclass(frozen=True)
class MonthReport:
    month: str
    through: date  # the last day counted (today for the running month)
    rows: list[ReportRow]
    store_amount: int
    store_units: int
    store_target_amount: int
    store_target_units: int
    brand_targets: list[BrandTargetRow] = field(default_factory=list)


def month_report(month: str, config: Config, now: datetime | None = None) -> MonthReport:
    """Hours, attendance, sales, commission and targets of everyone who is a promoter, sold
    or worked in ``month``. A month still running counts up to today; a future month is refused."""
    month = parse_month(month)
    today = store_today(config, now)
    first, last = month_days(month)
    if first > today:
        raise ValidationError(_("{month} has not started yet.").format(month=month))
    through = min(last, today)
    figures = sales_figures(first, through, config, today=today)
    rostered: dict[str, int] = defaultdict(int)
    for shift in shifts_between(first, last):
        rostered[shift.staff_id] += shift.minutes
    worked = timeclock.worked_minutes(first, through)
    late: dict[str, int] = defaultdict(int)
    absent: dict[str, int] = defaultdict(int)
    for day in timeclock.attendance(first, through, config.tz, config.roster.late_grace_minutes, now):
        late[day.staff_id] += 1 if day.late else 0
        absent[day.staff_id] += 1 if day.absent else 0
    targets = targets_for(month)
    involved = set(figures) | set(rostered) | set(worked)
    members = [
        m
        for m in Staff.select().order_by(Staff.code)
        if m.id in involved or (m.role == "promoter" and m.status != "left")
    ]
    levels = {lv.code: lv.name for lv in config.ladder.levels}
    rows = []
    for member in members:
        got = figures.get(member.id, Figures())
        target = targets.get((member.id, ""))
        rows.append(
            ReportRow(
                code=member.code,
                name=member.name,
                level=levels.get(member.level, member.level),
                rostered=rostered.get(member.id, 0),
                worked=worked.get(member.id, 0),
                late=late.get(member.id, 0),
                absent=absent.get(member.id, 0),
                amount=got.amount,
                units=got.units,
                returned=got.returned,
                commission=got.commission,
                target_amount=target.amount if target else 0,
                target_units=target.units if target else 0,
            )
        )
    store_target = targets.get((None, ""))
    by_id = {m.id: m for m in members}
    brand_rows = []
    for (staff_id, brand), t in targets.items():
        if not brand:
            continue
        if staff_id is None:
            code, name = "", _("Store")
            amount = sum(f.brand(brand)[0] for f in figures.values())
            units = sum(f.brand(brand)[1] for f in figures.values())
        else:
            who: Staff | None = by_id.get(staff_id) or Staff.get_or_none(Staff.id == staff_id)
            code, name = (who.code, who.name) if who else (staff_id, "")
            amount, units = figures.get(staff_id, Figures()).brand(brand)
        brand_rows.append(BrandTargetRow(code, name, brand, amount, units, t.amount, t.units))
    # The store's own brand targets first, then by promoter, each by brand.
    brand_rows.sort(key=lambda r: (r.code != "", r.code, r.brand))
    return MonthReport(
        month=month,
        through=through,
        rows=rows,
        store_amount=sum(f.amount for f in figures.values()),
        store_units=sum(f.units for f in figures.values()),
        store_target_amount=store_target.amount if store_target else 0,
        store_target_units=store_target.units if store_target else 0,
        brand_targets=brand_rows,
    )


def _hours(minutes: int) -> str:
    return timeclock.hours_text(minutes)


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def report_headers() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Level"),
        _("Rostered h"),
        _("Worked h"),
        _("Late"),
        _("Absent"),
        _("Sales"),
        _("Units"),
        _("Returns"),
        _("Commission"),
        _("Target"),
        _("Reached"),
    ]


def report_rows(report: MonthReport) -> list[list[str]]:
    return [
        [
            r.code,
            r.name,
            r.level,
            _hours(r.rostered),
            _hours(r.worked),
            str(r.late),
            str(r.absent),
            format_fen(r.amount, symbol=False),
            str(r.units),
            format_fen(r.returned, symbol=False),
            format_fen(r.commission, symbol=False),
            format_fen(r.target_amount, symbol=False) if r.target_amount else "",
            _pct(r.amount_percent),
        ]
        for r in report.rows
    ]


def as_text(report: MonthReport) -> str:
    title = _("Promoters {month} (through {day})").format(month=report.month, day=report.through.isoformat())
    total = ngettext(
        "Store: sales {amount}, {units} handset",
        "Store: sales {amount}, {units} handsets",
        report.store_units,
    ).format(amount=format_fen(report.store_amount), units=report.store_units)
    if report.store_target_amount:
        total += " " + _("({pct} of target {target})").format(
            pct=_pct(percent(report.store_amount, report.store_target_amount)),
            target=format_fen(report.store_target_amount),
        )
    table = writers.as_text(text_table(report_headers(), report_rows(report)))
    text = f"{title}\n{table}\n{total}\n"
    if report.brand_targets:
        brands = writers.as_text(text_table(brand_headers(), brand_rows_text(report)))
        text += "\n" + _("Brand targets") + "\n" + brands + "\n"
    return text


def brand_headers() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Brand"),
        _("Sales"),
        _("Units"),
        _("Target"),
        _("Target units"),
        _("Reached"),
    ]


def brand_rows_text(report: MonthReport) -> list[list[str]]:
    return [
        [
            b.code,
            b.name,
            b.brand,
            format_fen(b.amount, symbol=False),
            str(b.units),
            format_fen(b.target_amount, symbol=False) if b.target_amount else "",
            str(b.target_units) if b.target_units else "",
            _pct(b.reached_percent),
        ]
        for b in report.brand_targets
    ]


_BRAND_CSV_FIELDS = (
    ("month", Kind.TEXT),
    ("code", Kind.TEXT),
    ("name", Kind.TEXT),
    ("brand", Kind.TEXT),
    ("sales_fen", Kind.FEN),
    ("units", Kind.INT),
    ("target_fen", Kind.FEN),
    ("target_units", Kind.INT),
    ("reached_percent", Kind.INT),
)

_BRAND_XLSX_KINDS = (
    Kind.TEXT,
    Kind.TEXT,
    Kind.TEXT,
    Kind.FEN,
    Kind.INT,
    Kind.FEN,
    Kind.INT,
    Kind.TEXT,
)


_CSV_FIELDS = (
    ("month", Kind.TEXT),
    ("code", Kind.TEXT),
    ("name", Kind.TEXT),
    ("level", Kind.TEXT),
    ("rostered_minutes", Kind.INT),
    ("worked_minutes", Kind.INT),
    ("late_days", Kind.INT),
    ("absent_days", Kind.INT),
    ("sales_fen", Kind.FEN),
    ("units", Kind.INT),
    ("returns_fen", Kind.FEN),
    ("commission_fen", Kind.FEN),
    ("target_fen", Kind.FEN),
    ("target_units", Kind.INT),
)


_XLSX_KINDS = (
    Kind.TEXT,
    Kind.TEXT,
    Kind.TEXT,
    Kind.HOURS,
    Kind.HOURS,
    Kind.INT,
    Kind.INT,
    Kind.FEN,
    Kind.INT,
    Kind.FEN,
    Kind.FEN,
    Kind.FEN,
    Kind.TEXT,
)


def as_csv(report: MonthReport) -> str:
    """Machine-readable: amounts in fen and hours in minutes, one row a person."""
    table = Table([Column(name, kind) for name, kind in _CSV_FIELDS])
    for r in report.rows:
        table.add(report.month, *r.shared_cells(), r.target_units)
    if not report.brand_targets:
        return writers.to_csv(table)
    # The brand targets follow as a second table, after a blank line (writers.to_csv).
    brands = Table([Column(name, kind) for name, kind in _BRAND_CSV_FIELDS])
    for b in report.brand_targets:
        brands.add(
            report.month,
            b.code,
            b.name,
            b.brand,
            b.amount,
            b.units,
            b.target_amount,
            b.target_units,
            b.reached_percent,
        )
    return writers.to_csv(table, brands)


def write_xlsx(report: MonthReport, path: Path) -> None:
    """One sheet: numbers as numbers (yuan with two decimals, hours with two decimals)."""
    table = Table(
        [Column(h, k) for h, k in zip(report_headers(), _XLSX_KINDS, strict=True)], title=report.month
    )
    for r in report.rows:
        table.add(*r.shared_cells(), _pct(r.amount_percent))
    if not report.brand_targets:
        writers.write_xlsx(path, table)
        return
    brands = Table(
        [Column(h, k) for h, k in zip(brand_headers(), _BRAND_XLSX_KINDS, strict=True)],
        title=_("Brand targets"),
    )
    for b in report.brand_targets:
        brands.add(
            b.code,
            b.name,
            b.brand,
            b.amount,
            b.units,
            b.target_amount or None,
            b.target_units or None,
            _pct(b.reached_percent),
        )
    writers.write_xlsx(path, table, brands)


def default_month(config: Config, now: datetime | None = None) -> str:
    return month_of(store_today(config, now))


def previous_month(month: str) -> str:
    first, _last = month_days(month)
    return month_of(first - timedelta(days=1))
