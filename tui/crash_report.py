"""What a cashier reads after a bug nobody foresaw stopped the console: a few sentences,
the sale in progress checked in the database (never assumed), and the traceback in a log file
for the developers."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import _
from store.kernel.money import format_fen


def write_log(path: Path, error: BaseException | None) -> Path:
    """Append the traceback to ``path``; Path("-") when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            if error is not None:
                log.write("".join(traceback.format_exception(error)))
    except OSError:
        return Path("-")
    return path


def message(path: Path, unsaved: tuple[str, int] | None, committing: bool) -> str:
    sentences = [_("zhanggui stopped after an unexpected error. Completed sales are saved.")]
    sentences += [sale_in_progress_state(unsaved, committing)]
    sentences += [_("Details for support: {path}").format(path=path)]
    return " ".join(s for s in sentences if s)


def sale_in_progress_state(unsaved: tuple[str, int] | None, committing: bool) -> str:
    """What became of the sale on the sale screen (its cart id and total), checked in the
    database: a cashier who reads "not saved" charges the customer again, so it is said only
    when it is true. (On the event loop: the console is stopping, there is no loop to wait on.)"""
    from store.selling import checkout

    if unsaved is None:
        return ""
    cart_id, total = unsaved
    try:
        receipt_no = checkout.saved_receipt_no(cart_id)
    except ZhangguiError:
        return _(
            "Whether the sale in progress was saved could not be checked: look for its receipt "
            "before charging the customer again."
        )
    if receipt_no is not None:
        return _("The sale in progress was saved as receipt {no}: do not charge the customer again.").format(
            no=receipt_no
        )
    if committing:
        return _(
            "The sale in progress was being saved at that moment: look for its receipt before "
            "charging the customer again."
        )
    return _("The sale in progress ({total}) was not saved: ring it up again.").format(
        total=format_fen(total)
    )
