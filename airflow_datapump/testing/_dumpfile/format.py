"""The on-disk layout of one emulated dump file, and the body codec.

The format is the emulator's own; it is deliberately NOT Oracle's, and says so in its first
bytes, so nobody mistakes an emulated dump for a real one (or feeds one to real impdp). Every
member of a set is laid out the same way::

    offset 0   MAGIC       b"AIRFLOW-DATAPUMP-EMULATED-DUMP\\n" (31 bytes)
    offset 31  preamble    struct ">HHIQ": format version (1), reserved (0),
                           header length H (bytes), piece length P (bytes)
    offset 47  header      H bytes of UTF-8 JSON (see below)
               padding     zeros up to the next multiple of BLOCK_SIZE (4096): the header
                           region, one or more blocks
               piece       P bytes: this member's slice of the set's body
               padding     zeros up to the next multiple of BLOCK_SIZE

So every file's size is a multiple of 4096 and therefore of 512, which DBMS_FILE_TRANSFER
requires (§7.5). The header JSON holds::

    {"file_number": k, "file_count": N, "master_present": k == 1,
     "master_piece_number": 1 or 0, "facts": {... DumpContents facts ...},
     "keys": {... wrapped body key, only when encrypted ...},
     "members": [names of all N files]   (file 1 only: the "master table copy"),
     "body_length": total body bytes       (file 1 only)}

Body: lines of UTF-8 JSON, each ending in a newline. The first is ``objects`` as a JSON
array; then, for each object (in order) that has a ``row_count``, that many lines, one row
each (a JSON array of the row's values). The whole is zlib-compressed when COMPRESSION
covers data, then XOR-ed with a keystream when the dump is encrypted, then cut into
consecutive pieces stored in file-number order. Rows being lines is what lets an export write
and an import read a table of any size a chunk at a time (format version 2; version 1 held
the rows inside ``objects`` and is no longer read).

Encryption is an imitation, NOT security: a random 32-byte body key feeds a SHAKE-256
keystream, one per 64 KiB block (the seed is the key and the block number); for PASSWORD and
DUAL the key is stored XOR-ed with SHAKE-256(salt + password), for
TRANSPARENT and DUAL it is stored in the clear as the emulated, always-open "wallet" copy. It
exists only so that an import really needs the right password, as Oracle's does.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from .errors import password_incorrect, password_required
from .model import Compression, Encryption, JsonDict

MAGIC = b"AIRFLOW-DATAPUMP-EMULATED-DUMP\n"
FORMAT_VERSION = 2
BLOCK_SIZE = 4096
_PREAMBLE = struct.Struct(">HHIQ")
HEADER_START = len(MAGIC) + _PREAMBLE.size
CLASSIC_MARK = b"EXPORT:V"
_ZLIB_LEVELS = {None: 6, "BASIC": 6, "LOW": 1, "MEDIUM": 6, "HIGH": 9}
CHUNK = 1 << 20  # bytes read or written at a time: what bounds memory, whatever the body's size
KEYSTREAM_BLOCK = 1 << 16

FileKind = Literal["emulated", "classic", "other"]


class MalformedDumpError(Exception):
    """A file starts with the emulator's magic but cannot be parsed (truncated, edited ...)."""


@dataclass(frozen=True)
class MemberHeader:
    """One member's parsed header and where its piece of the body lies."""

    header: JsonDict
    piece_offset: int
    piece_length: int


def round_up(size: int) -> int:
    """``size`` rounded up to whole blocks (0 stays 0)."""
    return -(-size // BLOCK_SIZE) * BLOCK_SIZE


def header_bytes(header: JsonDict) -> bytes:
    """The JSON encoding of a member header, as :func:`encode_member` writes it."""
    return json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def header_region(header: JsonDict) -> int:
    """Bytes the magic, preamble and header occupy once padded to whole blocks."""
    return round_up(HEADER_START + len(header_bytes(header)))


def write_member(handle: BinaryIO, header: JsonDict, body: BinaryIO, start: int, length: int) -> int:
    """Write one member file: header region, then ``length`` body bytes copied from ``start``.

    Returns the member's size (a multiple of :data:`BLOCK_SIZE`).
    """
    raw_header = header_bytes(header)
    head = MAGIC + _PREAMBLE.pack(FORMAT_VERSION, 0, len(raw_header), length) + raw_header
    handle.write(head + bytes(round_up(len(head)) - len(head)))
    body.seek(start)
    left = length
    while left > 0:
        chunk = body.read(min(CHUNK, left))
        handle.write(chunk)
        left -= len(chunk)
    handle.write(bytes(round_up(length) - length))
    return round_up(len(head)) + round_up(length)


def sniff(prefix: bytes) -> FileKind:
    """Tell an emulated dump, an original ``exp`` file and anything else apart by first bytes.

    Original export files start with byte 0x03, then the two-byte character set id, then
    ``EXPORT:V`` and the version (``EXPORT:V11.02.00``) **[P: widely quoted hex dumps]**; the
    mark is looked for anywhere in bytes 1..11 to tolerate variants **[U]**.
    """
    if prefix.startswith(MAGIC):
        return "emulated"
    if prefix[:1] == b"\x03" and CLASSIC_MARK in prefix[1:12]:
        return "classic"
    return "other"


def read_prefix(path: Path, size: int = 64) -> bytes:
    """The first ``size`` bytes of ``path`` (OSError if it cannot be opened)."""
    with path.open("rb") as handle:
        return handle.read(size)


def read_member_header(path: Path) -> MemberHeader:
    """Parse the header of an emulated member without reading its piece.

    Raises OSError if unreadable and :class:`MalformedDumpError` if not a well-formed member.
    """
    with path.open("rb") as handle:
        start = handle.read(HEADER_START)
        if len(start) < HEADER_START or not start.startswith(MAGIC):
            raise MalformedDumpError(f"{path}: no emulated dump header")
        version, _reserved, h_len, p_len = _PREAMBLE.unpack(start[len(MAGIC) :])
        if version != FORMAT_VERSION:
            raise MalformedDumpError(f"{path}: unknown emulated format version {version}")
        raw = handle.read(h_len)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedDumpError(f"{path}: header is not JSON") from exc
    if not isinstance(header, dict) or not _header_ok(header):
        raise MalformedDumpError(f"{path}: header lacks required fields")
    offset = round_up(HEADER_START + h_len)
    if path.stat().st_size < offset + p_len:
        raise MalformedDumpError(f"{path}: truncated")
    return MemberHeader(header=header, piece_offset=offset, piece_length=p_len)


def _header_ok(header: dict[str, Any]) -> bool:
    needed = ("file_number", "file_count", "master_present", "facts")
    return all(key in header for key in needed) and isinstance(header["facts"], dict)


def read_piece(path: Path, member: MemberHeader) -> Iterator[bytes]:
    """The member's slice of the body, a chunk at a time."""
    with path.open("rb") as handle:
        handle.seek(member.piece_offset)
        left = member.piece_length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                raise MalformedDumpError(f"{path}: truncated")
            left -= len(chunk)
            yield chunk


class BodyWriter:
    """Compress and scramble the body as it is written, so no whole body is held in memory.

    ``keys`` is the key material the header must carry (None when not encrypted).
    """

    def __init__(
        self, sink: BinaryIO, compression: Compression, encryption: Encryption, password: str | None
    ) -> None:
        self._sink, self.length = sink, 0
        self._zip = zlib.compressobj(_ZLIB_LEVELS[compression.algorithm]) if compression.data else None
        self.keys: JsonDict | None = None
        self._scramble: Keystream | None = None
        if encryption.mode is not None:
            body_key = secrets.token_bytes(32)
            self.keys = _wrap_key(body_key, encryption, password)
            self._scramble = Keystream(body_key)

    def write(self, data: bytes) -> None:
        self._emit(self._zip.compress(data) if self._zip else data)

    def close(self) -> None:
        if self._zip:
            self._emit(self._zip.flush())

    def _emit(self, data: bytes) -> None:
        if self._scramble:
            data = self._scramble.apply(data)
        self._sink.write(data)
        self.length += len(data)


def _wrap_key(body_key: bytes, encryption: Encryption, password: str | None) -> JsonDict:
    keys: JsonDict = {}
    if encryption.mode in ("PASSWORD", "DUAL"):
        if password is None or encryption.verifier is None:
            raise ValueError(f"ENCRYPTION_MODE={encryption.mode} needs the password to write")
        if not encryption.verifier.check(password):
            raise ValueError("the password does not match the contents' verifier")
        salt = secrets.token_bytes(16)
        keys["salt"] = salt.hex()
        keys["password_wrapped"] = _xor(body_key, _password_stream(salt, password)).hex()
    if encryption.mode in ("TRANSPARENT", "DUAL"):
        keys["wallet"] = body_key.hex()
    return keys


def body_lines(
    chunks: Iterable[bytes], compression: Compression, encryption: Encryption, keys: JsonDict | None,
    password: str | None,
) -> Iterator[bytes]:  # fmt: skip
    """Undo :class:`BodyWriter` chunk by chunk and yield the body's lines.

    A wrong or missing password raises ORA-39176 / ORA-39174 at once, before any line; a
    body that does not decode raises :class:`MalformedDumpError` while it is read.
    """
    scramble = Keystream(_body_key(encryption, keys or {}, password)) if encryption.mode else None
    return _lines(chunks, scramble, zlib.decompressobj() if compression.data else None)


def _lines(
    chunks: Iterable[bytes], scramble: Keystream | None, unzip: Any
) -> Iterator[bytes]:  # zlib's Decompress type is not public
    pending = b""
    try:
        for chunk in chunks:
            data = scramble.apply(chunk) if scramble else chunk
            if unzip is not None:
                data = unzip.decompress(data)
            *complete, pending = (pending + data).split(b"\n")
            yield from complete
    except zlib.error as exc:
        raise MalformedDumpError("body does not decode") from exc
    if pending or (unzip is not None and not unzip.eof):
        raise MalformedDumpError("body is truncated")


def _body_key(encryption: Encryption, keys: JsonDict, password: str | None) -> bytes:
    """Recover the body key the way the mode allows: password, else the emulated wallet."""
    use_password = encryption.mode == "PASSWORD" or (encryption.mode == "DUAL" and password is not None)
    if use_password:
        if password is None:
            raise password_required()
        if encryption.verifier is None or not encryption.verifier.check(password):
            raise password_incorrect()
        try:
            salt = bytes.fromhex(keys["salt"])
            wrapped = bytes.fromhex(keys["password_wrapped"])
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedDumpError("password-wrapped key missing") from exc
        return _xor(wrapped, _password_stream(salt, password))
    try:
        return bytes.fromhex(keys["wallet"])
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedDumpError("wallet key missing") from exc


def _password_stream(salt: bytes, password: str) -> bytes:
    return hashlib.shake_256(b"key:" + salt + password.encode("utf-8")).digest(32)


class Keystream:
    """XOR with SHAKE-256(key, block number), block by block, so a body of any length streams."""

    def __init__(self, key: bytes) -> None:
        self._key, self._offset = key, 0

    def apply(self, data: bytes) -> bytes:
        out, position = [], 0
        while position < len(data):
            block, within = divmod(self._offset, KEYSTREAM_BLOCK)
            take = min(len(data) - position, KEYSTREAM_BLOCK - within)
            seed = b"body:" + self._key + block.to_bytes(8, "big")
            stream = hashlib.shake_256(seed).digest(within + take)[within:]
            out.append(_xor(data[position : position + take], stream))
            position += take
            self._offset += take
        return b"".join(out)


def _xor(data: bytes, stream: bytes) -> bytes:
    """XOR two equal-length byte strings quickly (via big integers)."""
    if not data:
        return b""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")
