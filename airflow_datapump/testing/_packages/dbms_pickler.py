"""DBMS_PICKLER: a type's shape as client drivers read it before they bind objects.

Oracle's DBMS_PICKLER is undocumented; what is emulated is what python-oracledb's thin mode
calls to describe a named type (src/oracledb/impl/thin/dbobject_cache.pyx,
``DBO_CACHE_SQL_GET_METADATA_FOR_NAME``): ``GET_TYPE_SHAPE(name, oid OUT, version OUT, tds
OUT, instantiable OUT, supertype owner OUT, supertype name OUT, attributes OUT REF CURSOR,
subtypes OUT REF CURSOR) RETURN PLS_INTEGER``, 0 when the type exists. The attribute cursor
has ten columns (cursor version, name, number, type name, type owner, type package, type OID,
instantiable, supertype owner, supertype name). The TDS (type descriptor segment) is laid out
as that file's ``_parse_tds`` reads it: an 18-byte header with the attribute count at offset
8, then one descriptor per attribute, or for a collection a COLL descriptor (offset of the
element descriptor, maximum size, collection kind) and the element's descriptor. Which
non-zero value Oracle returns for an unknown name is not documented; 1 is returned here and
drivers test only for non-zero (see docs/emulator.md).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Param, Subprogram
from airflow_datapump.testing._values import (
    PLS_INTEGER,
    RAW,
    REF_CURSOR,
    VARCHAR2,
    CollectionKind,
    CollectionType,
    CursorRows,
    DataType,
    ObjectType,
    OpaqueValue,
    RecordType,
    ScalarType,
    TypeKind,
    Value,
)

_NUMBER, _VARCHAR, _CHAR, _DATE, _RAW, _TIMESTAMP, _BOOLEAN = 6, 7, 1, 2, 19, 21, 8
_CLOB, _BLOB, _OBJECT, _COLLECTION = 29, 30, 27, 28
_COLLECTION_KINDS = {CollectionKind.INDEX_BY: 1, CollectionKind.NESTED_TABLE: 2, CollectionKind.VARRAY: 3}
_CHARSET_AL32UTF8 = 873
_ATTRIBUTE_COLUMNS: tuple[tuple[str, DataType], ...] = (
    ("VERSION", PLS_INTEGER), ("ATTR_NAME", VARCHAR2), ("ATTR_NO", PLS_INTEGER), ("ATTR_TYPE_NAME", VARCHAR2),
    ("ATTR_TYPE_OWNER", VARCHAR2), ("ATTR_TYPE_PACKAGE", VARCHAR2), ("ATTR_TYPE_OID", RAW),
    ("INSTANTIABLE", VARCHAR2), ("SUPERTYPE_OWNER", VARCHAR2), ("SUPERTYPE_NAME", VARCHAR2),
)  # fmt: skip


class NamedType(Protocol):
    owner: str
    package: str | None
    name: str
    type: DataType

    @property
    def oid(self) -> bytes: ...


Find = Callable[[object, str], NamedType | None]
EntryOf = Callable[[object, DataType], NamedType | None]


def tds(data_type: DataType) -> bytes:
    """The type descriptor segment of an object, record or collection type."""
    if isinstance(data_type, CollectionType):
        count = 1
        start = 18 + 10  # header, then COLL code, element offset, limit and kind
        body = struct.pack(">BII", _COLLECTION, start, data_type.max_size or 0)
        body += bytes([_COLLECTION_KINDS[data_type.collection_kind]]) + descriptor(data_type.element)
    else:
        fields = data_type.attributes if isinstance(data_type, ObjectType) else _record_fields(data_type)
        count = len(fields)
        body = b"".join(descriptor(t) for _, t in fields)
    header = struct.pack(">IBBHHBBHI", 18 + len(body), 1, 1, 0, count, 0, 0, 0, 0)
    return header + body


def _record_fields(data_type: DataType) -> tuple[tuple[str, DataType], ...]:
    return data_type.fields if isinstance(data_type, RecordType) else ()


def descriptor(data_type: DataType) -> bytes:
    """One attribute's (or element's) descriptor in the TDS."""
    if not isinstance(data_type, ScalarType):
        return bytes([_OBJECT]) + bytes(5)
    kind = data_type.kind
    if kind is TypeKind.NUMBER:
        scale = data_type.scale if data_type.scale is not None else (0 if data_type.precision else -127)
        return struct.pack(">Bbb", _NUMBER, data_type.precision or 0, scale)
    if kind in (TypeKind.VARCHAR2, TypeKind.CHAR):
        code = _CHAR if kind is TypeKind.CHAR else _VARCHAR
        return struct.pack(">BHBH", code, min(data_type.size or 4000, 32767), 1, _CHARSET_AL32UTF8)
    if kind is TypeKind.RAW:
        return struct.pack(">BH", _RAW, min(data_type.size or 2000, 32767))
    if kind in (TypeKind.TIMESTAMP, TypeKind.TIMESTAMP_TZ):
        return struct.pack(">Bb", _TIMESTAMP, 6)
    simple = {TypeKind.DATE: _DATE, TypeKind.BOOLEAN: _BOOLEAN, TypeKind.CLOB: _CLOB, TypeKind.BLOB: _BLOB}
    if kind in simple:
        return bytes([simple[kind]])
    raise ValueError(f"type {data_type.name} has no TDS descriptor")


def attribute_rows(session: object, entry: NamedType, entry_of: EntryOf) -> list[tuple[Value, ...]]:
    from airflow_datapump.testing._backend.type_dictionary import type_name_of

    if isinstance(entry.type, CollectionType):
        return []
    fields = entry.type.attributes if isinstance(entry.type, ObjectType) else _record_fields(entry.type)
    rows: list[tuple[Value, ...]] = []
    for number, (name, attr_type) in enumerate(fields, 1):
        named = None if isinstance(attr_type, ScalarType) else entry_of(session, attr_type)
        owner = named.owner if named else None
        package = named.package if named else None
        oid = named.oid if named else None
        rows.append((Decimal(1), name, Decimal(number), type_name_of(attr_type), owner, package, oid,
                     "YES", None, None))  # fmt: skip
    return rows


def build(find: Find, entry_of: EntryOf) -> PackageSpec:
    def get_type_shape(ctx: CallContext, args: dict[str, Value]) -> Value:
        entry = find(ctx.session, str(args["FULL_NAME"] or ""))
        args["SUBTYPE_RC"] = OpaqueValue(REF_CURSOR.name, CursorRows(_ATTRIBUTE_COLUMNS, []))
        if entry is None:
            return Decimal(1)
        args["OID"], args["VERSION"], args["TDS"] = entry.oid, Decimal(1), tds(entry.type)
        args["INSTANTIABLE"] = "YES"
        rows = attribute_rows(ctx.session, entry, entry_of)
        args["ATTR_RC"] = OpaqueValue(REF_CURSOR.name, CursorRows(_ATTRIBUTE_COLUMNS, rows))
        return Decimal(0)

    params = (
        Param("FULL_NAME", VARCHAR2),
        Param("OID", RAW, "OUT"),
        Param("VERSION", PLS_INTEGER, "OUT"),
        Param("TDS", RAW, "OUT"),
        Param("INSTANTIABLE", VARCHAR2, "OUT"),
        Param("SUPERTYPE_OWNER", VARCHAR2, "OUT"),
        Param("SUPERTYPE_NAME", VARCHAR2, "OUT"),
        Param("ATTR_RC", REF_CURSOR, "OUT"),
        Param("SUBTYPE_RC", REF_CURSOR, "OUT"),
    )
    spec = PackageSpec("DBMS_PICKLER")
    spec.subprograms["GET_TYPE_SHAPE"] = [Subprogram("GET_TYPE_SHAPE", params, PLS_INTEGER, get_type_shape)]
    return spec
