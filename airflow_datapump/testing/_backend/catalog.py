"""Users, roles, privileges, directories, database links and table definitions.

Every function takes an open SQLite connection inside a store transaction, so callers
decide what is atomic. Privileges follow Oracle's model closely enough for Data Pump's
checks (docs/oracle-sources.md §6.2): system privileges and roles granted to users
and roles, object privileges on tables and directories, and the predefined roles below.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from airflow_datapump.testing._backend.codec import decode_type, encode_type
from airflow_datapump.testing._plsql.ddl import ColumnDef, TableConstraint
from airflow_datapump.testing._plsql.errors import OracleError, ora

ALL_PRIVILEGES = "*"

# Predefined roles and what they hold. DBA's "*" stands for every system privilege. The
# Data Pump roles' directory access to DATA_PUMP_DIR is granted at bootstrap. [U] for the
# exact contents, which vary by release; these are the parts Data Pump checks.
PREDEFINED_ROLES: dict[str, tuple[str, ...]] = {
    "CONNECT": ("CREATE SESSION",),
    "RESOURCE": (
        "CREATE TABLE",
        "CREATE SEQUENCE",
        "CREATE PROCEDURE",
        "CREATE TYPE",
        "CREATE TRIGGER",
    ),
    "SELECT_CATALOG_ROLE": (),
    "EXP_FULL_DATABASE": ("SELECT_CATALOG_ROLE",),
    "IMP_FULL_DATABASE": ("SELECT_CATALOG_ROLE",),
    "DATAPUMP_EXP_FULL_DATABASE": ("EXP_FULL_DATABASE",),
    "DATAPUMP_IMP_FULL_DATABASE": ("IMP_FULL_DATABASE", "EXP_FULL_DATABASE"),
    "DBA": (ALL_PRIVILEGES, "DATAPUMP_EXP_FULL_DATABASE", "DATAPUMP_IMP_FULL_DATABASE"),
}

# Accounts Oracle creates and maintains; imports refuse them as targets (operators' safety).
ORACLE_MAINTAINED = ("SYS", "SYSTEM", "OUTLN", "DBSNMP", "XDB", "AUDSYS", "GSMADMIN_INTERNAL")

TABLESPACES = ("SYSTEM", "SYSAUX", "USERS", "TEMP", "UNDOTBS1")


def bootstrap(db: sqlite3.Connection, created: str, data_pump_dir: str) -> None:
    """Create what every new database has: SYS, SYSTEM, the roles and DATA_PUMP_DIR."""
    for role, privileges in PREDEFINED_ROLES.items():
        db.execute("INSERT OR IGNORE INTO roles (name) VALUES (?)", (role,))
        for privilege in privileges:
            db.execute("INSERT OR IGNORE INTO sys_privs VALUES (?, ?, 0)", (role, privilege))
    for name in ORACLE_MAINTAINED:
        db.execute(
            "INSERT OR IGNORE INTO users (name, password, default_tablespace, created, "
            "oracle_maintained) VALUES (?, NULL, 'SYSTEM', ?, 1)",
            (name, created),
        )
    for grantee in ("SYS", "SYSTEM"):
        db.execute("INSERT OR IGNORE INTO sys_privs VALUES (?, 'DBA', 1)", (grantee,))
    for name in TABLESPACES:
        db.execute("INSERT OR IGNORE INTO tablespaces (name) VALUES (?)", (name,))
    db.execute("INSERT OR IGNORE INTO directories VALUES ('DATA_PUMP_DIR', ?)", (data_pump_dir,))
    for role in ("EXP_FULL_DATABASE", "IMP_FULL_DATABASE"):
        for privilege in ("READ", "WRITE"):
            db.execute(
                "INSERT OR IGNORE INTO obj_privs VALUES ('SYS', 'DATA_PUMP_DIR', ?, ?)",
                (role, privilege),
            )


# -- users and privileges ----------------------------------------------------------------


def user_exists(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None


def role_exists(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM roles WHERE name = ?", (name,)).fetchone() is not None


def password_of(db: sqlite3.Connection, name: str) -> tuple[bool, str | None]:
    row = db.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()
    return (False, None) if row is None else (True, row[0])


def effective_privileges(db: sqlite3.Connection, grantee: str) -> set[str]:
    """Every privilege and role a user holds, directly or through roles."""
    seen: set[str] = set()
    pending = [grantee]
    while pending:
        current = pending.pop()
        for (privilege,) in db.execute("SELECT privilege FROM sys_privs WHERE grantee = ?", (current,)):
            if privilege not in seen:
                seen.add(privilege)
                pending.append(privilege)
    if grantee == "SYS":
        seen.add(ALL_PRIVILEGES)
    return seen


def has_privilege(db: sqlite3.Connection, user: str, privilege: str) -> bool:
    held = effective_privileges(db, user)
    if privilege in PREDEFINED_ROLES or role_exists(db, privilege):
        return privilege in held or (ALL_PRIVILEGES in held and privilege != "SYSDBA")
    return privilege in held or ALL_PRIVILEGES in held


def grantees_of(db: sqlite3.Connection, user: str) -> set[str]:
    """The user and every role it holds: who an object grant may have been made to."""
    return {user, "PUBLIC"} | {p for p in effective_privileges(db, user) if role_exists(db, p)}


def has_object_privilege(db: sqlite3.Connection, user: str, owner: str, name: str, privilege: str) -> bool:
    if user == owner or user == "SYS":
        return True
    names = grantees_of(db, user)
    marks = ",".join("?" * len(names))
    row = db.execute(
        f"SELECT 1 FROM obj_privs WHERE owner = ? AND object = ? AND privilege = ? AND grantee IN ({marks})",
        (owner, name, privilege, *names),
    ).fetchone()
    return row is not None


def require(db: sqlite3.Connection, user: str, privilege: str) -> None:
    if not has_privilege(db, user, privilege):
        raise ora(1031)


# -- directories ------------------------------------------------------------------------


@dataclass(frozen=True)
class Directory:
    name: str
    path: str


def directory(db: sqlite3.Connection, name: str) -> Directory | None:
    row = db.execute("SELECT name, path FROM directories WHERE name = ?", (name,)).fetchone()
    return None if row is None else Directory(row[0], row[1])


def directory_access(db: sqlite3.Connection, user: str, name: str, privilege: str) -> bool:
    return has_object_privilege(db, user, "SYS", name, privilege)


def directories_visible(db: sqlite3.Connection, user: str) -> list[Directory]:
    """ALL_DIRECTORIES: the directories the user has any privilege on (§6.1)."""
    rows = db.execute("SELECT name, path FROM directories ORDER BY name").fetchall()
    sees_all = has_privilege(db, user, "SELECT ANY DICTIONARY")
    return [
        Directory(n, p)
        for n, p in rows
        if sees_all or any(directory_access(db, user, n, priv) for priv in ("READ", "WRITE", "EXECUTE"))
    ]


# -- tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableDef:
    owner: str
    name: str
    kind: str  # TABLE, or MASTER for a Data Pump job's master table
    tablespace: str | None
    columns: tuple[ColumnDef, ...]
    constraints: tuple[TableConstraint, ...]
    # (name, columns) of each CREATE UNIQUE INDEX on the table: enforced as keys, not constraints.
    unique_indexes: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _encode_table(columns: Iterable[ColumnDef], constraints: Iterable[TableConstraint]) -> str:
    return json.dumps(
        {
            "columns": [
                {
                    "name": c.name,
                    "type": encode_type(c.type),  # type: ignore[arg-type]
                    "not_null": c.not_null,
                    **({"not_null_name": c.not_null_name} if c.not_null_name else {}),
                }
                for c in columns
            ],
            "constraints": [encode_constraint(k) for k in constraints],
        }
    )


def encode_constraint(k: TableConstraint) -> dict[str, object]:
    """A constraint as JSON, as the table's stored definition holds it (a dump file's DDL
    names it under "constraint" instead: see _datapump/dependents.py)."""
    data: dict[str, object] = {"name": k.name, "kind": k.kind, "columns": list(k.columns)}
    if k.condition is not None:
        data["condition"] = k.condition
    if k.references is not None:
        schema, parent, columns = k.references
        data["references"] = [schema, parent, list(columns)]
    if k.on_delete is not None:
        data["on_delete"] = k.on_delete
    if not k.enabled:
        data["disabled"] = True
    if not k.validated:
        data["novalidate"] = True
    return data


def decode_constraint(data: dict[str, Any]) -> TableConstraint:
    """The constraint encode_constraint wrote; an import reads a dump's constraint DDL with it too."""
    references = data.get("references")
    return TableConstraint(
        data["name"],
        data["kind"],
        tuple(data["columns"]),
        condition=data.get("condition"),
        references=(references[0], references[1], tuple(references[2])) if references else None,
        on_delete=data.get("on_delete"),
        enabled=not data.get("disabled", False),
        validated=not data.get("novalidate", False),
    )


def table(db: sqlite3.Connection, owner: str, name: str) -> TableDef | None:
    row = db.execute(
        "SELECT kind, tablespace, definition FROM tables WHERE owner = ? AND name = ?",
        (owner, name),
    ).fetchone()
    if row is None:
        return None
    data = json.loads(row[2])
    columns = tuple(
        ColumnDef(
            c["name"],
            decode_type(c["type"]),
            None,
            c["not_null"],
            not_null_name=c.get("not_null_name"),
        )
        for c in data["columns"]
    )
    constraints = tuple(decode_constraint(k) for k in data["constraints"])
    unique = db.execute(
        "SELECT name, columns FROM indexes WHERE table_owner = ? AND table_name = ? AND uniq = 1 "
        "ORDER BY owner, name",
        (owner, name),
    ).fetchall()
    indexes = tuple((index, tuple(json.loads(cols))) for index, cols in unique)
    return TableDef(owner, name, row[0], row[1], columns, constraints, indexes)


def create_table(
    db: sqlite3.Connection,
    definition: TableDef,
    created: str,
) -> None:
    if db.execute(
        "SELECT 1 FROM tables WHERE owner = ? AND name = ?", (definition.owner, definition.name)
    ).fetchone():
        raise ora(955)
    if definition.kind == "TABLE":  # each unnamed NOT NULL gets a SYS_C name, as other constraints do
        named = tuple(
            dataclasses.replace(c, not_null_name=generated_constraint_name(db))
            if c.not_null and c.not_null_name is None
            else c
            for c in definition.columns
        )
        definition = dataclasses.replace(definition, columns=named)
    db.execute(
        "INSERT INTO tables (owner, name, kind, tablespace, definition, created) VALUES (?, ?, ?, ?, ?, ?)",
        (
            definition.owner,
            definition.name,
            definition.kind,
            definition.tablespace,
            _encode_table(definition.columns, definition.constraints),
            created,
        ),
    )


def drop_table(db: sqlite3.Connection, owner: str, name: str) -> None:
    if db.execute("DELETE FROM tables WHERE owner = ? AND name = ?", (owner, name)).rowcount == 0:
        raise ora(942)
    db.execute("DELETE FROM rows WHERE owner = ? AND table_name = ?", (owner, name))
    db.execute(
        "DELETE FROM statistics WHERE kind = 'INDEX' AND (owner, name) IN "
        "(SELECT owner, name FROM indexes WHERE table_owner = ? AND table_name = ?)",
        (owner, name),
    )
    db.execute("DELETE FROM statistics WHERE kind = 'TABLE' AND owner = ? AND name = ?", (owner, name))
    db.execute("DELETE FROM indexes WHERE table_owner = ? AND table_name = ?", (owner, name))
    db.execute("DELETE FROM segment_extents WHERE owner = ? AND table_name = ?", (owner, name))
    db.execute("DELETE FROM obj_privs WHERE owner = ? AND object = ?", (owner, name))
    # A job whose master table is dropped is gone (MOS 336014.1 clean-up, §5 "Orphans").
    db.execute("DELETE FROM jobs WHERE owner = ? AND name = ?", (owner, name))


def generated_constraint_name(db: sqlite3.Connection) -> str:
    """A name for a constraint written without one: SYS_C and a number from the database's
    own sequence, one per constraint, as Oracle names them (SYS_C0010001, SYS_C0010002 ...).
    Each database starts the sequence at a number of its own (database._first_constraint_number)."""
    found = db.execute("SELECT value FROM settings WHERE key = 'constraint sequence'").fetchone()
    number = int(found[0]) + 1 if found else 10001
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('constraint sequence', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(number),),
    )
    return f"SYS_C{number:07d}"


def replace_constraints(db: sqlite3.Connection, definition: TableDef) -> None:
    """Store a table's new list of constraints (ALTER TABLE ... ADD CONSTRAINT)."""
    db.execute(
        "UPDATE tables SET definition = ? WHERE owner = ? AND name = ?",
        (_encode_table(definition.columns, definition.constraints), definition.owner, definition.name),
    )


# -- indexes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexDef:
    """An index created by CREATE [UNIQUE] INDEX (the indexes of keys belong to their constraints)."""

    owner: str
    name: str
    table_owner: str
    table_name: str
    columns: tuple[str, ...]
    tablespace: str
    unique: bool = False


def create_index(db: sqlite3.Connection, index: IndexDef) -> None:
    """Indexes share the schema's namespace with tables (ORA-00955)."""
    taken = db.execute(
        "SELECT 1 FROM tables WHERE owner = ? AND name = ? UNION ALL "
        "SELECT 1 FROM indexes WHERE owner = ? AND name = ?",
        (index.owner, index.name, index.owner, index.name),
    ).fetchone()
    if taken:
        raise ora(955)
    db.execute(
        "INSERT INTO indexes VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            index.owner,
            index.name,
            index.table_owner,
            index.table_name,
            json.dumps(index.columns),
            index.tablespace,
            int(index.unique),
        ),
    )


def indexes_of(
    db: sqlite3.Connection, table_owner: str | None = None, table: str | None = None
) -> list[IndexDef]:
    query = "SELECT owner, name, table_owner, table_name, columns, tablespace, uniq FROM indexes"
    args: tuple[str, ...] = ()
    if table_owner is not None and table is not None:
        query += " WHERE table_owner = ? AND table_name = ?"
        args = (table_owner, table)
    rows = db.execute(query + " ORDER BY owner, name", args).fetchall()
    return [IndexDef(o, n, to, tn, tuple(json.loads(c)), ts, bool(u)) for o, n, to, tn, c, ts, u in rows]


def drop_index(db: sqlite3.Connection, owner: str, name: str) -> None:
    if db.execute("DELETE FROM indexes WHERE owner = ? AND name = ?", (owner, name)).rowcount == 0:
        raise ora(1418)
    db.execute("DELETE FROM statistics WHERE kind = 'INDEX' AND owner = ? AND name = ?", (owner, name))


def tables_of(db: sqlite3.Connection, owner: str | None = None) -> list[TableDef]:
    query = "SELECT owner, name FROM tables"
    args: tuple[str, ...] = ()
    if owner is not None:
        query += " WHERE owner = ?"
        args = (owner,)
    found = [table(db, o, n) for o, n in db.execute(query + " ORDER BY owner, name", args).fetchall()]
    return [t for t in found if t is not None]


def not_found(what: str, name: str) -> OracleError:
    return ora({"user": 1918, "role": 1919}[what], name)
