"""LOB locators and LOB operations (TTC function 96) on behalf of one connection.

A locator is opaque to the client except for a few flag bytes (python-oracledb reads byte 7
bit 0x01 as "temporary" and byte 6 bit 0x80 as "data in UTF-16"; a BFILE carries its
directory and file name from offset 16). This server's locators are 40 bytes: those flags, an
8-byte handle at offset 8 naming the value in this connection's table, and for BFILEs the
names. CLOB amounts and offsets count characters, BLOB and BFILE ones bytes; CLOB data
travels as UTF-8 (the database character set this server announces).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._net.buffer import UNIMPLEMENTED, ProtocolError, Reader, Writer

MSG_LOB_DATA, MSG_PARAMETER = 14, 8
GET_LENGTH, READ, TRIM, WRITE = 0x1, 0x2, 0x20, 0x40
FILE_OPEN, CREATE_TEMP, FREE_TEMP, FILE_CLOSE, FILE_ISOPEN, FILE_EXISTS = (
    0x100,
    0x110,
    0x111,
    0x200,
    0x400,
    0x800,
)
GET_CHUNK_SIZE, OPEN, CLOSE, IS_OPEN = 0x4000, 0x8000, 0x10000, 0x11000
CHUNK_SIZE = 8132
LOCATOR_SIZE = 40
_TEMPORARY = 0x01
_BOOLEAN_ANSWERS = (IS_OPEN, FILE_EXISTS, FILE_ISOPEN)
#: Reads a BFILE's bytes (None when the file does not exist), from the engine's directories.
FileReader = Callable[[v.BFileValue], bytes | None]


@dataclass
class LobOp:
    operation: int
    locator: bytes
    source_offset: int
    dest_offset: int
    data: bytes | None
    amount: int | None


def parse_op(body: Reader) -> LobOp:
    """The body of a LOB operation request, after its function header."""
    has_source = body.u8()
    source_length = body.ub4()
    body.u8(), body.ub4(), body.ub4(), body.ub4()  # dest locator, short offsets
    has_charset = body.u8()
    body.u8(), body.u8()  # short amount, NULL-LOB pointers
    operation = body.ub4()
    body.u8(), body.u8()  # SCN array
    source_offset, dest_offset = body.ub8(), body.ub8()
    send_amount = body.u8()
    body.raw(6)
    locator = body.raw(source_length) if has_source else b""
    if has_charset:
        body.ub4()
    data = None
    if body.remaining and body.data[body.pos] == MSG_LOB_DATA and operation == WRITE:
        body.u8()
        data = body.bytes_() or b""
    amount = body.ub8() if send_amount else None
    return LobOp(operation, locator, source_offset, dest_offset, data, amount)


class LobTable:
    """The LOB values this connection has handed out locators for."""

    def __init__(self, read_file: FileReader) -> None:
        self._values: dict[int, v.LobValue | v.BFileValue] = {}
        self._open: set[int] = set()
        self._next = 1
        self._read_file = read_file

    def locator(self, value: v.LobValue | v.BFileValue, *, temporary: bool = False) -> bytes:
        handle, self._next = self._next, self._next + 1
        self._values[handle] = value
        head = bytearray(16)
        head[7] = _TEMPORARY if temporary else 0
        struct.pack_into(">Q", head, 8, handle)
        if isinstance(value, v.BFileValue):
            directory, name = value.directory.encode(), value.filename.encode()
            return (
                bytes(head)
                + struct.pack(">H", len(directory))
                + directory
                + struct.pack(">H", len(name))
                + name
            )
        return bytes(head).ljust(LOCATOR_SIZE, b"\0")

    def value(self, locator: bytes) -> v.LobValue | v.BFileValue:
        if len(locator) < 16:
            raise ProtocolError("LOB locator shorter than 16 bytes")
        found = self._values.get(struct.unpack_from(">Q", locator, 8)[0])
        if found is None:
            raise ProtocolError("LOB locator this connection never handed out")
        return found

    def free(self, locator: bytes) -> None:
        """Forget a temporary LOB the client has let go of (an unknown locator is ignored)."""
        if len(locator) >= 16:
            handle = struct.unpack_from(">Q", locator, 8)[0]
            self._values.pop(handle, None)
            self._open.discard(handle)

    def column_image(self, value: v.Value) -> bytes:
        """A LOB in row data or an OUT bind: indicator, size, chunk size, locator."""
        if value is None:
            return Writer().ub4(0).getvalue()
        if isinstance(value, v.BFileValue):
            return Writer().ub4(1).bytes_(self.locator(value)).getvalue()
        if not isinstance(value, v.LobValue):
            raise ValueError(f"a {type(value).__name__} is not a LOB")
        # Flagged temporary: the value is this connection's copy (rows live in the store), so
        # the driver frees it once unused and the table does not grow with every LOB fetched.
        locator = self.locator(value, temporary=True)
        return Writer().ub4(1).ub8(len(value.data)).ub4(CHUNK_SIZE).bytes_(locator).getvalue()

    def perform(self, op: LobOp) -> bytes:
        """Carry out one operation; the reply up to (not including) the end-of-call message."""
        if op.operation == CREATE_TEMP:
            kind = v.TypeKind.CLOB if op.dest_offset == 112 else v.TypeKind.BLOB
            created = self.locator(v.LobValue(kind, "" if kind is v.TypeKind.CLOB else b""), temporary=True)
            params = Writer().u8(MSG_PARAMETER).raw(created[: len(op.locator)].ljust(len(op.locator), b"\0"))
            params.ub2(873).u8(0)  # character set, flags
            if op.amount is not None:  # drivers before 3.1 send the duration as the amount: it comes back
                params.universal(op.amount)
            return params.getvalue()
        target = self.value(op.locator)
        handle = struct.unpack_from(">Q", op.locator, 8)[0]
        out = Writer()
        amount = op.amount
        flag: bool | None = None
        if op.operation == READ:
            chunk = self._read(target, op.source_offset, op.amount or 0)
            if chunk:
                out.u8(MSG_LOB_DATA).bytes_(chunk.encode() if isinstance(chunk, str) else chunk)
            amount = len(chunk)
        elif op.operation == GET_LENGTH:
            amount = len(self._content(target))
        elif op.operation == GET_CHUNK_SIZE:
            amount = CHUNK_SIZE
        elif op.operation in (WRITE, TRIM):
            self._change(target, op)
        elif op.operation in (OPEN, FILE_OPEN):
            self._open.add(handle)
        elif op.operation in (CLOSE, FILE_CLOSE):
            self._open.discard(handle)
        elif op.operation in (IS_OPEN, FILE_ISOPEN):
            flag = handle in self._open
        elif op.operation == FILE_EXISTS:
            flag = isinstance(target, v.BFileValue) and self._read_file(target) is not None
        elif op.operation == FREE_TEMP:
            self.free(op.locator)
        else:
            raise ProtocolError(f"LOB operation {op.operation:#x} is not supported", code=UNIMPLEMENTED)
        out.u8(MSG_PARAMETER).raw(op.locator)
        if op.amount is not None:
            out.universal(amount or 0)
        if op.operation in _BOOLEAN_ANSWERS:
            out.u8(1 if flag else 0)
        return out.getvalue()

    def _content(self, target: v.LobValue | v.BFileValue) -> str | bytes:
        if isinstance(target, v.BFileValue):
            data = self._read_file(target)
            if data is None:
                raise FileNotFoundError(target.filename)
            return data
        return target.data

    def _read(self, target: v.LobValue | v.BFileValue, offset: int, amount: int) -> str | bytes:
        content = self._content(target)
        start = max(offset, 1) - 1
        return content[start : start + amount]

    def _change(self, target: v.LobValue | v.BFileValue, op: LobOp) -> None:
        if not isinstance(target, v.LobValue):
            raise ProtocolError("a BFILE is read-only")
        if op.operation == TRIM:
            target.data = target.data[: op.amount or 0]
            return
        piece: str | bytes = op.data or b""
        if isinstance(target.data, str):
            piece = piece.decode() if isinstance(piece, bytes) else piece
            current: str | bytes = target.data
            start = max(op.source_offset, 1) - 1
            padded = current.ljust(start) if len(current) < start else current
            target.data = padded[:start] + piece + padded[start + len(piece) :]  # type: ignore[operator]
        else:
            assert isinstance(piece, bytes)
            start = max(op.source_offset, 1) - 1
            data = target.data.ljust(start, b"\0") if len(target.data) < start else target.data
            target.data = data[:start] + piece + data[start + len(piece) :]
