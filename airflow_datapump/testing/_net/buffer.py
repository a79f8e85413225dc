"""Reading and writing the primitive encodings TTC messages are made of.

TTC packs most integers as "universal" numbers (a length byte, then that many big-endian
bytes) and most byte strings behind a one-byte length that switches to a chunked form past
252 bytes. Every message in this package is built from these few shapes, so they live here
once, with the errors a malformed message raises (:class:`ProtocolError`), and nothing else.
"""

from __future__ import annotations

import struct

LONG_LENGTH = 254  # the byte string continues in chunks
NULL_LENGTH = 255  # the byte string is NULL
MAX_SHORT = 252
CHUNK = 32767


#: ORA-03137, what Oracle answers a malformed request with (the session stays usable).
MALFORMED = 3137
#: ORA-03001 and ORA-03115: well-formed requests for what this server does not implement.
UNIMPLEMENTED, UNSUPPORTED_TYPE = 3001, 3115


class ProtocolError(Exception):
    """The peer sent bytes that do not form the message expected (``code`` MALFORMED), or asks
    for something this server does not implement (UNIMPLEMENTED, UNSUPPORTED_TYPE).

    Within a call the session answers it as an Oracle error with that code, as Oracle rejects a
    malformed request without ending the session; before the session exists (the listener step,
    negotiation) there is no error message to send and the connection is dropped.
    """

    def __init__(self, message: str, *, code: int = MALFORMED) -> None:
        super().__init__(message)
        self.code = code


class Reader:
    """A cursor over one message's bytes; reading past the end raises :class:`ProtocolError`."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    @property
    def remaining(self) -> int:
        return len(self.data) - self.pos

    def raw(self, count: int) -> bytes:
        if count < 0 or self.pos + count > len(self.data):
            raise ProtocolError(f"message truncated: wanted {count} bytes at offset {self.pos}")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def u8(self) -> int:
        return self.raw(1)[0]

    def u16be(self) -> int:
        return int(struct.unpack(">H", self.raw(2))[0])

    def u32be(self) -> int:
        return int(struct.unpack(">I", self.raw(4))[0])

    def universal(self, width: int, *, signed: bool = False) -> int:
        """A ub2/ub4/ub8 (or signed sb*) number: a length byte, then big-endian bytes."""
        length = self.u8()
        negative = bool(length & 0x80)
        length &= 0x7F
        if negative and not signed:
            raise ProtocolError(f"negative length byte for an unsigned {width}-byte number")
        if length > width:
            raise ProtocolError(f"number of {length} bytes where at most {width} fit")
        value = int.from_bytes(self.raw(length), "big") if length else 0
        return -value if negative else value

    def ub2(self) -> int:
        return self.universal(2)

    def ub4(self) -> int:
        return self.universal(4)

    def ub8(self) -> int:
        return self.universal(8)

    def sb4(self) -> int:
        return self.universal(4, signed=True)

    def chunked(self, first: int) -> bytes:
        """The rest of a byte string whose length byte was ``first`` (NULL gives b'')."""
        if first in (0, NULL_LENGTH):
            return b""
        if first != LONG_LENGTH:
            return self.raw(first)
        parts: list[bytes] = []
        while True:
            size = self.ub4()
            if size == 0:
                return b"".join(parts)
            parts.append(self.raw(size))

    def bytes_(self) -> bytes | None:
        """A length-prefixed byte string; None when NULL."""
        first = self.u8()
        if first in (0, NULL_LENGTH):
            return None
        return self.chunked(first)

    def bytes2(self) -> bytes | None:
        """A ``ub4`` total length followed, when non-zero, by a length-prefixed byte string."""
        if self.ub4() == 0:
            return None
        return self.bytes_()

    def str2(self) -> str | None:
        data = self.bytes2()
        if data is None:
            return None
        try:
            return data.decode()
        except UnicodeDecodeError as exc:
            raise ProtocolError("text that is not UTF-8") from exc


class Writer:
    """Builds one message; :meth:`getvalue` gives the bytes."""

    def __init__(self) -> None:
        self._parts = bytearray()

    def getvalue(self) -> bytes:
        return bytes(self._parts)

    def raw(self, data: bytes) -> Writer:
        self._parts += data
        return self

    def u8(self, value: int) -> Writer:
        self._parts.append(value & 0xFF)
        return self

    def u16be(self, value: int) -> Writer:
        self._parts += struct.pack(">H", value)
        return self

    def u32be(self, value: int) -> Writer:
        self._parts += struct.pack(">I", value)
        return self

    def universal(self, value: int) -> Writer:
        """A ub*/sb* number in its shortest form (0 is a lone zero length byte)."""
        if value == 0:
            return self.u8(0)
        sign = 0x80 if value < 0 else 0
        magnitude = abs(value)
        size = (magnitude.bit_length() + 7) // 8
        self.u8(size | sign)
        self._parts += magnitude.to_bytes(size, "big")
        return self

    ub2 = ub4 = ub8 = sb4 = universal

    def bytes_(self, data: bytes | None) -> Writer:
        """A length-prefixed byte string; NULL or empty is a lone zero byte."""
        if not data:
            return self.u8(0)
        if len(data) <= MAX_SHORT:
            return self.u8(len(data)).raw(data)
        self.u8(LONG_LENGTH)
        for start in range(0, len(data), CHUNK):
            piece = data[start : start + CHUNK]
            self.ub4(len(piece)).raw(piece)
        return self.ub4(0)

    def bytes2(self, data: bytes | None) -> Writer:
        if not data:
            return self.ub4(0)
        return self.ub4(len(data)).bytes_(data)

    def str2(self, text: str | None) -> Writer:
        return self.bytes2(None if text is None else text.encode())
