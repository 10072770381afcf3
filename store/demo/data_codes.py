"""Codes on the goods: the colour part of a SKU and the company prefix of a barcode."""

from __future__ import annotations

# Two-letter colour codes for SKUs; a colour not listed gets a numbered code.
COLOUR_CODES = {
    "黑色": "BK",
    "白色": "WH",
    "粉色": "PK",
    "蓝色": "BL",
    "绿色": "GN",
    "黄色": "YL",
    "紫色": "PU",
    "灰色": "GY",
    "透明": "CL",
    "深蓝": "NV",
    "酒红": "WR",
    "银色": "SL",
    "深蓝色": "DB",
    "宇宙橙色": "OR",
}

# GS1 company prefixes for EAN-13 barcodes, seven digits each.
BARCODE_PREFIXES = {
    "Apple": "0194253",
    "Huawei": "6942103",
    "Xiaomi": "6934177",
    "Redmi": "6941812",
    "OPPO": "6932169",
    "vivo": "6935117",
    "iQOO": "6935118",
    "Honor": "6936520",
    "Samsung": "8806095",
    "OnePlus": "6921815",
    "Anker": "0848061",
    "UGREEN": "6957303",
    "Baseus": "6953156",
    "ESR": "4894240",
    "TORRAS": "6973224",
    "SmartDevil": "6970158",
    "SanDisk": "0619659",
    "Sony": "4548736",
    "门店服务": "2000000",  # in-store numbers (prefix 20-29) for the service menu card
}
