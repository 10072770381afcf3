"""What the audit chain keeps outside the database: the store's secret keys and its anchors.

Both live in the user config folder (``…/zhanggui/audit/``, mode 0700), never beside the
database, so a copy of the database alone cannot be rewritten without being detected:

- ``<key id>.key`` (mode 0600): a random 32-byte secret that keys the chain's hashes (HMAC-
  SHA-256), with the row it starts at. Made when the first audit row needs it (at set-up, on
  the first write after an upgrade, or on a computer that does not have the old one).
- ``<store code>.anchors`` (mode 0600): one JSON line per anchor (row count and chain head,
  with the time), appended at every clean console exit, ``audit verify`` and ``audit anchor``.
  A later verify checks the log against them: an emptied, cut or rewritten log, or an older
  copy of the database put back, no longer reaches the same head.

  A restore (``zhanggui restore``) appends a restore marker: a line with ``"kind": "restore"``
  that is also an anchor (its count and head are the restored log's right after the row that
  records the restore, so a program that does not know markers reads it as an anchor), with
  the backup file, who put it back and the heads before and after. The anchors before it are
  the replaced database's. Lines without a kind (or of a kind not known here) are anchors.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import platformdirs

from store.config.loader import APP_NAME
from store.kernel.errors import ValidationError
from store.kernel.i18n import _

KEY_ID = re.compile(r"^[0-9a-f]{16}$")
# A written-down anchor: "1234-3f9a2b1c4d5e6f70" (row count, then at least 16 hex digits of the head).
ANCHOR_TOKEN = re.compile(r"^\s*(\d+)\s*[-:]\s*([0-9a-fA-F]{16,64})\s*$")
TOKEN_HEX = 16
_STORE_CODE = re.compile(r"^[A-Za-z0-9]{1,12}$")


class KeyUnavailable(Exception):
    """The key a stretch of the chain was signed with cannot be used here; ``str`` says why."""


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes
    from_seq: int
    store_code: str
    created: str


@dataclass(frozen=True)
class Anchor:
    """The chain's head at a moment: how many rows the log held and the last row's hash."""

    count: int
    head: str  # the whole hash, or (written down by hand) its first 16 hex digits or more
    at: datetime | None = None
    store_code: str = ""
    key_id: str = ""

    @property
    def token(self) -> str:
        """The short form to write down or print: count and the first 16 hex digits."""
        return f"{self.count}-{self.head[:TOKEN_HEX]}"

    def matches(self, full_hash: str) -> bool:
        return full_hash.startswith(self.head.lower())


def parse_anchor(text: str) -> Anchor:
    """An anchor from its written-down form (``1234-3f9a2b1c4d5e6f70``)."""
    match = ANCHOR_TOKEN.match(text)
    if match is None:
        raise ValidationError(
            _("'{text}' is not an audit anchor: it looks like 1234-3f9a2b1c4d5e6f70.").format(text=text)
        )
    return Anchor(count=int(match.group(1)), head=match.group(2).lower())


# What platformdirs reads to find the user config folder; the folder is worked out again only
# when one of them changes (it costs more than the rest of an audit row).
_DIR_INPUTS = ("XDG_CONFIG_HOME", "HOME", "APPDATA", "LOCALAPPDATA", "USERPROFILE")
_DIRS: dict[tuple[str | None, ...], Path] = {}


def audit_dir() -> Path:
    inputs = tuple(os.environ.get(name) for name in _DIR_INPUTS)
    folder = _DIRS.get(inputs)
    if folder is None:
        folder = _DIRS[inputs] = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "audit"
    return folder


def key_path(key_id: str) -> Path:
    return audit_dir() / f"{key_id}.key"


def anchors_path(store_code: str) -> Path:
    return audit_dir() / f"{store_code or 'store'}.anchors"


def _private_dir() -> Path:
    folder = audit_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder we may not chmod (not ours) still holds 0600 files
        folder.chmod(0o700)
    return folder


_KEYS: dict[tuple[str, str], AuditKey] = {}


def create_key(*, from_seq: int, store_code: str, created: datetime) -> AuditKey:
    """A new secret, written to its own 0600 file before anything is signed with it."""
    folder = _private_dir()
    key = AuditKey(
        key_id=secrets.token_hex(8),
        secret=secrets.token_bytes(32),
        from_seq=from_seq,
        store_code=store_code,
        created=created.isoformat(timespec="seconds"),
    )
    body = json.dumps(
        {
            "version": 1,
            "key_id": key.key_id,
            "store_code": key.store_code,
            "from_seq": key.from_seq,
            "created": key.created,
            "secret": key.secret.hex(),
        },
        sort_keys=True,
    )
    final = folder / f"{key.key_id}.key"
    temporary = folder / f".{key.key_id}.key.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, body.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(temporary, 0o600)
    os.replace(temporary, final)
    _KEYS[(str(folder), key.key_id)] = key
    if _STORE_CODE.match(store_code):
        # Beside the anchors: a database whose key record was removed or replaced (to pass
        # plain SHA-256 rows off as a store's history from before keyed hashing) shows.
        line = json.dumps(
            {"kind": "key", "store": store_code, "key": key.key_id, "from": from_seq, "at": key.created},
            sort_keys=True,
        )
        with contextlib.suppress(OSError):  # the key file itself was written; the next anchor will do
            _append_line(store_code, line)
    return key


def load_key(key_id: str) -> AuditKey:
    """The key named ``key_id`` on this computer, or KeyUnavailable saying why not."""
    if not KEY_ID.match(key_id):
        raise KeyUnavailable(
            _("the database names an audit key that cannot exist ('{key}')").format(key=key_id)
        )
    folder = audit_dir()
    cached = _KEYS.get((str(folder), key_id))
    if cached is not None:
        return cached
    path = folder / f"{key_id}.key"
    try:
        data = json.loads(path.read_text(encoding="ascii"))
        key = AuditKey(
            key_id=str(data["key_id"]),
            secret=bytes.fromhex(str(data["secret"])),
            from_seq=int(data["from_seq"]),
            store_code=str(data.get("store_code", "")),
            created=str(data.get("created", "")),
        )
    except FileNotFoundError as exc:
        raise KeyUnavailable(
            _("its audit key {key} is not on this computer (it should be {path})").format(
                key=key_id, path=path
            )
        ) from exc
    except OSError as exc:
        raise KeyUnavailable(
            _("its audit key file {path} cannot be read: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise KeyUnavailable(_("its audit key file {path} is damaged").format(path=path)) from exc
    if key.key_id != key_id or len(key.secret) < 16:
        raise KeyUnavailable(_("its audit key file {path} is damaged").format(path=path))
    _KEYS[(str(folder), key_id)] = key
    return key


def _anchor_line(anchor: Anchor, reason: str) -> str:
    return json.dumps(
        {
            "store": anchor.store_code,
            "count": anchor.count,
            "head": anchor.head,
            "key": anchor.key_id,
            "at": anchor.at.isoformat(timespec="seconds") if anchor.at else "",
            "reason": reason,
        },
        sort_keys=True,
    )


@dataclass(frozen=True)
class KeyRecord:
    """A line of the anchors file saying that a key began signing the store's rows."""

    key_id: str
    from_seq: int


@dataclass(frozen=True)
class RestoreMarker:
    """A line of the anchors file saying a backup was put back. ``anchor`` is the restored
    log's head just after the row recording the restore; ``position`` is how many anchors were
    kept before it (its own anchor is ``anchors[position]``): those belong to the database the
    restore replaced."""

    anchor: Anchor
    position: int
    file: str
    sha256: str
    by: str  # the manager's name and staff code; "" for a computer that had no database
    from_count: int | None  # rows of the replaced log (None: it could not be read)
    from_head: str
    backup_count: int  # rows the backup brought


@dataclass
class KeptAnchors:
    anchors: list[Anchor]
    keys: list[KeyRecord]
    damaged: int = 0
    restores: list[RestoreMarker] = field(default_factory=list)


def read_anchors(store_code: str) -> KeptAnchors:
    """The anchors and key records kept for ``store_code`` (oldest first), and how many lines
    could not be read."""
    kept = KeptAnchors([], [])
    if not _STORE_CODE.match(store_code):
        return kept
    try:
        text = anchors_path(store_code).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return kept
    except OSError:
        kept.damaged = 1
        return kept
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if data.get("kind") == "key":
                kept.keys.append(KeyRecord(str(data["key"]), int(data["from"])))
                continue
            anchor = _anchor_from(data)
            if data.get("kind") == "restore":
                kept.restores.append(_marker_from(data, anchor, len(kept.anchors)))
            kept.anchors.append(anchor)
        except (ValueError, KeyError, TypeError, AttributeError):
            kept.damaged += 1
    return kept


def _anchor_from(data: dict[str, object]) -> Anchor:
    at_text = str(data.get("at", ""))
    return Anchor(
        count=int(str(data["count"])),
        head=str(data["head"]).lower(),
        at=datetime.fromisoformat(at_text) if at_text else None,
        store_code=str(data.get("store", "")),
        key_id=str(data.get("key", "")),
    )


def _marker_from(data: dict[str, object], anchor: Anchor, position: int) -> RestoreMarker:
    from_count = data.get("from_count")
    return RestoreMarker(
        anchor=anchor,
        position=position,
        file=str(data.get("file", "")),
        sha256=str(data.get("sha256", "")),
        by=str(data.get("by", "")),
        from_count=None if from_count is None else int(str(from_count)),
        from_head=str(data.get("from_head", "")),
        backup_count=int(str(data.get("backup_count", 0))),
    )


def _append_line(store_code: str, line: str) -> Path:
    path = anchors_path(store_code)
    if not _STORE_CODE.match(store_code):
        raise OSError(_("no store code to name the anchors file by"))
    _private_dir()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def append_restore(
    anchor: Anchor,
    *,
    file: str,
    sha256: str,
    by: str,
    replaced: Anchor | None,
    backup_count: int,
) -> Path:
    """Add a restore marker (see the module's notes) whose anchor is ``anchor``, the restored
    log's head after the row recording the restore. OSError when it cannot be written."""
    data = json.loads(_anchor_line(anchor, "restore"))
    data.update(
        kind="restore",
        file=file,
        sha256=sha256,
        by=by,
        from_count=replaced.count if replaced is not None else None,
        from_head=replaced.head if replaced is not None else "",
        backup_count=backup_count,
    )
    return _append_line(anchor.store_code, json.dumps(data, sort_keys=True, ensure_ascii=False))


def append_anchor(anchor: Anchor, reason: str) -> Path:
    """Add ``anchor`` to its store's anchors file (0600), unless the last one is the same head.
    OSError when the folder cannot be written; the caller decides whether that matters."""
    known = read_anchors(anchor.store_code).anchors
    if known and known[-1].count == anchor.count and known[-1].head == anchor.head:
        return anchors_path(anchor.store_code)
    return _append_line(anchor.store_code, _anchor_line(anchor, reason))
