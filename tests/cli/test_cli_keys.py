"""zhanggui keys init / keys show, and the key file under them (store/exchange/keys.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store.exchange.errors import KeyExists, NoSigningKey, SigningKeyError
from store.exchange.keys import (
    create_signing_key,
    fingerprint,
    key_path,
    keys_dir,
    load_signing_key,
    parse_public_key,
)
from store.kernel.errors import ValidationError
from tests.store_helpers import shop_in_file
from tui.cli import main


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["keys", *args])


def shown(output: str, label: str) -> str:
    return next(line.split(":", 1)[1].strip() for line in output.splitlines() if line.startswith(label))


def test_init_makes_a_private_key_only_its_owner_reads_and_show_prints_it() -> None:
    made = run("init", "--store", "S001")
    assert made.exit_code == 0, made.output
    path = key_path("S001")
    assert path.parent == keys_dir() and keys_dir().name == "keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_dir().stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    public = load_signing_key("S001").public
    assert shown(made.output, "Fingerprint") == public.fingerprint

    printed = run("show", "--store", "S001")
    assert printed.exit_code == 0, printed.output
    assert shown(printed.output, "Public key") == public.text
    assert shown(printed.output, "Fingerprint") == public.fingerprint == fingerprint(public.raw)
    assert parse_public_key(public.text) == parse_public_key(public.raw.hex()) == public
    assert len(public.text) == 44 and len(public.fingerprint) == 19  # 3f9a 2b1c 4d5e 6f70


def test_an_existing_key_is_kept_unless_forced() -> None:
    assert run("init", "--store", "S001").exit_code == 0
    first = key_path("S001").read_bytes()
    again = run("init", "--store", "S001")
    assert again.exit_code == 1
    assert "Store S001 already has a signing key" in again.output and "--force" in again.output
    assert "Traceback" not in again.output
    assert key_path("S001").read_bytes() == first
    with pytest.raises(KeyExists):
        create_signing_key("S001")

    forced = run("init", "--store", "S001", "--force")
    assert forced.exit_code == 0, forced.output
    assert key_path("S001").read_bytes() != first
    kept = [p for p in keys_dir().iterdir() if ".replaced-" in p.name]
    assert [p.read_bytes() for p in kept] == [first] and str(kept[0]) in forced.output
    assert stat.S_IMODE(key_path("S001").stat().st_mode) == 0o600
    assert [p.name for p in keys_dir().iterdir() if p.name.startswith(".")] == []


def test_the_store_code_comes_from_the_database(db_path: Path) -> None:
    shop_in_file(db_path)
    made = run("init", "--db", str(db_path))
    assert made.exit_code == 0, made.output
    assert "Store S001, signing key (Ed25519)" in made.output
    printed = run("show", "--db", str(db_path))
    assert shown(printed.output, "Fingerprint") == load_signing_key("S001").public.fingerprint


def test_no_key_a_damaged_key_and_bad_input_are_sentences() -> None:
    missing = run("show", "--store", "S009")
    assert missing.exit_code == 1 and "Store S009 has no signing key on this computer" in missing.output
    with pytest.raises(NoSigningKey):
        load_signing_key("S009")
    create_signing_key("S008")
    key_path("S008").write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key\n")
    damaged = run("show", "--store", "S008")
    assert damaged.exit_code == 1 and "is damaged" in damaged.output
    with pytest.raises(SigningKeyError):
        load_signing_key("S008")
    bad_code = run("init", "--store", "../S001")
    assert bad_code.exit_code == 1 and "is not a store code" in bad_code.output
    for text in ("", "abc", "A" * 44, "00" * 31):
        with pytest.raises(ValidationError):
            parse_public_key(text)
