"""IMEI input: scanners and people type spaces, dashes and full-width digits."""

from __future__ import annotations

import unicodedata

from store.kernel.errors import ValidationError
from store.kernel.i18n import _

# The first two digits of the TAC name the body that allocated it; 00 is kept for test IMEIs
# (test SIM and lab equipment), which no handset in a shop carries.
TEST_REPORTING_BODY = "00"


def normalise(text: str) -> str:
    """Full-width to ASCII, then drop spaces, dashes, slashes and invisible format characters
    (a byte-order mark where two scanner files were joined, a zero-width space pasted in)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch not in " -/\t_" and unicodedata.category(ch) != "Cf")


def looks_like_imei(text: str) -> bool:
    cleaned = normalise(text)
    return cleaned.isascii() and cleaned.isdigit() and 14 <= len(cleaned) <= 16


def validate(text: str) -> str:
    """A clean 15-digit, Luhn-checked IMEI or a ValidationError saying what is wrong."""
    cleaned = normalise(text)
    # isdigit() alone accepts other scripts' digits and superscripts; an IMEI is ASCII 0-9.
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValidationError(_("An IMEI has digits only: {text}").format(text=text[:40]))
    if len(cleaned) != 15:
        raise ValidationError(
            _("An IMEI has 15 digits; this has {n}: {text}").format(n=len(cleaned), text=cleaned)
        )
    # A placeholder (all one digit, 000000000000000 even passes the Luhn check) or a test
    # number (reporting body 00) is on no handset sold in a shop: refuse it before it is stock.
    if len(set(cleaned)) == 1 or cleaned.startswith(TEST_REPORTING_BODY):
        raise ValidationError(
            _("{text} is a test or placeholder number, not a handset's IMEI.").format(text=cleaned)
        )
    from stdnum import luhn  # stdnum.util loads pydoc and ssl (~5 ms): not at start-up

    if not luhn.is_valid(cleaned):
        raise ValidationError(_("IMEI {text} has a wrong check digit; scan it again.").format(text=cleaned))
    return cleaned


def with_check_digit(first14: str) -> str:
    """Complete a 14-digit TAC+serial with its Luhn digit (used by the demo generator)."""
    from stdnum import luhn

    return first14 + luhn.calc_check_digit(first14)
