"""The closed days still to go to head office, as the console shows them and sends them.

``waiting`` reads which closed days have no file yet, where the files go and, before anyone
presses a key, why nothing could be written now (no signing key, no phone secret, the USB stick
not plugged in). ``send`` writes them (or one day, right after its Z report) and says, day by
day, where each file went or why it did not.

The files go to ``[paths] exports`` (the folder ``zhanggui export`` writes to by default). Like
the backup folder, only the default one (exports/ in the user data dir) is made when missing:
a configured folder that is missing is a USB stick not plugged in, and a folder made in its
place would keep the files on this computer, where head office never sees them.

At the console sending is a manager's act: a day file carries every record of the day (customers,
staff hours, cash) off the premises. ``zhanggui export`` has no actor: whoever runs it already
holds the database file and the store's key.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from store.config.loader import Config
from store.context import StoreContext
from store.db.transaction import read
from store.exchange.day_export import DayExport, days_not_exported, export_day, phones_problem
from store.exchange.errors import FileNotWritten, SigningKeyError
from store.exchange.keys import SigningKey, load_signing_key
from store.kernel.auth import Actor, manager_authority
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import _


@dataclass(frozen=True)
class Waiting:
    """What the console shows before anything is sent."""

    days: list[date]  # closed and not exported yet, oldest first
    folder: Path  # where the files go
    problem: str  # why nothing can be written now ('' when it can)
    fingerprint: str  # of the store's signing key ('' when there is none)


@dataclass(frozen=True)
class Sent:
    """One day sent: its file, or why it was not written."""

    day: date
    export: DayExport | None
    problem: str = ""

    @property
    def message(self) -> str:
        if self.export is None:
            return _("{day}: not exported. {why}").format(day=self.day.isoformat(), why=self.problem)
        # The file's name: its folder heads the screen, and a whole path wrapped mid-word at 80.
        return _("{day}: {path} (sequence {n})").format(
            day=self.day.isoformat(), path=self.export.path.name, n=self.export.sequence
        )


def _folder(config: Config) -> tuple[Path, bool]:
    """The export folder, and whether config.toml chose it (else it is the default one)."""
    return config.exports_dir(), bool(config.paths.exports)


def _folder_problem(folder: Path, chosen: bool) -> str:
    if not folder.exists():
        if not chosen:
            return ""  # the default folder is made on the first export
        return _(
            "The export folder {folder} is missing. Plug in the USB stick (or make the folder, or"
            " set [paths] exports in config.toml); nothing was exported."
        ).format(folder=folder)
    if not folder.is_dir():
        return _("The export folder {folder} is a file, not a folder; nothing was exported.").format(
            folder=folder
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return _(
            "The export folder {folder} cannot be written to (read-only, or no permission);"
            " nothing was exported."
        ).format(folder=folder)
    return ""


def _key(store_code: str) -> tuple[SigningKey | None, str]:
    try:
        return load_signing_key(store_code), ""
    except SigningKeyError as exc:  # the sentence says to run 'zhanggui keys init'
        return None, str(exc)


def waiting(ctx: StoreContext) -> Waiting:
    """The closed days not exported yet, and whether they can be written now."""
    config = ctx.config
    days = read(days_not_exported)
    folder, chosen = _folder(config)
    key, key_problem = _key(ctx.identity()[0])
    problem = key_problem or phones_problem(config.hq) or _folder_problem(folder, chosen)
    return Waiting(days, folder, problem, key.public.fingerprint if key is not None else "")


def send(ctx: StoreContext, days: Sequence[date] | None = None, *, actor: Actor | None) -> list[Sent]:
    """Write the files of ``days`` (default: every closed day not exported yet), oldest first.
    A day that cannot be written (still open at another terminal) is said and the others go
    on; a folder that fails (full, pulled out) stops there. Raises a ZhangguiError, with nothing
    written, when nothing can be (not a manager, no key, no phone secret, no folder)."""
    manager_authority(actor, needed=_("Exporting the day files for head office needs a manager."))
    config = ctx.config
    folder, chosen = _folder(config)
    key, key_problem = _key(ctx.identity()[0])
    if key is None:
        raise ValidationError(key_problem)
    problem = phones_problem(config.hq)
    if not problem:
        if not chosen:
            with contextlib.suppress(OSError):  # said below, in the folder's own words
                folder.mkdir(parents=True, exist_ok=True)
        problem = _folder_problem(folder, chosen)
        if not problem and not folder.exists():
            problem = _("The export folder {folder} cannot be made; nothing was exported.").format(
                folder=folder
            )
    if problem:
        raise ValidationError(problem)
    wanted = list(days) if days is not None else read(days_not_exported)
    sent: list[Sent] = []
    for day in wanted:
        try:
            sent.append(Sent(day, export_day(day, folder, key=key, hq=config.hq, tz=config.tz)))
        except FileNotWritten as exc:  # the next day would meet the same full or missing folder
            sent.append(Sent(day, None, str(exc)))
            break
        except ZhangguiError as exc:
            sent.append(Sent(day, None, str(exc)))
    return sent
