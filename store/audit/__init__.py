"""The keyed, hash-chained audit log and the secrets and anchors it keeps outside the database."""
