"""Cases, screen protectors and the other accessories a phone shop stocks."""

from __future__ import annotations

from store.demo.data_records import AccessoryKind

CASE_COLOURS = ("黑色", "白色", "深蓝", "粉色", "紫色", "绿色", "酒红", "灰色")
CLEAR = ("透明",)
# Printed cases sell by design rather than colour; shops stock a wall of them.
CASE_PRINTS = (
    "星空",
    "樱花",
    "熊猫",
    "招财猫",
    "国潮锦鲤",
    "小熊",
    "向日葵",
    "山水",
    "柴犬",
    "草莓",
    "宇航员",
    "故宫红",
    "大理石纹",
    "格纹",
    "迷彩",
    "晚霞",
    "玉兔",
    "祥云",
    "小恐龙",
    "兔年大吉",
)

# Case styles, made for every handset model: (brand, name, code, price in yuan, colours).
CASE_STYLES: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("ESR", "磁吸透明保护壳", "MAG", 89, CLEAR),
    ("Baseus", "透明硅胶保护壳", "CLR", 39, CLEAR),
    ("TORRAS", "液态硅胶保护壳", "SIL", 69, CASE_COLOURS),
    ("UGREEN", "防摔气囊保护壳", "AIR", 49, ("透明", "黑色", "粉色", "紫色")),
    ("TORRAS", "素皮保护壳", "LTH", 129, CASE_COLOURS[:6]),
    ("ESR", "支架保护壳", "STD", 79, CASE_COLOURS[:4]),
    ("Baseus", "翻盖皮套", "FLP", 99, CASE_COLOURS[:5]),
    ("ESR", "磨砂半透保护壳", "MTE", 59, CASE_COLOURS[:6]),
    ("Baseus", "电镀边框保护壳", "PLT", 59, CASE_COLOURS[:6]),
    ("TORRAS", "芳纶纤维保护壳", "ARA", 199, ("黑色", "灰色", "深蓝")),
    ("SmartDevil", "印花保护壳", "ART", 39, CASE_PRINTS),
)
PROTECTOR_STYLES: tuple[tuple[str, str, int, float], ...] = (
    # (name, code, price yuan, weight)
    ("高清钢化膜", "HD", 29, 5.0),
    ("防窥钢化膜", "PRV", 49, 3.0),
    ("抗蓝光钢化膜", "BLU", 39, 2.0),
    ("全屏水凝膜", "HYD", 25, 1.5),
    ("镜头保护膜", "LNS", 19, 1.5),
    ("曲面UV全胶膜", "UV", 59, 1.0),
)

ACCESSORIES: tuple[AccessoryKind, ...] = (
    AccessoryKind("charger", "Apple", "20W USB-C 电源适配器", "APL-20W", 149, ("白色",), 3.0),
    AccessoryKind("charger", "Apple", "35W 双 USB-C 端口电源适配器", "APL-35W", 429, ("白色",), 0.8),
    AccessoryKind("charger", "Huawei", "66W 超级快充充电器", "HW-66W", 149, ("白色",), 2.0),
    AccessoryKind("charger", "Huawei", "100W 超级快充充电器", "HW-100W", 229, ("白色",), 0.8),
    AccessoryKind("charger", "Xiaomi", "67W 充电器套装", "MI-67W", 99, ("白色",), 2.0),
    AccessoryKind("charger", "Xiaomi", "120W 充电器套装", "MI-120W", 149, ("白色",), 1.0),
    AccessoryKind("charger", "OPPO", "80W SUPERVOOC 超级闪充充电器", "OP-80W", 149, ("白色",), 1.0),
    AccessoryKind("charger", "vivo", "90W 闪充充电器", "VV-90W", 149, ("白色",), 1.0),
    AccessoryKind("charger", "Honor", "66W 超级快充充电器", "HN-66W", 129, ("白色",), 0.8),
    AccessoryKind("charger", "Anker", "30W 氮化镓充电器", "ANK-30W", 99, ("白色", "黑色", "粉色"), 1.5),
    AccessoryKind("charger", "Anker", "65W 三口氮化镓充电器", "ANK-65W", 199, ("白色", "黑色"), 1.0),
    AccessoryKind("charger", "UGREEN", "20W PD 快充充电器", "UG-20W", 49, ("白色", "黑色"), 2.5),
    AccessoryKind("charger", "UGREEN", "65W 氮化镓充电器", "UG-65W", 129, ("白色", "黑色"), 1.0),
    AccessoryKind("charger", "UGREEN", "100W 四口氮化镓充电器", "UG-100W", 279, ("白色", "灰色"), 0.5),
    AccessoryKind("charger", "Baseus", "30W 氮化镓快充充电器", "BS-30W", 69, ("白色", "黑色", "蓝色"), 1.5),
    AccessoryKind("cable", "Apple", "USB-C 编织充电线 (1 米)", "APL-CC1", 145, ("白色",), 1.5),
    AccessoryKind("cable", "Apple", "240W USB-C 充电线 (2 米)", "APL-CC2", 229, ("白色",), 0.5),
    AccessoryKind("cable", "Apple", "USB-C 转闪电连接线 (1 米)", "APL-CL1", 145, ("白色",), 1.0),
    AccessoryKind("cable", "Huawei", "6A Type-C 数据线 (1 米)", "HW-6A", 59, ("白色",), 2.0),
    AccessoryKind("cable", "Xiaomi", "6A Type-C 数据线 (1 米)", "MI-6A", 29, ("白色",), 2.5),
    AccessoryKind("cable", "UGREEN", "100W 双 Type-C 数据线 (1 米)", "UG-CC1", 39, ("白色", "黑色"), 3.0),
    AccessoryKind("cable", "UGREEN", "100W 双 Type-C 数据线 (2 米)", "UG-CC2", 49, ("白色", "黑色"), 1.5),
    AccessoryKind("cable", "UGREEN", "USB-A 转 Type-C 数据线 (1 米)", "UG-AC1", 19, ("白色", "黑色"), 2.5),
    AccessoryKind("cable", "UGREEN", "MFi 认证 Type-C 转闪电数据线", "UG-CL1", 59, ("白色", "黑色"), 1.5),
    AccessoryKind(
        "cable", "Anker", "240W 编织 Type-C 数据线 (1.8 米)", "ANK-CC", 79, ("黑色", "白色", "紫色"), 1.0
    ),
    AccessoryKind(
        "cable", "Baseus", "100W 双 Type-C 数据线 (1 米)", "BS-CC1", 29, ("黑色", "白色", "蓝色"), 2.0
    ),
    AccessoryKind("cable", "Baseus", "一拖三快充数据线", "BS-3IN1", 49, ("黑色", "白色"), 1.0),
    AccessoryKind("earphones", "Apple", "AirPods 4", "APL-AP4", 999, ("白色",), 1.2),
    AccessoryKind("earphones", "Apple", "AirPods 4 (主动降噪款)", "APL-AP4A", 1399, ("白色",), 0.8),
    AccessoryKind("earphones", "Apple", "AirPods Pro 3", "APL-APP3", 1899, ("白色",), 0.8),
    AccessoryKind("earphones", "Apple", "EarPods (USB-C)", "APL-EPC", 149, ("白色",), 1.0),
    AccessoryKind(
        "earphones", "Huawei", "FreeBuds Pro 4", "HW-FBP4", 1299, ("冰霜银", "雅川青", "曜石黑"), 0.5
    ),
    AccessoryKind("earphones", "Huawei", "FreeBuds 6i", "HW-FB6I", 499, ("白色", "黑色", "紫色"), 0.8),
    AccessoryKind("earphones", "Huawei", "FreeClip 耳夹耳机", "HW-FCLIP", 1299, ("玫瑰金", "星空黑"), 0.4),
    AccessoryKind("earphones", "Huawei", "FreeBuds SE 3", "HW-FBSE3", 199, ("白色", "黑色"), 1.0),
    AccessoryKind("earphones", "Xiaomi", "Xiaomi Buds 5 Pro", "MI-B5P", 1299, ("雪山白", "曜石黑"), 0.4),
    AccessoryKind("earphones", "Redmi", "Redmi Buds 6", "RM-B6", 199, ("白色", "黑色", "蓝色"), 1.2),
    AccessoryKind("earphones", "Redmi", "Redmi Buds 6 Pro", "RM-B6P", 399, ("白色", "黑色"), 0.8),
    AccessoryKind("earphones", "OPPO", "OPPO Enco X3", "OP-X3", 999, ("白色", "黑色"), 0.3),
    AccessoryKind("earphones", "OPPO", "OPPO Enco Air4", "OP-AIR4", 299, ("白色", "蓝色"), 0.6),
    AccessoryKind("earphones", "vivo", "vivo TWS 4", "VV-TWS4", 499, ("白色", "黑色"), 0.4),
    AccessoryKind("earphones", "Honor", "Honor Earbuds X8", "HN-X8", 199, ("白色", "黑色"), 0.5),
    AccessoryKind("earphones", "Sony", "WF-1000XM5", "SONY-XM5", 1499, ("黑色", "银色"), 0.2),
    AccessoryKind("power_bank", "Xiaomi", "充电宝 10000mAh 22.5W", "MI-PB10", 79, ("白色", "黑色"), 1.5),
    AccessoryKind("power_bank", "Xiaomi", "充电宝 20000mAh 33W", "MI-PB20", 149, ("白色", "黑色"), 1.0),
    AccessoryKind("power_bank", "Xiaomi", "磁吸充电宝 5000mAh", "MI-PBM5", 149, ("白色", "粉色"), 0.8),
    AccessoryKind(
        "power_bank", "Anker", "磁吸充电宝 10000mAh", "ANK-PBM10", 249, ("白色", "黑色", "紫色"), 0.6
    ),
    AccessoryKind("power_bank", "Anker", "充电宝 20000mAh 65W", "ANK-PB20", 199, ("黑色", "白色"), 0.6),
    AccessoryKind("power_bank", "Huawei", "超级快充移动电源 12000mAh 66W", "HW-PB12", 299, ("白色",), 0.6),
    AccessoryKind("power_bank", "UGREEN", "充电宝 20000mAh 100W", "UG-PB20", 299, ("灰色", "黑色"), 0.4),
    AccessoryKind(
        "power_bank", "UGREEN", "磁吸充电宝 10000mAh", "UG-PBM10", 199, ("白色", "蓝色", "粉色"), 0.6
    ),
    AccessoryKind(
        "power_bank", "Baseus", "充电宝 10000mAh 20W", "BS-PB10", 89, ("白色", "黑色", "蓝色"), 1.0
    ),
    AccessoryKind("other", "Baseus", "车载手机支架", "BS-CAR", 79, ("黑色", "银色"), 0.8),
    AccessoryKind("other", "Baseus", "磁吸车载无线充支架", "BS-CARW", 129, ("黑色",), 0.5),
    AccessoryKind("other", "UGREEN", "桌面手机支架", "UG-STAND", 29, ("白色", "灰色"), 1.0),
    AccessoryKind("other", "ESR", "手机挂绳", "ESR-ROPE", 29, ("黑色", "白色", "粉色", "蓝色", "绿色"), 0.8),
    AccessoryKind("other", "SanDisk", "microSD 存储卡 128GB", "SD-128", 69, ("黑色",), 0.4),
    AccessoryKind("other", "SanDisk", "microSD 存储卡 256GB", "SD-256", 129, ("黑色",), 0.3),
    AccessoryKind("other", "Xiaomi", "50W 立式无线充电器", "MI-WL50", 199, ("黑色",), 0.3),
    AccessoryKind("other", "Anker", "15W 磁吸无线充电器", "ANK-WL15", 79, ("白色", "黑色"), 0.5),
    AccessoryKind("other", "Xiaomi", "蓝牙自拍杆", "MI-SELFIE", 89, ("黑色", "白色"), 0.4),
    AccessoryKind("other", "UGREEN", "Type-C 转 3.5mm 耳机转接头", "UG-35MM", 25, ("白色",), 0.8),
)
