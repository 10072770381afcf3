"""The per-day sales summary behind the promoter figures (promoter_day_sales): filled a few
days a call, read for the days it holds, and never the reason a figure is wrong."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from store.config.loader import Config
from store.kernel.errors import DatabaseUnavailable
from store.models import PromoterDaySales, database
from store.people import promoter_figures, staff
from store.people import report as promoter_report
from store.selling import sale_voids
from tests.conftest import Shop
from tests.store_helpers import manager_ok
from tests.unit.test_commission import (
    ACCESSORY,
    HANDSET,
    SPECIAL,
    TODAY,
    config_with,
    give_back,
    november,
    ring,
)

NOV_FIRST, NOV_LAST = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture
def cfg() -> Config:
    return config_with([HANDSET, ACCESSORY, SPECIAL])


def from_the_lines(
    cfg: Config, first: date = NOV_FIRST, last: date = NOV_LAST
) -> dict[str, promoter_figures.Figures]:
    """The figures with nothing settled yet, so every day is read line by line."""
    return promoter_figures.sales_figures(first, last, cfg, today=date(2020, 1, 1))


def marked() -> list[date]:
    rows = PromoterDaySales.select().where(PromoterDaySales.promoter_id == "")
    return sorted(r.business_date for r in rows)


def a_busy_month(shop: Shop) -> str:
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    ring(shop, datetime(2026, 11, 2, 4, 0), shop.imeis[0], case_qty=1)
    ring(shop, datetime(2026, 11, 12, 4, 0), shop.imeis[1], case_qty=3, promoter=other.id)  # special price
    ring(shop, datetime(2026, 11, 12, 6, 0), case_qty=2)
    ring(shop, datetime(2026, 11, 19, 4, 0), shop.imeis[2])
    ring(shop, datetime(2026, 11, 26, 4, 0), shop.imeis[3])  # not settled on the 27th
    return str(other.id)


def test_each_call_summarises_a_few_more_days_and_agrees_with_the_lines(shop: Shop, cfg: Config) -> None:
    a_busy_month(shop)
    lines = from_the_lines(cfg)
    assert PromoterDaySales.select().count() == 0
    step = promoter_figures.SUMMARISE_DAYS_PER_CALL
    calls = 0
    while len(marked()) < 25:  # the 1st to the 25th are settled on the 27th
        assert november(cfg) == lines
        calls += 1
        assert marked() == [date(2026, 11, n) for n in range(1, min(25, calls * step) + 1)]
    assert november(cfg) == lines
    assert len(marked()) == 25  # the 26th and today stay line by line


def test_summarise_all_settles_the_month_at_once(shop: Shop, cfg: Config) -> None:
    a_busy_month(shop)
    lines = from_the_lines(cfg)
    assert promoter_figures.summarise_all(NOV_FIRST, NOV_LAST, cfg, today=TODAY) == 25
    assert promoter_figures.summarise_all(NOV_FIRST, NOV_LAST, cfg, today=TODAY) == 0
    assert marked() == [date(2026, 11, n) for n in range(1, 26)]
    assert november(cfg) == lines
    assert promoter_figures.summarise_all(NOV_FIRST, NOV_LAST, cfg, today=date(2026, 11, 2)) == 0


def test_the_summary_holds_each_days_lines_per_promoter_and_product(shop: Shop, cfg: Config) -> None:
    voided = ring(shop, datetime(2026, 11, 5, 4, 0), case_qty=4)
    sale_voids.void_sale(
        voided.id,
        approval=manager_ok(shop),
        till=shop.till,
        now=datetime(2026, 11, 5, 5, 0),
    )
    other = a_busy_month(shop)
    sold = ring(shop, datetime(2026, 11, 3, 4, 0), case_qty=5)
    give_back(shop, sold, datetime(2026, 11, 4, 4, 0))  # a return is not a day's sale
    promoter_figures.summarise_all(NOV_FIRST, NOV_LAST, cfg, today=TODAY)
    rows = {
        (r.business_date, r.promoter_id, r.product_id): (r.amount, r.qty)
        for r in PromoterDaySales.select().where(PromoterDaySales.promoter_id != "")
    }
    p1, phone, case = shop.promoter.id, shop.phone.id, shop.case.id
    assert rows == {
        (date(2026, 11, 2), p1, phone): (599900, 1),
        (date(2026, 11, 2), p1, case): (3900, 1),
        (date(2026, 11, 3), p1, case): (19500, 5),
        (date(2026, 11, 12), other, phone): (599900, 1),
        (date(2026, 11, 12), other, case): (11700, 3),
        (date(2026, 11, 12), p1, case): (7800, 2),
        (date(2026, 11, 19), p1, phone): (599900, 1),
    }


def test_a_return_rung_after_its_day_was_summarised_still_counts(shop: Shop, cfg: Config) -> None:
    """The phone sold on 12 Nov at the special price comes back; the return is dated the
    20th, a day already in the summary when it is rung. It must take the sale and the
    special commission back in November and leave October as it was."""
    october_sale = ring(shop, datetime(2026, 10, 12, 4, 0), shop.imeis[0])
    sale = ring(shop, datetime(2026, 11, 12, 4, 0), shop.imeis[1], case_qty=2)
    promoter_figures.summarise_all(date(2026, 10, 1), NOV_LAST, cfg, today=TODAY)
    before = november(cfg)[shop.promoter.id]
    assert (before.amount, before.units, before.commission) == (599900 + 7800, 1, 17997 + 5000 + 624)
    give_back(shop, sale, datetime(2026, 11, 20, 4, 0))
    give_back(shop, october_sale, datetime(2026, 11, 21, 4, 0))
    assert date(2026, 11, 20) in marked() and date(2026, 11, 21) in marked()
    after = november(cfg)[shop.promoter.id]
    assert (after.amount, after.units, after.returned) == (7800 - 599900, -1, -599900 * 2)
    assert after.commission == 624 - (599900 // 100)  # the special price back; October's 1 %
    assert november(cfg) == from_the_lines(cfg)
    october = promoter_figures.sales_figures(date(2026, 10, 1), date(2026, 10, 31), cfg, today=TODAY)
    assert (october[shop.promoter.id].amount, october[shop.promoter.id].commission) == (599900, 5999)
    report = promoter_report.month_report("2026-11", cfg, now=datetime(2026, 11, 27, 4, 0))
    row = next(r for r in report.rows if r.code == "P1")
    assert (row.amount, row.returned, row.commission) == (after.amount, after.returned, after.commission)


def test_summarised_days_are_read_from_the_summary_and_the_rest_from_the_lines(
    shop: Shop, cfg: Config
) -> None:
    """A summary row that disagreed with the lines would show: the summary is what is read
    for the days it marks, and only for those."""
    ring(shop, datetime(2026, 11, 2, 4, 0), case_qty=1)
    ring(shop, datetime(2026, 11, 9, 4, 0), case_qty=1)
    while date(2026, 11, 2) not in marked():
        november(cfg)  # summarises a day or two a call, from the 1st
    assert date(2026, 11, 9) not in marked()
    PromoterDaySales.update(amount=PromoterDaySales.amount + 100).where(
        PromoterDaySales.business_date == date(2026, 11, 2), PromoterDaySales.promoter_id != ""
    ).execute()
    assert november(cfg)[shop.promoter.id].amount == 3900 * 2 + 100
    assert from_the_lines(cfg)[shop.promoter.id].amount == 3900 * 2


def test_a_read_only_database_reads_the_lines(
    shop: Shop, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_busy_month(shop)
    lines = from_the_lines(cfg)
    november(cfg)
    done = marked()

    def refuse(_fn: object) -> None:
        raise DatabaseUnavailable("read-only")

    monkeypatch.setattr(promoter_figures, "write", refuse)
    assert november(cfg) == lines
    assert marked() == done  # what was summarised before is still read


def test_one_promoters_figures_mix_summary_and_lines_alike(shop: Shop, cfg: Config) -> None:
    other = a_busy_month(shop)
    november(cfg)
    mine = promoter_figures.sales_figures(NOV_FIRST, NOV_LAST, cfg, promoter_id=other, today=TODAY)
    assert mine == {other: from_the_lines(cfg)[other]}
    assert database.obj.execute_sql("SELECT COUNT(*) FROM promoter_day_sales").fetchone()[0] > 0


def test_summarise_recent_fills_every_settled_day_a_day_per_transaction(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.db import transaction
    from store.people.promoter_figures import summarise_recent, summarised_days

    today = date(2026, 11, 27)
    writes: list[int] = []
    real_write = transaction.write

    def counting(fn: Any) -> Any:
        writes.append(1)
        return real_write(fn)

    monkeypatch.setattr("store.people.promoter_figures.write", counting)
    added = summarise_recent(Config(), today=today)
    first, last = date(2026, 10, 1), today - timedelta(days=2)
    assert added == (last - first).days + 1 == len(writes)  # one transaction a day
    assert summarised_days(first, last) == {first + timedelta(days=n) for n in range(added)}
    assert summarise_recent(Config(), today=today) == 0  # nothing left: no write at all
    assert len(writes) == added
