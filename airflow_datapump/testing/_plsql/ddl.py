"""DDL and DCL statements, parsed by the engine and executed by the Runtime.

The engine only parses these; :meth:`Runtime.execute_ddl` carries them out, so the storage
part of the emulator decides what a user, grant or table is. Names are canonical: upper case
unless they were quoted. Every node keeps ``pos`` = (line, column) for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from airflow_datapump.testing._plsql.nodes import Expr, Pos
from airflow_datapump.testing._values import DataType, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._plsql.sqlnodes import Query


@dataclass(frozen=True)
class Quota:
    """``QUOTA 10M ON users``; ``size`` None means UNLIMITED, else bytes."""

    size: int | None
    tablespace: str


@dataclass(frozen=True)
class CreateUser:
    pos: Pos
    name: str
    password: str
    default_tablespace: str | None = None
    temporary_tablespace: str | None = None
    quotas: tuple[Quota, ...] = ()


@dataclass(frozen=True)
class AlterUser:
    """ALTER USER; only the parts given are set (``password`` None leaves it unchanged)."""

    pos: Pos
    name: str
    password: str | None = None
    default_tablespace: str | None = None
    temporary_tablespace: str | None = None
    quotas: tuple[Quota, ...] = ()
    account: str | None = None  # "LOCK" or "UNLOCK"


@dataclass(frozen=True)
class DropUser:
    pos: Pos
    name: str
    cascade: bool = False


@dataclass(frozen=True)
class ObjectName:
    schema: str | None
    name: str


@dataclass(frozen=True)
class Grant:
    """GRANT privileges or roles; ``on`` set for object privileges (``on_directory`` for
    ``ON DIRECTORY d``). Privileges are upper-case words joined by one blank (``CREATE
    SESSION``, ``READ``, ``DATAPUMP_EXP_FULL_DATABASE``)."""

    pos: Pos
    privileges: tuple[str, ...]
    grantees: tuple[str, ...]
    on: ObjectName | None = None
    on_directory: bool = False
    with_admin_option: bool = False
    with_grant_option: bool = False


@dataclass(frozen=True)
class Revoke:
    pos: Pos
    privileges: tuple[str, ...]
    grantees: tuple[str, ...]
    on: ObjectName | None = None
    on_directory: bool = False


@dataclass(frozen=True)
class CreateRole:
    pos: Pos
    name: str


@dataclass(frozen=True)
class DropRole:
    pos: Pos
    name: str


@dataclass(frozen=True)
class CreateDirectory:
    pos: Pos
    name: str
    path: str
    or_replace: bool = False


@dataclass(frozen=True)
class DropDirectory:
    pos: Pos
    name: str


@dataclass(frozen=True)
class ColumnDef:
    """One column of CREATE TABLE; also the column description a TableSource reports.

    ``default`` is the DEFAULT expression as parsed: the engine evaluates it on INSERT.
    ``not_null`` says the column's NOT NULL constraint is enforced; ``not_null_name`` names
    that constraint (written after CONSTRAINT, else a SYS_C name given when the table is
    created), and stays while the constraint is disabled.
    """

    name: str
    type: DataType
    default: Expr | None = None
    not_null: bool = False
    primary_key: bool = False
    unique: bool = False
    not_null_name: str | None = None


@dataclass(frozen=True)
class TableConstraint:
    """A constraint other than NOT NULL and an unnamed in-line key: ``kind`` is "PRIMARY KEY",
    "UNIQUE", "CHECK" (``condition`` its text as written) or "FOREIGN KEY" (``references``: the
    parent's schema, table and columns, the schema None until the engine resolves it;
    ``on_delete`` "CASCADE" or "SET NULL" for its ON DELETE clause, None for none)."""

    name: str | None
    kind: str
    columns: tuple[str, ...]
    condition: str | None = None
    references: tuple[str | None, str, tuple[str, ...]] | None = None
    on_delete: str | None = None
    # Its state (SQL Language Reference, constraint_state): a DISABLED constraint is not
    # enforced, a NOT VALIDATED one was not checked against the rows it found.
    enabled: bool = True
    validated: bool = True


@dataclass(frozen=True)
class CreateTable:
    """CREATE TABLE; for CREATE TABLE ... AS SELECT, ``as_query`` is set and the engine
    fills ``columns`` from the query and passes the rows in ``rows``."""

    pos: Pos
    schema: str | None
    name: str
    columns: tuple[ColumnDef, ...]
    constraints: tuple[TableConstraint, ...] = ()
    tablespace: str | None = None
    as_query: Query | None = None
    rows: tuple[tuple[Value, ...], ...] = ()


@dataclass(frozen=True)
class CreateIndex:
    """CREATE [UNIQUE] INDEX (a B-tree index on columns of one table)."""

    pos: Pos
    schema: str | None
    name: str
    table_schema: str | None
    table: str
    columns: tuple[str, ...]
    tablespace: str | None = None
    unique: bool = False


@dataclass(frozen=True)
class AlterTable:
    """ALTER TABLE ... ADD a constraint (``validate`` False for NOVALIDATE), DROP CONSTRAINT
    ``drop`` [CASCADE], change a constraint's ``state``, or ``modify`` whether a column may
    hold nulls."""

    pos: Pos
    schema: str | None
    name: str
    add: TableConstraint | None = None
    validate: bool = True
    drop: str | None = None
    cascade: bool = False
    state: ConstraintState | None = None
    modify: ModifyNull | None = None


@dataclass(frozen=True)
class ModifyNull:
    """ALTER TABLE ... MODIFY ``column`` [CONSTRAINT ``constraint``] NOT NULL, or ... NULL."""

    column: str
    not_null: bool
    constraint: str | None = None


@dataclass(frozen=True)
class ConstraintState:
    """ALTER TABLE ... ENABLE | DISABLE [VALIDATE | NOVALIDATE] of one constraint, or MODIFY
    of it to that state: the constraint is named (``name``) or given by ``kind`` ("PRIMARY
    KEY", or "UNIQUE" with its ``columns``). ``keep_index`` is KEEP INDEX; ``cascade`` also
    disables the foreign keys that depend on a key."""

    name: str | None
    kind: str | None
    columns: tuple[str, ...]
    enable: bool
    validate: bool
    keep_index: bool = False
    cascade: bool = False


@dataclass(frozen=True)
class DropIndex:
    pos: Pos
    schema: str | None
    name: str


@dataclass(frozen=True)
class DropTable:
    pos: Pos
    schema: str | None
    name: str
    cascade_constraints: bool = False
    purge: bool = False


@dataclass(frozen=True)
class CreateDatabaseLink:
    pos: Pos
    name: str
    user: str
    password: str
    using: str
    public: bool = False


@dataclass(frozen=True)
class DropDatabaseLink:
    pos: Pos
    name: str
    public: bool = False


@dataclass(frozen=True)
class FileSpec:
    """One DATAFILE/TEMPFILE clause; sizes in bytes, ``maxsize`` None for UNLIMITED."""

    name: str | None
    size: int | None = None
    reuse: bool = False
    autoextend: bool = False
    next: int | None = None
    maxsize: int | None = None


@dataclass(frozen=True)
class CreateTablespace:
    """CREATE [BIGFILE] [TEMPORARY | UNDO] TABLESPACE; ``contents`` is PERMANENT,
    TEMPORARY or UNDO, as DBA_TABLESPACES.CONTENTS spells it."""

    pos: Pos
    name: str
    files: tuple[FileSpec, ...] = ()
    contents: str = "PERMANENT"
    bigfile: bool = False


@dataclass(frozen=True)
class DropTablespace:
    pos: Pos
    name: str
    including_contents: bool = False


@dataclass(frozen=True)
class AlterSession:
    """``ALTER SESSION SET name = value``; ``value`` upper-cased unless quoted."""

    pos: Pos
    parameter: str
    value: str


@dataclass(frozen=True)
class CreatePackage:
    """CREATE [OR REPLACE] PACKAGE [BODY] [schema.]name {IS|AS} ... END [name];

    ``source`` is the text between IS/AS and the final END (the declarations, for a body
    also the subprogram bodies); ``declared`` the subprogram names it declares.
    """

    pos: Pos
    schema: str | None
    name: str
    body: bool
    source: str
    declared: tuple[str, ...]
    or_replace: bool = False


DdlStatement = (
    CreatePackage
    | CreateUser
    | AlterUser
    | DropUser
    | Grant
    | Revoke
    | CreateRole
    | DropRole
    | CreateDirectory
    | DropDirectory
    | CreateTable
    | DropTable
    | AlterTable
    | CreateIndex
    | DropIndex
    | CreateDatabaseLink
    | DropDatabaseLink
    | CreateTablespace
    | DropTablespace
    | AlterSession
)
