"""The [backup] section of config.toml: where backups go and how many are kept. Read by
store.config.loader through store.config.schema."""

from __future__ import annotations

from dataclasses import dataclass

from store.config.schema import Int, Text, setting


@dataclass
class BackupSection:
    # "" means backups/ in the user data dir; a USB stick's mount point works too.
    folder: str = setting("", Text(strip=True))
    # The newest backup of each of the last ``daily`` days and of each of the last ``weekly``
    # weeks is kept; older ones are removed after a new backup was made and checked.
    daily: int = setting(14, Int(1, 366))
    weekly: int = setting(8, Int(0, 520))
