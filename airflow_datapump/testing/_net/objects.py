"""Object, record and collection values on the wire, in the pickled image format.

A bound or fetched object travels as: ``bytes2`` type OID (TOID), ``bytes2`` OID, snapshot,
version, ``ub4`` image length, flags, then the image as a length-prefixed byte string; an
image length of 0 is a NULL object (python-oracledb thin, packet.pyx ``read_dbobject`` and
``write_dbobject``). The image (dbobject.pyx, ``DbObjectPickleBuffer`` and
``ThinDbObjectImpl._pack_data``/``_unpack_data_from_buf``) is: image flags (0x80 version 8.1,
0x08 collection, 0x04 no prefix segment), image version 1, the total length (one byte, or
254 and a ``u32be``), for collections a prefix segment (length, bytes); then the attributes
in order, or for a collection a flags byte, the element count and the elements (index-by
tables put a ``u32be`` index before each). Inside an image a length is one byte up to 245,
else 254 and a ``u32be``; 255 is NULL and 253 an atomically NULL object. Attributes that are
objects are packed inline; collections, and the object elements of a collection, are nested
images with their own header. Scalars use Oracle's internal formats (NUMBER, DATE ...), a
PLS_INTEGER or BOOLEAN is four big-endian bytes. Records of package types (UTL_FILE.FILE_TYPE)
use the same image as objects.
"""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._net import oratypes as t
from airflow_datapump.testing._net.buffer import UNSUPPORTED_TYPE, ProtocolError, Reader, Writer

IMAGE_V81, IMAGE_COLLECTION, IMAGE_NO_PREFIX, IMAGE_DEGENERATE, IMAGE_VERSION = 0x80, 0x08, 0x04, 0x10, 1
MAX_SHORT, LONG, ATOMIC_NULL, NULL = 245, 254, 253, 255
TOP_LEVEL = 0x01
_EXTENT_OID = bytes.fromhex("00000000000000000000000000010001")  # drivers append it to a TOID
_INDEX_BY_FLAGS = 0x10
_MAX_DEPTH = 16
Composite = v.ObjectType | v.RecordType | v.CollectionType


def read_in(body: Reader) -> bytes | None:
    """An object bind value as the client sends it: the image, None for a NULL object."""
    body.bytes2(), body.bytes2()  # type OID, OID
    body.ub4(), body.ub4()  # snapshot, version
    length = body.ub4()
    body.ub4()  # flags
    if length == 0:
        return None
    return body.bytes_()


def bind(image: bytes | None, data_type: Composite) -> v.Bind:
    """The engine's Bind for an object bind of the type the client described by its OID."""
    return v.Bind(None if image is None else decode(image, data_type), data_type)


def toid(oid: bytes) -> bytes:
    """A type OID as drivers build it for new objects (dbobject.pyx ``create_new_object``)."""
    return b"\x00\x22\x02\x08" + oid + _EXTENT_OID


def out_image(value: v.Value, data_type: Composite, oid: bytes) -> bytes:
    """An object as an OUT bind in ROW_DATA, with its trailing actual length."""
    return column_image(value, data_type, oid) + Writer().sb4(0).getvalue()


def column_image(value: v.Value, data_type: Composite, oid: bytes) -> bytes:
    """An object as a fetched column value in ROW_DATA (packet.pyx ``read_dbobject``)."""
    out = Writer()
    if value is None:
        return out.ub4(0).ub4(0).ub4(0).ub2(0).ub4(0).ub2(TOP_LEVEL).getvalue()
    image = encode(value, data_type)
    out.bytes2(toid(oid)).ub4(0).ub4(0).ub2(0).ub4(len(image)).ub2(TOP_LEVEL).bytes_(image)
    return out.getvalue()


# -- encoding -------------------------------------------------------------------------------


def encode(value: v.Value, data_type: Composite) -> bytes:
    """The whole image of a non-NULL object, record or collection."""
    body = Writer()
    if isinstance(data_type, v.CollectionType):
        flags = IMAGE_V81 | IMAGE_COLLECTION
        prefix = b"\x01\x01"
        _pack_collection(body, value, data_type)
    else:
        flags, prefix = IMAGE_V81 | IMAGE_NO_PREFIX, b""
        _pack_fields(body, value, data_type)
    content = prefix + body.getvalue()
    total = 2 + 5 + len(content)
    return bytes([flags, IMAGE_VERSION, LONG]) + struct.pack(">I", total) + content


def _fields(data_type: v.ObjectType | v.RecordType) -> tuple[tuple[str, v.DataType], ...]:
    return data_type.attributes if isinstance(data_type, v.ObjectType) else data_type.fields


def _pack_fields(out: Writer, value: v.Value, data_type: v.ObjectType | v.RecordType) -> None:
    if not isinstance(value, v.ObjectValue | v.RecordValue):
        raise ValueError(f"{type(value).__name__} is not a value of {data_type.name}")
    held = value.attrs if isinstance(value, v.ObjectValue) else value.fields
    for name, attr_type in _fields(data_type):
        _pack_value(out, held.get(name), attr_type, in_collection=False)


def _pack_collection(out: Writer, value: v.Value, data_type: v.CollectionType) -> None:
    if not isinstance(value, v.CollectionValue):
        raise ValueError(f"{type(value).__name__} is not a value of {data_type.name}")
    index_by = data_type.collection_kind is v.CollectionKind.INDEX_BY
    out.u8(_INDEX_BY_FLAGS if index_by else 0)
    keys = sorted(value.elements, key=lambda k: (isinstance(k, str), k))
    _length(out, len(keys))
    for key in keys:
        if index_by:
            out.raw(struct.pack(">i", int(key)))
        _pack_value(out, value.elements[key], data_type.element, in_collection=True)


def _pack_value(out: Writer, value: v.Value, data_type: v.DataType, *, in_collection: bool) -> None:
    embedded = isinstance(data_type, v.ObjectType | v.RecordType) and not in_collection
    if value is None:
        out.u8(ATOMIC_NULL if embedded else NULL)
    elif isinstance(data_type, v.ObjectType | v.RecordType) and not in_collection:
        _pack_fields(out, value, data_type)
    elif isinstance(data_type, v.ObjectType | v.RecordType | v.CollectionType):
        _bytes(out, encode(value, data_type))
    else:
        _bytes(out, _scalar(value, data_type))


def _scalar(value: v.Value, data_type: v.ScalarType) -> bytes:
    if not isinstance(value, bool | Decimal | str | bytes | dt.datetime):
        raise ValueError(f"a {type(value).__name__} attribute cannot be pickled by the emulator")
    if data_type.kind is v.TypeKind.BOOLEAN or data_type.name in ("PLS_INTEGER", "BINARY_INTEGER"):
        number = int(value) if isinstance(value, bool | Decimal) else int(str(value))
        return struct.pack(">i", number)
    type_number = _TYPE_NUMBERS.get(data_type.kind, t.VARCHAR)
    return t.encode_scalar(value, type_number) or b""


_TYPE_NUMBERS = {
    v.TypeKind.NUMBER: t.NUMBER, v.TypeKind.DATE: t.DATE, v.TypeKind.TIMESTAMP: t.TIMESTAMP,
    v.TypeKind.TIMESTAMP_TZ: t.TIMESTAMP_TZ, v.TypeKind.RAW: t.RAW,
}  # fmt: skip


def _length(out: Writer, length: int) -> None:
    if length <= MAX_SHORT:
        out.u8(length)
    else:
        out.u8(LONG).u32be(length)


def _bytes(out: Writer, data: bytes) -> None:
    _length(out, len(data))
    out.raw(data)


# -- decoding -------------------------------------------------------------------------------


def decode(image: bytes, data_type: Composite, depth: int = 0) -> v.Value:
    """The engine's value for an image of ``data_type`` (ProtocolError when malformed)."""
    if depth > _MAX_DEPTH:
        raise ProtocolError("object images nested too deeply")
    body = Reader(image)
    flags = body.u8()
    body.u8()  # image version
    if body.u8() == LONG:
        body.raw(4)
    if flags & IMAGE_DEGENERATE:
        raise ProtocolError("objects stored in a LOB are not supported", code=UNSUPPORTED_TYPE)
    if not flags & IMAGE_NO_PREFIX:
        body.raw(_read_length(body))
    if isinstance(data_type, v.CollectionType):
        return _unpack_collection(body, data_type, depth)
    return _unpack_fields(body, data_type, depth)


def _unpack_fields(body: Reader, data_type: v.ObjectType | v.RecordType, depth: int) -> v.Value:
    held = {name: _unpack_value(body, attr_type, False, depth) for name, attr_type in _fields(data_type)}
    if isinstance(data_type, v.ObjectType):
        return v.ObjectValue(data_type, held)
    return v.RecordValue(data_type, held)


def _unpack_collection(body: Reader, data_type: v.CollectionType, depth: int) -> v.Value:
    body.u8()  # collection flags
    count = _read_length(body)
    if count > body.remaining:
        raise ProtocolError(f"a collection of {count} elements in {body.remaining} bytes")
    index_by = data_type.collection_kind is v.CollectionKind.INDEX_BY
    elements: dict[int | str, v.Value] = {}
    for position in range(1, count + 1):
        key = struct.unpack(">i", body.raw(4))[0] if index_by else position
        elements[key] = _unpack_value(body, data_type.element, True, depth)
    return v.CollectionValue(data_type, elements)


def _unpack_value(body: Reader, data_type: v.DataType, in_collection: bool, depth: int) -> v.Value:
    first = body.u8()
    if first in (ATOMIC_NULL, NULL):
        return None
    if isinstance(data_type, v.ObjectType | v.RecordType) and not in_collection:
        body.pos -= 1
        if depth > _MAX_DEPTH:
            raise ProtocolError("object images nested too deeply")
        return _unpack_fields(body, data_type, depth + 1)
    data = body.raw(body.u32be() if first == LONG else first)
    if isinstance(data_type, v.ObjectType | v.RecordType | v.CollectionType):
        return decode(data, data_type, depth + 1)
    if not data:
        return None
    if data_type.kind is v.TypeKind.BOOLEAN:
        return data[-1] == 1
    if data_type.name in ("PLS_INTEGER", "BINARY_INTEGER"):
        return Decimal(int.from_bytes(data, "big", signed=True))
    value = t.decode_scalar(data, _TYPE_NUMBERS.get(data_type.kind, t.VARCHAR))
    return v.normalize(value) if isinstance(value, str) else value


def _read_length(body: Reader) -> int:
    first = body.u8()
    return body.u32be() if first == LONG else first
