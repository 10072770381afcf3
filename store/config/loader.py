"""config.toml: every key has a default here; a bad file is one ConfigError naming the key."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from store.backup.config import BackupSection
from store.config.hq import HqSection
from store.config.schema import Int, Mapping, Section, Text, parse, setting
from store.config.sellout import SelloutSection
from store.crm.config import ROLES, CustomersSection
from store.dayclose.config import DrawerSection
from store.kernel.errors import ConfigError
from store.kernel.i18n import _
from store.people.config import GRADES, CommissionSection, LadderSection, RosterSection
from store.referrals.config import ReferralSection
from store.selling.config import ReturnsSection, TendersSection
from store.stock.config import StockSection

__all__ = ["APP_NAME", "PRINTER_KINDS", "ROLES", "Config", "default_config_path", "load_config"]

APP_NAME = "zhanggui"
PRINTER_KINDS = ("none", "file", "network", "serial", "usb")


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _code(limit: int) -> Text:
    """A store code or terminal id: letters and digits only, at most ``limit``."""
    return Text(
        accept=lambda text: text.isalnum() and len(text) <= limit,
        problem=lambda: _("letters and digits only, at most {n}").format(n=limit),
    )


def _section(cls: type) -> Any:
    return setting(factory=cls, spec=Section(cls))


@dataclass
class StoreSection:
    code: str = setting("S001", _code(12))
    name: str = setting("掌柜手机店", Text())
    grade: str = setting("C", Text(choices=GRADES))
    timezone: str = setting("Asia/Shanghai", Text(accept=_known_zone, problem=lambda: _("unknown time zone")))


@dataclass
class TerminalSection:
    id: str = setting("T1", _code(8))


@dataclass
class UiSection:
    language: str = setting("", Text(choices=("zh_CN", "en", "")))
    idle_lock_minutes: int = setting(5, Int(0))


@dataclass
class ReceiptSection:
    header: str = setting("", Text())
    footer: str = setting("谢谢惠顾 Thank you", Text())
    width: int = setting(32, Int(24, 64))


@dataclass
class PrinterSection:
    kind: str = setting("none", Text(choices=PRINTER_KINDS))
    target: str = setting("", Text())


@dataclass
class DiscountSection:
    """The largest discount each role may give without a manager's PIN, in percent."""

    promoter: int = setting(5, Int(0, 100))
    cashier: int = setting(5, Int(0, 100))
    manager: int = setting(30, Int(0, 100))
    admin: int = setting(100, Int(0, 100))


@dataclass
class StaffSection:
    """Accounts locked by wrong PINs."""

    # The last manager who could unlock anyone is never locked for good: their lock runs out
    # after this many minutes.
    manager_cooloff_minutes: int = setting(15, Int(1, 24 * 60))


@dataclass
class PathSection:
    database: str = setting("", Text())
    receipts: str = setting("", Text())
    exports: str = setting("", Text())


@dataclass
class ClockSection:
    """How far the computer's clock may stray from the store's last recorded event before
    changes that depend on the date and cannot be undone (voucher expiry, reward settlement)
    wait for a manager to confirm the date (store.kernel.clock_guard)."""

    max_gap_hours: int = setting(48, Int(1))
    behind_minutes: int = setting(10, Int(0))


@dataclass
class Config:
    store: StoreSection = _section(StoreSection)
    terminal: TerminalSection = _section(TerminalSection)
    ui: UiSection = _section(UiSection)
    receipt: ReceiptSection = _section(ReceiptSection)
    printer: PrinterSection = _section(PrinterSection)
    discounts: DiscountSection = _section(DiscountSection)
    staff: StaffSection = _section(StaffSection)
    paths: PathSection = _section(PathSection)
    roster: RosterSection = _section(RosterSection)
    ladder: LadderSection = _section(LadderSection)
    commission: CommissionSection = _section(CommissionSection)
    customers: CustomersSection = _section(CustomersSection)
    stock: StockSection = _section(StockSection)
    referrals: ReferralSection = _section(ReferralSection)
    tenders: TendersSection = _section(TendersSection)
    returns: ReturnsSection = _section(ReturnsSection)
    clock: ClockSection = _section(ClockSection)
    backup: BackupSection = _section(BackupSection)
    drawer: DrawerSection = _section(DrawerSection)
    hq: HqSection = _section(HqSection)
    sellout: SelloutSection = _section(SelloutSection)
    # Binding id = key; the console checks the ids against its bindings (tui.keymap).
    keymap: dict[str, str] = setting(
        factory=dict, spec=Mapping(Text(), problem=lambda: _('expected binding id = "key" pairs'))
    )
    source: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.store.timezone)

    def data_dir(self) -> Path:
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

    def database_path(self) -> Path:
        return Path(self.paths.database) if self.paths.database else self.data_dir() / "store.db"

    def receipts_dir(self) -> Path:
        return Path(self.paths.receipts) if self.paths.receipts else self.data_dir() / "receipts"

    def exports_dir(self) -> Path:
        return Path(self.paths.exports) if self.paths.exports else self.data_dir() / "exports"

    def backup_dir(self) -> Path:
        return Path(self.backup.folder).expanduser() if self.backup.folder else self.data_dir() / "backups"

    def discount_limit_percent(self, role: str) -> int:
        return int(getattr(self.discounts, role, 0))


def default_config_path() -> Path:
    env = os.environ.get("ZHANGGUI_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (or the default location); a missing default file means all defaults."""
    explicit = path is not None
    target = path if path is not None else default_config_path()
    if not target.exists():
        if explicit:
            raise ConfigError(_("config file not found: {path}").format(path=target))
        return parse(Config, {}, "")
    try:
        raw = tomllib.loads(target.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(_("config file is not UTF-8 text: {path}").format(path=target)) from exc
    except OSError as exc:  # a directory, no permission, an unreadable disk
        raise ConfigError(
            _("config file {path} cannot be read: {error}").format(path=target, error=exc.strerror or exc)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("config file {path} is not valid TOML: {error}").format(path=target, error=exc)
        ) from exc
    cfg = parse(Config, raw, "", unknown=_("unknown section"))
    cfg.source = str(target)
    return cfg
