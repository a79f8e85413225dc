"""Conversions between Python values, python-oracledb types and the emulator's value model.

Inbound values follow python-oracledb's binding rules (``int``/``float`` become NUMBER, ``''``
is NULL); outbound values follow its fetch rules (NUMBER becomes ``int`` when integral and
``float`` otherwise unless ``fetch_decimals``; LOBs become LOB objects unless ``fetch_lobs`` is
off). Nothing here makes a round trip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import oracledb

from airflow_datapump.testing import _values as v

from . import errors

if TYPE_CHECKING:
    from .calls import Session
    from .dbobject import DbObjectType

#: The Python type a value should come back as; ``None`` means python-oracledb's default.
Flavor = type | None

_KIND_TO_DBTYPE: dict[v.TypeKind, Any] = {
    v.TypeKind.NUMBER: oracledb.DB_TYPE_NUMBER,
    v.TypeKind.VARCHAR2: oracledb.DB_TYPE_VARCHAR,
    v.TypeKind.CHAR: oracledb.DB_TYPE_CHAR,
    v.TypeKind.RAW: oracledb.DB_TYPE_RAW,
    v.TypeKind.DATE: oracledb.DB_TYPE_DATE,
    v.TypeKind.TIMESTAMP: oracledb.DB_TYPE_TIMESTAMP,
    v.TypeKind.TIMESTAMP_TZ: oracledb.DB_TYPE_TIMESTAMP_TZ,
    v.TypeKind.BOOLEAN: oracledb.DB_TYPE_BOOLEAN,
    v.TypeKind.CLOB: oracledb.DB_TYPE_CLOB,
    v.TypeKind.BLOB: oracledb.DB_TYPE_BLOB,
    v.TypeKind.BFILE: oracledb.DB_TYPE_BFILE,
    v.TypeKind.OBJECT: oracledb.DB_TYPE_OBJECT,
    v.TypeKind.COLLECTION: oracledb.DB_TYPE_OBJECT,
}

_STRING = v.ScalarType(v.TypeKind.VARCHAR2, "VARCHAR2", size=4000)
_RAW = v.ScalarType(v.TypeKind.RAW, "RAW", size=4000)
_CHAR = v.ScalarType(v.TypeKind.CHAR, "CHAR", size=4000)

# (data type, flavor) per python-oracledb type constant or Python type accepted by var().
_VAR_TYPES: list[tuple[Any, v.ScalarType, Flavor]] = [
    (int, v.NUMBER, int),
    (float, v.NUMBER, float),
    (Decimal, v.NUMBER, Decimal),
    (bool, v.BOOLEAN, None),
    (str, _STRING, None),
    (bytes, _RAW, None),
    (dt.datetime, v.DATE, None),
    (dt.date, v.DATE, None),
    (oracledb.DB_TYPE_NUMBER, v.NUMBER, None),
    (oracledb.DB_TYPE_BINARY_INTEGER, v.PLS_INTEGER, int),
    (oracledb.DB_TYPE_BINARY_DOUBLE, v.NUMBER, float),
    (oracledb.DB_TYPE_BINARY_FLOAT, v.NUMBER, float),
    (oracledb.DB_TYPE_VARCHAR, _STRING, None),
    (oracledb.DB_TYPE_NVARCHAR, _STRING, None),
    (oracledb.DB_TYPE_LONG, _STRING, str),
    (oracledb.DB_TYPE_CHAR, _CHAR, None),
    (oracledb.DB_TYPE_NCHAR, _CHAR, None),
    (oracledb.DB_TYPE_RAW, _RAW, None),
    (oracledb.DB_TYPE_LONG_RAW, _RAW, bytes),
    (oracledb.DB_TYPE_DATE, v.DATE, None),
    (oracledb.DB_TYPE_TIMESTAMP, v.TIMESTAMP, None),
    (oracledb.DB_TYPE_TIMESTAMP_TZ, v.TIMESTAMP_TZ, None),
    (oracledb.DB_TYPE_BOOLEAN, v.BOOLEAN, None),
    (oracledb.DB_TYPE_CLOB, v.CLOB, None),
    (oracledb.DB_TYPE_NCLOB, v.CLOB, None),
    (oracledb.DB_TYPE_BLOB, v.BLOB, None),
    (oracledb.NUMBER, v.NUMBER, None),
    (oracledb.STRING, _STRING, None),
    (oracledb.BINARY, _RAW, None),
    (oracledb.DATETIME, v.DATE, None),
]


def var_type(typ: Any, size: int) -> tuple[v.ScalarType, Flavor, Any]:
    """Resolve what ``cursor.var()`` accepts into (data type, flavor, public type)."""
    for key, scalar, flavor in _VAR_TYPES:
        if typ is key:
            if scalar.kind in (v.TypeKind.VARCHAR2, v.TypeKind.CHAR, v.TypeKind.RAW):
                scalar = v.ScalarType(scalar.kind, scalar.name, size=size or 4000)
            return scalar, flavor, db_type(scalar)
    if isinstance(typ, type):
        raise errors.driver_error(errors.PYTHON_TYPE_NOT_SUPPORTED, typ=typ)
    raise errors.driver_error(errors.DB_TYPE_NOT_SUPPORTED, name=getattr(typ, "name", typ))


def db_type(dtype: v.DataType | None) -> Any:
    """The ``oracledb.DB_TYPE_*`` constant python-oracledb reports for a data type."""
    if dtype is None:
        return oracledb.DB_TYPE_VARCHAR
    return _KIND_TO_DBTYPE.get(dtype.kind, oracledb.DB_TYPE_VARCHAR)


def infer_type(value: v.Value) -> v.DataType | None:
    """The type python-oracledb would bind a plain Python value as (NULL: left to the engine)."""
    if isinstance(value, bool):
        return v.BOOLEAN
    if isinstance(value, Decimal):
        return v.NUMBER
    if isinstance(value, str):
        return v.ScalarType(v.TypeKind.VARCHAR2, "VARCHAR2", size=max(len(value), 1))
    if isinstance(value, bytes):
        return v.ScalarType(v.TypeKind.RAW, "RAW", size=max(len(value), 1))
    if isinstance(value, dt.datetime):
        return v.TIMESTAMP if value.microsecond else v.DATE
    if isinstance(value, v.LobValue):
        return v.CLOB if value.kind is v.TypeKind.CLOB else v.BLOB
    if isinstance(value, v.ObjectValue | v.CollectionValue):
        return value.type
    return None


def to_value(py: object) -> v.Value:
    """Bring a Python bind value into the value model, as python-oracledb would bind it."""
    from .dbobject import DbObject
    from .lob import BaseLOB

    if isinstance(py, BaseLOB):
        return py._value
    if isinstance(py, DbObject):
        return py._value
    if isinstance(py, bytes):
        return py or None
    if isinstance(py, dt.datetime):
        return py
    if isinstance(py, dt.date):
        return dt.datetime(py.year, py.month, py.day)
    if py is None or isinstance(py, bool | int | float | Decimal | str):
        return v.normalize(py)
    raise errors.driver_error(errors.PYTHON_VALUE_NOT_SUPPORTED, type_name=type(py).__name__)


@dataclass
class Converter:
    """Turns engine values into what python-oracledb returns, for one connection family.

    ``async_lobs`` picks the LOB class whose methods are coroutines.
    """

    session: Session
    async_lobs: bool = False
    fetch_decimals: bool | None = None
    fetch_lobs: bool | None = None

    def to_python(self, value: v.Value, flavor: Flavor = None) -> Any:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return self._number(value, flavor)
        if isinstance(value, v.LobValue):
            return self._lob(value, flavor)
        if isinstance(value, v.ObjectValue | v.CollectionValue):
            from .dbobject import DbObject

            return DbObject(value, self)
        if flavor is str and isinstance(value, bytes):
            return value.decode()
        return value

    def object_type(self, dtype: v.ObjectType | v.CollectionType) -> DbObjectType:
        from .dbobject import DbObjectType

        return DbObjectType(dtype, self)

    def _number(self, value: Decimal, flavor: Flavor) -> Any:
        decimals = oracledb.defaults.fetch_decimals
        if self.fetch_decimals is not None:
            decimals = self.fetch_decimals
        if flavor is Decimal or (flavor is None and decimals):
            return value
        if flavor is float:
            return float(value)
        if flavor is int or value == value.to_integral_value():
            return int(value)
        return float(value)

    def _lob(self, value: v.LobValue, flavor: Flavor) -> Any:
        as_lobs = oracledb.defaults.fetch_lobs if self.fetch_lobs is None else self.fetch_lobs
        if flavor in (str, bytes) or (flavor is None and not as_lobs):
            return value.data
        from .lob import LOB, AsyncLOB

        cls = AsyncLOB if self.async_lobs else LOB
        return cls(value, self.session)


class FetchInfo(tuple[Any, ...]):
    """A column of ``cursor.description``: equal to python-oracledb's FetchInfo 7-tuples.

    ``type_code`` is the ``DB_TYPE_*`` constant; ``type`` is the DbObjectType for object
    columns, as in python-oracledb.
    """

    _type: Any

    def __new__(cls, fields: tuple[Any, ...], type_: Any) -> FetchInfo:
        info = super().__new__(cls, fields)
        info._type = type_
        return info

    @property
    def name(self) -> str:
        return str(self[0])

    @property
    def type_code(self) -> Any:
        return self[1]

    @property
    def display_size(self) -> int | None:
        return self[2]  # type: ignore[no-any-return]

    @property
    def internal_size(self) -> int | None:
        return self[3]  # type: ignore[no-any-return]

    @property
    def precision(self) -> int | None:
        return self[4]  # type: ignore[no-any-return]

    @property
    def scale(self) -> int | None:
        return self[5]  # type: ignore[no-any-return]

    @property
    def null_ok(self) -> bool:
        return bool(self[6])

    @property
    def type(self) -> Any:
        return self._type


_DATE_KINDS = (v.TypeKind.DATE, v.TypeKind.TIMESTAMP, v.TypeKind.TIMESTAMP_TZ)


def fetch_info(
    name: str,
    dtype: v.DataType,
    converter: Converter,
    sizes: tuple[int | None, int | None, int | None, int | None],
    null_ok: bool,
) -> FetchInfo:
    """Build one description entry; object columns report their DbObjectType as the type."""
    display, internal, precision, scale = sizes
    if isinstance(dtype, v.ScalarType):
        if display is None and dtype.kind in _DATE_KINDS:
            display = 23
        if display is None and dtype.size is not None and dtype.kind is not v.TypeKind.NUMBER:
            display = dtype.size
        if internal is None and dtype.kind is not v.TypeKind.NUMBER:
            internal = display if dtype.kind not in _DATE_KINDS else None
        precision = dtype.precision if precision is None else precision
        scale = dtype.scale if scale is None else scale
        if dtype.kind is v.TypeKind.NUMBER:
            display = display or 127
        public: Any = db_type(dtype)
    elif isinstance(dtype, v.ObjectType | v.CollectionType):
        public = converter.object_type(dtype)
    else:
        public = oracledb.DB_TYPE_OBJECT
    code = public if isinstance(dtype, v.ScalarType) else oracledb.DB_TYPE_OBJECT
    return FetchInfo((name, code, display, internal, precision, scale, null_ok), public)
