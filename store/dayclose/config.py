"""The [drawer] section of config.toml: when a paid-out needs a manager and how far a count
may be off before a reason is asked. Read by store.config.loader through store.config.schema."""

from __future__ import annotations

from dataclasses import dataclass

from store.config.schema import Int, setting


@dataclass
class DrawerSection:
    # A paid-out above this many yuan needs another person's manager PIN.
    paid_out_limit_yuan: int = setting(20000, Int(0, 10**6, scale=100))  # held in fen
    # A count over or short by more than this many yuan asks for a reason.
    tolerance_yuan: int = setting(500, Int(0, 10**4, scale=100))  # held in fen

    @property
    def paid_out_limit(self) -> int:
        """Fen."""
        return self.paid_out_limit_yuan

    @property
    def tolerance(self) -> int:
        """Fen."""
        return self.tolerance_yuan
