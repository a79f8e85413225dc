"""Schema-object views of Oracle's Database Reference: OBJECTS, TAB_COLUMNS, INDEXES,
CONSTRAINTS, and the USER_ forms of ROLE_PRIVS and SYS_PRIVS.

The emulator's objects are tables, the indexes of their primary and unique keys, their LOBs,
database links and directories; each appears as Oracle lists it. No DDL alters a table after
it is created here, so LAST_DDL_TIME is its creation time (the clean-up of orphaned jobs reads
both, see docs/emulator.md). ``ALL_`` views show what
the session may see (its own objects, objects it holds a privilege on, or everything with
SELECT ANY TABLE / SELECT ANY DICTIONARY), ``USER_`` views omit the OWNER column.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from decimal import Decimal

from airflow_datapump.testing._backend import catalog, statistics, storage, tables
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.views import Row, register_view, stats_values, text
from airflow_datapump.testing._plsql.ddl import TableConstraint
from airflow_datapump.testing._values import DATE, NUMBER, ScalarType, TypeKind, Value

Columns = list[tuple[str, ScalarType]]

_OBJECT_COLUMNS: Columns = [
    ("OWNER", text()),
    ("OBJECT_NAME", text()),
    ("SUBOBJECT_NAME", text()),
    ("OBJECT_ID", NUMBER),
    ("DATA_OBJECT_ID", NUMBER),
    ("OBJECT_TYPE", text(23)),
    ("CREATED", DATE),
    ("LAST_DDL_TIME", DATE),
    ("STATUS", text(7)),
    ("TEMPORARY", text(1)),
    ("GENERATED", text(1)),
    ("SECONDARY", text(1)),
    ("ORACLE_MAINTAINED", text(1)),
]


def _visible(db: sqlite3.Connection, user: str, owner: str, name: str) -> bool:
    return (
        owner == user
        or catalog.has_privilege(db, user, "SELECT ANY DICTIONARY")
        or catalog.has_privilege(db, user, "SELECT ANY TABLE")
        or any(catalog.has_object_privilege(db, user, owner, name, p) for p in ("SELECT", "INSERT"))
    )


def _object_row(owner: str, name: str, kind: str, object_id: Decimal | None, when: dt.datetime | None) -> Row:
    generated = "Y" if name.startswith("SYS_") else "N"
    maintained = "Y" if (owner, name) == ("SYS", "DATA_PUMP_DIR") else "N"
    return (
        owner,
        name,
        None,
        object_id,
        object_id,
        kind,
        when,
        when,
        "VALID",
        "N",
        generated,
        "N",
        maintained,
    )


def _objects(db: sqlite3.Connection) -> list[Row]:
    created = dict(db.execute("SELECT owner || '.' || name, created FROM tables").fetchall())
    result: list[Row] = []
    for table in catalog.tables_of(db):
        when = dt.datetime.fromisoformat(created[f"{table.owner}.{table.name}"]).replace(microsecond=0)
        table_id = Decimal(storage.object_id(db, table.owner, table.name))
        result.append(_object_row(table.owner, table.name, "TABLE", table_id, when))
        for offset, (index_name, _) in enumerate(storage.table_keys(table), start=1):
            result.append(_object_row(table.owner, index_name, "INDEX", table_id + offset * 100000, when))
        for position, column in enumerate(table.columns, start=1):
            if column.type.kind in (TypeKind.CLOB, TypeKind.BLOB):
                lob = storage.lob_segment_name(int(table_id), position)
                result.append(_object_row(table.owner, lob, "LOB", table_id + position, when))
    for index in catalog.indexes_of(db):
        table_id = Decimal(storage.object_id(db, index.table_owner, index.table_name))
        when = dt.datetime.fromisoformat(created[f"{index.table_owner}.{index.table_name}"]).replace(
            microsecond=0
        )
        result.append(_object_row(index.owner, index.name, "INDEX", table_id + 900000 + len(result), when))
    for owner, name in db.execute("SELECT owner, name FROM db_links ORDER BY 1, 2").fetchall():
        result.append(_object_row(owner, name, "DATABASE LINK", None, None))
    for (name,) in db.execute("SELECT name FROM directories ORDER BY 1").fetchall():
        result.append(_object_row("SYS", name, "DIRECTORY", None, None))
    return sorted(result, key=lambda r: (str(r[0]), str(r[1]), str(r[5])))


def _user(rows: list[Row], user: str) -> list[Row]:
    return [r[1:] for r in rows if r[0] == user]


def _register_three(
    name: str, columns: Columns, produce: Callable[[sqlite3.Connection], list[Row]], table_at: int
) -> None:
    """DBA_X (catalog role), ALL_X (rows on objects the session may see; ``table_at`` is the
    column holding the object's name) and USER_X (own rows, no OWNER column)."""

    def dba(session: Session, db: sqlite3.Connection) -> list[Row]:
        return produce(db)

    def all_(session: Session, db: sqlite3.Connection) -> list[Row]:
        rows = produce(db)
        directories = {d.name for d in catalog.directories_visible(db, session.user)}
        is_directory = (lambda r: r[5] == "DIRECTORY") if name == "OBJECTS" else (lambda r: False)
        return [
            r
            for r in rows
            if (
                r[1] in directories
                if is_directory(r)
                else _visible(db, session.user, str(r[0]), str(r[table_at]))
            )
        ]

    def user(session: Session, db: sqlite3.Connection) -> list[Row]:
        return _user(produce(db), session.user)

    register_view(f"DBA_{name}", columns, catalog_role=True)(dba)
    register_view(f"ALL_{name}", columns, catalog_role=False)(all_)
    register_view(f"USER_{name}", columns[1:], catalog_role=False)(user)


_TAB_COLUMN_COLUMNS: Columns = [
    ("OWNER", text()),
    ("TABLE_NAME", text()),
    ("COLUMN_NAME", text()),
    ("DATA_TYPE", text()),
    ("DATA_LENGTH", NUMBER),
    ("DATA_PRECISION", NUMBER),
    ("DATA_SCALE", NUMBER),
    ("NULLABLE", text(1)),
    ("COLUMN_ID", NUMBER),
    ("CHAR_LENGTH", NUMBER),
    ("CHAR_USED", text(1)),
]
_LENGTHS = {
    TypeKind.NUMBER: 22,
    TypeKind.DATE: 7,
    TypeKind.TIMESTAMP: 11,
    TypeKind.TIMESTAMP_TZ: 13,
    TypeKind.CLOB: 4000,
    TypeKind.BLOB: 4000,
}


def _data_type(t: ScalarType) -> str:
    if t.kind == TypeKind.TIMESTAMP:
        return f"TIMESTAMP({6 if t.scale is None else t.scale})"
    if t.kind == TypeKind.TIMESTAMP_TZ:
        return f"TIMESTAMP({6 if t.scale is None else t.scale}) WITH TIME ZONE"
    return {"INTEGER": "NUMBER", "INT": "NUMBER", "VARCHAR": "VARCHAR2"}.get(t.name, t.name)


def _tab_columns(db: sqlite3.Connection) -> list[Row]:
    result: list[Row] = []
    for table in catalog.tables_of(db):
        for position, column in enumerate(tables.effective_columns(table), start=1):
            t = column.type
            assert isinstance(t, ScalarType)
            text_type = t.kind in (TypeKind.VARCHAR2, TypeKind.CHAR)
            length = t.size if t.size is not None else _LENGTHS.get(t.kind, 0)
            nullable = "N" if column.not_null else "Y"
            precision = Decimal(t.precision) if t.precision is not None else None
            scale = Decimal(t.scale) if t.scale is not None and t.kind == TypeKind.NUMBER else None
            if t.name in ("INTEGER", "INT"):
                scale = Decimal(0)
            char = (Decimal(length), "B") if text_type else (Decimal(0), None)
            result.append(
                (
                    table.owner,
                    table.name,
                    column.name,
                    _data_type(t),
                    Decimal(length),
                    precision,
                    scale,
                    nullable,
                    Decimal(position),
                    *char,
                )
            )
    return result


_INDEX_COLUMNS: Columns = [
    ("OWNER", text()),
    ("INDEX_NAME", text()),
    ("INDEX_TYPE", text(27)),
    ("TABLE_OWNER", text()),
    ("TABLE_NAME", text()),
    ("TABLE_TYPE", text(11)),
    ("UNIQUENESS", text(9)),
    ("TABLESPACE_NAME", text(30)),
    ("STATUS", text(8)),
    ("GENERATED", text(1)),
    ("NUM_ROWS", NUMBER),
    ("DISTINCT_KEYS", NUMBER),
    ("LAST_ANALYZED", DATE),
]


def _indexes(db: sqlite3.Connection) -> list[Row]:
    result: list[Row] = []
    for table in catalog.tables_of(db):
        tablespace = storage.tablespace_of(db, table)
        for index_name, _ in storage.table_keys(table):
            generated = "Y" if index_name.startswith("SYS_") else "N"
            row = (table.owner, index_name, "NORMAL", table.owner, table.name, "TABLE", "UNIQUE", tablespace)
            result.append((*row, "VALID", generated, *_index_stats(db, table.owner, index_name)))
    for index in catalog.indexes_of(db):  # CREATE [UNIQUE] INDEX, named by its creator
        head = (index.owner, index.name, "NORMAL", index.table_owner, index.table_name, "TABLE")
        stats = _index_stats(db, index.owner, index.name)
        uniqueness = "UNIQUE" if index.unique else "NONUNIQUE"
        result.append((*head, uniqueness, index.tablespace, "VALID", "N", *stats))
    return result


def _index_stats(db: sqlite3.Connection, owner: str, name: str) -> tuple[Value, ...]:
    return stats_values(statistics.index_stats(db, owner, name), "num_rows", "distinct_keys")


_CONSTRAINT_COLUMNS: Columns = [
    ("OWNER", text()),
    ("CONSTRAINT_NAME", text()),
    ("CONSTRAINT_TYPE", text(1)),
    ("TABLE_NAME", text()),
    ("SEARCH_CONDITION", text(4000)),
    ("STATUS", text(8)),
    ("VALIDATED", text(13)),
    ("GENERATED", text(14)),
    ("INDEX_OWNER", text()),
    ("INDEX_NAME", text()),
]


def _constraints(db: sqlite3.Connection) -> list[Row]:
    result: list[Row] = []
    for table in catalog.tables_of(db):
        keys = [k for k in table.constraints if k.kind in ("PRIMARY KEY", "UNIQUE")]
        for (index_name, kind), k in zip(storage.table_key_kinds(table), keys, strict=True):
            generated = "GENERATED NAME" if index_name.startswith("SYS_") else "USER NAME"
            index = (table.owner, index_name) if k.enabled else (None, None)
            result.append((table.owner, index_name, kind, table.name, None, *_state(k), generated, *index))
        for k in table.constraints:
            if k.kind in ("CHECK", "FOREIGN KEY"):
                name = storage.constraint_index_name(table.name, k.name)
                generated = "GENERATED NAME" if name.startswith("SYS_") else "USER NAME"
                kind = "C" if k.kind == "CHECK" else "R"
                row = (table.owner, name, kind, table.name, k.condition, *_state(k), generated)
                result.append((*row, None, None))
        for column in table.columns:
            if column.not_null_name is not None:
                name = column.not_null_name
                condition = f'"{column.name}" IS NOT NULL'
                state = ("ENABLED", "VALIDATED") if column.not_null else ("DISABLED", "NOT VALIDATED")
                generated = "GENERATED NAME" if name.startswith("SYS_") else "USER NAME"
                result.append(
                    (
                        table.owner,
                        name,
                        "C",
                        table.name,
                        condition,
                        *state,
                        generated,
                        None,
                        None,
                    )
                )
    return result


def _state(k: TableConstraint) -> tuple[str, str]:
    """*_CONSTRAINTS.STATUS and VALIDATED (Database Reference, ALL_CONSTRAINTS)."""
    return ("ENABLED" if k.enabled else "DISABLED", "VALIDATED" if k.validated else "NOT VALIDATED")


_register_three("OBJECTS", _OBJECT_COLUMNS, _objects, table_at=1)
_register_three("TAB_COLUMNS", _TAB_COLUMN_COLUMNS, _tab_columns, table_at=1)
_register_three("INDEXES", _INDEX_COLUMNS, _indexes, table_at=4)
_register_three("CONSTRAINTS", _CONSTRAINT_COLUMNS, _constraints, table_at=3)


def _privs(db: sqlite3.Connection, user: str, roles: bool) -> list[Row]:
    rows = db.execute(
        "SELECT grantee, privilege, admin FROM sys_privs WHERE grantee = ? ORDER BY 2", (user,)
    ).fetchall()
    return [
        (g, p, "YES" if admin else "NO", "NO")
        for g, p, admin in rows
        if catalog.role_exists(db, p) == roles and p != catalog.ALL_PRIVILEGES
    ]


def _user_privs(columns: Sequence[str], roles: bool) -> None:
    shape = [(c, text(40)) for c in columns]

    def produce(session: Session, db: sqlite3.Connection) -> list[Row]:
        return [(r[0], r[1], r[2], r[3]) for r in _privs(db, session.user, roles)]

    register_view("USER_ROLE_PRIVS" if roles else "USER_SYS_PRIVS", shape, catalog_role=False)(produce)


_user_privs(("USERNAME", "GRANTED_ROLE", "ADMIN_OPTION", "COMMON"), roles=True)
_user_privs(("USERNAME", "PRIVILEGE", "ADMIN_OPTION", "COMMON"), roles=False)
