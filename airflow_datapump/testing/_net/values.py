"""Between wire formats and the emulator's value model: binds in, columns and out binds out.

The client says what each bind is (an Oracle type number, a buffer size, a character set
form); the engine speaks :mod:`airflow_datapump.testing._values`. This module is the one
place that maps one onto the other, in both directions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._net import oratypes as t
from airflow_datapump.testing._net import replies
from airflow_datapump.testing._net.buffer import UNSUPPORTED_TYPE, ProtocolError, Writer
from airflow_datapump.testing._net.lobs import LobTable
from airflow_datapump.testing._net.replies import Column
from airflow_datapump.testing._net.requests import BindMeta

_BIND_TYPES: dict[int, v.ScalarType] = {
    t.NUMBER: v.NUMBER,
    t.BINARY_INTEGER: v.PLS_INTEGER,
    t.DATE: v.DATE,
    t.TIMESTAMP: v.TIMESTAMP,
    t.TIMESTAMP_TZ: v.TIMESTAMP,
    t.TIMESTAMP_LTZ: v.TIMESTAMP,
    t.BOOLEAN: v.BOOLEAN,
}


_LOB_TYPES = {t.CLOB: v.CLOB, t.BLOB: v.BLOB, t.BFILE: v.BFILE}


def bind_in(meta: BindMeta, data: bytes | list[bytes | None] | None, lobs: LobTable) -> v.Bind:
    """The engine's Bind for one bind value as the client sent it (LOBs by locator)."""
    if meta.type_number in _LOB_TYPES:
        found = lobs.value(data) if isinstance(data, bytes) and data else None
        return v.Bind(found, _LOB_TYPES[meta.type_number])
    if isinstance(data, list):
        element = _bind_type(meta, None) or v.VARCHAR2
        collection = v.CollectionType(None, "", element, v.CollectionKind.INDEX_BY, index_type=v.PLS_INTEGER)
        elements: dict[int | str, v.Value] = {i + 1: _decode(meta, item) for i, item in enumerate(data)}
        return v.Bind(
            v.CollectionValue(collection, elements), collection, meta.buffer_size or None, meta.max_elements
        )
    value = _decode(meta, data)
    return v.Bind(value, _bind_type(meta, value), meta.buffer_size or None)


def _decode(meta: BindMeta, data: bytes | None) -> v.Value:
    if meta.type_number not in _SUPPORTED_BINDS:
        raise ProtocolError(
            f"binds of Oracle type {meta.type_number} are not supported", code=UNSUPPORTED_TYPE
        )
    value = t.decode_scalar(data, meta.type_number, nchar=meta.cs_form == 2)
    return v.normalize(value) if isinstance(value, str) else value


_SUPPORTED_BINDS = {
    t.VARCHAR, t.CHAR, t.LONG, t.NUMBER, t.BINARY_INTEGER, t.DATE, t.TIMESTAMP, t.TIMESTAMP_TZ,
    t.TIMESTAMP_LTZ, t.RAW, t.LONG_RAW, t.BOOLEAN, t.ROWID, t.UROWID,
}  # fmt: skip


def _bind_type(meta: BindMeta, value: v.Value) -> v.DataType | None:
    if meta.type_number in _BIND_TYPES:
        return _BIND_TYPES[meta.type_number]
    size = meta.buffer_size or None
    if meta.type_number in (t.RAW, t.LONG_RAW):
        return v.ScalarType(v.TypeKind.RAW, "RAW", size=size)
    if value is None:
        return None  # a NULL string bind: the statement decides what it becomes
    return v.ScalarType(v.TypeKind.VARCHAR2, "VARCHAR2", size=size)


def image(value: v.Value, type_number: int, lobs: LobTable, *, out_bind: bool = False) -> bytes:
    """One value as it appears in ROW_DATA: in a fetched row, or as an OUT bind (which adds
    its actual-length indicator); fetched LONGs add a null indicator and a return code."""
    out = Writer()
    if type_number in _LOB_TYPES:
        if isinstance(value, str | bytes):
            kind = v.TypeKind.CLOB if type_number == t.CLOB else v.TypeKind.BLOB
            value = v.LobValue(kind, value)
        out.raw(lobs.column_image(value))
    else:
        out.bytes_(encode(value, type_number))
    if out_bind:
        out.sb4(0)
    elif type_number in (t.LONG, t.LONG_RAW):
        out.sb4(0 if value is not None else -1).ub4(0)
    return out.getvalue()


def encode(value: v.Value, type_number: int) -> bytes | None:
    if isinstance(value, v.LobValue):
        value = value.data
    if isinstance(value, v.BFileValue | v.ObjectValue | v.RecordValue | v.OpaqueValue | v.CollectionValue):
        raise ValueError(f"a {type(value).__name__} cannot be sent as Oracle type {type_number}")
    if type_number in (t.VARCHAR, t.CHAR, t.LONG) and isinstance(value, Decimal):
        return _number_text(value).encode()
    if type_number in (t.VARCHAR, t.CHAR, t.LONG) and isinstance(value, dt.datetime):
        return value.strftime("%d-%b-%y").upper().encode()
    if type_number in (t.VARCHAR, t.CHAR, t.LONG) and isinstance(value, bool):
        return b"TRUE" if value else b"FALSE"
    return t.encode_scalar(value, type_number)


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def column(description_name: str, dtype: v.DataType, null_ok: bool) -> Column:
    """Describe information for a select-list column of the engine's type."""
    if not isinstance(dtype, v.ScalarType):
        raise ValueError(f"columns of type {getattr(dtype, 'name', dtype)} are not supported on the wire")
    kind = dtype.kind
    if kind is v.TypeKind.NUMBER:
        precision = dtype.precision or 0
        scale = (
            dtype.scale
            if dtype.scale is not None
            else (0 if dtype.name in ("PLS_INTEGER", "INTEGER") else -127)
        )
        return Column(description_name, t.NUMBER, 22, precision=precision, scale=scale, nullable=null_ok)
    if kind is v.TypeKind.DATE:
        return Column(description_name, t.DATE, 7, nullable=null_ok)
    if kind is v.TypeKind.TIMESTAMP:
        return Column(description_name, t.TIMESTAMP, 11, scale=6, nullable=null_ok)
    if kind is v.TypeKind.TIMESTAMP_TZ:
        return Column(description_name, t.TIMESTAMP_TZ, 13, scale=6, nullable=null_ok)
    if kind is v.TypeKind.RAW:
        size = dtype.size or 2000
        return Column(description_name, t.RAW, size, max_size=size, nullable=null_ok)
    if kind is v.TypeKind.BOOLEAN:
        return Column(description_name, t.BOOLEAN, 4, nullable=null_ok)
    if kind is v.TypeKind.CLOB:
        return Column(description_name, t.CLOB, 4000, cs_form=1, nullable=null_ok)
    if kind is v.TypeKind.BLOB:
        return Column(description_name, t.BLOB, 4000, nullable=null_ok)
    if kind is v.TypeKind.BFILE:
        return Column(description_name, t.BFILE, 4000, nullable=null_ok)
    size = dtype.size or 4000
    type_number = t.CHAR if kind is v.TypeKind.CHAR else t.VARCHAR
    return Column(description_name, type_number, size, max_size=size, cs_form=1, nullable=null_ok)


def out_image(meta: BindMeta, value: v.Value, lobs: LobTable) -> bytes:
    """An OUT bind's value; an array (a PL/SQL index-by array bind, or the rows a DML
    RETURNING INTO gives one bind) as its element count, then each element."""
    if isinstance(value, v.CollectionValue):
        elements = value.ordered()
        head = Writer().ub4(len(elements)).getvalue()
        return head + b"".join(image(e, meta.type_number, lobs, out_bind=True) for e in elements)
    return image(value, meta.type_number, lobs, out_bind=True)


def returned(metas: list[BindMeta], rows: list[list[v.Bind]], lobs: LobTable) -> bytes:
    """What a DML statement's RETURNING INTO gives back: per execution a ROW_DATA message
    holding, for each target bind, the number of rows returned and their values
    (python-oracledb's messages/base.pyx ``_process_row_data``, for a returning statement)."""
    out = b""
    for row in rows:
        out += bytes([replies.MSG_ROW_DATA])
        for meta, bind in zip(metas, row, strict=True):
            if meta.returning:
                out += out_image(meta, bind.value, lobs) if bind.assigned else Writer().ub4(0).getvalue()
    return out
