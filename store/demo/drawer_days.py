"""The demo store's cash drawer, day by day (两班倒): the early shift opens with a float, cash
goes to the safe now and then and a paid-out is made some days, the late shift takes the
drawer over at the handover, and the manager closes the day with its Z report. Today is left
open with a shift running, so the console sells at once.

The figures are worked out from the demo's own cash tenders (noted as each sale is made up)
exactly as store.dayclose.figures does (a receipt belongs to the shift open when it was rung;
expected = float + cash tendered - change - cash refunds + paid in - paid out - drops), and
the rows are written in bulk: the
sessions and movements first, the day_close rows last (once a day is closed its triggers
refuse any write to it). Each open, movement, handover and close has its audit row, as
store.dayclose.drawer and close would write it, and a Z row keeps its own audit row's seq
and hash as close_day does."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from store.audit import chain
from store.dayclose.drawer import DENOMINATIONS, counts_text
from store.db.transaction import insert_rows
from store.demo.clock import _EPOCH, _local_midnight_us
from store.demo.state import _State
from store.kernel.ids import new_id
from store.models import CashMovement, CashSession, DayClose

FLOAT_COUNTS = {5000: 2, 2000: 10, 1000: 10, 500: 10, 100: 40, 50: 16, 10: 20}  # ¥500
OPEN_AT = 9 * 60 + 15  # local minutes: the early shift counts its float
DROP_EARLY = 13 * 60 + 30
HANDOVER_AT = 15 * 60 + 30
DROP_LATE = 19 * 60 + 30
CLOSE_AT = 21 * 60 + 35  # after the last sale (21:30), before last night's stock count
KEEP = 50000  # a drop leaves the float's worth in the drawer
# A few shifts are over or short, with the reason the cashier gave: (every nth day, fen, reason).
OFF = (
    (23, -1000, "找零多找了10元"),
    (37, 2000, "顾客多付20元，未能联系退还"),
    (53, -5000, "一张50元假币被银行退回"),
)
PAID_OUT = ((7, 3500, "买饮用水"), (13, 1200, "快递费"), (23, 6000, "打印纸和胶带"))


def _counts_for(amount: int) -> dict[int, int]:
    """The notes and coins of ``amount`` fen, largest first (what is below ¥0.1 is not counted)."""
    counts: dict[int, int] = {}
    for d in DENOMINATIONS:
        pieces, amount = divmod(amount, d)
        if pieces:
            counts[d] = pieces
    return counts


def _total(counts: Mapping[int, int]) -> int:
    return sum(d * n for d, n in counts.items())


def _moment(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


class _DrawerDays(_State):
    """Shifts, cash movements and Z reports of the demo's days (after all else is written)."""

    audit_entries: list[chain.Entry]  # in the order they happened

    def _drawer_days(self) -> None:
        sessions: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        closes: list[tuple[dict[str, Any], int]] = []  # a Z row, the index of its audit row
        self.audit_entries = []
        for d, day in enumerate(self.days):
            last = d == len(self.days) - 1
            close = self._drawer_day(d, day, self.cash_flows[d], sessions, moves, last=last)
            if close is not None:
                closes.append(close)
        audited = chain.record_many(self.audit_entries)
        insert_rows(CashSession, sessions)
        insert_rows(CashMovement, moves)
        for row, entry in closes:  # as close_day: the chain's head at close is the close's own row
            row["audit_seq"], row["audit_head"] = audited[entry].seq, audited[entry].hash
        insert_rows(DayClose, [row for row, _entry in closes])  # the Z rows last: they lock their days

    def _drawer_day(
        self,
        d: int,
        day: date,
        events: list[tuple[int, int]],
        sessions: list[dict[str, Any]],
        moves: list[dict[str, Any]],
        *,
        last: bool,
    ) -> tuple[dict[str, Any], int] | None:
        midnight = _local_midnight_us(day, self.tz)

        def at(minutes: int) -> int:
            return midnight + minutes * 60_000_000

        opened = max(midnight, min(at(OPEN_AT), self.end_us - 60_000_000))
        by_code = self.staff_by_code
        early, late = (by_code["C1"], by_code["P1"]) if d % 2 == 0 else (by_code["P1"], by_code["C1"])
        times = [moment for moment, _flow in events]
        flows = [0, *(flow for _created, flow in events)]
        for k in range(1, len(flows)):
            flows[k] += flows[k - 1]

        def flow_until(us: int) -> int:  # cash in from receipts rung before ``us``
            return flows[bisect.bisect_left(times, us)]

        float_total = _total(FLOAT_COUNTS)
        first = self._session(day, 1, early, opened, FLOAT_COUNTS)
        sessions.append(first)
        self._audit(
            "drawer.open",
            early,
            "",
            "cash_session",
            first["id"],
            {"day": day.isoformat(), "shift": 1, "float": float_total, "counts": first["float_counts"]},
            opened,
        )
        out = 0  # paid out and dropped in the shift so far
        paid = next(((fen, why) for n, fen, why in PAID_OUT if d % n == n - 3), None)
        if paid is not None:
            amount, reason = paid
            stamp = at(11 * 60)
            if stamp < self.end_us and amount <= float_total + flow_until(stamp):
                out += self._cash_move(first, "paid_out", amount, reason, early, stamp, moves)
        stamp = at(DROP_EARLY)
        if stamp < self.end_us:
            drop = (float_total + flow_until(stamp) - out - KEEP) // 100_00 * 100_00
            if drop > 0:
                out += self._cash_move(first, "drop", drop, "", early, stamp, moves)
        handed = at(HANDOVER_AT)
        if handed >= self.end_us:
            return None
        expected = float_total + flow_until(handed) - out
        off = next(((fen, why) for n, fen, why in OFF if d % n == n - 1), (0, ""))
        counts = _counts_for(max(0, expected + off[0]))
        counted = _total(counts)
        second = self._session(day, 2, late, handed, counts)
        first.update(
            closed_at=_moment(handed),
            closed_by=early,
            end_kind="handover",
            expected=expected,
            counted=counted,
            counts=counts_text(counts),
            over_short=counted - expected,
            reason=off[1],
        )
        sessions.append(second)
        self._audit(
            "drawer.handover",
            early,
            late,
            "cash_session",
            first["id"],
            {
                "shift": 1,
                "expected": expected,
                "counted": counted,
                "over_short": counted - expected,
                "reason": off[1],
                "next": second["id"],
            },
            handed,
        )
        out2 = 0
        stamp = at(DROP_LATE)
        if stamp < self.end_us:
            drop = (counted + flow_until(stamp) - flow_until(handed) - KEEP) // 100_00 * 100_00
            if drop > 0:
                out2 += self._cash_move(second, "drop", drop, "", late, stamp, moves)
        closed = at(CLOSE_AT)
        if last or closed >= self.end_us:
            return None
        day_flows = flows[-1]
        shift_expected = counted + day_flows - flow_until(handed) - out2
        day_expected = float_total + day_flows - out - out2
        final = _counts_for(max(0, shift_expected))
        final_counted = _total(final)
        over_short = final_counted - day_expected
        reason = off[1] if off[0] else ""
        second.update(
            closed_at=_moment(closed),
            closed_by=self.manager_id,
            end_kind="close",
            expected=shift_expected,
            counted=final_counted,
            counts=counts_text(final),
            over_short=final_counted - shift_expected,
            reason=reason,
        )
        close_id = new_id()
        z_no = len([e for e in self.audit_entries if e.action == "day.close"]) + 1
        entry = self._audit(
            "day.close",
            self.manager_id,
            self.manager_id,
            "day_close",
            close_id,
            {
                "terminal": self.terminal_id,
                "day": day.isoformat(),
                "z_no": z_no,
                "expected": day_expected,
                "counted": final_counted,
                "over_short": over_short,
                "reason": reason,
                "authority": "own role",
            },
            closed,
        )
        row = {
            "id": close_id,
            "z_no": z_no,
            "terminal_id": self.terminal_id,
            "business_date": day,
            "closed_at": _moment(closed),
            "closed_by": self.manager_id,
            "approved_by": self.manager_id,
            "expected": day_expected,
            "counted": final_counted,
            "over_short": over_short,
            "reason": reason,
        }
        return row, entry

    def _session(self, day: date, seq: int, staff: str, us: int, counts: Mapping[int, int]) -> dict[str, Any]:
        return {
            "id": new_id(),
            "terminal_id": self.terminal_id,
            "business_date": day,
            "seq": seq,
            "opened_at": _moment(us),
            "opened_by": staff,
            "float": _total(counts),
            "float_counts": counts_text(counts),
            "closed_at": None,
            "closed_by": None,
            "end_kind": "",
            "expected": None,
            "counted": None,
            "counts": "",
            "over_short": None,
            "reason": "",
        }

    def _cash_move(
        self,
        session: dict[str, Any],
        kind: str,
        amount: int,
        reason: str,
        staff: str,
        us: int,
        moves: list[dict[str, Any]],
    ) -> int:
        move = {
            "id": new_id(),
            "session": session["id"],
            "kind": kind,
            "amount": amount,
            "reason": reason,
            "staff": staff,
            "approved_by": "",
            "created_at": _moment(us),
        }
        moves.append(move)
        self._audit(
            f"drawer.{kind}",
            staff,
            "",
            "cash_movement",
            move["id"],
            {"amount": amount, "reason": reason, "shift": session["seq"]},
            us,
        )
        return amount

    def _audit(
        self,
        action: str,
        staff: str,
        approved_by: str,
        entity: str,
        entity_id: str,
        after: dict[str, Any],
        us: int,
    ) -> int:
        """Queue the audit row (written in order with the others by record_many); its index."""
        self.audit_entries.append(
            chain.Entry(
                action,
                _moment(us),
                staff_id=staff,
                approved_by=approved_by,
                entity=entity,
                entity_id=entity_id,
                after=after,
            )
        )
        return len(self.audit_entries) - 1
