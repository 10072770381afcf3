"""The [sellout] section of config.toml: a brand's own codes for ``zhanggui sellout``, the
store's feed for the brand's promoters. Head office keeps the chain's (``zhanggui hq map``);
a store fills these only when its promoters need the codes in the store's own file.
Read by store.config.loader through store.config.schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.config.schema import Mapping, Text, setting
from store.kernel.i18n import _


def _codes(problem: Callable[[], str]) -> Mapping:
    return Mapping(Text(limit=64, strip=True, required=True), problem=problem)


@dataclass
class SelloutSection:
    # Brand -> the code the brand knows this store by (its 门店编码), e.g. { Apple = "AP-SH-0012" }.
    store_codes: dict[str, str] = setting(
        factory=dict, spec=_codes(lambda: _('expected brand = "code" pairs, each code at most 64 characters'))
    )
    # SKU -> the brand's code of the product, e.g. { "IP15-128-BK" = "MTLX3CH/A" }.
    product_codes: dict[str, str] = setting(
        factory=dict, spec=_codes(lambda: _('expected SKU = "code" pairs, each code at most 64 characters'))
    )

    def store_code(self, brand: str) -> str:
        """The brand's code for this store, the brand matched without regard to case."""
        folded = brand.casefold()
        return next((code for name, code in self.store_codes.items() if name.casefold() == folded), "")
