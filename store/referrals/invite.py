"""Telling old customers about 老带新: an SMS-ready list of the customers who bought here and
gave marketing consent, each with their own referral code in the configured message. There is
no SMS gateway; the shop sends the file with its own bulk-SMS tool or phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import database
from store.referrals import codes
from store.referrals.config import ReferralSection
from store.reports import writers
from store.reports.table import text_table


@dataclass(frozen=True)
class Invite:
    customer_id: str
    name: str
    phone: str
    code: str
    last_purchase: date
    message: str


_INVITES = """
SELECT c.id, c.name, c.phone, c.referral_code, MAX(s.business_date)
FROM customer c JOIN sale s ON s.customer_id = c.id AND s.status = 'completed' AND s.kind = 'sale'
WHERE c.consent_at IS NOT NULL AND c.erased_at IS NULL
GROUP BY c.id
HAVING MAX(s.business_date) >= ?
ORDER BY MAX(s.business_date) DESC, c.phone
"""


def invites(policy: ReferralSection, store_name: str, today: date, within_days: int = 365) -> list[Invite]:
    """Customers who bought in the last ``within_days`` days and agreed to hear from the shop,
    most recent buyers first (they remember the shop best)."""
    if within_days < 1:
        raise ValidationError(_("The number of days must be at least 1."))
    if codes.missing_codes():
        codes.fill_codes()
    since = today - timedelta(days=within_days)
    fallback = _("customer")
    rows = database.obj.execute_sql(_INVITES, (since.isoformat(),)).fetchall()
    return [
        Invite(
            customer_id=str(cid),
            name=str(name),
            phone=str(phone),
            code=str(code),
            last_purchase=date.fromisoformat(str(last)),
            message=policy.invite_message.format(name=name or fallback, store=store_name, code=code),
        )
        for cid, name, phone, code, last in rows
    ]


def to_csv(items: list[Invite]) -> str:
    table = text_table(
        [_("Name"), _("Phone"), _("Referral code"), _("Last purchase"), _("Message")],
        [(i.name, i.phone, i.code, i.last_purchase.isoformat(), i.message) for i in items],
    )
    return writers.to_csv(table)


def to_sms(items: list[Invite]) -> str:
    """One line a message, as care lists are: the number, a tab, the text on one line."""
    return "".join(f"{item.phone}\t{' '.join(item.message.split())}\n" for item in items)


def export(items: list[Invite], folder: Path, today: date) -> tuple[Path, Path]:
    """invite-DATE.csv (UTF-8 with BOM for Excel) and invite-DATE.txt (number, tab, text)."""
    csv_path, sms_path = (
        folder / f"invite-{today.isoformat()}.csv",
        folder / f"invite-{today.isoformat()}.txt",
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        csv_path.write_text(to_csv(items), encoding="utf-8", newline="")
        sms_path.write_text(to_sms(items), encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(_("Cannot write {path}: {error}").format(path=folder, error=exc)) from exc
    return csv_path, sms_path
