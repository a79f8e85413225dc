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

Body: ``objects`` as compact JSON (UTF-8), zlib-compressed when COMPRESSION covers data,
then XOR-ed with a keystream when the dump is encrypted, then cut into consecutive pieces
stored in file-number order.

Encryption is an imitation, NOT security: a random 32-byte body key feeds a SHAKE-256
keystream; for PASSWORD and DUAL the key is stored XOR-ed with SHAKE-256(salt + password), for
TRANSPARENT and DUAL it is stored in the clear as the emulated, always-open "wallet" copy. It
exists only so that an import really needs the right password, as Oracle's does.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import password_incorrect, password_required
from .model import Compression, Encryption, JsonDict

MAGIC = b"AIRFLOW-DATAPUMP-EMULATED-DUMP\n"
FORMAT_VERSION = 1
BLOCK_SIZE = 4096
_PREAMBLE = struct.Struct(">HHIQ")
HEADER_START = len(MAGIC) + _PREAMBLE.size
CLASSIC_MARK = b"EXPORT:V"
_ZLIB_LEVELS = {None: 6, "BASIC": 6, "LOW": 1, "MEDIUM": 6, "HIGH": 9}

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


def encode_member(header: JsonDict, piece: bytes) -> bytes:
    """The complete bytes of one member file (size a multiple of :data:`BLOCK_SIZE`)."""
    raw_header = header_bytes(header)
    head = MAGIC + _PREAMBLE.pack(FORMAT_VERSION, 0, len(raw_header), len(piece)) + raw_header
    head += bytes(round_up(len(head)) - len(head))
    return head + piece + bytes(round_up(len(piece)) - len(piece))


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


def read_piece(path: Path, member: MemberHeader) -> bytes:
    """The member's slice of the body."""
    with path.open("rb") as handle:
        handle.seek(member.piece_offset)
        return handle.read(member.piece_length)


def encode_body(
    objects: list[JsonDict], compression: Compression, encryption: Encryption,
    password: str | None,
) -> tuple[bytes, JsonDict | None]:  # fmt: skip
    """Serialise, compress and scramble ``objects``; returns the body and its key material."""
    body = json.dumps(objects, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if compression.data:
        body = zlib.compress(body, _ZLIB_LEVELS[compression.algorithm])
    if encryption.mode is None:
        return body, None
    body_key = secrets.token_bytes(32)
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
    return _xor(body, _body_stream(body_key, len(body))), keys


def decode_body(
    body: bytes, compression: Compression, encryption: Encryption, keys: JsonDict | None,
    password: str | None,
) -> list[JsonDict]:  # fmt: skip
    """Undo :func:`encode_body`; wrong or missing passwords raise ORA-39176 / ORA-39174.

    Raises :class:`MalformedDumpError` when the body does not decode.
    """
    if encryption.mode is not None:
        body_key = _body_key(encryption, keys or {}, password)
        body = _xor(body, _body_stream(body_key, len(body)))
    try:
        if compression.data:
            body = zlib.decompress(body)
        objects = json.loads(body.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise MalformedDumpError("body does not decode") from exc
    if not isinstance(objects, list):
        raise MalformedDumpError("body is not a list of objects")
    return objects


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


def _body_stream(key: bytes, length: int) -> bytes:
    return hashlib.shake_256(b"body:" + key).digest(length) if length else b""


def _xor(data: bytes, stream: bytes) -> bytes:
    """XOR two equal-length byte strings quickly (via big integers)."""
    if not data:
        return b""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")
