"""Built-in types, the implicit conversions Oracle allows, and value conversion at run time.

Static checks (which overload a call picks, whether an argument fits a parameter) and run-time
conversion (assigning '12' to a NUMBER) both live here so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from airflow_datapump.testing._plsql import formats
from airflow_datapump.testing._plsql.errors import OracleError, ora
from airflow_datapump.testing._values import (
    BOOLEAN,
    DATE,
    NUMBER,
    REF_CURSOR,
    VARCHAR2,
    BFileValue,
    CollectionKind,
    CollectionType,
    CollectionValue,
    DataType,
    LobValue,
    ObjectValue,
    RecordValue,
    ScalarType,
    TypeKind,
    Value,
)

_INTEGER_TYPES = {
    "INTEGER": (None, None),
    "INT": (None, None),
    "SMALLINT": (None, None),
    "PLS_INTEGER": (-(2**31), 2**31 - 1),
    "BINARY_INTEGER": (-(2**31), 2**31 - 1),
    "SIMPLE_INTEGER": (-(2**31), 2**31 - 1),
    "NATURAL": (0, 2**31 - 1),
    "NATURALN": (0, 2**31 - 1),
    "POSITIVE": (1, 2**31 - 1),
    "POSITIVEN": (1, 2**31 - 1),
    "SIGNTYPE": (-1, 1),
}
_NUMBER_NAMES = frozenset({"NUMBER", "NUMERIC", "DECIMAL", "DEC", "FLOAT", "REAL"})
_NUMBER_NAMES_BINARY = frozenset({"BINARY_DOUBLE", "BINARY_FLOAT"})
_TEXT_NAMES = {"VARCHAR2": 0, "VARCHAR": 0, "NVARCHAR2": 0, "STRING": 0, "CHAR": 1, "NCHAR": 1}
_SIMPLE = {
    "DATE": DATE,
    "TIMESTAMP": ScalarType(TypeKind.TIMESTAMP, "TIMESTAMP"),
    "BOOLEAN": BOOLEAN,
    "CLOB": ScalarType(TypeKind.CLOB, "CLOB"),
    "NCLOB": ScalarType(TypeKind.CLOB, "NCLOB"),
    "BLOB": ScalarType(TypeKind.BLOB, "BLOB"),
    "BFILE": ScalarType(TypeKind.BFILE, "BFILE"),
    "LONG": ScalarType(TypeKind.VARCHAR2, "LONG", size=32760),
    "SYS_REFCURSOR": REF_CURSOR,
}
_NUMERIC_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
CHAR_SEMANTICS_SUFFIX = " CHAR"


class TypeArgError(Exception):
    """A built-in type written with arguments it does not take (or missing a length)."""


def scalar_type(name: str, args: tuple[int, ...], char_semantics: bool = False) -> ScalarType | None:
    """The ScalarType for a built-in type name, or None if ``name`` is not built in.

    CHAR length semantics is recorded in the type's name (``"VARCHAR2 CHAR"``) because the shared
    ScalarType has no field for it; sizes are otherwise in bytes.
    """
    if name in _INTEGER_TYPES:
        return ScalarType(TypeKind.NUMBER, name, scale=0)
    if name in _NUMBER_NAMES or name in _NUMBER_NAMES_BINARY:
        precision = args[0] if args else None
        scale = args[1] if len(args) > 1 else (0 if args and name != "FLOAT" else None)
        return ScalarType(TypeKind.NUMBER, name, precision=precision, scale=scale)
    if name in _TEXT_NAMES:
        if not args:
            if _TEXT_NAMES[name]:
                args = (1,)
            else:
                raise TypeArgError(name)
        kind = TypeKind.CHAR if _TEXT_NAMES[name] else TypeKind.VARCHAR2
        spelled = kind.value + (CHAR_SEMANTICS_SUFFIX if char_semantics else "")
        return ScalarType(kind, spelled, size=args[0])
    if name == "RAW":
        if not args:
            raise TypeArgError(name)
        return ScalarType(TypeKind.RAW, "RAW", size=args[0])
    if name == "TIMESTAMP" and args:
        return ScalarType(TypeKind.TIMESTAMP, "TIMESTAMP", precision=args[0])
    return _SIMPLE.get(name)


def family(t: DataType | None) -> str:
    """A coarse type family: N(umber), C(haracter), L(ob text), D(ate), B(oolean), R(aw)..."""
    if t is None:
        return "NULL"
    kind = t.kind
    return {
        TypeKind.NUMBER: "N",
        TypeKind.VARCHAR2: "C",
        TypeKind.CHAR: "C",
        TypeKind.CLOB: "L",
        TypeKind.DATE: "D",
        TypeKind.TIMESTAMP: "D",
        TypeKind.TIMESTAMP_TZ: "D",
        TypeKind.BOOLEAN: "B",
        TypeKind.RAW: "R",
        TypeKind.BLOB: "R",
        TypeKind.BFILE: "F",
    }.get(kind, "X")


_CONVERTIBLE = {
    ("N", "C"),
    ("C", "N"),
    ("D", "C"),
    ("C", "D"),
    ("C", "L"),
    ("L", "C"),
    ("N", "L"),
    ("R", "C"),
    ("C", "R"),
}


def match_rank(src: DataType | None, dst: DataType) -> int | None:
    """How well a value of static type ``src`` fits ``dst``: 2 same family, 1 by implicit
    conversion (or a NULL literal), None not at all. Composite types must be the same type."""
    if src is None:
        return 1
    if src.kind in (TypeKind.OBJECT, TypeKind.COLLECTION, TypeKind.RECORD) or dst.kind in (
        TypeKind.OBJECT,
        TypeKind.COLLECTION,
        TypeKind.RECORD,
    ):
        return 2 if same_type(src, dst) else None
    if src.kind == TypeKind.OPAQUE or dst.kind == TypeKind.OPAQUE:
        return 2 if src == dst else None
    a, b = family(src), family(dst)
    if a == b:
        return 2
    return 1 if (a, b) in _CONVERTIBLE else None


def same_type(a: DataType, b: DataType) -> bool:
    """Composite type identity; index-by tables also match when their element types match, so
    driver array binds (typed only by element) can be passed to local index-by variables."""
    if a is b or a == b:
        return True
    if isinstance(a, CollectionType) and isinstance(b, CollectionType):
        return (
            a.collection_kind == b.collection_kind == CollectionKind.INDEX_BY
            and match_rank(a.element, b.element) == 2
        )
    return False


def static_type_of_value(value: Value) -> DataType | None:
    """The type a bind's Python-side value implies (None binds as VARCHAR2, like the driver)."""
    if value is None or isinstance(value, str):
        return VARCHAR2
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, Decimal):
        return NUMBER
    if isinstance(value, dt.datetime):
        return DATE
    if isinstance(value, bytes):
        return ScalarType(TypeKind.RAW, "RAW", size=32767)
    if isinstance(value, LobValue):
        return _SIMPLE["CLOB"] if value.kind == TypeKind.CLOB else _SIMPLE["BLOB"]
    if isinstance(value, BFileValue):
        return _SIMPLE["BFILE"]
    if isinstance(value, ObjectValue | CollectionValue | RecordValue):
        return value.type
    return ScalarType(TypeKind.OPAQUE, value.type_name)


# --- run-time conversion -------------------------------------------------------------------


def value_error(detail: str | None = None, *, sql: bool = False) -> OracleError:
    if sql and detail == "character to number conversion error":
        return ora(1722)
    return ora(6502, detail)


def number_to_text(value: Decimal) -> str:
    """Oracle's TO_CHAR(n) with no format: no trailing zeros, no leading zero before '.'."""
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return "0" if text in ("-0", "") else text


def to_text(value: Value, *, sql: bool = False) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise value_error(sql=sql)
    if isinstance(value, Decimal):
        return number_to_text(value)
    if isinstance(value, dt.datetime):
        return formats.format_datetime(value, formats.DEFAULT_DATE_FORMAT)
    if isinstance(value, bytes):
        return value.hex().upper() or None
    if isinstance(value, LobValue):
        data = value.data
        return (data if isinstance(data, str) else data.hex().upper()) or None
    raise value_error(sql=sql)


def to_number(value: Value, *, sql: bool = False) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, LobValue) and isinstance(value.data, str):
        value = value.data
    if isinstance(value, str):
        text = value.strip()
        if not _NUMERIC_TEXT.fullmatch(text):
            raise value_error("character to number conversion error", sql=sql)
        return Decimal(text)
    raise value_error(sql=sql)


def to_datetime(value: Value, *, sql: bool = False) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return formats.parse_datetime(value, formats.DEFAULT_DATE_FORMAT)
    raise value_error(sql=sql)


def to_bytes(value: Value, *, sql: bool = False) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, LobValue) and isinstance(value.data, bytes):
        return value.data
    if isinstance(value, str):
        try:
            return bytes.fromhex(value)
        except ValueError as exc:
            raise value_error("hex to raw conversion error", sql=sql) from exc
    raise value_error(sql=sql)


def text_length(text: str, t: ScalarType) -> int:
    if t.name.endswith(CHAR_SEMANTICS_SUFFIX):
        return len(text)
    return len(text.encode("utf-8"))


def convert(value: Value, t: DataType, *, sql: bool = False) -> Value:
    """``value`` converted to type ``t`` with Oracle's checks; composites are copied, because
    PL/SQL assignment copies records, objects and collections."""
    if value is None:
        return None
    if not isinstance(t, ScalarType):
        if isinstance(value, ObjectValue | CollectionValue | RecordValue):
            return copy_value(value)
        raise value_error(sql=sql)
    kind = t.kind
    if kind == TypeKind.NUMBER:
        return constrain_number(to_number(value, sql=sql), t, sql=sql)
    if kind in (TypeKind.VARCHAR2, TypeKind.CHAR):
        return _constrain_text(to_text(value, sql=sql), t)
    if kind in (TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.TIMESTAMP_TZ):
        moment = to_datetime(value, sql=sql)
        if kind == TypeKind.DATE and moment is not None:
            return moment.replace(microsecond=0)
        return moment
    if kind == TypeKind.BOOLEAN:
        if isinstance(value, bool):
            return value
        raise value_error(sql=sql)
    if kind in (TypeKind.CLOB, TypeKind.BLOB) and isinstance(value, LobValue) and value.kind == kind:
        return LobValue(kind, value.data)  # an empty LOB is not NULL (only '' is)
    if kind == TypeKind.CLOB:
        text = to_text(value, sql=sql)
        return None if text is None else LobValue(TypeKind.CLOB, text)
    if kind in (TypeKind.RAW, TypeKind.BLOB):
        raw = to_bytes(value, sql=sql)
        if raw is not None and kind == TypeKind.RAW and t.size is not None and len(raw) > t.size:
            raise value_error("raw variable length too long", sql=sql)
        return raw if kind == TypeKind.RAW or raw is None else LobValue(TypeKind.BLOB, raw)
    return value


def _constrain_text(text: str | None, t: ScalarType) -> str | None:
    if text is None:
        return None
    if t.size is not None and text_length(text, t) > t.size:
        raise value_error("character string buffer too small")
    if t.kind == TypeKind.CHAR and t.size is not None:
        return text + " " * (t.size - text_length(text, t))
    return text


def constrain_number(value: Decimal | None, t: ScalarType, *, sql: bool = False) -> Decimal | None:
    if value is None:
        return None
    if t.scale is not None:
        value = value.quantize(Decimal(1).scaleb(-t.scale), rounding=ROUND_HALF_UP)
    bounds = _INTEGER_TYPES.get(t.name)
    low, high = bounds if bounds else (None, None)
    if low is not None and high is not None and not low <= value <= high:
        raise ora(1426) if t.name.endswith("INTEGER") else value_error(sql=sql)
    if t.precision is not None and t.scale is not None:
        try:
            digits = value.adjusted() + 1 if value else 0
        except InvalidOperation:  # pragma: no cover - Decimal specials never reach here
            digits = 0
        if digits > t.precision - t.scale:
            raise ora(1438) if sql else value_error("number precision too large")
    return value


def copy_value(value: Value) -> Value:
    """A deep copy of composite values; scalars are immutable and returned as they are."""
    if isinstance(value, ObjectValue):
        return ObjectValue(value.type, {k: copy_value(v) for k, v in value.attrs.items()})
    if isinstance(value, CollectionValue):
        return CollectionValue(value.type, {k: copy_value(v) for k, v in value.elements.items()})
    if isinstance(value, RecordValue):
        return RecordValue(value.type, {k: copy_value(v) for k, v in value.fields.items()})
    if isinstance(value, LobValue):
        return LobValue(value.kind, value.data)
    return value
