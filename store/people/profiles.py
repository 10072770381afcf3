"""Staff profiles for promoters: ladder level, brand, home store, status, training records,
and who has earned the next rung of the promotion ladder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import fn

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.models import Sale, SaleLine, Staff, TrainingRecord
from store.people.config import LadderLevel, LadderSection

STATUSES = ("active", "on_leave", "left")
STATUS_NAMES = {"active": N_("active"), "on_leave": N_("on leave"), "left": N_("left")}
RESULTS = ("passed", "failed", "attended")
RESULT_NAMES = {"passed": N_("passed"), "failed": N_("failed"), "attended": N_("attended")}


def status_name(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def result_name(result: str) -> str:
    return _(RESULT_NAMES[result]) if result in RESULT_NAMES else result


def get_staff(staff_id: str) -> Staff:
    member = Staff.get_or_none(Staff.id == staff_id)
    if member is None:
        raise NotFound(_("No such staff member."))
    return member


def by_code(code: str) -> Staff:
    member = Staff.get_or_none(Staff.code == code.strip())
    if member is None:
        raise NotFound(_("No staff member with code {code}.").format(code=code.strip()))
    return member


def _profile(member: Staff) -> dict[str, str]:
    return {
        "level": member.level,
        "brand": member.brand,
        "home_store": member.home_store,
        "status": member.status,
    }


def update_profile(
    staff_id: str,
    ladder: LadderSection,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    level: str | None = None,
    brand: str | None = None,
    home_store: str | None = None,
    now: datetime | None = None,
) -> Staff:
    """Change the level, brand or home store (None leaves a field as it is); audited. A
    manager's work: a manager ``actor``, or another person's ``approval``."""
    by, approver = manager_authority(actor, approval)
    if level is not None and level != "" and ladder.level(level) is None:
        raise ValidationError(_("Unknown ladder level: {level}").format(level=level))
    if brand is not None and len(brand.strip()) > 40:
        raise ValidationError(_("A brand is at most 40 characters."))
    store_code = (home_store or "").strip()
    if store_code and (len(store_code) > 12 or not store_code.isalnum()):
        raise ValidationError(_("A store code is letters and digits only."))

    def _tx() -> Staff:
        member = get_staff(staff_id)
        before = _profile(member)
        if level is not None:
            member.level = level
        if brand is not None:
            member.brand = brand.strip()
        if home_store is not None:
            member.home_store = home_store.strip()
        member.save()
        chain.record(
            "staff.profile",
            staff_id=by,
            approved_by=approver,
            entity="staff",
            entity_id=member.id,
            before=before,
            after=_profile(member),
            at=now,
        )
        return member

    return write(_tx)


def set_status(
    staff_id: str,
    status: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Staff:
    """active, on_leave or left. Someone who left can no longer log in or be rostered. A
    manager's work: a manager ``actor``, or another person's ``approval``."""
    by, approver = manager_authority(actor, approval)
    if status not in STATUSES:
        raise ValidationError(_("Unknown staff status: {status}").format(status=status))

    def _tx() -> Staff:
        member = get_staff(staff_id)
        if member.id in (by, approver) and status == "left":
            raise ValidationError(_("A manager cannot mark themselves as left."))
        before = _profile(member)
        member.status = status
        member.active = status != "left"
        member.save()
        chain.record(
            "staff.status",
            staff_id=by,
            approved_by=approver,
            entity="staff",
            entity_id=member.id,
            before=before,
            after=_profile(member),
            at=now,
        )
        return member

    return write(_tx)


def add_training(
    staff_id: str,
    course: str,
    taken_on: date,
    result: str,
    *,
    today: date,
    actor: Actor | None = None,
    approval: Approval | None = None,
    note: str = "",
    now: datetime | None = None,
) -> TrainingRecord:
    """Keep a training course someone took (a manager's record: the ladder reads it)."""
    by, approver = manager_authority(actor, approval)
    course = course.strip()
    if not course or len(course) > 40:
        raise ValidationError(_("A course name is 1 to 40 characters."))
    if result not in RESULTS:
        raise ValidationError(_("A training result is passed, failed or attended."))
    if taken_on > today:
        raise ValidationError(_("A training record cannot be dated in the future."))

    def _tx() -> TrainingRecord:
        member = get_staff(staff_id)
        record = TrainingRecord.create(
            staff=member.id,
            course=course,
            taken_on=taken_on,
            result=result,
            note=note.strip()[:80],
            created_by=by,
            created_at=moment(now),
        )
        chain.record(
            "staff.training",
            staff_id=by,
            approved_by=approver,
            entity="staff",
            entity_id=member.id,
            after={"course": course, "taken_on": taken_on.isoformat(), "result": result},
            at=now,
        )
        return record

    return write(_tx)


def training_of(staff_id: str) -> list[TrainingRecord]:
    return list(
        TrainingRecord.select()
        .where(TrainingRecord.staff == staff_id)
        .order_by(TrainingRecord.taken_on, TrainingRecord.created_at)
    )


def tenure_months(hired: date, today: date) -> int:
    """Whole months from the hire date to ``today`` (31 Jan to 28 Feb is 0, to 1 Mar is 1)."""
    months = (today.year - hired.year) * 12 + today.month - hired.month
    if today.day < hired.day:
        months -= 1
    return max(months, 0)


def net_sales(staff_ids: list[str], first: date, last: date) -> dict[str, int]:
    """Fen credited to each promoter on business dates first..last (returns subtract;
    voided receipts do not count)."""
    query = (
        SaleLine.select(SaleLine.promoter, fn.SUM(SaleLine.total))
        .join(Sale)
        .where(
            Sale.business_date.between(first, last),
            Sale.status == "completed",
            SaleLine.promoter.in_(staff_ids),
        )
        .group_by(SaleLine.promoter)
    )
    rows: list[tuple[str, int | None]] = list(query.tuples())  # type: ignore[arg-type]
    found = {str(promoter): int(total or 0) for promoter, total in rows}
    return {sid: found.get(sid, 0) for sid in staff_ids}


@dataclass(frozen=True)
class PromotionCheck:
    staff: Staff
    current: LadderLevel | None
    next: LadderLevel | None
    sales: int  # fen in the window
    months: int
    missing: tuple[str, ...]  # translated reasons; empty when eligible

    @property
    def eligible(self) -> bool:
        return self.next is not None and not self.missing


def _hired(member: Staff) -> date:
    created = member.created_at
    return created.date() if isinstance(created, datetime) else date.fromisoformat(str(created)[:10])


def check_promotions(
    ladder: LadderSection, today: date, staff: list[Staff] | None = None
) -> list[PromotionCheck]:
    """For each promoter still with the store, what the next rung needs and what is missing."""
    members = (
        staff
        if staff is not None
        else list(Staff.select().where(Staff.role == "promoter", Staff.status != "left").order_by(Staff.code))
    )
    ids = [m.id for m in members]
    first = today - timedelta(days=ladder.sales_window_days - 1)
    sales = net_sales(ids, first, today)
    passed: dict[str, set[str]] = {sid: set() for sid in ids}
    courses = TrainingRecord.select(TrainingRecord.staff, TrainingRecord.course).where(
        TrainingRecord.staff.in_(ids), TrainingRecord.result == "passed"
    )
    done: list[tuple[str, str]] = list(courses.tuples())  # type: ignore[arg-type]
    for staff_id, course in done:
        passed[str(staff_id)].add(course)
    checks = []
    for member in members:
        current = ladder.level(member.level)
        target = ladder.next_level(member.level)
        months = tenure_months(_hired(member), today)
        missing: list[str] = []
        if target is not None:
            if sales[member.id] < target.min_sales:
                missing.append(
                    _("sales {have} of {need}").format(
                        have=format_fen(sales[member.id]), need=format_fen(target.min_sales)
                    )
                )
            if months < target.min_months:
                missing.append(_("{have} of {need} months").format(have=months, need=target.min_months))
            for course in target.courses:
                if course not in passed[member.id]:
                    missing.append(_("course {course}").format(course=course))
        checks.append(PromotionCheck(member, current, target, sales[member.id], months, tuple(missing)))
    return checks


def eligible_now(ladder: LadderSection, today: date) -> list[PromotionCheck]:
    """Who may move up a rung today."""
    return [check for check in check_promotions(ladder, today) if check.eligible]


def promote(
    staff_id: str,
    ladder: LadderSection,
    today: date,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
) -> Staff:
    """Move a promoter up one rung; refused (with what is missing) unless eligible."""
    manager_authority(actor, approval)
    member = get_staff(staff_id)
    check = check_promotions(ladder, today, [member])[0]
    if check.next is None:
        raise ValidationError(_("{name} is already on the top level.").format(name=member.name))
    if check.missing:
        raise ValidationError(
            _("{name} is not eligible for {level} yet: {missing}").format(
                name=member.name, level=check.next.name, missing="; ".join(check.missing)
            )
        )
    return update_profile(staff_id, ladder, actor=actor, approval=approval, level=check.next.code)
