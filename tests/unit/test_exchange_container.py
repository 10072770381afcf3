"""The signed container (store/exchange/container.py): what goes in comes out, always as the
same bytes, and a file changed in any way, or made to harm the reader, is refused whole."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest

from store.exchange import zipfmt
from store.exchange.container import canonical_json, encode_signed, write_signed
from store.exchange.errors import FileNotWritten, FileRefused, Refusal
from store.exchange.keys import SigningKey, create_signing_key
from store.exchange.reader import read_signed
from store.kernel.i18n import set_language
from tests.exchange_helpers import (
    MANIFEST,
    PARTS,
    day_file,
    decode,
    deflated,
    forge,
    forged_day,
    listed,
    make_key,
    stored,
    trusting,
)


def refusal(data: bytes, *keys: SigningKey, **kwargs: Any) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        decode(data, *keys, **kwargs)
    return caught.value


def test_what_is_written_is_read_back_verified(tmp_path: Path) -> None:
    key = make_key()
    target = write_signed(tmp_path / "S001-2026-12-06.zip", {**MANIFEST}, PARTS, key)
    got = read_signed(target, trusting(key), kind="day", schema_versions={1})
    assert got.parts == PARTS
    assert {k: got.manifest[k] for k in MANIFEST} == MANIFEST
    assert (got.store, got.kind, got.schema_version) == ("S001", "day", 1)
    assert got.signer == key.public
    assert got.digest == hashlib.sha256(target.read_bytes()).hexdigest()
    assert got.manifest["parts"]["sales.jsonl"]["sha256"] == hashlib.sha256(PARTS["sales.jsonl"]).hexdigest()
    # An ordinary zip tool sees the manifest, its signature and the parts, all intact.
    with zipfile.ZipFile(target) as plain:
        names = ["manifest.json", "manifest.sig", "empty.jsonl", "lines.jsonl", "sales.jsonl"]
        assert plain.namelist() == names
        assert plain.testzip() is None
        assert plain.read("sales.jsonl") == PARTS["sales.jsonl"]
    # A day without sales is a valid file too.
    assert decode(encode_signed({**MANIFEST}, {}, key), key).parts == {}


def test_the_same_day_gives_the_same_bytes(tmp_path: Path) -> None:
    key = make_key()
    first = encode_signed(dict(MANIFEST), PARTS, key)
    shuffled = encode_signed(dict(reversed(MANIFEST.items())), dict(reversed(PARTS.items())), key)
    assert first == shuffled
    write_signed(tmp_path / "a.zip", MANIFEST, PARTS, key)
    write_signed(tmp_path / "b.zip", MANIFEST, PARTS, key)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes() == first
    assert encode_signed({**MANIFEST, "sequence": 8}, PARTS, key) != first


def test_every_flipped_byte_and_every_cut_is_refused() -> None:
    key = make_key()
    data = day_file(key)
    assert len(data) >= 500
    rng = random.Random(15)
    reasons: set[Refusal] = set()
    for n in range(500):
        at = n * len(data) // 500
        changed = bytearray(data)
        changed[at] ^= 1 << rng.randrange(8) if n % 2 else rng.randrange(1, 256)
        reasons.add(refusal(bytes(changed), key).reason)
    for n in range(100):
        reasons.add(refusal(data[: n * len(data) // 100], key).reason)
    # Each kind of damage was found by the check made for it.
    assert {Refusal.DAMAGED, Refusal.SIGNATURE, Refusal.PARTS, Refusal.LAYOUT} <= reasons


def test_a_part_changed_with_its_checksums_recomputed_is_refused() -> None:
    key = make_key()
    honest = decode(day_file(key), key)
    parts = {**PARTS, "sales.jsonl": PARTS["sales.jsonl"].replace(b'"total":1999', b'"total":1')}
    entries = [deflated(name, data) for name, data in sorted(parts.items())]
    manifest = {**honest.manifest, "parts": {e.name: listed(e, parts[e.name]) for e in entries}}
    old_signature = zipfmt.read(day_file(key), 10)[1].packed
    text = canonical_json(manifest)
    rebuilt = zipfmt.build([stored("manifest.json", text), stored("manifest.sig", old_signature), *entries])
    assert refusal(rebuilt, key).reason is Refusal.SIGNATURE


def test_only_the_named_stores_own_key_is_trusted() -> None:
    s001, s002 = make_key("S001"), make_key("S002")
    theirs = day_file(s002)
    assert refusal(theirs, s001).reason is Refusal.UNKNOWN_STORE
    assert decode(theirs, s001, s002).store == "S002"
    # S002 sends a file in S001's name: signed with its own key, or claiming S001's.
    in_their_name = forged_day(s002, PARTS, store="S001")
    assert refusal(in_their_name, s001, s002).reason is Refusal.WRONG_KEY
    claiming = forge(s002, formatted({"parts": {}}), [], signer_id=s001.public.key_id)
    assert refusal(claiming, s001, s002).reason is Refusal.SIGNATURE
    # A store whose key was replaced: head office holding both keys takes files made with either.
    old = create_signing_key("S003").key
    new = create_signing_key("S003", force=True).key
    assert decode(day_file(old), old, new).store == decode(day_file(new), old, new).store == "S003"
    assert refusal(day_file(old), new).reason is Refusal.WRONG_KEY


def formatted(fields: dict[str, Any]) -> dict[str, Any]:
    """The manifest of S001's day with the format's own fields, as the writer would add them."""
    return {**MANIFEST, "format": "zhanggui-signed", "format_version": 1, **fields}


def test_unknown_versions_kinds_and_parts_are_refused() -> None:
    key = make_key()
    assert refusal(forged_day(key, PARTS, format_version=2), key).reason is Refusal.FORMAT
    assert refusal(forged_day(key, PARTS, format="other"), key).reason is Refusal.NOT_OURS
    assert refusal(forged_day(key, PARTS, schema_version=9), key).reason is Refusal.SCHEMA
    assert refusal(forged_day(key, PARTS, kind="prices"), key).reason is Refusal.KIND
    assert refusal(forged_day(key, PARTS, total=19.99), key).why == "its manifest cannot be read"
    assert decode(forged_day(key, PARTS, schema_version=2), key, schema_versions=(1, 2)).schema_version == 2

    entries = [deflated(name, data) for name, data in sorted(PARTS.items())]
    every = {e.name: listed(e, PARTS[e.name]) for e in entries}
    base = formatted({"parts": every})
    missing = forge(key, base, entries[1:])
    extra = forge(key, {**base, "parts": {n: v for n, v in every.items() if n != "empty.jsonl"}}, entries)
    twice = forge(key, base, [*entries, entries[0]])
    assert refusal(missing, key).why == "its part empty.jsonl is missing"
    assert refusal(extra, key).why == "it holds empty.jsonl, which its manifest does not list"
    assert refusal(twice, key).reason is Refusal.DUPLICATE
    assert refusal(b"", key).reason is Refusal.DAMAGED
    assert refusal(b"PK\x03\x04 not a zip at all", key).reason is Refusal.DAMAGED
    assert refusal(day_file(key), key, max_file_bytes=100).reason is Refusal.TOO_LARGE


def _plain_zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ("manifest.json", "manifest.sig", *names):
            archive.writestr(name, b"{}")
    return out.getvalue()


@pytest.mark.parametrize(
    "name", ["../evil.sh", "/etc/cron.d/evil", "parts/../../evil", "C:/Windows/evil", "..\\evil", "a\\b"]
)
def test_a_path_outside_the_file_is_refused(name: str) -> None:
    key = make_key()
    found = refusal(_plain_zip(name), key)
    assert found.reason is Refusal.UNSAFE_PATH
    assert "outside its own folder" in str(found)


def test_a_zip_bomb_is_stopped_while_it_unpacks() -> None:
    key = make_key()
    zeros = bytes(5 << 20)  # deflates to about 5 KB
    # Signed by the store's own key (stolen, or a bug) and claiming a 1 KB part: unpacking stops
    # at the 1,025th byte, whatever the zip headers say.
    lying = deflated("sales.jsonl", zeros, size=1024)
    manifest = formatted({"parts": {"sales.jsonl": listed(lying, zeros[:1024])}})
    assert refusal(forge(key, manifest, [lying]), key).why == (
        "its part sales.jsonl unpacks to more than its manifest says"
    )
    # Honest about its size: refused for its ratio, or for the limit, before it is unpacked.
    honest = deflated("sales.jsonl", zeros)
    manifest = formatted({"parts": {"sales.jsonl": listed(honest, zeros)}})
    assert "more than 100 times" in refusal(forge(key, manifest, [honest]), key).why
    assert "more than 4 MB" in refusal(forge(key, manifest, [honest]), key, max_part_bytes=4 << 20).why


def test_a_refusal_is_one_sentence_in_the_users_language() -> None:
    key = make_key()
    try:
        set_language("zh_CN")
        chinese = str(refusal(day_file(key)[:-1], key))
    finally:
        set_language("en")
    english = str(refusal(day_file(key)[:-1], key))
    assert english == (
        "S001-2026-12-06.zip was refused and nothing in it was used: it is damaged or cut short"
        " (it is not a whole zhanggui file)."
    )
    assert chinese != english and "S001-2026-12-06.zip" in chinese


def test_an_unreadable_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    key = make_key()
    with pytest.raises(FileRefused) as caught:
        read_signed(tmp_path / "missing.zip", trusting(key), kind="day", schema_versions={1})
    assert caught.value.reason is Refusal.UNREADABLE


def test_a_file_that_cannot_be_written_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(FileNotWritten) as caught:
        write_signed(tmp_path / "no-such-folder" / "day.zip", MANIFEST, PARTS, make_key())
    assert str(caught.value).startswith(f"{tmp_path / 'no-such-folder' / 'day.zip'} could not be written (")


def test_the_writer_refuses_what_the_reader_would() -> None:
    key = make_key()
    for manifest, parts in (
        ({**MANIFEST, "store": "S002"}, PARTS),  # another store's name under this key
        ({**MANIFEST, "parts": {}}, PARTS),  # the format's own field
        ({**MANIFEST, "schema_version": "1"}, PARTS),
        ({**MANIFEST, "counts": {"total": 19.99}}, PARTS),  # money is integer fen
        (MANIFEST, {"../evil": b""}),
        (MANIFEST, {"manifest.json": b""}),
    ):
        with pytest.raises(ValueError):
            encode_signed(manifest, parts, key)
