"""Referral patterns a manager should look at: referrers whose new customers rarely come back,
and referrers who bring in the same family over and over."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from store.kernel.i18n import _
from store.models import database
from store.referrals.config import ReferralSection
from store.referrals.referrers import Person, people_by_id, store_filter
from store.referrals.report import percent_text, rounded_permille
from store.reports import writers
from store.reports.table import text_table

FEW_REPEATS = "few_repeats"


SAME_FAMILY = "same_family"


@dataclass(frozen=True)
class Flag:
    kind: str  # FEW_REPEATS or SAME_FAMILY
    referrer: Person
    referees: list[Person]
    reason: str

    @property
    def title(self) -> str:
        return flag_title(self.kind)


def flag_title(kind: str) -> str:
    titles = {
        FEW_REPEATS: _("no second purchase"),
        SAME_FAMILY: _("same prefix, surname"),
    }
    return titles.get(kind, kind)


_WINDOW_SQL = """
SELECT r.referrer_id, r.referee_id,
  EXISTS (SELECT 1 FROM sale s WHERE s.customer_id = r.referee_id AND s.status = 'completed'
          AND s.kind != 'return' AND s.id != r.sale_id AND s.business_date >= r.business_date) AS again
FROM referral r
WHERE r.status = 'active' AND r.business_date BETWEEN ? AND ? {store}
ORDER BY r.business_date, r.created_at
"""


_SAME_FAMILY_SQL = """
SELECT r.referrer_id, r.referee_id
FROM referral r JOIN customer a ON a.id = r.referrer_id JOIN customer b ON b.id = r.referee_id
WHERE r.status = 'active' AND r.business_date BETWEEN ? AND ? {store}
  AND a.erased_at IS NULL AND b.erased_at IS NULL
  AND length(a.phone) = 11 AND substr(a.phone, 1, 7) = substr(b.phone, 1, 7)
  AND a.name != '' AND substr(a.name, 1, 1) = substr(b.name, 1, 1)
ORDER BY r.business_date, r.created_at
"""


PREFIX_DIGITS = 7


def flags(today: date, policy: ReferralSection, store_code: str | None = None) -> list[Flag]:
    """Links of the last ``policy.flag_window_days`` days worth a manager's look: (a) a
    referrer with at least ``flag_min_referrals`` new customers of whom at most
    ``flag_repeat_percent`` % bought a second time; (b) a referrer and a new customer with the
    same first seven digits of their phone and the same surname (the first character of the
    name), which is how one person registers a relative, or themselves, twice."""
    since = today - timedelta(days=policy.flag_window_days - 1)
    only, extra = store_filter(store_code, "r.store_code")
    span = [since.isoformat(), today.isoformat(), *extra]
    db = database.obj
    brought: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for referrer, referee, again in db.execute_sql(_WINDOW_SQL.format(store=only), span):
        brought[referrer].append((referee, bool(again)))
    few: list[tuple[str, list[str], int, int]] = []
    for referrer, referees in brought.items():
        repeat = sum(1 for _r, again in referees if again)
        if len(referees) >= policy.flag_min_referrals and repeat * 100 <= policy.flag_repeat_percent * len(
            referees
        ):
            few.append((referrer, [r for r, again in referees if not again], len(referees), repeat))
    family: dict[str, list[str]] = defaultdict(list)
    for referrer, referee in db.execute_sql(_SAME_FAMILY_SQL.format(store=only), span):
        family[referrer].append(referee)
    wanted = {f[0] for f in few} | {r for f in few for r in f[1]} | set(family)
    people = people_by_id(wanted | {r for kin in family.values() for r in kin})
    found: list[Flag] = []
    for referrer, quiet, total, repeat in sorted(few, key=lambda f: (-f[2], people[f[0]].name)):
        found.append(
            Flag(
                FEW_REPEATS,
                people[referrer],
                [people[r] for r in quiet],
                _(
                    "{n} new customers in {days} days, {repeat} came back ({pct}, flag at {limit}% or less)"
                ).format(
                    n=total,
                    days=policy.flag_window_days,
                    repeat=repeat,
                    pct=percent_text(rounded_permille(repeat, total)),
                    limit=policy.flag_repeat_percent,
                ),
            )
        )
    for referrer, kin in sorted(family.items(), key=lambda kv: (-len(kv[1]), people[kv[0]].name)):
        who = people[referrer]
        found.append(
            Flag(
                SAME_FAMILY,
                who,
                [people[r] for r in kin],
                _("same first {digits} phone digits and surname ({surname}) as the referrer").format(
                    digits=PREFIX_DIGITS, surname=who.name[:1]
                ),
            )
        )
    return found


def flags_text(found: list[Flag]) -> str:
    if not found:
        return _("Nothing to look at: no referral matches a warning pattern.") + "\n"
    rows = [
        [
            flag.title,
            flag.referrer.label,
            ", ".join(p.label for p in flag.referees),
            flag.reason,
        ]
        for flag in found
    ]
    headers = [_("Pattern"), _("Referrer"), _("New customers"), _("Why")]
    return writers.as_text(text_table(headers, rows), maxcolwidths=[None, None, 40, 40]) + "\n"
