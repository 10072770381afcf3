"""Backups of the store database: made with SQLite's ``VACUUM INTO`` (a consistent snapshot
that never blocks a sale), checked before they count, kept in a rotation, and put back only
after the same checks."""
