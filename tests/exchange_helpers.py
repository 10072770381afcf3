"""Signed files for the exchange tests: a small honest one, and forged ones built by hand."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from store.exchange import zipfmt
from store.exchange.container import (
    SIGNED_PREFIX,
    Limits,
    SignedFile,
    TrustedKeys,
    canonical_json,
    encode_signed,
)
from store.exchange.keys import PublicKey, SigningKey, create_signing_key
from store.exchange.reader import decode_signed

MANIFEST: dict[str, Any] = {
    "store": "S001",
    "kind": "day",
    "schema_version": 1,
    "business_date": "2026-12-06",
    "sequence": 7,
    "counts": {"sales": 3, "lines": 4},
    "store_name": "掌柜手机店",
}
PARTS = {
    "sales.jsonl": b"".join(
        f'{{"id":"0193a1b2-{i:04x}","total":{(i + 1) * 1999},"promoter":"P{i % 3}"}}\n'.encode()
        for i in range(3)
    ),
    "lines.jsonl": b"".join(
        f'{{"sale":"0193a1b2-{i % 3:04x}","sku":"SKU{i:03d}","qty":1,"price":1999}}\n'.encode()
        for i in range(4)
    ),
    "empty.jsonl": b"",
}


def make_key(store: str = "S001") -> SigningKey:
    return create_signing_key(store).key


def trusting(*keys: SigningKey) -> TrustedKeys:
    """A head office that knows exactly these stores' keys."""
    known: dict[str, list[PublicKey]] = {}
    for key in keys:
        known.setdefault(key.store_code, []).append(key.public)

    def lookup(store: str) -> Iterable[PublicKey]:
        return known.get(store, [])

    return lookup


def day_file(key: SigningKey, **fields: Any) -> bytes:
    return encode_signed({**MANIFEST, "store": key.store_code, **fields}, PARTS, key)


def decode(
    data: bytes, *keys: SigningKey, schema_versions: Iterable[int] = (1,), **limits: Any
) -> SignedFile:
    """``data`` read as head office would, trusting ``keys``; ``limits``: Limits fields."""
    return decode_signed(
        data,
        trusting(*keys),
        name="S001-2026-12-06.zip",
        kind="day",
        schema_versions=set(schema_versions),
        limits=Limits(**limits),
    )


def deflated(name: str, data: bytes, *, size: int | None = None) -> zipfmt.Entry:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return zipfmt.Entry(name, zipfmt.DEFLATED, packed, zlib.crc32(data), len(data) if size is None else size)


def stored(name: str, data: bytes) -> zipfmt.Entry:
    return zipfmt.Entry(name, zipfmt.STORED, data, zlib.crc32(data), len(data))


def forge(
    signer: SigningKey,
    manifest: Mapping[str, Any],
    entries: Iterable[zipfmt.Entry],
    *,
    signer_id: str | None = None,
) -> bytes:
    """A file whose manifest (given whole, format fields included) is really signed by
    ``signer``: what a store whose key was stolen, or a buggy writer, could send."""
    body = canonical_json({"signer": signer_id or signer.public.key_id, **manifest})
    signature = signer.sign(SIGNED_PREFIX + body)
    return zipfmt.build([stored("manifest.json", body), stored("manifest.sig", signature), *entries])


def listed(entry: zipfmt.Entry, data: bytes, *, size: int | None = None) -> dict[str, Any]:
    """A part's line in the manifest, as the writer makes it."""
    return {
        "size": len(data) if size is None else size,
        "sha256": hashlib.sha256(data).hexdigest(),
        "packed_size": len(entry.packed),
        "packed_sha256": hashlib.sha256(entry.packed).hexdigest(),
    }


def forged_day(signer: SigningKey, parts: Mapping[str, bytes], **fields: Any) -> bytes:
    """A well-formed file of ``parts`` forged by hand, with any field replaced."""
    entries = [deflated(name, data) for name, data in sorted(parts.items())]
    manifest = {
        **MANIFEST,
        "format": "zhanggui-signed",
        "format_version": 1,
        "parts": {e.name: listed(e, parts[e.name]) for e in entries},
        **fields,
    }
    return forge(signer, manifest, entries)
