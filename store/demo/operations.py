"""The store's running as the demo shows it, after its 90 days of sales: the promoter who left,
eight weeks of published rosters with the clock punches that followed them (a few late, one
absence, approved leave), monthly targets (one for a brand), levels on the ladder, training
records, two stock counts (one approved, one waiting for a manager) and a transfer to another
store whose file has to be written again.

Everything here goes through the store's own functions (audited, checked: a roster is
published only without hard conflicts) as the manager, at the moment it happened, except the
clock punches: ``clock_in`` and ``clock_out`` write exactly these rows (and no audit row), but
each would first check a PIN.
"""

from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from store.config.loader import Config
from store.demo.clock import _EPOCH, _local_midnight_us, _stamp
from store.demo.state import _State
from store.kernel.auth import Actor, actor_for_login
from store.kernel.ids import new_id
from store.kernel.money import MAX_FEN
from store.models import LeaveRequest, Product, RosterEntry, Staff, StockMovement, TimeEntry, database
from store.people import leave_requests, profiles, roster, targets
from store.stock import count_approval, count_entry, count_sessions, transfer_send

WEEKS = 8  # published rosters: this week and the seven before it
# Who is rostered, in the order the days off rotate; two days off a week each leaves four or
# five people a day, two on each shift (a grade C store needs two on duty at any time).
ROSTERED = ("M1", "P1", "P2", "P3", "C1", "B1")
LATE_SHARE = 0.06  # clock-ins after the grace minutes
# Promotion ladder levels and courses taken: (code, level, ((course, result, days ago), ...)).
LADDER = (
    ("P1", "L3", (("产品知识", "passed", 400), ("销售技巧", "passed", 200))),
    ("P2", "L2", (("产品知识", "passed", 150), ("销售技巧", "failed", 40))),
    ("P3", "L1", (("产品知识", "attended", 30),)),
    ("B1", "L2", (("产品知识", "passed", 120), ("华为产品认证", "passed", 60))),
)
# Each shop promoter's share of the store's monthly target; the brand promoter's target is
# for her brand.
TARGET_SHARES = {"P1": 30, "P2": 30, "P3": 25}
BRAND_SHARE = 15


def _moment(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


class _Operations(_State):
    """Steps after the history; each runs inside the demo's one write transaction."""

    def _manager(self) -> Actor:
        return actor_for_login(Staff.get_by_id(self.manager_id))

    def _local_us(self, day: date, minutes: int) -> int:
        return _local_midnight_us(day, self.tz) + minutes * 60_000_000

    def _staff_left(self) -> None:
        """The leaver left on the 20th day of the history, before the rosters begin."""
        profiles.set_status(
            self.leaver_id,
            "left",
            actor=self._manager(),
            now=_moment(self._local_us(self.days[20], 18 * 60)),
        )

    def _run_store(self, config: Config) -> None:
        rng = random.Random(f"operations-{self.seed}")
        manager = self._manager()
        self._rosters(config, manager, rng)
        self._targets(manager)
        self._ladder(config, manager)
        self._counts(manager)
        self._transfer()
        # The movements the store's own functions wrote, for the summary.
        self.counts.movements += (
            StockMovement.select().where(StockMovement.kind.in_(("count", "transfer_out"))).count()
        )

    # Rosters, leave and the time clock.

    def _leave(self, manager: Actor, weeks: list[list[date]]) -> set[tuple[str, date]]:
        """Approved leave, recorded before its week's roster was published; and one request
        for next week still waiting for the manager."""
        by_code = self.staff_by_code
        planned = (
            ("P2", weeks[2][1], weeks[2][2], "annual", "回老家"),
            ("C1", weeks[5][3], weeks[5][3], "in_lieu", "周末加班调休"),
        )
        days: set[tuple[str, date]] = set()
        for code, first, last, kind, reason in planned:
            recorded = self._local_us(first - timedelta(days=10), 19 * 60)
            leave_requests.record_leave(
                by_code[code], first, last, reason, actor=manager, now=_moment(recorded), kind=kind
            )
            day = first
            while day <= last:
                days.add((by_code[code], day))
                day += timedelta(days=1)
        next_monday = weeks[-1][0] + timedelta(weeks=1)
        asked = leave_requests.request_leave(
            by_code["P1"],
            next_monday + timedelta(days=2),
            next_monday + timedelta(days=2),
            "家里有事",
            by=by_code["P1"],
        )
        # Asked yesterday (the request has no time of its own to give).
        asked_at = _moment(self.end_us - 86_400_000_000)
        LeaveRequest.update(created_at=asked_at).where(LeaveRequest.id == asked.id).execute()
        return days

    def _week_plan(
        self, w: int, days: list[date], leave: set[tuple[str, date]]
    ) -> list[tuple[str, date, str]]:
        """(staff id, day, shift code) for week ``w``: two days off each, rotating by week;
        someone off that day stands in for a person on leave."""
        people = [self.staff_by_code[code] for code in ROSTERED]
        plan: list[tuple[str, date, str]] = []
        for i, day in enumerate(days):
            on = [p for k, p in enumerate(people) if i not in ((k + w) % 7, (k + w + 3) % 7)]
            on = [p for p in on if (p, day) not in leave]
            spare = [p for p in people if p not in on and (p, day) not in leave]
            while len(on) < 4 and spare:
                on.append(spare.pop(0))
            turn = (i + w) % len(on)
            on = on[turn:] + on[:turn]  # who works early changes from day to day
            early = (len(on) + 1) // 2
            plan.extend((p, day, "E" if k < early else "L") for k, p in enumerate(on))
        return plan

    def _rosters(self, config: Config, manager: Actor, rng: random.Random) -> None:
        today = self.days[-1]
        monday = today - timedelta(days=today.weekday())
        weeks = [
            [monday - timedelta(weeks=WEEKS - 1 - w) + timedelta(days=i) for i in range(7)]
            for w in range(WEEKS)
        ]
        leave = self._leave(manager, weeks)
        shifts: list[tuple[date, int, str, int]] = []  # day, start, staff, end
        for w, days in enumerate(weeks):
            plan = self._week_plan(w, days, leave)
            published = self._local_us(days[0] - timedelta(days=3), 18 * 60)  # the Friday before
            rows = []
            for staff_id, day, code in plan:
                shift = config.roster.shift(code)
                assert shift is not None  # the default shifts E and L
                rows.append(
                    {
                        "id": new_id(),
                        "day": day,
                        "staff": staff_id,
                        "shift_code": code,
                        "start_minute": shift.start,
                        "end_minute": shift.end,
                        "created_at": _moment(published - 3_600_000_000),
                    }
                )
                shifts.append((day, shift.start, staff_id, shift.end))
            # The rows roster_edit.assign writes, and one audited publish a week (refused if
            # the week had a hard conflict).
            RosterEntry.insert_many(rows).execute()
            roster.publish(roster.week_of(days[0]), config, actor=manager, now=_moment(published))
        self._punches(shifts, config, rng)

    def _punches(self, shifts: list[tuple[date, int, str, int]], config: Config, rng: random.Random) -> None:
        """Clock-ins and clock-outs for every shift that has begun: a few late, one missed
        (no clock-in and no leave: an absence); a shift still going has no clock-out yet."""
        grace = config.roster.late_grace_minutes
        started = sorted(s for s in shifts if self._local_us(s[0], s[1]) - 20 * 60_000_000 <= self.end_us)
        absent = started[len(started) // 3]
        rows: list[dict[str, object]] = []
        for shift in started:
            if shift is absent:
                continue
            day, start_minute, staff_id, end_minute = shift
            start = self._local_us(day, start_minute)
            end = self._local_us(day, end_minute)
            if rng.random() < LATE_SHARE:
                clock_in = start + rng.randrange(grace + 2, grace + 25) * 60_000_000
            else:
                clock_in = start - rng.randrange(1, 15) * 60_000_000
            clock_in += rng.randrange(60_000_000)
            if clock_in >= self.end_us:
                continue
            clock_out: int | None = end + rng.randrange(0, 20 * 60_000_000)
            if clock_out is not None and clock_out >= self.end_us:
                clock_out = None
            rows.append(
                {
                    "id": new_id(),
                    "staff": staff_id,
                    "business_date": day,
                    "clock_in": _moment(clock_in),
                    "clock_out": _moment(clock_out) if clock_out is not None else None,
                }
            )
        TimeEntry.insert_many(rows).execute()

    # Targets and the ladder.

    def _targets(self, manager: Actor) -> None:
        """Each month of the history: the store's target, each shop promoter's share, and the
        brand promoter's target for her brand, set on the month's first day."""
        total = database.obj.execute_sql('SELECT COALESCE(SUM("total"), 0) FROM "sale"').fetchone()[0]
        handsets = sum(1 for s in self.unit_status if s == "sold")
        per_day_fen, per_day_units = total / len(self.days), handsets / len(self.days)
        month, last = targets.month_of(self.days[0]), targets.month_of(self.days[-1])
        brand, brand_promoter = next(iter(self.brand_promoter.items()))
        while month <= last:
            first, end = targets.month_days(month)
            days = (end - first).days + 1
            # Whole ten thousand yuan, at most what a target may be (the large store sells more).
            amount = min(
                round(per_day_fen * days * 1.1 / 1_000_000) * 1_000_000, MAX_FEN // 1_000_000 * 1_000_000
            )
            units = max(1, round(per_day_units * days * 1.1))
            targets.set_target(month, None, units=units, amount=amount, actor=manager, today=first)
            for code, share in TARGET_SHARES.items():
                targets.set_target(
                    month,
                    self.staff_by_code[code],
                    units=max(1, units * share // 100),
                    amount=amount * share // 100 // 100 * 100,
                    actor=manager,
                    today=first,
                )
            targets.set_target(
                month,
                brand_promoter,
                brand=brand,
                units=max(1, units * BRAND_SHARE // 100),
                amount=amount * BRAND_SHARE // 100 // 100 * 100,
                actor=manager,
                today=first,
            )
            month = targets.month_of(end + timedelta(days=1))

    def _ladder(self, config: Config, manager: Actor) -> None:
        today = self.days[-1]
        at = _moment(self.end_us - 3_600_000_000)  # recorded an hour ago, after the last course
        for code, level, courses in LADDER:
            staff_id = self.staff_by_code[code]
            for course, result, days_ago in courses:
                profiles.add_training(
                    staff_id,
                    course,
                    today - timedelta(days=days_ago),
                    result,
                    today=today,
                    actor=manager,
                    now=at,
                )
            profiles.update_profile(staff_id, config.ladder, actor=manager, level=level, now=at)

    # Stock counts.

    def _counts(self, manager: Actor) -> None:
        """Last night after closing the accessories of one brand were counted and the count
        approved (one item short, one found); this morning another brand's count was closed and
        waits for the manager. Accessories only: a handset count scans IMEIs."""
        brands = sorted(
            {it.brand for it in self.items if it.category == "accessory"},
            key=lambda b: (sum(1 for it in self.items if it.brand == b and it.category == "accessory"), b),
        )
        sizes = {b: sum(1 for it in self.items if it.brand == b) for b in brands}
        usable = [
            b
            for b in brands
            if sizes[b] >= 3 and not any(it.brand == b and it.category != "accessory" for it in self.items)
        ]
        first_brand, second_brand = usable[0], usable[1]
        yesterday, today = self.days[-2], self.days[-1]
        counter = self.staff_by_code["P3"]
        start = self._local_us(yesterday, 21 * 60 + 40)
        count = count_sessions.start_count(
            scope_kind="brand", scope_value=first_brand, staff_id=counter, now=_moment(start), tz=self.tz
        )
        self._count_items(count.id, counter, start, short_one=True)
        count_sessions.close(count.id, staff_id=counter, now=_moment(start + 20 * 60_000_000))
        count_approval.approve(count.id, actor=manager, now=_moment(start + 25 * 60_000_000))
        morning = min(self._local_us(today, 8 * 60 + 30), self.end_us - 30 * 60_000_000)
        count = count_sessions.start_count(
            scope_kind="brand", scope_value=second_brand, staff_id=counter, now=_moment(morning), tz=self.tz
        )
        self._count_items(count.id, counter, morning, short_one=True)
        count_sessions.close(count.id, staff_id=counter, now=_moment(morning + 15 * 60_000_000))

    def _count_items(self, count_id: str, counter: str, at: int, *, short_one: bool) -> None:
        """Enter what the shelf held: the book's quantity, except one item counted short (on a
        product that did not move after the count, so no later sale needs it) and one extra."""
        items = list(
            database.obj.execute_sql(
                'SELECT i."product_id", i."snapshot_qty", '
                '(SELECT COUNT(*) FROM "stock_movement" m WHERE m."product_id" = i."product_id" '
                'AND m."created_at" > c."snapshot_at") '
                'FROM "stock_count_item" i JOIN "stock_count" c ON c."id" = i."count_id" '
                'WHERE i."count_id" = ? ORDER BY i."product_id"',
                (count_id,),
            ).fetchall()
        )
        short = (
            next((pid for pid, qty, later in items if qty >= 2 and later == 0), None) if short_one else None
        )
        extra = next((pid for pid, qty, _later in items if pid != short), None)
        step = 0
        for pid, qty, _later in items:
            counted = int(qty) - (pid == short) + (pid == extra)
            if counted <= 0:
                continue
            step += 1
            count_entry.record_qty(
                count_id, pid, counted, staff_id=counter, now=_moment(at + step * 1_000_000)
            )

    # A transfer to another store of the chain.

    def _transfer(self) -> None:
        """Minutes ago five screen protectors went to store S002; its file never arrived
        (`zhanggui transfer export` writes it again). The product is one that did not move
        since, so no later sale needed those five."""
        at = self.end_us - 2 * 60_000_000
        row = database.obj.execute_sql(
            'SELECT m."product_id" FROM "stock_movement" m JOIN "product" p ON p."id" = m."product_id" '
            'WHERE p."category" = \'accessory\' GROUP BY m."product_id" '
            'HAVING SUM(m."qty") >= 10 AND MAX(m."created_at") < ? '
            'ORDER BY SUM(m."qty") DESC, p."sku" LIMIT 1',
            (_stamp(at),),
        ).fetchone()
        if row is None:
            return
        product = Product.get_by_id(row[0])
        with tempfile.TemporaryDirectory() as folder:
            transfer_send.send(
                to_store="S002",
                lines=[transfer_send.TransferLine(product, qty=5)],
                staff_id=self.manager_id,
                tz=self.tz,
                note="调货给二店",
                now=_moment(at),
                out=Path(folder) / "transfer.json",
            )
