"""Checking the audit chain: walking every row against its hash, the head, the key files and the
anchors, and saying what was found without ever raising for a damaged log."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import tzinfo

from peewee import DatabaseError

from store.audit import keys as audit_files
from store.audit.attention import event_sentence, event_time, loads_object
from store.audit.hashing import (
    ALERTING,
    GENESIS,
    HEAD_KEY,
    KEYS_KEY,
    PLAIN,
    RESTARTED,
    Segment,
    digest,
    parse_head,
    parse_segments,
    read_meta,
    row_fields,
    table_exists,
)
from store.audit.keys import Anchor, AuditKey, KeyUnavailable
from store.kernel.i18n import _, ngettext
from store.models import AuditLog


@dataclass
class AuditProblem:
    seq: int
    problem: str
    until: int = 0  # the last row of a run of rows with the same finding (0: only ``seq``)


@dataclass
class AuditReport:
    rows: int = 0
    # Evidence that the log is not as it was written.
    problems: list[AuditProblem] = field(default_factory=list)
    # Rows this computer cannot check (their key is elsewhere); not evidence of tampering.
    unchecked: list[AuditProblem] = field(default_factory=list)
    # What the chain recorded about itself (repairs, rows from before keyed hashing).
    notes: list[AuditProblem] = field(default_factory=list)
    anchors_checked: int = 0
    head: Anchor | None = None
    tz: tzinfo | None = None  # the zone the sentences give times in (None: UTC)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def complete(self) -> bool:
        return not self.unchecked


class _Runs:
    """Findings per row, merged into runs of consecutive rows with the same sentence."""

    def __init__(self) -> None:
        self.items: list[AuditProblem] = []
        self._last_position: dict[str, int] = {}

    def add(self, position: int, seq: int, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.problem == text and self._last_position.get(text) == position - 1:
            last.until = seq
        else:
            self.items.append(AuditProblem(seq, text))
        self._last_position[text] = position


def _rows() -> Iterable[AuditLog]:
    return AuditLog.select().order_by(AuditLog.seq).iterator()


def check(*given: Anchor, saved_anchors: bool = True, tz: tzinfo | None = None) -> AuditReport:
    """Walk the chain and compare it with its head, its key files and its anchors (those given,
    e.g. from Z reports, and those kept on this computer). Never raises for a damaged log or
    database: it says what it found. Times in the sentences are in ``tz`` when given."""
    report = AuditReport(tz=tz)
    try:
        _check(report, list(given), saved_anchors=saved_anchors)
    except DatabaseError as exc:
        report.problems.append(AuditProblem(0, _("The audit log cannot be read: {error}").format(error=exc)))
    return report


def _check(report: AuditReport, given: list[Anchor], *, saved_anchors: bool) -> None:
    meta = read_meta(HEAD_KEY, KEYS_KEY, "store_code")
    store_code = meta.get("store_code", "")
    kept = audit_files.read_anchors(store_code) if saved_anchors else audit_files.KeptAnchors([], [])
    if kept.damaged:
        report.notes.append(
            AuditProblem(
                0,
                ngettext(
                    "{count} line of the anchors file {path} could not be read.",
                    "{count} lines of the anchors file {path} could not be read.",
                    kept.damaged,
                ).format(count=kept.damaged, path=audit_files.anchors_path(store_code)),
            )
        )
    if not table_exists():
        report.problems.append(
            AuditProblem(
                0, _("The audit log table is missing from the database: every audit row was removed.")
            )
        )
        _check_anchors(report, given, kept.anchors, {})
        return
    _walk(report, meta, given, kept)


def _load_keys(report: AuditReport, segments: tuple[Segment, ...]) -> dict[str, AuditKey | str]:
    """Each segment's key, or why this computer cannot use it; a key file that disagrees with
    the database about the row it starts at is a problem."""
    keys: dict[str, AuditKey | str] = {}
    for first, key_id in segments:
        if key_id == PLAIN:
            continue
        try:
            key = audit_files.load_key(key_id)
        except KeyUnavailable as exc:
            keys[key_id] = str(exc)
            continue
        keys[key_id] = key
        if key.from_seq != first:
            report.problems.append(
                AuditProblem(
                    first,
                    _(
                        "the record of where audit key {key} starts was changed (its key file says row {seq})"
                    ).format(key=key_id, seq=key.from_seq),
                )
            )
    return keys


def _retired_keys(row: AuditLog) -> set[str]:
    """The keys a restart or a damaged key record left behind (named in the row itself)."""
    segments = parse_segments(str(loads_object(row.before).get("keys") or "") or None)
    return {key for _first, key in segments or ()}


def _walk(
    report: AuditReport,
    meta: dict[str, str],
    given: list[Anchor],
    kept: audit_files.KeptAnchors,
) -> None:
    store_code = meta.get("store_code", "")
    keys_text = meta.get(KEYS_KEY)
    segments = parse_segments(keys_text)
    if keys_text is not None and segments is None:
        report.problems.append(
            AuditProblem(
                0, _("The record of the audit keys is damaged: the rows it covered cannot be checked.")
            )
        )
    if segments is None and keys_text is None:
        segments = ((0, PLAIN),)  # a store from before keyed hashing, not written since
    segments = segments or ()
    firsts = [first for first, _key in segments]
    keys = _load_keys(report, segments)
    wanted = {a.count for a in (*given, *kept.anchors)}

    problems, unchecked, plain = _Runs(), _Runs(), _Runs()
    hash_at: dict[int, str] = {}
    retired: set[str] = set()
    prev_hash = GENESIS
    count = 0
    for row in _rows():
        count += 1
        index = bisect.bisect_right(firsts, row.seq) - 1
        if row.prev_hash != prev_hash:
            problems.add(count, row.seq, _("chain broken: a row before it was removed"))
        if index < 0:
            problems.add(count, row.seq, _("no record of the audit keys covers it"))
        else:
            key_id = segments[index][1]
            key = keys.get(key_id)
            if key_id == PLAIN:
                plain.add(count, row.seq, "plain")
                if digest(row.prev_hash, row_fields(row)) != row.hash:
                    problems.add(count, row.seq, _("row was changed after it was written"))
            elif isinstance(key, AuditKey):
                if digest(row.prev_hash, row_fields(row), key.secret) != row.hash:
                    problems.add(count, row.seq, _("row was changed after it was written"))
            else:
                unchecked.add(
                    count,
                    row.seq,
                    _(
                        "not checked: {why}. Copy that key file here from the computer that wrote these rows."
                    ).format(why=key),
                )
        if row.action == RESTARTED:
            problems.add(count, row.seq, event_sentence(row, report.tz))
        elif row.action in ALERTING:
            report.notes.append(AuditProblem(row.seq, event_sentence(row, report.tz)))
        if row.action in ALERTING:
            retired |= _retired_keys(row)
        if count in wanted:
            hash_at[count] = row.hash
        prev_hash = row.hash
    report.rows = count
    report.problems.extend(problems.items)
    report.unchecked.extend(unchecked.items)
    for run in plain.items:
        report.notes.insert(
            0,
            AuditProblem(
                run.seq,
                _(
                    "written before this store's hashes were keyed (plain SHA-256): someone with the "
                    "database file could rewrite them; only an anchor taken since shows they were not"
                ),
                run.until,
            ),
        )
    _check_head(report, meta.get(HEAD_KEY), count, prev_hash)
    if count == 0 and store_code:
        report.problems.append(
            AuditProblem(0, _("The audit log is empty although the store was set up: its rows were removed."))
        )
    # Rows that no key of this computer vouches for (plain, or under a key that is not here)
    # while this computer made a key for this store that the database does not name: the key
    # record was likely removed or replaced to pass rewritten rows off. When every row checks
    # out under a key of this computer, another database of the same store code is no concern.
    named = {key for _first, key in segments} | retired
    doubtful = bool(plain.items or unchecked.items)
    for record_ in kept.keys if doubtful else []:
        if record_.key_id not in named:
            report.problems.append(
                AuditProblem(
                    record_.from_seq,
                    _(
                        "This computer made audit key {key} for store {store} from row {seq}, but the "
                        "database does not name it: its key record was removed or replaced (or it is "
                        "another database with the same store code)."
                    ).format(key=record_.key_id, store=store_code, seq=record_.from_seq),
                )
            )
    _check_anchors(report, given, _held_against(report, kept, hash_at), hash_at)
    report.head = Anchor(count, prev_hash, None, store_code, segments[-1][1] if segments else "")


def _held_against(
    report: AuditReport, kept: audit_files.KeptAnchors, hash_at: dict[int, str]
) -> list[Anchor]:
    """The kept anchors the log must still reach: those from the latest restore marker this log
    reaches on (its anchor is the head right after the row recording that restore); the ones
    before it are the replaced database's. With no such marker (no restore, or the database was
    put back by a file copy, not by a restore) every kept anchor counts. Each restore is said."""
    for marker in kept.restores:
        report.notes.append(AuditProblem(0, _restore_sentence(marker, report.tz)))
    for marker in reversed(kept.restores):
        anchor = marker.anchor
        if anchor.count and anchor.count <= report.rows and anchor.matches(hash_at.get(anchor.count, "")):
            return kept.anchors[marker.position :]
    return kept.anchors


def _restore_sentence(marker: audit_files.RestoreMarker, tz: tzinfo | None) -> str:
    when = event_time(marker.anchor.at, tz) if marker.anchor.at else "?"
    if not marker.by:
        return _(
            "On {when} the backup {file} was put back on a computer with no store database; the log "
            "starts from its {now} rows."
        ).format(when=when, file=marker.file, now=marker.backup_count)
    if marker.from_count is None:
        return _(
            "On {when} {who} put back the backup {file} over a database that could not be read; the "
            "log went back to {now} rows."
        ).format(when=when, who=marker.by, file=marker.file, now=marker.backup_count)
    return _(
        "On {when} {who} put back the backup {file}: the log went from {then} rows back to {now}; the "
        "anchors kept before then are the replaced database's."
    ).format(when=when, who=marker.by, file=marker.file, then=marker.from_count, now=marker.backup_count)


def _check_head(report: AuditReport, head_text: str | None, count: int, last_hash: str) -> None:
    if head_text is None:
        if count:
            report.problems.append(AuditProblem(0, _("audit head is missing")))
        return
    parsed = parse_head(head_text)
    if parsed is None:
        report.problems.append(
            AuditProblem(
                count,
                _(
                    "the audit head is damaged ('{value}'); the next write restarts it from the last row"
                ).format(value=head_text[:40]),
            )
        )
    elif parsed[0] != count or parsed[1] != last_hash:
        report.problems.append(AuditProblem(count, _("rows at the end were removed")))


def _anchor_finding(
    anchor: Anchor, rows: int, hash_at: dict[int, str], *, kept: bool, tz: tzinfo | None
) -> str | None:
    """What is wrong against ``anchor`` (None: the log still reaches it). Anchors kept on this
    computer are named by their time, one given by hand by its token."""
    when = event_time(anchor.at, tz) if kept and anchor.at else ""
    if anchor.count > rows:
        if when:
            return _(
                "On {when} the log had {then} rows; now it has {now}: rows were removed, or an older copy "
                "of the database was put back."
            ).format(when=when, then=anchor.count, now=rows)
        return _(
            "The anchor {token} says the log had {then} rows; now it has {now}: rows were removed, or an "
            "older copy of the database was put back."
        ).format(token=anchor.token, then=anchor.count, now=rows)
    if anchor.count and not anchor.matches(hash_at.get(anchor.count, "")):
        if when:
            return _(
                "Row {count} is not the one anchored on {when}: the log up to it was rewritten (or those "
                "anchors belong to another database of the same store code)."
            ).format(count=anchor.count, when=when)
        return _("Row {count} is not the one in the anchor {token}: the log up to it was rewritten.").format(
            count=anchor.count, token=anchor.token
        )
    return None


def _check_anchors(
    report: AuditReport, anchors: list[Anchor], saved: list[Anchor], hash_at: dict[int, str]
) -> None:
    for given in anchors:
        report.anchors_checked += 1
        finding = _anchor_finding(given, report.rows, hash_at, kept=False, tz=report.tz)
        if finding:
            report.problems.append(AuditProblem(given.count, finding))
    failing: list[tuple[Anchor, str]] = []
    for kept in saved:
        report.anchors_checked += 1
        finding = _anchor_finding(kept, report.rows, hash_at, kept=True, tz=report.tz)
        if finding:
            failing.append((kept, finding))
    if failing:
        latest, finding = failing[-1]
        if len(failing) > 1:
            finding += " " + _("{failing} of the {kept} anchors kept on this computer do not match.").format(
                failing=len(failing), kept=len(saved)
            )
        report.problems.append(AuditProblem(latest.count, finding))


def verify(anchor: Anchor | None = None) -> list[AuditProblem]:
    """Walk the chain; an empty list means every row is as it was written (see ``check``)."""
    return check(*([anchor] if anchor is not None else [])).problems
