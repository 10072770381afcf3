"""One dim line on the sale screen naming the products at or under their reorder point. It
is worked out in a worker thread: everything when the screen opens (and every few minutes),
then only the products of each sale just committed, so checkout never waits for it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Static

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import _
from store.workers import own_connection
from tui.clock import clock_of

if TYPE_CHECKING:
    from store.config.loader import Config
    from store.stock.reorder import Plan

FULL_REFRESH_SECONDS = 600
# The first full computation reads every product's summaries (~0.2 s on the large demo): start
# it once the sale screen is up, not while the console is still starting.
FIRST_REFRESH_SECONDS = 3.0


class ReorderPanel(Static):
    def __init__(self, config: Config, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.config = config
        self.below: dict[str, Plan] = {}
        self._seq = 0
        self._pending: set[int] = set()  # requests whose result has not come back yet
        # product -> the request that last set it, kept only while an older request is pending
        # (it can hold nothing back from a newer one): not a product a sale all day long
        self._applied: dict[str, int] = {}
        self._full_applied = 0
        self.last_refresh_seconds = 0.0  # how long the last worker took (for the benchmark)
        self.last_applied = 0  # the newest request whose result was merged (for the benchmark)

    @property
    def computed(self) -> bool:
        """A full computation has been applied (what the line shows is not a placeholder)."""
        return self._full_applied > 0

    def on_mount(self) -> None:
        self.display = False
        if self.config.stock.panel_items:
            if FIRST_REFRESH_SECONDS:
                self.set_timer(FIRST_REFRESH_SECONDS, self.refresh_all)
            else:
                self.refresh_all()
            self.set_interval(FULL_REFRESH_SECONDS, self.refresh_all)

    # ---- requests ----------------------------------------------------------
    def refresh_all(self) -> None:
        self._request(None)

    def refresh_products(self, product_ids: Iterable[str]) -> None:
        ids = sorted(set(product_ids))
        if ids and self.config.stock.panel_items:
            self._request(ids)

    def after_sale(self, sale_id: str) -> None:
        """The products of a committed sale (or return) changed stock: look at those again."""
        if self.config.stock.panel_items:
            self._request(None, sale_id=sale_id)

    def _request(self, product_ids: list[str] | None, sale_id: str = "") -> None:
        self._seq += 1
        self._pending.add(self._seq)
        self.compute(self._seq, product_ids, sale_id=sale_id)

    @work(thread=True, group="reorder-panel")
    def compute(self, seq: int, product_ids: list[str] | None, sale_id: str = "") -> None:
        from store.kernel.memory import give_back_free_pages
        from store.stock import (  # with velocity and statistics: first needed seconds after start-up
            lookups,
            reorder,
        )

        started = time.perf_counter()
        try:
            with own_connection():
                if sale_id:
                    product_ids = lookups.product_ids_of_sale(sale_id)
                now = clock_of(self.app, self.config.tz)()
                if product_ids is None:  # every product, only those below kept (what apply needs)
                    plans = reorder.below_reorder_point(self.config.stock, self.config.tz, now=now)
                else:
                    plans = reorder.plans(self.config.stock, self.config.tz, product_ids=product_ids, now=now)
        except ZhangguiError:  # the panel is a hint: a busy database just leaves the last one shown
            self.app.call_from_thread(self._settled, seq)
            return
        finally:
            if product_ids is None:
                give_back_free_pages()  # what the whole ledger's read freed (store.kernel.memory)
        elapsed = time.perf_counter() - started
        self.app.call_from_thread(self.apply, seq, product_ids, plans, elapsed)

    # ---- results (on the event loop) ----------------------------------------
    def apply(self, seq: int, product_ids: list[str] | None, plans: list[Plan], elapsed: float) -> None:
        """Merge a result; a product keeps the figures of the newest request that read it, so
        a full refresh that started before a sale never undoes that sale's update."""
        self.last_refresh_seconds = elapsed
        self.last_applied = max(self.last_applied, seq)
        fresh = {p.product_id: p for p in plans}
        if product_ids is None:
            if seq < self._full_applied:
                self._settled(seq)
                return
            self._full_applied = seq
            keys = set(self.below) | set(fresh)
        else:
            keys = set(product_ids)
        for pid in keys:
            if self._applied.get(pid, 0) > seq:
                continue
            self._applied[pid] = seq
            plan = fresh.get(pid)
            if plan is not None and plan.below:
                self.below[pid] = plan
            else:
                self.below.pop(pid, None)
        self._settled(seq)
        self.show()

    def _settled(self, seq: int) -> None:
        """Request ``seq`` came back. What the requests before the oldest one still pending set
        can hold back none of them (a result is skipped only for a newer request's): forgotten."""
        self._pending.discard(seq)
        oldest = min(self._pending, default=self._seq + 1)
        self._applied = {pid: s for pid, s in self._applied.items() if s > oldest}

    def urgent(self) -> list[Plan]:
        """Out of stock first, then the lowest share of the reorder point, hot sellers first."""
        rank = {"hot": 0, "regular": 1, "slow": 2}
        return sorted(
            self.below.values(),
            key=lambda p: (p.on_hand > 0, p.on_hand / max(p.reorder_at, 1), rank[p.velocity], p.name),
        )

    def show(self) -> None:
        limit = self.config.stock.panel_items
        plans = self.urgent()
        if not plans or not limit:
            self.display = False
            self.update("")
            return
        text = Text(_("Reorder") + ": ", style="bold")
        for n, plan in enumerate(plans[:limit]):
            if n:
                text.append("; ")
            text.append(plan.name)
            text.append(f" {plan.on_hand}/{plan.reorder_at}")
        more = len(plans) - limit
        if more > 0:
            text.append("  " + _("+{n} more").format(n=more))
        text.no_wrap = True
        text.overflow = "ellipsis"
        self.update(text)
        self.display = True
