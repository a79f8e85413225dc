"""Encoding what the server answers: negotiation replies and the messages of a call's reply.

A reply is a sequence of ``[message type][body]`` ending, in the classic framing this server
negotiates, with an ERROR message (the end-of-call information, error number 0 on success).
Layouts follow python-oracledb's thin implementation at TTC field version 12 (19c).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from airflow_datapump.testing._net.buffer import Writer

FIELD_VERSION = 12  # TTC field version of Oracle Database 19c
CHARSET_AL32UTF8, NCHARSET_AL16UTF16 = 873, 2000
MSG_PROTOCOL, MSG_DATA_TYPES, MSG_ERROR, MSG_ROW_HEADER, MSG_ROW_DATA = 1, 2, 4, 6, 7
MSG_PARAMETER, MSG_STATUS, MSG_IO_VECTOR, MSG_DESCRIBE_INFO = 8, 9, 11, 16
CALL_STATUS_IN_TRANSACTION = 0x2
BIND_IN, BIND_OUT, BIND_IN_OUT = 32, 16, 48
#: OPEN_CURSORS, Oracle's default (Database Reference). The thin driver sizes its list of
#: cursors to close by it (statement_cache.pyx); without it the list holds one cursor only.
MAX_OPEN_CURSORS = 300


def protocol_reply(banner: str) -> bytes:
    """The answer to protocol negotiation: server banner, character sets and capabilities."""
    out = Writer().u8(MSG_PROTOCOL).u8(6).u8(0).raw(banner.encode() + b"\x00")
    out.raw(struct.pack("<H", CHARSET_AL32UTF8)).u8(0).raw(struct.pack("<H", 0))
    fdo = bytearray(11)
    fdo[9:11] = NCHARSET_AL16UTF16.to_bytes(2, "big")
    out.u16be(len(fdo)).raw(bytes(fdo))
    compile_caps = bytearray(55)
    compile_caps[7] = FIELD_VERSION
    runtime_caps = bytearray(7)
    runtime_caps[6] = 0x04  # strings up to 32767 bytes
    return out.bytes_(bytes(compile_caps)).bytes_(bytes(runtime_caps)).getvalue()


def data_types_reply() -> bytes:
    return Writer().u8(MSG_DATA_TYPES).u16be(0).getvalue()


def parameters(pairs: list[tuple[str, str, int]]) -> bytes:
    """A PARAMETER message of key/value/flags triples, as logon replies carry them."""
    out = Writer().u8(MSG_PARAMETER).ub2(len(pairs))
    for key, value, flags in pairs:
        out.str2(key).str2(value or None).ub4(flags)
    return out.getvalue()


def logon_parameters(sid: int, serial: int, version: str, response: str) -> list[tuple[str, str, int]]:
    """What a successful logon's second phase answers: the server's proof, its release as a
    number, the session's id and serial number, and its limits."""
    parts = [int(p) for p in (version.split(".") + ["0"] * 5)[:5]]
    number = parts[0] << 24 | parts[1] << 16 | parts[2] << 12 | parts[3] << 4 | parts[4]
    return [
        ("AUTH_SVR_RESPONSE", response, 0),
        ("AUTH_VERSION_NO", str(number), 0),
        ("AUTH_SESSION_ID", str(sid), 0),
        ("AUTH_SERIAL_NUM", str(serial), 0),
        ("AUTH_MAX_IDEN_LENGTH", "128", 0),
        ("AUTH_MAX_OPEN_CURSORS", str(MAX_OPEN_CURSORS), 0),
    ]


def call_end(
    *,
    error: int = 0,
    message: str = "",
    cursor_id: int = 0,
    rowcount: int = 0,
    position: int = 0,
    in_transaction: bool = False,
    batch_errors: Sequence[tuple[int, int, str]] = (),
) -> bytes:
    """The end-of-call information: status, cursor id, row count and any error. An array DML
    with batch errors lists each failed execution's code, offset and message; the client takes
    the call's error then (ORA-24381) as the sign that the list is there."""
    out = Writer().u8(MSG_ERROR)
    out.ub4(CALL_STATUS_IN_TRANSACTION if in_transaction else 0).ub2(0).ub4(rowcount)
    out.ub2(min(error, 0xFFFF)).ub2(0).ub2(0).ub2(cursor_id).universal(position)
    out.u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)  # sql type, fatal, flags, cursor options, UPI, flags
    out.ub4(0).ub2(0).u8(0).ub4(0).ub2(0)  # rowid
    out.ub4(0).u8(0).u8(0).ub2(0).ub4(0)  # OS error, statement, call, padding, success iters
    out.ub4(0)  # oerrdd
    _batch_errors(out, batch_errors)
    out.ub4(error).ub8(rowcount)
    if error:
        out.bytes_(message.encode())
    return out.getvalue()


def _batch_errors(out: Writer, errors: Sequence[tuple[int, int, str]]) -> None:
    """Three arrays (codes, offsets, messages), each a count, then a byte the client skips
    (anything but the long-form marker), then its elements; a message ends with two bytes."""
    packed = min(len(errors), 0xFD)
    out.ub2(len(errors))
    if errors:
        out.u8(packed)
        for _, code, _ in errors:
            out.ub2(code)
    out.ub4(len(errors))
    if errors:
        out.u8(packed)
        for offset, _, _ in errors:
            out.ub4(offset)
    out.ub2(len(errors))
    if errors:
        out.u8(packed)
        for _, _, message in errors:
            text = message.encode()
            out.ub2(len(text)).bytes_(text).raw(b"\x00\x00")


@dataclass(frozen=True)
class Column:
    """Describe information for one select-list column, in wire terms."""

    name: str
    type_number: int
    buffer_size: int
    max_size: int = 0
    precision: int = 0
    scale: int = 0
    nullable: bool = True
    cs_form: int = 0
    type_oid: bytes | None = None  # an object column's type: its OID, owner and name
    type_owner: str | None = None
    type_name: str | None = None


def describe(columns: list[Column]) -> bytes:
    out = Writer().u8(MSG_DESCRIBE_INFO).u8(0)
    out.ub4(max((c.buffer_size for c in columns), default=0)).ub4(len(columns))
    if columns:
        out.u8(0)
    for position, column in enumerate(columns, start=1):
        out.u8(column.type_number).u8(0)
        out.raw(struct.pack(">bb", column.precision, column.scale))
        out.ub4(column.buffer_size).ub4(0).ub8(0).bytes2(column.type_oid).ub2(0)  # type OID, version
        out.ub2(CHARSET_AL32UTF8 if column.cs_form else 0).u8(column.cs_form)
        out.ub4(column.max_size).ub4(0).u8(1 if column.nullable else 0).u8(0)
        out.str2(column.name).str2(column.type_owner).str2(column.type_name).ub2(position).ub4(0)
    out.ub4(0).ub4(0).ub4(0).ub4(0).ub4(0).ub4(0)  # current date, dcb fields
    return out.getvalue()


def row_header() -> bytes:
    return Writer().u8(MSG_ROW_HEADER).u8(0).ub2(0).ub4(0).ub4(0).ub2(0).ub4(0).ub4(0).getvalue()


def row(images: list[bytes]) -> bytes:
    """A ROW_DATA message from column images already in their wire form."""
    return bytes([MSG_ROW_DATA]) + b"".join(images)


def io_vector(directions: list[int]) -> bytes:
    out = Writer().u8(MSG_IO_VECTOR).u8(0).ub2(len(directions) % 256).ub4(len(directions) // 256)
    out.ub4(0).ub2(0).ub2(0).ub2(0)
    for direction in directions:
        out.u8(direction)
    return out.getvalue()
