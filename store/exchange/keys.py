"""The store's Ed25519 signing key, and public keys as head office registers them.

The private key lives beside the audit keys (store/audit/keys.py), in the user config folder,
never in the database: ``…/zhanggui/keys/<store code>.ed25519.pem`` (PKCS#8 PEM, unencrypted,
mode 0600, folder 0700), so a copy of the database cannot sign in the store's name. The public
key is shown as 44 characters of base64 (its 32 raw bytes); its fingerprint is the first 16 hex
digits of the SHA-256 of those bytes in groups of four, short enough to read out on the phone.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from store.config.loader import APP_NAME
from store.exchange.errors import KeyExists, NoSigningKey, SigningKeyError
from store.kernel.errors import ValidationError
from store.kernel.files import fsync_directory
from store.kernel.i18n import _

STORE_CODE = re.compile(r"^[A-Za-z0-9]{1,12}$")
RAW_KEY_BYTES = 32
SIGNATURE_BYTES = 64
_HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")


def fingerprint(raw: bytes) -> str:
    """The short form of a public key to compare by eye or phone: ``3f9a 2b1c 4d5e 6f70``."""
    head = hashlib.sha256(raw).hexdigest()[:16]
    return " ".join(head[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key by its 32 raw bytes."""

    raw: bytes

    @property
    def text(self) -> str:
        """The one line to give head office (base64 of the raw bytes)."""
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    @property
    def key_id(self) -> str:
        """The whole SHA-256 of the raw key (hex): what a signed file names its signer by."""
        return hashlib.sha256(self.raw).hexdigest()

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


def parse_public_key(text: str) -> PublicKey:
    """A public key as ``keys show`` prints it (base64), or as 64 hex digits; spaces ignored."""
    compact = "".join(text.split())
    raw = b""
    if _HEX_KEY.match(compact):
        raw = bytes.fromhex(compact)
    else:
        with contextlib.suppress(binascii.Error, ValueError):
            raw = base64.b64decode(compact, validate=True)
    if len(raw) != RAW_KEY_BYTES:
        raise ValidationError(
            _(
                "'{text}' is not a store's public key: it is the 44-character line that"
                " 'zhanggui keys show' prints at the store."
            ).format(text=text[:60])
        )
    return PublicKey(raw)


@dataclass(frozen=True)
class SigningKey:
    """A store's private key, loaded from its file."""

    store_code: str
    path: Path
    private: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        return PublicKey(
            self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def keys_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "keys"


def key_path(store_code: str) -> Path:
    return keys_dir() / f"{_checked_code(store_code)}.ed25519.pem"


def _checked_code(store_code: str) -> str:
    if not STORE_CODE.match(store_code):
        raise ValidationError(
            _("'{code}' is not a store code: letters and digits only, at most 12.").format(code=store_code)
        )
    return store_code


def _private_dir() -> Path:
    folder = keys_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # a folder we may not chmod still holds 0600 files
            folder.chmod(0o700)
    except OSError as exc:
        raise SigningKeyError(
            _("The key folder {path} cannot be made: {error}").format(path=folder, error=exc.strerror or exc)
        ) from exc
    return folder


def load_signing_key(store_code: str) -> SigningKey:
    """The store's key on this computer, or NoSigningKey / SigningKeyError saying why not."""
    path = key_path(store_code)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NoSigningKey(
            _(
                "Store {store} has no signing key on this computer ({path}). Make it with"
                " 'zhanggui keys init' and give head office its public key."
            ).format(store=store_code, path=path)
        ) from exc
    except OSError as exc:
        raise SigningKeyError(
            _("The signing key file {path} cannot be read: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError(_("The signing key file {path} is damaged.").format(path=path)) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningKeyError(_("The signing key file {path} is damaged.").format(path=path))
    return SigningKey(store_code, path, private)


@dataclass(frozen=True)
class CreatedKey:
    key: SigningKey
    replaced: Path | None  # where the key it replaced was kept (--force), else None


def create_signing_key(store_code: str, *, force: bool = False) -> CreatedKey:
    """A new key for ``store_code``, in its 0600 file. An existing key is refused (KeyExists)
    unless ``force``; then it is kept beside the new one as ``….replaced-<fingerprint>``, since
    files already sent were signed with it."""
    final = key_path(store_code)
    folder = _private_dir()
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = folder / f".{final.name}.{secrets.token_hex(4)}.tmp"
    replaced: Path | None = None
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, 0o600)
        if force:
            replaced = _keep_old(final)
            os.replace(temporary, final)
        else:
            os.link(temporary, final)  # never over an existing key, even one made meanwhile
        fsync_directory(folder)
    except FileExistsError as exc:
        old = load_signing_key(store_code)
        raise KeyExists(
            _(
                "Store {store} already has a signing key ({path}, fingerprint {fingerprint}); head"
                " office knows the store by it. Nothing was changed. To replace it, run the"
                " command again with --force, then register the new public key at head office."
            ).format(store=store_code, path=final, fingerprint=old.public.fingerprint)
        ) from exc
    except OSError as exc:
        raise SigningKeyError(
            _("The signing key cannot be written to {path}: {error}").format(
                path=final, error=exc.strerror or exc
            )
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)
    return CreatedKey(SigningKey(store_code, final, private), replaced)


def _keep_old(final: Path) -> Path | None:
    if not final.exists():
        return None
    try:
        old = load_signing_key(final.name.split(".")[0]).public.fingerprint.replace(" ", "")
    except SigningKeyError:
        old = "damaged-" + secrets.token_hex(4)
    kept = final.with_name(f"{final.name}.replaced-{old}")
    with contextlib.suppress(FileExistsError):
        os.link(final, kept)
    return kept
