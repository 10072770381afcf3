"""Money is an integer number of fen; these turn it into text and back without floats."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from store.kernel.errors import ValidationError
from store.kernel.i18n import _

MAX_FEN = 10_000_000_00  # ten million yuan: far above any sale a phone shop rings
_MONEY_RE = re.compile(r"^[0-9]{1,9}(\.[0-9]{0,2})?$")
# A comma separates thousands and nothing else: 1,500 and 1,234,567.89, never 1,5 (a decimal
# comma, which used to become ¥15.00) nor 15,00 or 1,5000.
_THOUSANDS_RE = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{0,2})?$")


def parse_money(text: str) -> int:
    """'12', '12.5', '¥1,299.00' -> fen. Refuses negatives, more than 2 decimals, junk."""
    # NFKC folds full-width digits (１２) to ASCII; other scripts' digits stay and are refused.
    folded = unicodedata.normalize("NFKC", text)  # also the full-width comma and ￥
    cleaned = folded.strip().lstrip("¥").strip()
    if "," in cleaned:
        if not _THOUSANDS_RE.match(cleaned):
            raise ValidationError(
                _("Not an amount: {text} (a comma only separates thousands, as in 1,500.00)").format(
                    text=text.strip()[:40]
                )
            )
        cleaned = cleaned.replace(",", "")
    if not cleaned or not _MONEY_RE.match(cleaned):
        raise ValidationError(_("Not an amount: {text}").format(text=text.strip()[:40]))
    try:
        fen = int((Decimal(cleaned) * 100).to_integral_exact())
    except InvalidOperation as exc:
        raise ValidationError(_("Not an amount: {text}").format(text=text.strip()[:40])) from exc
    if fen > MAX_FEN:
        raise ValidationError(_("Amount is too large"))
    return fen


def require_fen(value: object) -> int:
    """An amount handed over by code (a discount, a price, a tender): an ``int`` of fen and
    nothing that merely behaves like one. A float (0.5, NaN, inf) would make a sale whose
    subtotal less discount is not its total; a bool is an int to Python but no amount."""
    if type(value) is not int:
        raise ValidationError(_("An amount of money is a whole number of fen."))
    if abs(value) > MAX_FEN:
        raise ValidationError(_("Amount is too large"))
    return value


def format_fen(fen: int, symbol: bool = True) -> str:
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def percent_of(amount: int, basis_points: int) -> int:
    """``basis_points`` (1/100 of a percent) of ``amount``, rounded half up, in fen."""
    return (amount * basis_points + 5000) // 10000
