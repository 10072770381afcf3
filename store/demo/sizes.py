"""How big each demo store is: products, phones, customers and sale lines."""

from __future__ import annotations

from dataclasses import dataclass

from store.demo.data_handsets import HANDSETS
from store.demo.data_services import SERVICES


@dataclass(frozen=True)
class DemoSize:
    products: int
    handsets: int  # handset SKUs; services as given, accessories fill the rest
    services: int
    imei_units: int
    customers: int
    sale_lines: int
    returns: int


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        products=120, handsets=42, services=10, imei_units=300, customers=300, sale_lines=3300, returns=8
    ),
    # The benchmark data set of the design notes; every handset variant in data_handsets is stocked.
    "large": DemoSize(
        products=5000,
        handsets=sum(len(m.variants) * len(m.colours) for m in HANDSETS),
        services=len(SERVICES),
        imei_units=20_000,
        customers=100_000,
        sale_lines=1_000_000,
        returns=1500,
    ),
}

LINES_PER_SALE = 2.0  # what the mix of phone, accessory and service sales averages
