"""The [hq] section of config.toml: how personal data leaves the store in its day files.
Read by store.config.loader through store.config.schema."""

from __future__ import annotations

from dataclasses import dataclass

from store.config.schema import Bool, Text, setting
from store.kernel.i18n import _


def _long_enough(text: str) -> bool:
    return text == "" or len(text) >= 16


@dataclass
class HqSection:
    # True: head office keeps the chain's customer records, phone numbers go in full.
    central_crm: bool = setting(False, Bool())
    # The chain's secret for the keyed hash (HMAC-SHA256) of phone numbers: the same at every
    # store, so head office can tell the same customer across stores without the number.
    phone_secret: str = setting(
        "",
        Text(
            limit=200,
            strip=True,
            accept=_long_enough,
            problem=lambda: _("at least 16 characters (the same at every store of the chain)"),
        ),
    )
