"""What every interface needs once at start-up: the config, the open database, the till."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from store.config.loader import Config, load_config
from store.kernel.clock import Clock, SystemClock
from store.kernel.errors import DatabaseUnavailable
from store.kernel.i18n import _, set_language

# The database side (peewee, the models, every domain package) is imported where a store is
# opened or read, not here: the console draws its login screen from the config alone and opens
# the store behind it (tui.opening), and `zhanggui --help` opens none.
if TYPE_CHECKING:
    from peewee import SqliteDatabase

    from store.db.connection import IntegrityCheck as IntegrityCheck  # (the console's type)
    from store.selling.till import Till

T = TypeVar("T")


@dataclass
class StoreContext:
    config: Config
    db_path: Path
    db: SqliteDatabase
    # False: quick_check was skipped at open and still has to run (in the background).
    integrity_checked: bool = True
    # The last program did not close the file (crash, power cut): check without waiting.
    unclean_start: bool = False
    # Where the interfaces read the time: the system clock in the store's zone (open_store);
    # tests hand in a FixedClock. ctx.clock() is naive UTC, ctx.clock.today() the business date.
    clock: Clock = field(kw_only=True)

    def __post_init__(self) -> None:
        from store.people.staff import set_manager_cooloff

        set_manager_cooloff(self.config.staff.manager_cooloff_minutes)

    # (store code, store name) as the file says, read once: the sale screen's header and
    # every sale ask for them, and a read there would be one on the console's event loop.
    _identity: tuple[str, str] | None = field(default=None, init=False, repr=False)

    def identity(self, fresh: bool = False) -> tuple[str, str]:
        """The store's code and name; ``fresh`` reads them again (after the first-run set-up
        wrote them, in the worker that wrote them)."""
        if fresh or self._identity is None:
            from store.setup import get_meta

            self._identity = (
                get_meta("store_code") or self.config.store.code,
                get_meta("store_name") or self.config.store.name,
            )
        return self._identity

    @property
    def till(self) -> Till:
        from store.selling.till import Till

        code = self.identity()[0]
        return Till(
            store_code=code,
            terminal_id=self.config.terminal.id,
            tz=self.config.tz,
            referrals=self.config.referrals,
            tenders=self.config.tenders,
            returns=self.config.returns,
        )

    @property
    def store_name(self) -> str:
        return self.identity()[1]

    def integrity_check(self) -> IntegrityCheck:
        """A quick_check of this store's file that a console runs in the background."""
        from store.db.connection import IntegrityCheck as IntegrityCheck  # (the console's type)

        return IntegrityCheck(self.db_path)

    def integrity_problem(self) -> str | None:
        """Read the whole file for damage (PRAGMA quick_check): None, or the sentence to show."""
        from store.db.connection import integrity_problem

        return integrity_problem(self.db_path)

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def off_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` from a worker thread (the console's loads and writes): a database
    that cannot be used comes out as a DatabaseUnavailable with a message, and the connection
    peewee opened for the thread is closed when the call ends."""
    from store.db.transaction import read, release_thread_connection

    try:
        return read(lambda: fn(*args, **kwargs))
    finally:
        release_thread_connection()


def let_go_of_connection() -> None:
    """Close the connection this worker thread opened (the console's opening thread, at exit;
    none when the store could not be opened)."""
    from store.db.transaction import release_thread_connection
    from store.models import database

    if database.obj is not None:
        release_thread_connection()


def at_current_version(path: Path) -> bool:
    """The file at ``path`` is a store at this program's schema version, as its 100-byte header
    says (user_version is bytes 60-63): read without sqlite3 or peewee, for the console to
    decide before anything is imported whether the store can be opened behind its login. A
    header not yet brought up to date from the write-ahead log (after a crash) says an older
    version, never a newer one: that store is then opened first, as one that needs an upgrade."""
    from store.db.migrations import LATEST

    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and int.from_bytes(header[60:64], "big") == LATEST


def upgrade_notice() -> str:
    """What a person is told while the store's file is brought to a new schema version."""
    return _(
        "Upgrading the store database to this version of zhanggui. This happens once and can"
        " take a minute on a large store; do not switch the computer off."
    )


def resolve_db_path(config: Config, db: str | Path | None) -> Path:
    """--db beats ZHANGGUI_DB beats paths.database in config beats the user data dir."""
    if db:
        return Path(db).expanduser()
    env = os.environ.get("ZHANGGUI_DB")
    if env:
        return Path(env).expanduser()
    return config.database_path()


def load(config_path: str | Path | None = None) -> Config:
    cfg = load_config(Path(config_path) if config_path else None)
    set_language(cfg.ui.language)
    return cfg


def open_store(
    config: Config,
    db: str | Path | None = None,
    *,
    full_check: bool = True,
    create: bool = True,
    defer_check: bool = False,
    on_upgrade: Callable[[], None] | None = None,
) -> StoreContext:
    """The store at ``db`` (see resolve_db_path). ``create=False`` is for every job but the
    console's first start and the demo: a missing file, an empty one, another program's
    database or a store never set up is refused with its path, and nothing is created."""
    from store.crm import search as _search  # noqa: F401  # registers its back-fill (store.db.backfill)
    from store.db.connection import open_database, unclean_shutdown
    from store.referrals import codes as _codes  # noqa: F401  # registers its back-fill
    from store.setup import is_initialised

    path = resolve_db_path(config, db)
    unclean = unclean_shutdown(path)
    checked = full_check or (unclean and not defer_check)
    ctx = StoreContext(
        config=config,
        db_path=path,
        db=open_database(
            path, create=create, full_check=checked, defer_check=defer_check, on_upgrade=on_upgrade
        ),
        integrity_checked=checked,
        unclean_start=unclean,
        clock=SystemClock(config.tz),
    )
    if not create and not is_initialised():
        ctx.close()
        raise DatabaseUnavailable(
            _("{path} holds no store yet: start zhanggui to set it up first.").format(path=path)
        )
    return ctx
