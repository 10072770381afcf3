"""What a customer record may hold, checked and cleaned: name, tags, notes, birthday, gender,
consent and owner, and a phone number typed together with a name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.kernel.text import drop_invisible
from store.models import Customer, Staff
from store.stock.catalog import clean_text

MAX_NAME = 40


MAX_NOTES = 500


MAX_TAGS = 10


MAX_TAG = 20


GENDERS = {"": N_("not given"), "female": N_("female"), "male": N_("male")}


CONSENT_WAYS = {
    "paper": N_("signed form"),
    "verbal": N_("said so at the counter"),
    "wechat": N_("WeChat"),
    "sms": N_("SMS reply"),
}


_BIRTHDAY = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None = None

    def text(self) -> str:
        md = f"{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{md}" if self.year else md


def birthday_of(customer: Customer) -> Birthday | None:
    if customer.birth_month is None or customer.birth_day is None:
        return None
    return Birthday(int(customer.birth_month), int(customer.birth_day), customer.birth_year)


def parse_birthday(text: str, today: date) -> Birthday | None:
    """'1990-05-01', '19900501', '05-01', '5月1日', '1990年5月1日'; '' is no birthday."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        return None
    match = _COMPACT.match(folded) or _BIRTHDAY.match(folded)
    if match is None:
        raise ValidationError(
            _("Not a birthday: {text} (write 1990-05-01, or 05-01 without the year)").format(text=folded[:40])
        )
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    try:
        date(2000, month, day)  # a leap year: 02-29 without a year is a real birthday
    except ValueError as exc:
        raise ValidationError(_("Not a birthday: {text}").format(text=folded[:40])) from exc
    if year is None:
        return Birthday(month, day)
    try:
        born = date(year, month, day)
    except ValueError as exc:
        if (month, day) == (2, 29):
            raise ValidationError(
                _("{year} was not a leap year: it had no February 29.").format(year=year)
            ) from exc
        raise ValidationError(_("Not a birthday: {text}").format(text=folded[:40])) from exc
    if born > today:
        raise ValidationError(_("A birthday cannot be in the future: {text}").format(text=born.isoformat()))
    if year < today.year - 120:
        raise ValidationError(_("A birthday more than 120 years ago: {text}").format(text=born.isoformat()))
    return Birthday(month, day, year)


def clean_name(name: str) -> str:
    return clean_text(name, _("Name"), required=False, limit=MAX_NAME)


def clean_tags(text: str) -> str:
    """'VIP, 学生；华为' -> 'VIP,学生,华为' (commas, Chinese commas, semicolons or spaces)."""
    folded = unicodedata.normalize("NFKC", text)
    parts = re.split(r"[,;、\s]+", folded)
    tags: list[str] = []
    for part in parts:
        tag = clean_text(part, _("Tag"), required=False, limit=MAX_TAG).replace(",", "")
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("At most {n} tags.").format(n=MAX_TAGS))
    return ",".join(tags)


def clean_notes(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").strip()
    folded = drop_invisible(folded, keep="\n")
    if len(folded) > MAX_NOTES:
        raise ValidationError(
            _("{field} is too long (at most {n} characters).").format(field=_("Notes"), n=MAX_NOTES)
        )
    return folded


def check_gender(gender: str) -> str:
    if gender not in GENDERS:
        raise ValidationError(_("Gender is female, male or not given."))
    return gender


def check_consent(how: str) -> str:
    if how and how not in CONSENT_WAYS:
        raise ValidationError(_("Consent is given by one of: {ways}.").format(ways=", ".join(CONSENT_WAYS)))
    return how


def check_owner(owner_id: str | None) -> str | None:
    if owner_id is None:
        return None
    member = Staff.get_or_none(Staff.id == owner_id)
    if member is None or not member.active:
        raise ValidationError(_("The owner must be an active staff member."))
    return owner_id


_PHONE_THEN_NAME = re.compile(r"^\s*([+\d][\d\s\-()]*)(.*)$")


def split_phone_and_name(text: str) -> tuple[str, str]:
    """'+86 138 0013 8000 张三' -> ('+86 138 0013 8000', '张三')."""
    match = _PHONE_THEN_NAME.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return text.strip(), ""
    return match.group(1).strip(), match.group(2).strip()
