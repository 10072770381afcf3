"""Mainland mobile numbers, validated and normalised with phonenumbers."""

from __future__ import annotations

import unicodedata

from store.kernel.errors import ValidationError
from store.kernel.i18n import _


def normalise_mobile(text: str) -> str:
    """'+86 138-0013-8000' -> '13800138000'; anything that is not a CN mobile is refused."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded or any(ch.isalpha() for ch in folded):
        raise ValidationError(_("Not a mobile number: {text}").format(text=text[:40]))
    # Its metadata costs ~20 ms and ~1.5 MiB to load: not at start-up, only when a number is read.
    import phonenumbers

    try:
        number = phonenumbers.parse(folded, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Not a mobile number: {text}").format(text=text[:40])) from exc
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(_("Not a valid mainland mobile number: {text}").format(text=text[:40]))
    return str(number.national_number)


def mask(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else phone
