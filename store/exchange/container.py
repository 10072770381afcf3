"""The signed file a store sends head office (and, later, head office sends a store).

One zip (store/exchange/zipfmt.py: one layout, byte for byte) holding, in this order:

- ``manifest.json`` (stored): one line of canonical JSON (sorted keys, no spaces, UTF-8) with
  the caller's fields (``store``, ``kind``, ``schema_version`` and whatever the kind needs:
  business date, sequence number, record counts, …) and the format's own: ``format``
  (``zhanggui-signed``), ``format_version`` (1), ``signer`` (SHA-256 of the signing public key)
  and ``parts``: for each part its ``size`` and ``sha256``, and the ``packed_size`` and
  ``packed_sha256`` of its deflated bytes as they lie in the file.
- ``manifest.sig`` (stored): the 64-byte Ed25519 signature of ``SIGNED_PREFIX`` + the manifest.
- each part (raw deflate, level 6), in name order.

The signature covers the manifest, the manifest covers every part's bytes packed and unpacked,
and the reader (reader.py) rebuilds the zip from what it verified and compares: no byte of the file can
change without the file being refused. Same manifest, parts and key: the same bytes (given the
same zlib; the parts' own hashes do not depend on it).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.exchange import zipfmt
from store.exchange.durable import publish
from store.exchange.errors import FileNotWritten
from store.exchange.keys import PublicKey, SigningKey
from store.kernel.i18n import _

FORMAT = "zhanggui-signed"
FORMAT_VERSION = 1
SIGNED_PREFIX = b"zhanggui signed file v1\n"  # what is signed is never just some JSON
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# A part's name: lower-case letters, digits, '-' and '_', up to two extensions (sales.jsonl).
PART_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}(\.[a-z0-9]{1,8}){0,2}$")
_FORMAT_KEYS = ("format", "format_version", "signer", "parts")
_LEVEL = 6
_MIB = 1 << 20

# The public keys head office trusts for a store code (none: an unknown store).
TrustedKeys = Callable[[str], Iterable[PublicKey]]


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused unread."""

    max_file_bytes: int = 64 * _MIB
    max_manifest_bytes: int = _MIB
    max_parts: int = 64
    max_part_bytes: int = 256 * _MIB  # unpacked
    max_total_bytes: int = 512 * _MIB  # unpacked, all parts
    max_ratio: int = 100  # unpacked : packed, for parts over ratio_floor
    ratio_floor: int = _MIB


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SignedFile:
    """A verified file: its manifest as signed, and every part's bytes."""

    manifest: dict[str, Any]
    parts: dict[str, bytes]
    signer: PublicKey
    digest: str  # SHA-256 of the whole file (hex): the same file twice has the same digest

    @property
    def store(self) -> str:
        return str(self.manifest["store"])

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def schema_version(self) -> int:
        return int(self.manifest["schema_version"])


def canonical_json(value: Mapping[str, Any]) -> bytes:
    return (
        json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    ).encode("utf-8")


def encode_signed(manifest: Mapping[str, Any], parts: Mapping[str, bytes], key: SigningKey) -> bytes:
    """The file's bytes. ``manifest`` holds ``store`` (the key's store), ``kind`` and
    ``schema_version`` and any other JSON fields except the format's own; ``parts`` maps
    part names (PART_NAME) to their bytes. A wrong argument is a ValueError (a bug, not input)."""
    _check_fields(manifest, key)
    entries: list[zipfmt.Entry] = []
    listed: dict[str, dict[str, Any]] = {}
    for name in sorted(parts):
        if not PART_NAME.match(name) or name in (MANIFEST, SIGNATURE):
            raise ValueError(f"not a part name: {name!r}")
        data = bytes(parts[name])
        packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
        packed = packer.compress(data) + packer.flush()
        entries.append(zipfmt.Entry(name, zipfmt.DEFLATED, packed, zlib.crc32(data), len(data)))
        listed[name] = {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "packed_size": len(packed),
            "packed_sha256": hashlib.sha256(packed).hexdigest(),
        }
    body = canonical_json(
        {
            **manifest,
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "signer": key.public.key_id,
            "parts": listed,
        }
    )
    signature = key.sign(SIGNED_PREFIX + body)
    return zipfmt.build([_stored(MANIFEST, body), _stored(SIGNATURE, signature), *entries])


def write_signed(
    target: Path, manifest: Mapping[str, Any], parts: Mapping[str, bytes], key: SigningKey
) -> Path:
    """encode_signed, written to ``target`` crash-safely (store/exchange/durable.py): a crash
    at any moment leaves the whole file or none; a write that fails is FileNotWritten."""
    data = encode_signed(manifest, parts, key)
    try:
        publish(target, data)
    except OSError as exc:
        raise FileNotWritten(
            _("{path} could not be written ({error}); nothing of it was left in its folder.").format(
                path=target, error=exc.strerror or exc
            )
        ) from exc
    return target


def _check_fields(manifest: Mapping[str, Any], key: SigningKey) -> None:
    taken = [k for k in _FORMAT_KEYS if k in manifest]
    if taken:
        raise ValueError(f"the format's own fields: {taken}")
    if manifest.get("store") != key.store_code:
        raise ValueError(f"store {manifest.get('store')!r} signed with the key of {key.store_code!r}")
    if not isinstance(manifest.get("kind"), str) or not manifest["kind"]:
        raise ValueError("kind: a non-empty string")
    if type(manifest.get("schema_version")) is not int:
        raise ValueError("schema_version: an int")
    _no_floats(manifest)


def _no_floats(value: Any) -> None:
    """Amounts are integer fen and counts are counts: a float in a manifest is a bug."""
    if isinstance(value, float):
        raise ValueError(f"a float in the manifest: {value!r}")
    if isinstance(value, Mapping):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_floats(item)


def _stored(name: str, data: bytes) -> zipfmt.Entry:
    return zipfmt.Entry(name, zipfmt.STORED, data, zlib.crc32(data), len(data))
