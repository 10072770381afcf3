"""`zhanggui backup` and `zhanggui restore`: thin over store.backup, which makes, checks,
rotates and puts back backups."""

from __future__ import annotations

from pathlib import Path

import click

from store.kernel.i18n import _, ngettext
from tui.cli.common import context_for, db_options, given, user_errors


@click.command("backup")
@db_options
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the backup to (default: [backup] folder in config).",
)
@user_errors
def backup_command(db_path: str | None, config_path: str | None, folder: Path | None) -> None:
    """Back the store database up (a consistent copy, safe while tills sell), check the copy,
    and keep the rotation ([backup] daily and weekly in config).

    Examples:

    \b
    zhanggui backup --db shop.db
    zhanggui backup --db shop.db --to usb
    """
    from store.backup.service import back_up, done_sentence

    ctx = context_for(db_path, config_path)
    try:
        result = back_up(ctx, folder)
    finally:
        ctx.close()
    click.echo(done_sentence(result))
    if result.removed:
        count = len(result.removed)
        click.echo(
            ngettext(
                "{count} older backup removed by the rotation.",
                "{count} older backups removed by the rotation.",
                count,
            ).format(count=count)
        )


@click.command("restore")
@db_options
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--new",
    is_flag=True,
    help="There is no database yet (a new computer): make it from the backup. On a computer that "
    "has kept no audit anchor of the store either, no staff exist yet, so no --staff or --pin is asked.",
)
@click.option("--staff", "staff_code", default=None, help="A manager's staff code (asked for when left out).")
@click.option("--pin", default=None, help="The manager's PIN (asked for when left out).")
@user_errors
def restore_command(
    db_path: str | None,
    config_path: str | None,
    backup_file: Path,
    yes: bool,
    new: bool,
    staff_code: str | None,
    pin: str | None,
) -> None:
    """Put a backup back in place of the store database, after checking it (whole, of this
    store, of a known version, its audit log verified). A manager's act: give your --staff
    and --pin (asked for when left out; checked in the backup when the database is too damaged
    to open), except with --new on a computer that has no database and no audit anchor of the
    store yet, where no staff exist yet. The database it replaces is kept beside it, named with the
    time, untouched; the restore is recorded in the audit log, so 'zhanggui audit verify' tells
    it from an older copy of the database put back by hand. Close zhanggui everywhere first.

    Examples:

    \b
    zhanggui restore --db shop.db usb/zhanggui-DEMO-20261207-213000.db --staff M1 --yes
    zhanggui restore --db shop.db usb/zhanggui-DEMO-20261207-213000.db --new --yes
    """
    from store.backup.restore import current_store_code, restore_backup
    from store.backup.restore_audit import is_new_computer
    from store.backup.verify import BackupInfo
    from store.context import load, resolve_db_path
    from store.kernel import SystemClock

    cfg = load(given("config_path", config_path))
    target = resolve_db_path(cfg, given("db_path", db_path))
    store_code = current_store_code(target) or cfg.store.code
    if target.exists() or (new and not is_new_computer(target, store_code)):
        staff_code = staff_code or str(click.prompt(_("Your staff code")))
        pin = pin or str(click.prompt(_("Your PIN"), hide_input=True))

    def confirm(_info: BackupInfo) -> bool:
        question = _("Replace the database {path} with the backup {backup}?").format(
            path=target, backup=backup_file
        )
        return yes or click.confirm(question)

    now = SystemClock(cfg.tz).local_now()
    result = restore_backup(
        backup_file,
        target,
        store_code=store_code,
        now=now,
        confirm=confirm,
        new=new,
        staff_code=staff_code or "",
        pin=pin or "",
    )
    if result is None:
        click.echo(_("Nothing was changed."))
        raise click.exceptions.Exit(1)
    click.echo(_("Restored {path} from {backup}.").format(path=target, backup=backup_file))
    if result.kept is not None:
        click.echo(_("The database it replaced is kept as {kept}.").format(kept=result.kept))
    if result.note:
        click.echo(result.note, err=True)
