"""Reading a signed file (store/exchange/container.py) at head office, or anywhere else: it is
verified whole before any of it is returned, and anything wrong refuses all of it (FileRefused).

In order: the size; the zip layout and every entry's name (no path outside the file, no name
twice); the manifest and its signature, by the key registered for the store it names; the kind
and schema version asked for; the parts listed against those present, their unpacked sizes
against the limits; each part's packed bytes against their signed hash; the whole file against
the one layout rebuilt from what was verified (so no byte outside them can differ either); and
last each part unpacked a chunk at a time, never past its signed size, against its hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from store.exchange import zipfmt
from store.exchange.container import (
    DEFAULT_LIMITS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PART_NAME,
    SIGNATURE,
    SIGNED_PREFIX,
    Limits,
    SignedFile,
    TrustedKeys,
)
from store.exchange.errors import FileRefused, Refusal
from store.exchange.keys import SIGNATURE_BYTES, STORE_CODE, PublicKey
from store.kernel.i18n import _

_CHUNK = 64 * 1024
_MIB = 1 << 20


def read_signed(
    path: Path,
    trusted: TrustedKeys,
    *,
    kind: str,
    schema_versions: Collection[int],
    limits: Limits = DEFAULT_LIMITS,
) -> SignedFile:
    """The verified file at ``path``, or FileRefused (nothing in it may be used)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise FileRefused(
            path.name,
            Refusal.UNREADABLE,
            _("it cannot be read ({error})").format(error=exc.strerror or exc),
        ) from exc
    return decode_signed(
        data, trusted, name=path.name, kind=kind, schema_versions=schema_versions, limits=limits
    )


def decode_signed(
    data: bytes,
    trusted: TrustedKeys,
    *,
    name: str,
    kind: str,
    schema_versions: Collection[int],
    limits: Limits = DEFAULT_LIMITS,
) -> SignedFile:
    """The verified file from its bytes (``name`` for the messages), or FileRefused."""

    def refuse(reason: Refusal, why: str) -> FileRefused:
        return FileRefused(name, reason, why)

    if len(data) > limits.max_file_bytes:
        raise refuse(
            Refusal.TOO_LARGE,
            _("it is larger than {mb} MB, far more than a zhanggui file holds").format(
                mb=limits.max_file_bytes // _MIB
            ),
        )
    try:
        entries = zipfmt.read(data, limits.max_parts + 2)
    except zipfmt.Malformed as exc:
        raise refuse(exc.reason, exc.why) from exc
    by_name: dict[str, zipfmt.Entry] = {}
    for entry in entries:
        if entry.name in by_name:
            raise refuse(Refusal.DUPLICATE, _("it holds {name} twice").format(name=entry.name))
        by_name[entry.name] = entry
    body, signature = _manifest_entries(by_name, limits, refuse)
    manifest = _parse_manifest(body, refuse)
    signer = _verify_signer(manifest, body, signature, trusted, refuse)
    if manifest.get("kind") != kind:
        raise refuse(
            Refusal.KIND,
            _("it is a '{found}' file, not a '{wanted}' file").format(
                found=manifest.get("kind"), wanted=kind
            ),
        )
    version = manifest.get("schema_version")
    if type(version) is not int or version not in schema_versions:
        raise refuse(
            Refusal.SCHEMA,
            _(
                "its records are in schema version {found}, which this zhanggui cannot read"
                " (it reads {known})"
            ).format(found=version, known=", ".join(str(v) for v in sorted(schema_versions))),
        )
    listed = _listed_parts(manifest, set(by_name) - {MANIFEST, SIGNATURE}, limits, refuse)
    for part, entry in by_name.items():
        if part in listed and (
            entry.method != zipfmt.DEFLATED
            or len(entry.packed) != listed[part]["packed_size"]
            or hashlib.sha256(entry.packed).hexdigest() != listed[part]["packed_sha256"]
        ):
            raise refuse(
                Refusal.PARTS, _("its part {name} is not the one it was signed with").format(name=part)
            )
    if zipfmt.build(entries) != data:
        raise refuse(Refusal.LAYOUT, _("bytes between its parts were changed after it was written"))
    parts = {part: _unpack(part, by_name[part], listed[part], refuse) for part in sorted(listed)}
    return SignedFile(manifest, parts, signer, hashlib.sha256(data).hexdigest())


Refuse = Callable[[Refusal, str], FileRefused]


def _manifest_entries(
    by_name: Mapping[str, zipfmt.Entry], limits: Limits, refuse: Refuse
) -> tuple[bytes, bytes]:
    body, signature = by_name.get(MANIFEST), by_name.get(SIGNATURE)
    if body is None or signature is None:
        raise refuse(Refusal.NOT_OURS, _("it is not a zhanggui signed file (it has no signed manifest)"))
    if (
        body.method != zipfmt.STORED
        or signature.method != zipfmt.STORED
        or len(body.packed) > limits.max_manifest_bytes
        or len(signature.packed) != SIGNATURE_BYTES
    ):
        raise refuse(Refusal.NOT_OURS, _("its manifest cannot be read"))
    return body.packed, signature.packed


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a key twice")
    return result


def _no_constants(text: str) -> Any:
    raise ValueError(text)


def _parse_manifest(body: bytes, refuse: Refuse) -> dict[str, Any]:
    try:
        manifest = json.loads(
            body.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constants,
            parse_float=_no_constants,  # version 1 has none: amounts are integer fen
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise refuse(Refusal.NOT_OURS, _("its manifest cannot be read")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse(Refusal.NOT_OURS, _("it is not a zhanggui signed file (it has no signed manifest)"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise refuse(
            Refusal.FORMAT,
            _(
                "it is in format version {found}, which this zhanggui does not know (it reads"
                " version {known}); a newer zhanggui may read it"
            ).format(found=manifest.get("format_version"), known=FORMAT_VERSION),
        )
    return manifest


def _verify_signer(
    manifest: Mapping[str, Any], body: bytes, signature: bytes, trusted: TrustedKeys, refuse: Refuse
) -> PublicKey:
    store, signer = manifest.get("store"), manifest.get("signer")
    if not isinstance(store, str) or not STORE_CODE.match(store) or not isinstance(signer, str):
        raise refuse(Refusal.NOT_OURS, _("its manifest cannot be read"))
    known = list(trusted(store))
    if not known:
        raise refuse(
            Refusal.UNKNOWN_STORE,
            _(
                "store {store} has no public key registered here; register the key that"
                " 'zhanggui keys show' prints at the store"
            ).format(store=store),
        )
    key = next((k for k in known if k.key_id == signer), None)
    if key is None:
        shown = (
            " ".join(signer[i : i + 4] for i in range(0, 16, 4))
            if re.fullmatch(r"[0-9a-f]{64}", signer)
            else "?"
        )
        raise refuse(
            Refusal.WRONG_KEY,
            _("it is signed with key {fingerprint}, which is not registered for store {store}").format(
                fingerprint=shown, store=store
            ),
        )
    if not key.verifies(signature, SIGNED_PREFIX + body):
        raise refuse(
            Refusal.SIGNATURE,
            _("its signature does not match store {store}'s key: it was changed after it was signed").format(
                store=store
            ),
        )
    return key


def _listed_parts(
    manifest: Mapping[str, Any], present: set[str], limits: Limits, refuse: Refuse
) -> dict[str, dict[str, Any]]:
    listed = manifest.get("parts")
    if not isinstance(listed, dict) or not all(_part_entry(n, e) for n, e in listed.items()):
        raise refuse(Refusal.NOT_OURS, _("its manifest cannot be read"))
    missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
    if missing:
        raise refuse(Refusal.PARTS, _("its part {name} is missing").format(name=missing[0]))
    if extra:
        raise refuse(
            Refusal.PARTS, _("it holds {name}, which its manifest does not list").format(name=extra[0])
        )
    total = 0
    for part, entry in sorted(listed.items()):
        size, packed = entry["size"], entry["packed_size"]
        total += size
        if size > limits.max_part_bytes or total > limits.max_total_bytes:
            raise refuse(
                Refusal.BOMB,
                _("its part {name} would unpack to more than {mb} MB").format(
                    name=part, mb=min(limits.max_part_bytes, limits.max_total_bytes) // _MIB
                ),
            )
        if size > limits.ratio_floor and size > limits.max_ratio * max(packed, 1):
            raise refuse(
                Refusal.BOMB,
                _("its part {name} would unpack to more than {ratio} times its size").format(
                    name=part, ratio=limits.max_ratio
                ),
            )
    return listed


def _part_entry(name: Any, entry: Any) -> bool:
    def digest(value: Any) -> bool:
        return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None

    def count(value: Any) -> bool:
        return type(value) is int and value >= 0

    return (
        isinstance(name, str)
        and PART_NAME.match(name) is not None
        and isinstance(entry, dict)
        and count(entry.get("size"))
        and count(entry.get("packed_size"))
        and digest(entry.get("sha256"))
        and digest(entry.get("packed_sha256"))
    )


def _unpack(name: str, entry: zipfmt.Entry, listed: Mapping[str, Any], refuse: Refuse) -> bytes:
    """The part's bytes, inflated a chunk at a time and never past the size its signed manifest
    gives (a zip bomb stops there, whatever its headers claim)."""
    size = int(listed["size"])
    unpacker = zlib.decompressobj(-15)
    out = bytearray()
    view = memoryview(entry.packed)
    try:
        for start in range(0, len(view), _CHUNK):
            pending = bytes(view[start : start + _CHUNK])
            while pending:
                out += unpacker.decompress(pending, size + 1 - len(out))
                if len(out) > size:
                    raise refuse(
                        Refusal.BOMB,
                        _("its part {name} unpacks to more than its manifest says").format(name=name),
                    )
                pending = unpacker.unconsumed_tail
        out += unpacker.flush(size + 1 - len(out))
    except zlib.error as exc:
        raise refuse(Refusal.PARTS, _("its part {name} is damaged").format(name=name)) from exc
    data = bytes(out)
    if (
        len(data) != size
        or not unpacker.eof
        or unpacker.unused_data
        or zlib.crc32(data) != entry.crc
        or entry.size != size
        or hashlib.sha256(data).hexdigest() != listed["sha256"]
    ):
        raise refuse(Refusal.PARTS, _("its part {name} is not the one it was signed with").format(name=name))
    return data
