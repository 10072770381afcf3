"""config.toml: every key has a default here; a bad file is one ConfigError naming the key."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from store.customer_config import CustomersSection, validate_customers
from store.errors import ConfigError
from store.i18n import _
from store.promoter_config import (
    CommissionSection,
    LadderSection,
    RosterSection,
    parse_commission,
    parse_ladder,
    parse_roster,
)
from store.referral_config import ReferralSection, parse_referrals
from store.stock_config import StockSection, validate_stock

APP_NAME = "zhanggui"
ROLES = ("promoter", "cashier", "manager", "admin")
PRINTER_KINDS = ("none", "file", "network", "serial", "usb")


@dataclass
class StoreSection:
    code: str = "S001"
    name: str = "掌柜手机店"
    grade: str = "C"
    timezone: str = "Asia/Shanghai"


@dataclass
class TerminalSection:
    id: str = "T1"


@dataclass
class UiSection:
    language: str = ""
    idle_lock_minutes: int = 5


@dataclass
class ReceiptSection:
    header: str = ""
    footer: str = "谢谢惠顾 Thank you"
    width: int = 32


@dataclass
class PrinterSection:
    kind: str = "none"
    target: str = ""


@dataclass
class DiscountSection:
    """The largest discount each role may give without a manager's PIN, in percent."""

    promoter: int = 5
    cashier: int = 5
    manager: int = 30
    admin: int = 100


@dataclass
class StaffSection:
    """Accounts locked by wrong PINs."""

    # The last manager who could unlock anyone is never locked for good: their lock runs out
    # after this many minutes.
    manager_cooloff_minutes: int = 15


@dataclass
class PathSection:
    database: str = ""
    receipts: str = ""
    exports: str = ""


@dataclass
class ClockSection:
    """How far the computer's clock may stray from the store's last recorded event before
    changes that depend on the date and cannot be undone (voucher expiry, reward settlement)
    wait for a manager to confirm the date (store.clock_guard)."""

    max_gap_hours: int = 48
    behind_minutes: int = 10


@dataclass
class Config:
    store: StoreSection = field(default_factory=StoreSection)
    terminal: TerminalSection = field(default_factory=TerminalSection)
    ui: UiSection = field(default_factory=UiSection)
    receipt: ReceiptSection = field(default_factory=ReceiptSection)
    printer: PrinterSection = field(default_factory=PrinterSection)
    discounts: DiscountSection = field(default_factory=DiscountSection)
    staff: StaffSection = field(default_factory=StaffSection)
    paths: PathSection = field(default_factory=PathSection)
    roster: RosterSection = field(default_factory=RosterSection)
    ladder: LadderSection = field(default_factory=LadderSection)
    commission: CommissionSection = field(default_factory=CommissionSection)
    customers: CustomersSection = field(default_factory=CustomersSection)
    stock: StockSection = field(default_factory=StockSection)
    referrals: ReferralSection = field(default_factory=ReferralSection)
    clock: ClockSection = field(default_factory=ClockSection)
    keymap: dict[str, str] = field(default_factory=dict)
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

    def discount_limit_percent(self, role: str) -> int:
        return int(getattr(self.discounts, role, 0))


def default_config_path() -> Path:
    env = os.environ.get("ZHANGGUI_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _fail(key: str, problem: str) -> ConfigError:
    return ConfigError(_("config error at '{key}': {problem}").format(key=key, problem=problem))


def _fill(section: Any, values: Any, prefix: str) -> None:
    if not isinstance(values, dict):
        raise _fail(prefix, _("expected a table"))
    known = {f.name: f for f in fields(section)}
    for key, value in values.items():
        name = f"{prefix}.{key}"
        if key not in known:
            raise _fail(name, _("unknown key"))
        expected = type(getattr(section, key))
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise _fail(name, _("expected a whole number"))
        if expected is str and not isinstance(value, str):
            raise _fail(name, _("expected text"))
        setattr(section, key, value)


def _validate(cfg: Config) -> None:
    try:
        ZoneInfo(cfg.store.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _fail("store.timezone", _("unknown time zone")) from exc
    if not cfg.store.code.isalnum() or len(cfg.store.code) > 12:
        raise _fail("store.code", _("letters and digits only, at most 12"))
    if not cfg.terminal.id.isalnum() or len(cfg.terminal.id) > 8:
        raise _fail("terminal.id", _("letters and digits only, at most 8"))
    if cfg.store.grade not in ("A", "B", "C", "D", "E"):
        raise _fail("store.grade", _("one of A, B, C, D, E"))
    if cfg.ui.language not in ("", "zh_CN", "en"):
        raise _fail("ui.language", _("one of zh_CN, en or empty"))
    if cfg.ui.idle_lock_minutes < 0:
        raise _fail("ui.idle_lock_minutes", _("must not be negative"))
    if not 24 <= cfg.receipt.width <= 64:
        raise _fail("receipt.width", _("between 24 and 64 characters"))
    if cfg.printer.kind not in PRINTER_KINDS:
        raise _fail("printer.kind", _("one of {kinds}").format(kinds=", ".join(PRINTER_KINDS)))
    if not 1 <= cfg.staff.manager_cooloff_minutes <= 24 * 60:
        raise _fail("staff.manager_cooloff_minutes", _("between 1 and 1440 minutes"))
    for role in ROLES:
        if not 0 <= cfg.discount_limit_percent(role) <= 100:
            raise _fail(f"discounts.{role}", _("between 0 and 100"))
    if cfg.clock.max_gap_hours < 1:
        raise _fail("clock.max_gap_hours", _("at least 1"))
    if cfg.clock.behind_minutes < 0:
        raise _fail("clock.behind_minutes", _("must not be negative"))
    validate_customers(cfg.customers, ROLES, _fail)
    validate_stock(cfg.stock, _fail)


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (or the default location); a missing default file means all defaults."""
    explicit = path is not None
    target = path if path is not None else default_config_path()
    cfg = Config()
    if not target.exists():
        if explicit:
            raise ConfigError(_("config file not found: {path}").format(path=target))
        _validate(cfg)
        return cfg
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
    sections = {f.name for f in fields(cfg)} - {"keymap", "source"}
    own_parsers = {
        "roster": parse_roster,
        "ladder": parse_ladder,
        "commission": parse_commission,
        "referrals": parse_referrals,
    }
    for key, value in raw.items():
        if key in own_parsers:  # sections with lists and tables read themselves
            setattr(cfg, key, own_parsers[key](value))
        elif key == "keymap":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise _fail("keymap", _('expected binding id = "key" pairs'))
            cfg.keymap = dict(value)
        elif key in sections:
            _fill(getattr(cfg, key), value, key)
        else:
            raise _fail(key, _("unknown section"))
    _validate(cfg)
    cfg.source = str(target)
    return cfg
