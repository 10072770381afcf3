"""The referral month report as a text table, CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.referrals.referrers import LeaderRow
from store.referrals.report import MonthReport, StoreFigures
from store.reports import writers
from store.reports.table import Column, Kind, Table, text_table


def store_headers() -> list[str]:
    return [
        _("Store"),
        _("New customers"),
        _("Referred"),
        _("Share"),
        _("New customers' sales"),
        _("Referred customers' sales"),
        _("Vouchers issued"),
        _("Earned"),
        _("Redeemed"),
        _("Expired"),
        _("Cancelled"),
        _("Gifts handed over"),
    ]


def leader_headers() -> list[str]:
    return [
        "#",
        _("Referrer"),
        _("Phone"),
        _("New customers"),
        _("First sales"),
        _("Pending"),
        _("Earned"),
        _("Gifts"),
    ]


def _money(fen: int) -> str:
    return format_fen(fen, symbol=False)


def _store_row(row: StoreFigures, label: str) -> list[str]:
    return [
        label,
        str(row.new_customers),
        str(row.referred),
        row.share_text,
        _money(row.revenue_new),
        _money(row.revenue_referred),
        _money(row.vouchers_issued),
        _money(row.vouchers_earned),
        _money(row.vouchers_redeemed),
        _money(row.vouchers_expired),
        _money(row.vouchers_cancelled),
        str(row.gifts_handed),
    ]


def _leader_row(row: LeaderRow) -> list[str]:
    return [
        str(row.rank),
        row.referrer.name,
        row.referrer.phone,
        str(row.referred),
        _money(row.revenue),
        _money(row.pending),
        _money(row.earned),
        str(row.gifts),
    ]


def _store_label(code: str) -> str:
    return code or "-"


def headline(report: MonthReport) -> str:
    """The one line the seed's claim is checked against."""
    total = report.total
    return _("{referred} of {new} new customers came by referral ({share}); they spent {amount}.").format(
        referred=total.referred,
        new=total.new_customers,
        share=total.share_text,
        amount=format_fen(total.revenue_referred),
    )


def as_text(report: MonthReport) -> str:
    title = _("Referrals {month} (through {day})").format(month=report.month, day=report.through.isoformat())
    rows = [_store_row(r, _store_label(r.store_code)) for r in report.stores]
    if len(report.stores) > 1:
        rows.append(_store_row(report.total, _("All stores")))
    stores = writers.as_text(text_table(store_headers(), rows))
    parts = [title, headline(report), "", stores, "", _("Top referrers")]
    if report.top:
        parts.append(writers.as_text(text_table(leader_headers(), [_leader_row(r) for r in report.top])))
    else:
        parts.append(_("No referrals this month."))
    return "\n".join(parts) + "\n"


_STORE_FIELDS = [
    "new_customers",
    "referred",
    "share_permille",
    "revenue_new_fen",
    "revenue_referred_fen",
    "links",
    "vouchers_issued_fen",
    "vouchers_earned_fen",
    "vouchers_redeemed_fen",
    "vouchers_expired_fen",
    "vouchers_cancelled_fen",
    "gifts_handed",
]


_LEADER_FIELDS = [
    "rank",
    "referral_code",
    "name",
    "phone",
    "new_customers",
    "revenue_fen",
    "pending_fen",
    "earned_fen",
    "gifts",
]


def _store_values(row: StoreFigures) -> list[object]:
    return [
        row.new_customers,
        row.referred,
        row.share_permille,
        row.revenue_new,
        row.revenue_referred,
        row.links,
        row.vouchers_issued,
        row.vouchers_earned,
        row.vouchers_redeemed,
        row.vouchers_expired,
        row.vouchers_cancelled,
        row.gifts_handed,
    ]


_FEN, _INT, _PERMILLE = Kind.FEN, Kind.INT, Kind.PERMILLE


_STORE_KINDS = (_INT, _INT, _PERMILLE, _FEN, _FEN, _INT, _FEN, _FEN, _FEN, _FEN, _FEN, _INT)


_LEADER_KINDS = (_INT, Kind.TEXT, Kind.TEXT, Kind.TEXT, _INT, _FEN, _FEN, _FEN, _INT)


def as_csv(report: MonthReport) -> str:
    """Machine-readable, amounts in fen and the share in per mille: one row a store (store
    '*' is the total), then a blank line and the top referrers."""
    month = Column("month")
    stores = Table([month, Column("store"), *map(Column, _STORE_FIELDS, _STORE_KINDS)])
    for row in report.stores:
        stores.add(report.month, row.store_code, *_store_values(row))
    stores.add(report.month, "*", *_store_values(report.total))
    leaders = Table([month, *map(Column, _LEADER_FIELDS, _LEADER_KINDS)])
    for leader in report.top:
        person = leader.referrer
        leaders.add(
            report.month,
            leader.rank,
            person.code,
            person.name,
            person.phone,
            leader.referred,
            leader.revenue,
            leader.pending,
            leader.earned,
            leader.gifts,
        )
    return writers.to_csv(stores, leaders)


def write_xlsx(report: MonthReport, path: Path) -> None:
    """Two sheets, numbers as numbers: the stores (yuan with two decimals, the share as a
    percentage) and the top referrers."""
    kinds = [Kind.TEXT, *(k for f, k in zip(_STORE_FIELDS, _STORE_KINDS, strict=True) if f != "links")]
    stores = Table(list(map(Column, store_headers(), kinds)), title=report.month)
    rows = [(_store_label(r.store_code), r) for r in report.stores]
    rows.append((_("All stores"), report.total))
    for label, row in rows:
        values = _store_values(row)
        del values[_STORE_FIELDS.index("links")]
        stores.add(label, *values)
    leader_kinds = [k for f, k in zip(_LEADER_FIELDS, _LEADER_KINDS, strict=True) if f != "referral_code"]
    leaders = Table(list(map(Column, leader_headers(), leader_kinds)), title=_("Top referrers"))
    for leader in report.top:
        leaders.add(
            leader.rank,
            leader.referrer.name,
            leader.referrer.phone,
            leader.referred,
            leader.revenue,
            leader.pending,
            leader.earned,
            leader.gifts,
        )
    writers.write_xlsx(path, stores, leaders)
