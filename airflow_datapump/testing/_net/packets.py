"""TNS packets: the framing every Oracle Net conversation is carried in.

A packet is an 8-byte header (length, type, flags) and a payload. Before the listener accepts a
connection the length is 2 bytes wide; after ACCEPT both sides use 4 bytes (protocol version
315 and later, "large SDU"). DATA packets carry TTC messages behind a 2-byte data-flags word.
This module frames and unframes packets and builds the few listener answers (ACCEPT, REFUSE);
it knows nothing of what the messages inside mean.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

from airflow_datapump.testing._net.buffer import ProtocolError, Reader

CONNECT, ACCEPT, REFUSE, REDIRECT, DATA, RESEND, MARKER, CONTROL = 1, 2, 4, 5, 6, 11, 12, 14
DATA_FLAG_EOF = 0x0040
DATA_FLAG_END_OF_RESPONSE = 0x2000
MARKER_BREAK, MARKER_RESET, MARKER_INTERRUPT = 1, 2, 3
PROTOCOL_VERSION = 319  # the newest python-oracledb asks for; 315+ means 4-byte lengths
MIN_PROTOCOL_VERSION = 315  # the oldest this server speaks: it always frames with 4-byte lengths
MAX_CONNECT_DATA = 230  # a longer descriptor follows the CONNECT in a DATA packet (connect.pyx)
SDU = 65535
MAX_PACKET = 2 * 1024 * 1024  # a sanity bound: larger lengths are a malformed header


@dataclass(frozen=True)
class Packet:
    type: int
    flags: int
    payload: bytes

    @property
    def data_flags(self) -> int:
        """The DATA packet's flags word (0 for other packet types or an empty payload)."""
        if self.type != DATA or len(self.payload) < 2:
            return 0
        return int(struct.unpack(">H", self.payload[:2])[0])

    @property
    def data(self) -> bytes:
        """The TTC bytes of a DATA packet, after its flags word."""
        return self.payload[2:]


class PeerClosedError(Exception):
    """The client went away (orderly close, reset, or mid-packet)."""


def _read_exact(sock: socket.socket, count: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        try:
            part = sock.recv(count - len(chunks))
        except TimeoutError:
            raise  # the reader's own deadline ran out (the listener's inbound connect timeout)
        except (ConnectionError, OSError) as exc:
            raise PeerClosedError(str(exc)) from exc
        if not part:
            raise PeerClosedError("connection closed by the client")
        chunks += part
    return bytes(chunks)


def read_packet(sock: socket.socket, *, large: bool) -> Packet:
    """Read one packet; ``large`` once ACCEPT has switched the length field to 4 bytes."""
    header = _read_exact(sock, 8)
    return parse_header_and_body(header, lambda n: _read_exact(sock, n), large=large)


def parse_header_and_body(header: bytes, more: object, *, large: bool) -> Packet:
    """Split a header, read the body with ``more(n)``; malformed lengths raise ProtocolError."""
    length = struct.unpack(">I", header[:4])[0] if large else struct.unpack(">H", header[:2])[0]
    if length < 8 or length > MAX_PACKET:
        raise ProtocolError(f"packet length {length} outside 8..{MAX_PACKET}")
    body = more(length - 8) if length > 8 else b""  # type: ignore[operator]
    return Packet(header[4], header[5], bytes(body))


def frame(packet_type: int, payload: bytes, *, large: bool, flags: int = 0) -> bytes:
    length = len(payload) + 8
    if large:
        head = struct.pack(">IBBH", length, packet_type, flags, 0)
    else:
        head = struct.pack(">HHBBH", length, 0, packet_type, flags, 0)
    return head + payload


def data_packets(ttc: bytes, *, sdu: int = SDU, end_of_response: bool = False) -> list[bytes]:
    """Split one reply into DATA packets no larger than the SDU."""
    room = sdu - 10
    pieces = [ttc[i : i + room] for i in range(0, len(ttc), room)] or [b""]
    packets = []
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        flags = DATA_FLAG_END_OF_RESPONSE if (last and end_of_response) else 0
        packets.append(frame(DATA, struct.pack(">H", flags) + piece, large=True))
    return packets


def marker(kind: int) -> bytes:
    return frame(MARKER, bytes([1, 0, kind]), large=True)


@dataclass(frozen=True)
class ConnectRequest:
    """What a CONNECT packet asks for: versions, SDU and the connect descriptor text."""

    version: int
    min_version: int
    sdu: int
    descriptor_length: int
    descriptor: str


def parse_connect(packet: Packet) -> ConnectRequest:
    if packet.type != CONNECT:
        raise ProtocolError(f"expected CONNECT, got packet type {packet.type}")
    body = Reader(packet.payload)
    version, min_version = body.u16be(), body.u16be()
    body.raw(2)  # service options
    sdu = body.u16be()
    body.raw(6)  # TDU, protocol characteristics, line turnaround
    body.raw(2)  # value of one
    descriptor_length, offset = body.u16be(), body.u16be()
    large_sdu = sdu
    if len(packet.payload) >= 58:
        large_sdu = int(struct.unpack(">I", packet.payload[50:54])[0]) or sdu
    text = packet.payload[offset - 8 : offset - 8 + descriptor_length] if offset >= 8 else b""
    return ConnectRequest(version, min_version, large_sdu, descriptor_length, text.decode(errors="replace"))


def accept(version: int, sdu: int) -> bytes:
    """An ACCEPT: no out-of-band breaks, no native encryption, classic response framing."""
    payload = bytearray(37)
    struct.pack_into(">HH", payload, 0, version, 0)  # version, options (no OOB)
    struct.pack_into(">HH", payload, 4, min(sdu, 0xFFFF), min(sdu, 0xFFFF))
    struct.pack_into(">I", payload, 24, sdu)  # offset 32 from the packet start
    struct.pack_into(">I", payload, 33, 0)  # flags 2 at offset 41: none
    return frame(ACCEPT, bytes(payload), large=False)


def refuse(error_number: int) -> bytes:
    text = (
        f"(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR={error_number})"
        f"(ERROR_STACK=(ERROR=(CODE={error_number})(EMFI=4))))"
    )
    data = text.encode()
    return frame(REFUSE, b"\x00\x00" + struct.pack(">H", len(data)) + data, large=False)
