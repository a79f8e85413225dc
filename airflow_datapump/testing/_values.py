"""Values and types as the emulated database holds them.

Every part of the emulator speaks this model: the driver converts Python bind values into it
and back, the PL/SQL and SQL engine computes with it, and the packages (DBMS_DATAPUMP,
UTL_FILE ...) receive and return it. Keeping one model is what lets the driver stay ignorant of
PL/SQL and the engine stay ignorant of python-oracledb.

Representation, chosen to mirror Oracle's semantics rather than Python's:

- SQL NULL is ``None``. Oracle treats the empty string as NULL, so ``""`` never appears as a
  value: :func:`normalize` turns it into ``None``.
- NUMBER (and PLS_INTEGER, BINARY_INTEGER, INTEGER) is ``decimal.Decimal``, never ``int`` or
  ``float``, so arithmetic is exact like Oracle's.
- VARCHAR2 and CHAR are ``str``; RAW is ``bytes``; DATE and TIMESTAMP are ``datetime``.
- PL/SQL BOOLEAN is ``bool`` (it has no SQL counterpart before 23ai).
- CLOB and BLOB are :class:`LobValue`; BFILE is :class:`BFileValue`.
- Instances of object types (the ``ku$_`` types, for example) are :class:`ObjectValue`;
  nested tables, varrays and associative arrays are :class:`CollectionValue`; PL/SQL records
  are :class:`RecordValue`. An atomically NULL object or collection is ``None``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class TypeKind(Enum):
    """The families of data type the emulator distinguishes."""

    NUMBER = "NUMBER"
    VARCHAR2 = "VARCHAR2"
    CHAR = "CHAR"
    RAW = "RAW"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"
    TIMESTAMP_TZ = "TIMESTAMP WITH TIME ZONE"
    BOOLEAN = "BOOLEAN"
    CLOB = "CLOB"
    BLOB = "BLOB"
    BFILE = "BFILE"
    OBJECT = "OBJECT"
    COLLECTION = "COLLECTION"
    RECORD = "RECORD"
    OPAQUE = "OPAQUE"  # PL/SQL-only handles such as UTL_FILE.FILE_TYPE internals


@dataclass(frozen=True)
class ScalarType:
    """A built-in scalar type; ``name`` is the declared spelling (``PLS_INTEGER``)."""

    kind: TypeKind
    name: str
    size: int | None = None  # maximum length in bytes for VARCHAR2/CHAR/RAW
    precision: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class ObjectType:
    """A SQL object type such as ``SYS.KU$_STATUS1120``; attributes keep declaration order."""

    schema: str
    name: str
    attributes: tuple[tuple[str, DataType], ...]

    @property
    def kind(self) -> TypeKind:
        return TypeKind.OBJECT

    def attribute(self, name: str) -> DataType | None:
        for attr_name, attr_type in self.attributes:
            if attr_name == name:
                return attr_type
        return None


class CollectionKind(Enum):
    NESTED_TABLE = "TABLE"
    VARRAY = "VARRAY"
    INDEX_BY = "INDEX BY"


@dataclass(frozen=True)
class CollectionType:
    """A nested table, varray or associative array type."""

    schema: str | None
    name: str
    element: DataType
    collection_kind: CollectionKind
    max_size: int | None = None  # varray limit
    index_type: ScalarType | None = None  # associative arrays: PLS_INTEGER or VARCHAR2

    @property
    def kind(self) -> TypeKind:
        return TypeKind.COLLECTION


@dataclass(frozen=True)
class RecordType:
    """A PL/SQL record type declared in a block or a package."""

    name: str
    fields: tuple[tuple[str, DataType], ...]

    @property
    def kind(self) -> TypeKind:
        return TypeKind.RECORD


DataType = ScalarType | ObjectType | CollectionType | RecordType


@dataclass
class ObjectValue:
    """A non-NULL instance of an object type; attribute names are upper case."""

    type: ObjectType
    attrs: dict[str, Value] = field(default_factory=dict)


@dataclass
class CollectionValue:
    """A non-NULL collection.

    Nested tables and varrays keep ``elements`` as a dict from 1-based index to value, so that
    DELETE can leave gaps as Oracle's nested tables do; associative arrays use their own keys.
    """

    type: CollectionType
    elements: dict[int | str, Value] = field(default_factory=dict)

    def ordered(self) -> list[Value]:
        return [self.elements[k] for k in sorted(self.elements, key=_index_key)]


@dataclass
class RecordValue:
    type: RecordType
    fields: dict[str, Value] = field(default_factory=dict)


@dataclass
class LobValue:
    """A CLOB (``str`` data) or BLOB (``bytes`` data), temporary or not."""

    kind: TypeKind
    data: str | bytes


@dataclass(frozen=True)
class BFileValue:
    """A BFILE locator: a directory object name and a file name, as BFILENAME builds it."""

    directory: str
    filename: str


@dataclass
class OpaqueValue:
    """A value only PL/SQL code can hold, e.g. an open UTL_FILE handle."""

    type_name: str
    payload: object


@dataclass
class CursorRows:
    """What an opened REF CURSOR holds (the payload of a SYS_REFCURSOR :class:`OpaqueValue`):
    the query's columns and its rows, computed when OPEN ran, as Oracle's read consistency
    fixes them at OPEN time."""

    columns: tuple[tuple[str, DataType], ...]
    rows: list[tuple[Value, ...]]


Value = (
    None
    | bool
    | Decimal
    | str
    | bytes
    | _dt.datetime
    | ObjectValue
    | CollectionValue
    | RecordValue
    | LobValue
    | BFileValue
    | OpaqueValue
)


@dataclass
class Bind:
    """One bind variable of a statement, shared between the driver and the engine.

    The engine reads ``value`` (and ``type``, when the driver knows it from ``cursor.var()``),
    and writes ``value`` back when the statement assigns to the bind (an OUT or IN OUT use).
    ``size`` is the driver-side buffer size for strings; a longer value assigned to it fails
    with ORA-06502 as in Oracle. ``array_size`` is set for PL/SQL index-by array binds
    (``cursor.arrayvar``); their value is then a :class:`CollectionValue`.
    """

    value: Value
    type: DataType | None = None
    size: int | None = None
    array_size: int | None = None
    assigned: bool = False


NUMBER = ScalarType(TypeKind.NUMBER, "NUMBER")
PLS_INTEGER = ScalarType(TypeKind.NUMBER, "PLS_INTEGER")
VARCHAR2 = ScalarType(TypeKind.VARCHAR2, "VARCHAR2", size=32767)
BOOLEAN = ScalarType(TypeKind.BOOLEAN, "BOOLEAN")
DATE = ScalarType(TypeKind.DATE, "DATE")
TIMESTAMP = ScalarType(TypeKind.TIMESTAMP, "TIMESTAMP")
# SYSTIMESTAMP's type (SQL Language Reference). Its values are the wall-clock time at the
# database's offset (DBTIMEZONE), as python-oracledb fetches them: a datetime without tzinfo.
TIMESTAMP_TZ = ScalarType(TypeKind.TIMESTAMP_TZ, "TIMESTAMP WITH TIME ZONE")
CLOB = ScalarType(TypeKind.CLOB, "CLOB")
BLOB = ScalarType(TypeKind.BLOB, "BLOB")
BFILE = ScalarType(TypeKind.BFILE, "BFILE")
RAW = ScalarType(TypeKind.RAW, "RAW", size=32767)
#: SYS_REFCURSOR, the weak REF CURSOR type; its values are OpaqueValue(REF_CURSOR.name, CursorRows).
REF_CURSOR = ScalarType(TypeKind.OPAQUE, "SYS_REFCURSOR")


def normalize(value: Value | int | float) -> Value:
    """Bring a Python value into the model: '' becomes NULL, numbers become Decimal."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if value == "":
        return None
    return value


def _index_key(key: int | str) -> tuple[int, int | str]:
    return (0, key) if isinstance(key, int) else (1, key)
