"""The main screens reachable from F1 (and the command palette). Each issue's screens add
one Destination here; the sale screen is always underneath."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from store.kernel.i18n import N_


@dataclass(frozen=True)
class Destination:
    id: str
    title: str  # msgid, translated when shown
    make: Callable[[], Screen[None]] | None  # None: back to the sale screen
    manager_only: bool = False


def _roster() -> Screen[None]:
    from tui.screens.roster import RosterScreen  # screens load when first opened

    return RosterScreen()


def _time_clock() -> Screen[None]:
    from tui.screens.timeclock import TimeClockScreen

    return TimeClockScreen()


def _promoters() -> Screen[None]:
    from tui.screens.promoters import PromotersScreen

    return PromotersScreen()


def _leave() -> Screen[None]:
    from tui.screens.leave import LeaveScreen

    return LeaveScreen()


def _customers() -> Screen[None]:
    from tui.screens.customers import CustomersScreen

    return CustomersScreen()


def _my_tasks() -> Screen[None]:
    from tui.screens.tasks import TasksScreen

    return TasksScreen()


def _segments() -> Screen[None]:
    from tui.screens.segments import SegmentsScreen

    return SegmentsScreen()


def _care() -> Screen[None]:
    from tui.screens.care import CareScreen

    return CareScreen()


def _progress() -> Screen[None]:
    from tui.screens.progress import ProgressScreen

    return ProgressScreen()


def _stock_count() -> Screen[None]:
    from tui.screens.stock_count import StockCountScreen

    return StockCountScreen()


def _receiving() -> Screen[None]:
    from tui.screens.receiving import ReceivingScreen

    return ReceivingScreen()


def _products() -> Screen[None]:
    from tui.screens.products import ProductsScreen

    return ProductsScreen()


def _history() -> Screen[None]:
    from tui.screens.stock_history import StockHistoryScreen

    return StockHistoryScreen()


def _reorder() -> Screen[None]:
    from tui.screens.reorder import ReorderScreen

    return ReorderScreen()


def _referral_board() -> Screen[None]:
    from tui.screens.referral_board import ReferralBoardScreen

    return ReferralBoardScreen()


def _drawer() -> Screen[None]:
    from tui.screens.drawer import DrawerScreen

    return DrawerScreen()


def _staff() -> Screen[None]:
    from tui.screens.staff_admin import StaffAdminScreen

    return StaffAdminScreen()


def _day_close() -> Screen[None]:
    from tui.screens.day_report import DayReportScreen

    return DayReportScreen()


def _hq_export() -> Screen[None]:
    from tui.screens.hq_export import HqExportScreen

    return HqExportScreen()


DESTINATIONS: list[Destination] = [
    Destination("sale", N_("Sale"), None),
    Destination("customers", N_("Customers"), _customers),
    Destination("tasks", N_("My tasks today"), _my_tasks),
    Destination("segments", N_("Customer segments"), _segments, manager_only=True),
    Destination("care", N_("Customer care"), _care, manager_only=True),
    Destination("roster", N_("Roster"), _roster, manager_only=True),
    Destination("clock", N_("Time clock"), _time_clock),
    Destination("drawer", N_("Cash drawer"), _drawer),
    Destination("progress", N_("My sales and targets"), _progress),
    Destination("referrals", N_("Referrals"), _referral_board),
    Destination("promoters", N_("Promoters"), _promoters, manager_only=True),
    Destination("leave", N_("Leave"), _leave),
    Destination("stock_count", N_("Stock count"), _stock_count),
    Destination("receive", N_("Receive stock"), _receiving, manager_only=True),
    Destination("products", N_("Products and prices"), _products, manager_only=True),
    Destination("history", N_("Stock history"), _history),
    Destination("reorder", N_("Reorder"), _reorder, manager_only=True),
    Destination("staff", N_("Staff"), _staff, manager_only=True),
    Destination("day_close", N_("Day close"), _day_close, manager_only=True),
    Destination("export", N_("Head office export"), _hq_export, manager_only=True),
]
