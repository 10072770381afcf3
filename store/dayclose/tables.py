"""The X or Z report as tables for CSV and XLSX (store.reports): the figures, the payments
with their references, and the IMEIs sold and returned."""

from __future__ import annotations

from store.dayclose.report import DrawerReport
from store.kernel.i18n import _
from store.reports.table import Column, Kind, Table
from store.selling.cart_lines import tender_label
from store.stock.catalog import category_name


def report_tables(report: DrawerReport) -> list[Table]:
    figures = Table(
        [
            Column(_("Section")),
            Column(_("Item")),
            Column(_("Count"), Kind.INT),
            Column(_("Amount"), Kind.YUAN),
        ],
        title=_("Figures"),
    )
    head = _("Z report") if report.z_no is not None else _("X report")
    figures.add(head, report.business_date.isoformat(), report.z_no, None)
    for name, row in (
        (_("Sales"), report.sales),
        (_("Exchanges"), report.exchanges),
        (_("Returns"), report.returns),
        (_("Voided"), report.voids),
    ):
        figures.add(_("Receipts"), name, row.count, row.amount)
    figures.add(_("Receipts"), _("Discounts"), None, report.discounts)
    for row in report.tenders:
        figures.add(_("Tenders"), tender_label(row.name), row.count, row.amount)
    for section, rows, name_of in (
        (_("By promoter"), report.promoters, str),
        (_("By category"), report.categories, category_name),
        (_("By brand"), report.brands, str),
        (_("By model"), report.models, str),
        (_("By hour"), report.hours, str),
    ):
        for row in rows:
            figures.add(section, name_of(row.name), row.count, row.amount)
    figures.add(_("Referral rewards"), _("Vouchers redeemed"), report.vouchers.count, report.vouchers.amount)
    for gift in report.gifts:
        figures.add(_("Referral rewards"), gift.name, gift.count, None)
    for a in report.approvals:
        figures.add(
            _("Approved by a manager"),
            f"{a.receipt_no} {a.what} {a.reason} ({a.approved_by})",
            None,
            a.amount,
        )
    for shift in report.shifts:
        section = _("Shift {n}").format(n=shift.seq)
        figures.add(section, _("Float"), None, shift.float)
        figures.add(section, _("Expected"), None, shift.expected)
        figures.add(section, _("Counted"), None, shift.counted)
        figures.add(section, _("Over (+) / short (-)"), None, shift.over_short)
    cash = report.cash
    for label, amount in (
        *cash.lines(),
        (_("Counted"), report.counted),
        (_("Over (+) / short (-)"), report.over_short),
    ):
        figures.add(_("Cash"), label, None, amount)
    if report.z_no is not None:
        figures.add(_("Audit chain"), report.audit_head, report.audit_seq, None)
    payments = Table(
        [Column(_("Payment")), Column(_("Receipt")), Column(_("Reference")), Column(_("Amount"), Kind.YUAN)],
        title=_("Payments"),
    )
    for ref in report.references:
        payments.add(tender_label(ref.kind), ref.receipt_no, ref.reference, ref.amount)
    units = Table(
        [Column(_("IMEI")), Column(_("Model")), Column(_("Receipt")), Column(_("Sold/returned"))],
        title="IMEI",
    )
    for unit in report.sold:
        units.add(unit.imei, unit.model, unit.receipt_no, _("sold"))
    for unit in report.returned:
        units.add(unit.imei, unit.model, unit.receipt_no, _("returned"))
    return [figures, payments, units]
