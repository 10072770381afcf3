"""The [tenders] and [returns] sections of config.toml: which payments the till asks a
reference for, and the reasons a cashier picks from when goods come back. Read by
store.config.loader through store.config.schema; the store enforces both at commit
(store.selling.tender_refs, store.selling.refunds), whatever the screen asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.config.schema import ListOf, Section, Text, config_error, setting
from store.kernel.i18n import _

# required: a payment of this kind is not saved without its reference; optional: the payment
# screen asks, Enter skips; off: not asked (a reference given anyway is still checked).
REFERENCE_RULES = ("required", "optional", "off")
REFERENCE_KINDS = ("wechat", "alipay", "card")


def _rule(default: str) -> Any:
    return setting(default, Text(choices=REFERENCE_RULES))


@dataclass
class TendersSection:
    wechat_reference: str = _rule("optional")
    alipay_reference: str = _rule("optional")
    card_reference: str = _rule("optional")

    def rule(self, kind: str) -> str:
        """required / optional / off for a tender kind; cash and vouchers have no reference."""
        return str(getattr(self, f"{kind}_reference")) if kind in REFERENCE_KINDS else "off"


def _reason_code(text: str) -> bool:
    return bool(text) and len(text) <= 20 and all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in text)


@dataclass(frozen=True)
class ReturnReason:
    code: str = setting(
        spec=Text(
            strip=True,
            accept=_reason_code,
            problem=lambda: _("letters, digits and _ only, at most {n}").format(n=20),
        )
    )
    name: str = setting(spec=Text(strip=True, required=True, limit=20))


DEFAULT_REASONS = (
    ReturnReason("defective", "质量问题 Defective"),
    ReturnReason("changed_mind", "不想要了 Changed mind"),
    ReturnReason("wrong_item", "错拿 Wrong item"),
    ReturnReason("other", "其他 Other"),
)


@dataclass
class ReturnsSection:
    reasons: tuple[ReturnReason, ...] = setting(
        factory=lambda: DEFAULT_REASONS,
        spec=ListOf(Section(ReturnReason), min_items=1, max_items=9, unique="code", as_tuple=True),
    )

    def reason(self, code: str) -> ReturnReason | None:
        return next((r for r in self.reasons if r.code == code), None)

    def name_of(self, code: str) -> str:
        """What a stored reason code reads as now: its name, or the code itself when the list
        no longer has it (a reason taken out of config.toml after returns used it)."""
        found = self.reason(code)
        return found.name if found is not None else code

    def check_config(self, path: str) -> None:
        names = [r.name for r in self.reasons]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise config_error(f"{path}.reasons[{i}].name", _("{code} is used twice").format(code=name))
