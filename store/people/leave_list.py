"""Leave requests as the leave screen lists them: plain rows with the person's name, so the
screen reads neither the leave table nor the staff table (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from store.people import desk
from store.people.directory import staff_names


@dataclass(frozen=True)
class LeaveLine:
    id: str
    staff_id: str
    name: str  # "?" for an id nobody has
    first_day: date
    last_day: date
    status: str  # requested / approved / refused / withdrawn
    reason: str
    kind: str = "personal"  # store.people.leave_requests.LEAVE_KINDS

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def leave_lines(staff_id: str | None, today: date) -> list[LeaveLine]:
    """``desk.leave_requests`` (one person's, or everyone's for None), each with its name."""
    names = staff_names()
    return [
        LeaveLine(
            id=str(r.id),
            staff_id=str(r.staff_id),
            name=names.get(r.staff_id, "?"),
            first_day=r.first_day,
            last_day=r.last_day,
            status=str(r.status),
            reason=str(r.reason),
            kind=str(r.kind),
        )
        for r in desk.leave_requests(staff_id, today)
    ]
