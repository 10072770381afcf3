"""The one zip layout a signed file has, written and read here byte by byte.

Written: each entry's local header, its data, then the central directory and its end record,
with no comment, no extra fields, no data descriptors and no zip64; every entry dated
1980-01-01 00:00, made on Unix with mode 0644. The data is handed in already packed (stored or
raw deflate) with its CRC-32, so the same entries always give the same bytes, whatever zlib the
computer has.

Read: the end record must be the file's last 22 bytes and the central directory must lie
whole before it; each entry's data is found through its local header. Nothing is trusted
beyond that: the caller rebuilds the file from what it read (``build``) and compares, so any
byte that differs from the one layout (a date, an attribute, a comment, data after the end, a
name in a local header unlike the directory's) refuses the file.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from store.exchange.errors import Refusal
from store.kernel.i18n import _

STORED = 0
DEFLATED = 8

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00, the earliest a zip can say
_MADE_BY = (3 << 8) | 20  # Unix, zip 2.0
_MODE = 0o100644 << 16  # a regular file, rw-r--r--


class Malformed(Exception):
    """What is wrong with the file's layout; the caller names the file and refuses it."""

    def __init__(self, reason: Refusal, why: str) -> None:
        super().__init__(why)
        self.reason = reason
        self.why = why


@dataclass(frozen=True)
class Entry:
    name: str
    method: int  # STORED or DEFLATED
    packed: bytes  # the data as it lies in the file
    crc: int  # CRC-32 of the unpacked data
    size: int  # length of the unpacked data


def build(entries: Sequence[Entry]) -> bytes:
    """The file holding ``entries`` in this order, in the one layout."""
    out = bytearray()
    directory = bytearray()
    for entry in entries:
        name = entry.name.encode("ascii")
        version = 20 if entry.method == DEFLATED else 10
        offset = len(out)
        fields = (entry.method, _DOS_TIME, _DOS_DATE, entry.crc, len(entry.packed), entry.size, len(name))
        out += _LOCAL.pack(_LOCAL_SIG, version, 0, *fields, 0)
        out += name
        out += entry.packed
        directory += _CENTRAL.pack(_CENTRAL_SIG, _MADE_BY, version, 0, *fields, 0, 0, 0, 0, _MODE, offset)
        directory += name
    start = len(out)
    out += directory
    out += _END.pack(_END_SIG, 0, 0, len(entries), len(entries), len(directory), start, 0)
    return bytes(out)


def _damaged() -> Malformed:
    return Malformed(Refusal.DAMAGED, _("it is damaged or cut short (it is not a whole zhanggui file)"))


def read(data: bytes, max_entries: int) -> list[Entry]:
    """The entries of ``data`` in directory order, each with its packed bytes. Malformed when
    the file is not a whole zip, has more than ``max_entries`` entries, or names a path."""
    if len(data) < _END.size:
        raise _damaged()
    end = _END.unpack_from(data, len(data) - _END.size)
    signature, disk, cd_disk, here, total, cd_size, cd_start, comment = end
    if signature != _END_SIG or disk or cd_disk or here != total or comment:
        raise _damaged()
    if total > max_entries:
        raise Malformed(
            Refusal.NOT_OURS,
            _("it holds {count} entries, more than a zhanggui file ever has").format(count=total),
        )
    if cd_start + cd_size != len(data) - _END.size:
        raise _damaged()
    entries: list[Entry] = []
    at = cd_start
    for _i in range(total):
        if at + _CENTRAL.size > len(data) - _END.size:
            raise _damaged()
        header = _CENTRAL.unpack_from(data, at)
        if header[0] != _CENTRAL_SIG:
            raise _damaged()
        method, crc, packed_size, size = header[4], header[7], header[8], header[9]
        name_len, extra_len, comment_len, offset = header[10], header[11], header[12], header[16]
        raw_name = data[at + _CENTRAL.size : at + _CENTRAL.size + name_len]
        at += _CENTRAL.size + name_len + extra_len + comment_len
        if at > len(data) - _END.size or len(raw_name) != name_len:
            raise _damaged()
        name = check_name(raw_name)
        if offset + _LOCAL.size > cd_start:
            raise _damaged()
        local = _LOCAL.unpack_from(data, offset)
        if local[0] != _LOCAL_SIG:
            raise _damaged()
        begin = offset + _LOCAL.size + local[9] + local[10]
        if begin + packed_size > cd_start:
            raise _damaged()
        entries.append(Entry(name, method, data[begin : begin + packed_size], crc, size))
    return entries


def check_name(raw: bytes) -> str:
    """An entry's name as text, or Malformed when it names a path anywhere but beside the
    manifest: absolute, with a drive, climbing out (``..``), with a backslash or a NUL."""
    name = raw.decode("utf-8", "replace")
    parts = name.replace("\\", "/").split("/")
    if (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
    ):
        raise Malformed(
            Refusal.UNSAFE_PATH,
            _("it holds a path outside its own folder ({name})").format(
                name=name.encode("unicode_escape").decode("ascii")[:80]
            ),
        )
    return name
