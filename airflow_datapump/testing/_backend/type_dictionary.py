"""The data dictionary of types: which named types exist, their OIDs, and the views that list them.

Oracle lists SQL object and collection types in ALL_TYPES and ALL_COLL_TYPES, and types
declared in package specifications (records, collections) in ALL_PLSQL_TYPES and
ALL_PLSQL_COLL_TYPES (Database Reference). The emulator's SQL types come from the modules
that register them in :data:`SQL_TYPES` (the ``KU$_`` types of Data Pump), its package types
from the package specifications the backend builds (UTL_FILE.FILE_TYPE). Every type gets a
stable 16-byte OID, as Oracle gives each type one; DBMS_PICKLER and these views report it, and
the Oracle Net server finds a bound object's type by it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from airflow_datapump.testing._backend.runtime import OPTIONAL_PACKAGES, PACKAGES, SessionRuntime
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.views import Row, register_view, text
from airflow_datapump.testing._values import (
    NUMBER,
    CollectionKind,
    CollectionType,
    DataType,
    ObjectType,
    RecordType,
    ScalarType,
    TypeKind,
)

#: Providers of SQL types (schema-level object and collection types), registered at import.
SQL_TYPES: list[Callable[[], Iterable[DataType]]] = []
_RAW16 = ScalarType(TypeKind.RAW, "RAW", size=16)


@dataclass(frozen=True)
class TypeEntry:
    """One named type as the dictionary lists it; ``package`` is None for SQL types."""

    owner: str
    package: str | None
    name: str
    type: DataType

    @property
    def oid(self) -> bytes:
        return type_oid(self.owner, self.package, self.name)


def type_oid(owner: str, package: str | None, name: str) -> bytes:
    """A stable 16-byte OID for a named type (Oracle's OIDs are 16 bytes as well)."""
    return hashlib.md5(f"{owner}.{package or ''}.{name}".encode(), usedforsecurity=False).digest()


def entries(session: Session) -> list[TypeEntry]:
    """Every named type the session's database has: SQL types, then package types."""
    found: dict[tuple[str, str | None, str], TypeEntry] = {}
    for provider in SQL_TYPES:
        for data_type in provider():
            if isinstance(data_type, ObjectType | CollectionType) and data_type.schema:
                key: tuple[str, str | None, str] = (data_type.schema, None, data_type.name)
                found.setdefault(key, TypeEntry(data_type.schema, None, data_type.name, data_type))
    runtime = SessionRuntime(session.backend, session)  # type: ignore[arg-type]
    for package_name in sorted(PACKAGES):
        if "." in package_name or package_name in OPTIONAL_PACKAGES:
            continue
        spec = runtime.package(package_name)
        for name, data_type in (spec.types if spec is not None else {}).items():
            key = ("SYS", package_name, name)
            found.setdefault(key, TypeEntry("SYS", package_name, name, data_type))
    return list(found.values())


def entry_of(session: Session, data_type: DataType) -> TypeEntry | None:
    """The dictionary entry of a type value (the same object, or an equal one)."""
    for entry in entries(session):
        if entry.type is data_type:
            return entry
    for entry in entries(session):
        if entry.type == data_type:
            return entry
    return None


def by_oid(session: Session, oid: bytes) -> TypeEntry | None:
    return next((e for e in entries(session) if e.oid == oid), None)


def find(session: Session, full_name: str) -> TypeEntry | None:
    """Resolve a type name as DBMS_PICKLER receives it: ``SYS.KU$_STATUS1020``, quoted
    ``"SYS"."KU$_STATUS1020"``, ``UTL_FILE.FILE_TYPE`` (through the package's public synonym)
    or ``"SYS"."UTL_FILE"."FILE_TYPE"``; an unqualified name is looked up in the session's
    schema, then as a public synonym of a SYS type."""
    parts = _split(full_name)
    if parts is None:
        return None
    known = entries(session)

    def pick(owner: str | None, package: str | None, name: str) -> TypeEntry | None:
        return next(
            (
                e
                for e in known
                if (owner is None or e.owner == owner) and e.package == package and e.name == name
            ),
            None,
        )

    if len(parts) == 1:
        return pick(session.current_schema, None, parts[0]) or _synonym(session, parts[0])
    if len(parts) == 2:
        found = pick(parts[0], None, parts[1]) or pick("SYS", parts[0], parts[1])
        return found or (_synonym(session, parts[1]) if parts[0] == "PUBLIC" else None)
    if len(parts) == 3:
        return pick(parts[0], parts[1], parts[2])
    return None


def _synonym(session: Session, name: str) -> TypeEntry | None:
    """A public synonym (KU$_STATUS is KU$_STATUS1220): the type the engine resolves it to."""
    runtime = SessionRuntime(session.backend, session)  # type: ignore[arg-type]
    target = runtime.type(name)
    return entry_of(session, target) if target is not None else None


def _split(full_name: str) -> list[str] | None:
    """Dot-separated parts; quoted parts keep their case, others are upper-cased."""
    parts: list[str] = []
    rest = full_name.strip()
    while rest:
        if rest.startswith('"'):
            end = rest.find('"', 1)
            if end < 0:
                return None
            parts.append(rest[1:end])
            rest = rest[end + 1 :]
        else:
            end = rest.find(".")
            end = len(rest) if end < 0 else end
            parts.append(rest[:end].strip().upper())
            rest = rest[end:]
        if rest.startswith("."):
            rest = rest[1:]
        elif rest:
            return None
    return parts if all(parts) else None


def type_name_of(data_type: DataType) -> str:
    """The name an attribute's or element's type has in the dictionary views."""
    if isinstance(data_type, ObjectType | CollectionType | RecordType):
        return data_type.name.rsplit(".", 1)[-1]
    if data_type.name in ("PLS_INTEGER", "BINARY_INTEGER"):
        return "PL/SQL BINARY INTEGER" if data_type.name == "BINARY_INTEGER" else "PL/SQL PLS INTEGER"
    if data_type.kind is TypeKind.BOOLEAN:
        return "PL/SQL BOOLEAN"
    return data_type.name.split(" ")[0] if data_type.kind is TypeKind.VARCHAR2 else data_type.name


# -- the views ------------------------------------------------------------------------------

_COLL_KINDS = {CollectionKind.NESTED_TABLE: "TABLE", CollectionKind.VARRAY: "VARYING ARRAY"}


def _type_row(entry: TypeEntry) -> Row:
    is_collection = isinstance(entry.type, CollectionType)
    attributes = 0 if is_collection else len(_fields(entry.type))
    typecode = "COLLECTION" if is_collection else "OBJECT"
    return (entry.owner, entry.name, entry.oid, typecode, Decimal(attributes), Decimal(0), "NO", "NO", "YES",
            "YES", None, None)  # fmt: skip


def _fields(data_type: DataType) -> tuple[tuple[str, DataType], ...]:
    if isinstance(data_type, ObjectType):
        return data_type.attributes
    if isinstance(data_type, RecordType):
        return data_type.fields
    return ()


@register_view(
    "ALL_TYPES",
    [("OWNER", text()), ("TYPE_NAME", text()), ("TYPE_OID", _RAW16), ("TYPECODE", text()),
     ("ATTRIBUTES", NUMBER), ("METHODS", NUMBER), ("PREDEFINED", text(3)), ("INCOMPLETE", text(3)),
     ("FINAL", text(3)), ("INSTANTIABLE", text(3)), ("SUPERTYPE_OWNER", text()), ("SUPERTYPE_NAME", text())],
    catalog_role=False,
)  # fmt: skip
def _all_types(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [_type_row(e) for e in entries(session) if e.package is None]


@register_view(
    "ALL_PLSQL_TYPES",
    [("OWNER", text()), ("TYPE_NAME", text()), ("PACKAGE_NAME", text()), ("TYPE_OID", _RAW16),
     ("TYPECODE", text()), ("ATTRIBUTES", NUMBER), ("CONTAINS_PLSQL", text(3))],
    catalog_role=False,
)  # fmt: skip
def _all_plsql_types(session: Session, db: sqlite3.Connection) -> list[Row]:
    rows: list[Row] = []
    for e in entries(session):
        if e.package is not None:
            typecode = "COLLECTION" if isinstance(e.type, CollectionType) else "PL/SQL RECORD"
            rows.append((e.owner, e.name, e.package, e.oid, typecode, Decimal(len(_fields(e.type))), "YES"))
    return rows


def _coll_row(session: Session, entry: TypeEntry) -> Row | None:
    if not isinstance(entry.type, CollectionType):
        return None
    element = entry.type.element
    elem = entry_of(session, element) if not isinstance(element, ScalarType) else None
    size = element.size if isinstance(element, ScalarType) else None
    kind = _COLL_KINDS.get(entry.type.collection_kind, "PL/SQL INDEX TABLE")
    limit = Decimal(entry.type.max_size) if entry.type.max_size else None
    return (entry.owner, entry.package, entry.name, kind, limit, elem.owner if elem else None,
            elem.package if elem else None, type_name_of(element),
            Decimal(size) if size else None)  # fmt: skip


_COLL_COLUMNS = [("OWNER", text()), ("PACKAGE_NAME", text()), ("TYPE_NAME", text()), ("COLL_TYPE", text()),
                 ("UPPER_BOUND", NUMBER), ("ELEM_TYPE_OWNER", text()), ("ELEM_TYPE_PACKAGE", text()),
                 ("ELEM_TYPE_NAME", text()), ("LENGTH", NUMBER)]  # fmt: skip


def _colls(session: Session, packaged: bool) -> list[Row]:
    rows = [_coll_row(session, e) for e in entries(session) if (e.package is not None) == packaged]
    return [r for r in rows if r is not None]


_SQL_COLL_COLUMNS = [c for c in _COLL_COLUMNS if c[0] not in ("PACKAGE_NAME", "ELEM_TYPE_PACKAGE")]


@register_view("ALL_COLL_TYPES", _SQL_COLL_COLUMNS, catalog_role=False)
def _all_coll_types(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [r[:1] + r[2:6] + r[7:] for r in _colls(session, False)]


@register_view("ALL_PLSQL_COLL_TYPES", _COLL_COLUMNS, catalog_role=False)
def _all_plsql_coll_types(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _colls(session, True)


# -- attributes: ALL_TYPE_ATTRS (object types), ALL_PLSQL_TYPE_ATTRS (package records) --------

_CHARACTER = (TypeKind.VARCHAR2, TypeKind.CHAR)


def _attr_columns(session: Session, attr_type: DataType) -> tuple[Row, Row]:
    """(ATTR_TYPE_OWNER, ATTR_TYPE_NAME, ATTR_TYPE_PACKAGE) and (LENGTH, PRECISION, SCALE,
    CHARACTER_SET_NAME, CHAR_USED) of one attribute, as the Database Reference defines them."""
    if not isinstance(attr_type, ScalarType):
        named = entry_of(session, attr_type)
        owner = named.owner if named else getattr(attr_type, "schema", None)
        return (owner, type_name_of(attr_type), named.package if named else None), (None,) * 5
    character = attr_type.kind in _CHARACTER
    return (None, type_name_of(attr_type), None), (
        Decimal(attr_type.size) if attr_type.size else None,
        Decimal(attr_type.precision) if attr_type.precision is not None else None,
        Decimal(attr_type.scale) if attr_type.scale is not None else None,
        "CHAR_CS" if character else None,
        "B" if character else None,
    )


def _attribute_rows(session: Session, packaged: bool) -> list[tuple[TypeEntry, int, str, Row, Row]]:
    rows = []
    for entry in entries(session):
        if (entry.package is not None) != packaged or isinstance(entry.type, CollectionType):
            continue
        for number, (name, attr_type) in enumerate(_fields(entry.type), 1):
            kind, size = _attr_columns(session, attr_type)
            rows.append((entry, number, name, kind, size))
    return rows


@register_view(
    "ALL_TYPE_ATTRS",
    [("OWNER", text()), ("TYPE_NAME", text()), ("ATTR_NAME", text()), ("ATTR_TYPE_MOD", text(7)),
     ("ATTR_TYPE_OWNER", text()), ("ATTR_TYPE_NAME", text()), ("LENGTH", NUMBER), ("PRECISION", NUMBER),
     ("SCALE", NUMBER), ("CHARACTER_SET_NAME", text(44)), ("ATTR_NO", NUMBER), ("INHERITED", text(3)),
     ("CHAR_USED", text(1))],
    catalog_role=False,
)  # fmt: skip
def _all_type_attrs(session: Session, db: sqlite3.Connection) -> list[Row]:
    """Every attribute of every object type the dictionary lists (none is inherited: the
    emulator's types have no supertypes)."""
    return [
        (e.owner, e.name, name, None, kind[0], kind[1], *size[:4], Decimal(number), "NO", size[4])
        for e, number, name, kind, size in _attribute_rows(session, packaged=False)
    ]


@register_view(
    "ALL_PLSQL_TYPE_ATTRS",
    [("OWNER", text()), ("TYPE_NAME", text()), ("PACKAGE_NAME", text()), ("ATTR_NAME", text()),
     ("ATTR_TYPE_MOD", text(7)), ("ATTR_TYPE_OWNER", text()), ("ATTR_TYPE_NAME", text()),
     ("ATTR_TYPE_PACKAGE", text()), ("LENGTH", NUMBER), ("PRECISION", NUMBER), ("SCALE", NUMBER),
     ("CHARACTER_SET_NAME", text(44)), ("ATTR_NO", NUMBER), ("CHAR_USED", text(1))],
    catalog_role=False,
)  # fmt: skip
def _all_plsql_type_attrs(session: Session, db: sqlite3.Connection) -> list[Row]:
    """The fields of the record types package specifications declare (UTL_FILE.FILE_TYPE)."""
    return [
        (e.owner, e.name, e.package, name, None, *kind, *size[:4], Decimal(number), size[4])
        for e, number, name, kind, size in _attribute_rows(session, packaged=True)
    ]
