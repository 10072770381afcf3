"""A discount as a shop's staff type it: an amount in yuan (50, ¥50.00), a percentage off
(10%, １０％) or the Chinese 折 (9折 is 10% off, 95折 and 9.5折 are 5% off, 85折 15% off),
turned into fen against the amount it applies to."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.kernel.money import parse_money

_PERCENT = re.compile(r"^([0-9]{1,2}(?:\.[0-9]{1,2})?)\s*%$")
_ZHE = re.compile(r"^([0-9](?:\.[0-9])?|[0-9]{2})\s*折$")


def parse_discount(text: str, base: int) -> int:
    """The discount in fen that ``text`` means on ``base`` fen. A percentage or 折 is rounded
    to the fen, half up, on what the customer pays (9折 of ¥99.99 pays ¥89.99, off ¥10.00)."""
    folded = unicodedata.normalize("NFKC", text).strip()  # full-width digits, ％ -> %
    percent = _PERCENT.match(folded)
    zhe = _ZHE.match(folded)
    if percent is None and zhe is None:
        return parse_money(text)
    if percent is not None:
        off = Decimal(percent.group(1))
    else:
        assert zhe is not None
        digits = zhe.group(1)
        # 9折 and 9.5折 count tenths of the price (90%, 95%); two digits count hundredths: 95折
        # pays 95%, 85折 85%.
        # 10折 is the full price (nothing off), not 10% of it.
        pays = (
            Decimal(100) if digits == "10" else Decimal(digits) if len(digits) == 2 else Decimal(digits) * 10
        )
        off = Decimal(100) - pays
    if not Decimal(0) < off < Decimal(100):
        raise ValidationError(
            _("A discount is more than 0% and less than 100% (or 1折 to 99折): {text}").format(
                text=text.strip()[:20]
            )
        )
    pays_fen = (Decimal(base) * (Decimal(100) - off) / Decimal(100)).quantize(Decimal(1), ROUND_HALF_UP)
    return base - int(pays_fen)
