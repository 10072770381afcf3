"""The services sold over the counter: fitting a film, moving data, extended warranties."""

from __future__ import annotations

from store.demo.data_records import ServiceItem

SERVICES: tuple[ServiceItem, ...] = (
    ServiceItem("SVC-FILM", "贴膜服务", 10, "film", 5.0),
    ServiceItem("SVC-FILM-UV", "曲面屏 UV 贴膜服务", 30, "film", 1.0),
    ServiceItem("SVC-DATA", "新机数据迁移", 30, "data", 1.5),
    ServiceItem("SVC-CARE", "手机清洁保养", 10, "care", 1.5),
    ServiceItem("SVC-EW1-A", "延保一年 (3000 元以下机型)", 199, "warranty", 0.6),
    ServiceItem("SVC-EW1-B", "延保一年 (3000-6000 元机型)", 299, "warranty", 0.6),
    ServiceItem("SVC-EW1-C", "延保一年 (6000 元以上机型)", 499, "warranty", 0.6),
    ServiceItem("SVC-SCR-A", "碎屏保障一年 (4000 元以下机型)", 149, "screen", 0.4),
    ServiceItem("SVC-SCR-B", "碎屏保障一年 (4000 元以上机型)", 249, "screen", 0.4),
    ServiceItem("SVC-EW2-A", "延保两年 (3000 元以下机型)", 299, "warranty", 0.2),
    ServiceItem("SVC-EW2-B", "延保两年 (3000-6000 元机型)", 499, "warranty", 0.2),
    ServiceItem("SVC-EW2-C", "延保两年 (6000 元以上机型)", 799, "warranty", 0.2),
    ServiceItem("SVC-FLASH", "系统升级与刷机", 50, "care", 0.3),
)
