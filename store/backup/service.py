"""Backups as the interfaces ask for them: now, to the configured folder or another one, and
after a day close (the Z report), where a missing or full folder is said, never raised."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.backup.create import BackupResult, make_backup
from store.context import StoreContext
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import _


def back_up(ctx: StoreContext, folder: Path | None = None) -> BackupResult:
    """Back the store up into ``folder`` (else [backup] folder in config, else backups/ in the
    user data dir, the only one made when missing: a configured folder that is missing is a
    USB stick not plugged in). Raises BackupFailed with a sentence."""
    cfg = ctx.config
    chosen = folder is not None or bool(cfg.backup.folder)
    target = Path(folder) if folder is not None else cfg.backup_dir()
    return make_backup(
        ctx.db_path,
        target,
        store_code=ctx.identity()[0],
        taken=ctx.clock.local_now(),
        daily=cfg.backup.daily,
        weekly=cfg.backup.weekly,
        create_folder=not chosen,
    )


@dataclass(frozen=True)
class BackupNote:
    """What the day close tells the manager about its backup."""

    ok: bool
    message: str
    result: BackupResult | None = None


def backup_after_close(ctx: StoreContext) -> BackupNote:
    """The automatic backup after a Z report: never raises, says what happened. Call it after
    the close's transaction committed (the backup reads the file from a connection of its own,
    so rows not yet committed are not in it), from a worker thread in the console."""
    try:
        result = back_up(ctx)
    except ZhangguiError as exc:
        return BackupNote(False, str(exc))
    return BackupNote(True, done_sentence(result), result)


def done_sentence(result: BackupResult) -> str:
    return _("Backup {path} made and checked ({size:.1f} MB, {seconds:.1f} s).").format(
        path=result.path, size=result.info.size / 1e6, seconds=result.seconds
    )
