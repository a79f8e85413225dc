"""Oracle's internal formats for the scalar types a client binds and fetches.

These are the byte layouts the database itself uses (base-100 NUMBER, 7-byte DATE, 11-byte
TIMESTAMP, 13-byte TIMESTAMP WITH TIME ZONE, the PL/SQL BOOLEAN encoding), described in
Oracle's OCI documentation under "internal datatypes". Values are the emulator's own model
(``Decimal``, ``datetime``, ``str``, ``bytes``, ``bool``); None is NULL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from airflow_datapump.testing._net.buffer import ProtocolError

# Oracle type numbers as they appear on the wire.
VARCHAR, NUMBER, BINARY_INTEGER, LONG, ROWID, DATE, RAW, LONG_RAW = 1, 2, 3, 8, 11, 12, 23, 24
CHAR, BINARY_FLOAT, BINARY_DOUBLE, CURSOR, OBJECT = 96, 100, 101, 102, 109
CLOB, BLOB, BFILE, TIMESTAMP, TIMESTAMP_TZ, TIMESTAMP_LTZ, BOOLEAN = 112, 113, 114, 180, 181, 231, 252
UROWID = 208

ScalarValue = None | bool | Decimal | str | bytes | dt.datetime


def encode_number(value: Decimal) -> bytes:
    """Base-100 digits behind an exponent byte; negative numbers complemented, as Oracle does."""
    if not value.is_finite():
        raise ValueError(f"NUMBER cannot hold {value}")
    if value == 0:
        return b"\x80"
    sign, digit_tuple, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    whole = len(digits) + exponent  # digits before the decimal point
    if whole % 2:
        digits, whole = "0" + digits, whole + 1
    if len(digits) % 2:
        digits += "0"
    pairs = [int(digits[i : i + 2]) for i in range(0, len(digits), 2)][:20]
    while pairs and pairs[-1] == 0:
        pairs.pop()
    exponent_byte = 0xC0 + whole // 2
    if not sign:
        return bytes([exponent_byte] + [p + 1 for p in pairs])
    body = [(~exponent_byte) & 0xFF] + [101 - p for p in pairs]
    if len(pairs) < 20:
        body.append(102)
    return bytes(body)


def decode_number(data: bytes) -> Decimal:
    if not data:
        raise ProtocolError("empty NUMBER")
    first = data[0]
    if first == 0x80 and len(data) == 1:
        return Decimal(0)
    positive = bool(first & 0x80)
    if positive:
        exponent = first - 0xC0
        pairs = [b - 1 for b in data[1:]]
    else:
        exponent = ((~first) & 0xFF) - 0xC0
        body = data[1:-1] if data[-1:] == b"\x66" else data[1:]
        pairs = [101 - b for b in body]
    if any(not 0 <= p <= 99 for p in pairs):
        raise ProtocolError(f"invalid NUMBER bytes {data.hex()}")
    text = "".join(f"{p:02d}" for p in pairs) or "0"
    result = Decimal(text).scaleb(2 * exponent - 2 * len(pairs))
    return result if positive else -result


def encode_date(value: dt.datetime, type_number: int) -> bytes:
    """DATE (7 bytes), TIMESTAMP (11) or TIMESTAMP WITH TIME ZONE (13, stored in UTC)."""
    offset = value.utcoffset() if value.tzinfo else None
    if offset is not None:
        value = (value - offset).replace(tzinfo=None)
    head = bytes(
        [
            value.year // 100 + 100,
            value.year % 100 + 100,
            value.month,
            value.day,
            value.hour + 1,
            value.minute + 1,
            value.second + 1,
        ]
    )
    if type_number == DATE:
        return head
    tail = (value.microsecond * 1000).to_bytes(4, "big")
    if type_number in (TIMESTAMP, TIMESTAMP_LTZ):
        return head + tail
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return head + tail + bytes([minutes // 60 + 20, minutes % 60 + 60])


def decode_date(data: bytes) -> dt.datetime:
    if len(data) < 7:
        raise ProtocolError(f"DATE of {len(data)} bytes")
    try:
        value = dt.datetime(
            (data[0] - 100) * 100 + data[1] - 100, data[2], data[3], data[4] - 1, data[5] - 1, data[6] - 1
        )
    except ValueError as exc:
        raise ProtocolError(f"invalid DATE bytes {data.hex()}") from exc
    if len(data) >= 11:
        value = value.replace(microsecond=int.from_bytes(data[7:11], "big") // 1000)
    if len(data) >= 13 and not data[11] & 0x80:
        offset = dt.timedelta(hours=data[11] - 20, minutes=data[12] - 60)
        value = (value + offset).replace(tzinfo=dt.timezone(offset))
    return value


def encode_scalar(value: ScalarValue, type_number: int) -> bytes | None:
    """The bytes of one value in ``type_number``'s format; None for NULL."""
    if value is None:
        return None
    if type_number in (NUMBER, BINARY_INTEGER):
        return encode_number(Decimal(int(value)) if isinstance(value, bool) else _decimal(value))
    if type_number == BOOLEAN:
        return b"\x01\x01" if value else b"\x00"
    if type_number in (DATE, TIMESTAMP, TIMESTAMP_TZ, TIMESTAMP_LTZ):
        if not isinstance(value, dt.datetime):
            raise ValueError(f"{type(value).__name__} is not a date")
        return encode_date(value, type_number)
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def decode_scalar(data: bytes | None, type_number: int, *, nchar: bool = False) -> ScalarValue:
    if data is None:
        return None
    if type_number in (NUMBER, BINARY_INTEGER):
        return decode_number(data)
    if type_number in (DATE, TIMESTAMP, TIMESTAMP_TZ, TIMESTAMP_LTZ):
        return decode_date(data)
    if type_number == BOOLEAN:
        return data[0] == 1
    if type_number in (RAW, LONG_RAW):
        return data
    try:
        return data.decode("utf-16-be" if nchar else "utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError("text that is not valid in its character set") from exc


def _decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError(f"{value!r} is not a number") from exc
