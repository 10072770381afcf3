"""Files between a store and head office: the store's signing key and the signed container.

What a file carries (a closed day's records, a price list) is built elsewhere; here is how it
is packed, signed, written and, at the other end, verified whole before anything is used:

- ``keys``: ``create_signing_key`` / ``load_signing_key`` (the private key, in the user config
  folder, 0600), ``PublicKey`` and ``parse_public_key`` (what head office registers).
- ``container``: ``write_signed`` / ``encode_signed``; ``reader``: ``read_signed`` / ``decode_signed``,
  which returns a ``SignedFile`` or raises ``FileRefused`` (errors.py) with a ``Refusal``.
"""
