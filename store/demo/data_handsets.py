"""The phones on sale, and what an IMEI of each brand is made from."""

from __future__ import annotations

from store.demo.data_handsets_android import ANDROID
from store.demo.data_handsets_apple_huawei import APPLE_AND_HUAWEI
from store.demo.data_records import HandsetModel

# In this order: the catalog sorts by popularity, and models of equal popularity keep it.
HANDSETS: tuple[HandsetModel, ...] = (*APPLE_AND_HUAWEI, *ANDROID)

# The 8-digit TAC (type allocation code) heads: 35 for Apple and Samsung, 86 (China) for the rest.
TAC_HEADS = {
    "Apple": ("3530", "3545", "3568", "3596"),
    "Samsung": ("3509", "3553"),
    "Huawei": ("8620", "8646", "8678"),
    "Xiaomi": ("8610", "8641"),
    "Redmi": ("8690", "8612"),
    "OPPO": ("8663", "8679"),
    "vivo": ("8675", "8657"),
    "iQOO": ("8658",),
    "Honor": ("8695", "8600"),
    "OnePlus": ("8617",),
}

# Share of units with a second SIM slot (and so a second IMEI) by brand.
DUAL_SIM = {"Apple": 0.55, "Samsung": 0.6}
DUAL_SIM_DEFAULT = 0.8
