"""The kinds of leave, apart from the requests: the roster shows them too (and the leave
requests module builds on the roster, so the names live here)."""

from __future__ import annotations

from store.kernel.i18n import N_, _

# The kinds of leave a shop keeps apart (pay and the yearly allowance differ), in the order
# a person is offered them.
LEAVE_KINDS: dict[str, str] = {
    "personal": N_("Personal leave (事假)"),
    "sick": N_("Sick leave (病假)"),
    "annual": N_("Annual leave (年假)"),
    "in_lieu": N_("Time off in lieu (调休)"),
}


# The same kinds in a list's narrow column (事假 / personal).
LEAVE_KINDS_SHORT: dict[str, str] = {
    "personal": N_("personal"),
    "sick": N_("sick"),
    "annual": N_("annual"),
    "in_lieu": N_("in lieu"),
    "day_off": N_("day off"),
}

# A rest day a manager marks on the roster (F5): nobody asked for it and no allowance is used,
# so it is not one of the kinds a person is offered, and the grid does not call it 事假.
DAY_OFF = "day_off"
OTHER_KINDS: dict[str, str] = {DAY_OFF: N_("Rest day (休息)")}


def leave_kind_label(kind: str) -> str:
    return _(LEAVE_KINDS.get(kind) or OTHER_KINDS.get(kind, kind))


def leave_kind_short(kind: str) -> str:
    return _(LEAVE_KINDS_SHORT.get(kind, kind))
