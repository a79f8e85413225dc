"""Data dictionary views, computed from the store when a query reads them.

Each view is a function of the reading session, so ``USER_`` views show the session's own
objects and ``ALL_`` views what it may see. ``DBA_`` and ``V$`` views need
SELECT_CATALOG_ROLE (or a DBA); without it Oracle answers ORA-00942, and so does this.
Other modules register their views here (Data Pump adds DBA_DATAPUMP_JOBS and friends).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from airflow_datapump.testing._backend import catalog, statistics, storage
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._values import DATE, NUMBER, ScalarType, TypeKind, Value

Row = tuple[Value, ...]
Producer = Callable[[Session, sqlite3.Connection], list[Row]]


def text(size: int = 128) -> ScalarType:
    return ScalarType(TypeKind.VARCHAR2, "VARCHAR2", size=size)


@dataclass(frozen=True)
class ViewDef:
    name: str
    columns: tuple[tuple[str, ScalarType], ...]
    produce: Producer
    catalog_role: bool  # needs SELECT_CATALOG_ROLE
    prepare: Callable[[Session], None] | None = None  # brings state up to date before reading


VIEWS: dict[str, ViewDef] = {}


def register_view(
    name: str,
    columns: Sequence[tuple[str, ScalarType]],
    *,
    catalog_role: bool,
    prepare: Callable[[Session], None] | None = None,
) -> Callable[[Producer], Producer]:
    def decorate(produce: Producer) -> Producer:
        VIEWS[name] = ViewDef(name, tuple(columns), produce, catalog_role, prepare)
        return produce

    return decorate


class ViewSource:
    """A read-only table source over a view's rows."""

    def __init__(self, session: Session, view: ViewDef) -> None:
        self._view = view
        if view.prepare is not None:
            view.prepare(session)
        with session.database.store.read() as db:
            self._rows = view.produce(session, db)

    @property
    def schema(self) -> str:
        return "SYS"

    @property
    def name(self) -> str:
        return self._view.name

    @property
    def columns(self) -> Sequence[ColumnDef]:
        return [ColumnDef(name, data_type) for name, data_type in self._view.columns]

    def rows(self) -> Iterator[tuple[int, Row]]:
        yield from enumerate(self._rows)

    def _read_only(self, *_: object) -> None:
        raise ora(1732)

    insert = update = delete = truncate = _read_only


def open_view(session: Session, name: str) -> ViewSource | None:
    view = VIEWS.get(name)
    if view is None:
        return None
    if view.catalog_role:
        with session.database.store.read() as db:
            allowed = catalog.has_privilege(db, session.user, "SELECT_CATALOG_ROLE")
        if not allowed:
            raise ora(942)
    return ViewSource(session, view)


def _yn(flag: object) -> str:
    return "Y" if flag else "N"


@register_view("DUAL", [("DUMMY", text(1))], catalog_role=False)
def _dual(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [("X",)]


_USER_COLUMNS = [
    ("USERNAME", text()),
    ("USER_ID", NUMBER),
    ("ACCOUNT_STATUS", text(32)),
    ("DEFAULT_TABLESPACE", text(30)),
    ("TEMPORARY_TABLESPACE", text(30)),
    ("CREATED", DATE),
    ("PROFILE", text()),
    ("AUTHENTICATION_TYPE", text(8)),
    ("ORACLE_MAINTAINED", text(1)),
]
_ALL_USER_COLUMNS = ("USERNAME", "USER_ID", "CREATED", "ORACLE_MAINTAINED")
_USER_USER_HIDDEN = ("PROFILE", "AUTHENTICATION_TYPE")  # not in USER_USERS (Database Reference)


def _users(db: sqlite3.Connection, only: str | None = None) -> list[Row]:
    import datetime as dt

    rows = db.execute(
        "SELECT u.rowid, u.name, u.account_status, u.default_tablespace, "
        "COALESCE(t.temporary_tablespace, 'TEMP'), u.created, u.oracle_maintained "
        "FROM users u LEFT JOIN user_ts t ON t.username = u.name ORDER BY u.name"
    ).fetchall()
    profile, authentication = "DEFAULT", "PASSWORD"
    return [
        (
            name,
            Decimal(rid),
            status,
            ts,
            temp,
            dt.datetime.fromisoformat(created),
            profile,
            authentication,
            _yn(maintained),
        )
        for rid, name, status, ts, temp, created, maintained in rows
        if only is None or name == only
    ]


def _pick(columns: list[tuple[str, ScalarType]], names: Sequence[str], rows: list[Row]) -> list[Row]:
    index = [i for i, (name, _) in enumerate(columns) if name in names]
    return [tuple(r[i] for i in index) for r in rows]


@register_view("DBA_USERS", _USER_COLUMNS, catalog_role=True)
def _dba_users(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _users(db)


@register_view("ALL_USERS", [c for c in _USER_COLUMNS if c[0] in _ALL_USER_COLUMNS], catalog_role=False)
def _all_users(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _pick(_USER_COLUMNS, _ALL_USER_COLUMNS, _users(db))


_USER_USER_COLUMNS = [c for c in _USER_COLUMNS if c[0] not in _USER_USER_HIDDEN]


@register_view("USER_USERS", _USER_USER_COLUMNS, catalog_role=False)
def _user_users(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _pick(_USER_COLUMNS, [c[0] for c in _USER_USER_COLUMNS], _users(db, session.user))


_TABLE_COLUMNS = [
    ("OWNER", text()),
    ("TABLE_NAME", text()),
    ("TABLESPACE_NAME", text(30)),
    ("NUM_ROWS", NUMBER),
    ("BLOCKS", NUMBER),
    ("AVG_ROW_LEN", NUMBER),
    ("LAST_ANALYZED", DATE),
]


def stats_values(found: dict[str, object] | None, *names: str) -> tuple[Value, ...]:
    """Statistics columns as the views show them: NULL until gathered (Database Reference)."""
    if found is None:
        return (None,) * (len(names) + 1)
    numbers = tuple(Decimal(str(found[n])) for n in names)
    return (*numbers, dt.datetime.fromisoformat(str(found["last_analyzed"])).replace(microsecond=0))


def _tables(db: sqlite3.Connection, owner: str | None) -> list[Row]:
    result: list[Row] = []
    for table in catalog.tables_of(db, owner):
        gathered = statistics.table_stats(db, table.owner, table.name)
        values = stats_values(gathered, "num_rows", "blocks", "avg_row_len")
        result.append((table.owner, table.name, storage.tablespace_of(db, table), *values))
    return result


@register_view("DBA_TABLES", _TABLE_COLUMNS, catalog_role=True)
def _dba_tables(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _tables(db, None)


@register_view("ALL_TABLES", _TABLE_COLUMNS, catalog_role=False)
def _all_tables(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [
        r
        for r in _tables(db, None)
        if catalog.has_object_privilege(db, session.user, str(r[0]), str(r[1]), "SELECT")
        or catalog.has_privilege(db, session.user, "SELECT ANY TABLE")
    ]


@register_view("USER_TABLES", _TABLE_COLUMNS[1:], catalog_role=False)
def _user_tables(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [r[1:] for r in _tables(db, session.user)]


_DIRECTORY_COLUMNS = [
    ("OWNER", text()),
    ("DIRECTORY_NAME", text()),
    ("DIRECTORY_PATH", text(4000)),
    ("ORIGIN_CON_ID", NUMBER),
]


@register_view("DBA_DIRECTORIES", _DIRECTORY_COLUMNS, catalog_role=True)
def _dba_directories(session: Session, db: sqlite3.Connection) -> list[Row]:
    rows = db.execute("SELECT name, path FROM directories ORDER BY name").fetchall()
    return [("SYS", n, p, Decimal(0)) for n, p in rows]


@register_view("ALL_DIRECTORIES", _DIRECTORY_COLUMNS, catalog_role=False)
def _all_directories(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [("SYS", d.name, d.path, Decimal(0)) for d in catalog.directories_visible(db, session.user)]


_TAB_PRIV_COLUMNS = [
    ("GRANTEE", text()),
    ("OWNER", text()),
    ("TABLE_NAME", text()),
    ("GRANTOR", text()),
    ("PRIVILEGE", text(40)),
]


def _tab_privs(db: sqlite3.Connection) -> list[Row]:
    rows = db.execute("SELECT grantee, owner, object, privilege FROM obj_privs ORDER BY 1, 2, 3, 4")
    return [(g, o, n, o, p) for g, o, n, p in rows.fetchall()]


@register_view("DBA_TAB_PRIVS", _TAB_PRIV_COLUMNS, catalog_role=True)
def _dba_tab_privs(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _tab_privs(db)


@register_view("ALL_TAB_PRIVS", _TAB_PRIV_COLUMNS, catalog_role=False)
def _all_tab_privs(session: Session, db: sqlite3.Connection) -> list[Row]:
    mine = catalog.grantees_of(db, session.user)
    return [r for r in _tab_privs(db) if r[0] in mine or r[1] == session.user]


@register_view("USER_TAB_PRIVS", _TAB_PRIV_COLUMNS, catalog_role=False)
def _user_tab_privs(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [r for r in _tab_privs(db) if session.user in (r[0], r[1])]


@register_view("SESSION_PRIVS", [("PRIVILEGE", text(40))], catalog_role=False)
def _session_privs(session: Session, db: sqlite3.Connection) -> list[Row]:
    held = catalog.effective_privileges(db, session.user)
    return [(p,) for p in sorted(held) if not catalog.role_exists(db, p) and p != catalog.ALL_PRIVILEGES]


@register_view("SESSION_ROLES", [("ROLE", text())], catalog_role=False)
def _session_roles(session: Session, db: sqlite3.Connection) -> list[Row]:
    held = catalog.effective_privileges(db, session.user)
    return [(p,) for p in sorted(held) if catalog.role_exists(db, p)]


@register_view("DBA_ROLE_PRIVS", [("GRANTEE", text()), ("GRANTED_ROLE", text())], catalog_role=True)
def _dba_role_privs(session: Session, db: sqlite3.Connection) -> list[Row]:
    rows = db.execute("SELECT grantee, privilege FROM sys_privs ORDER BY 1, 2").fetchall()
    return [(g, p) for g, p in rows if catalog.role_exists(db, p)]


@register_view("DBA_SYS_PRIVS", [("GRANTEE", text()), ("PRIVILEGE", text(40))], catalog_role=True)
def _dba_sys_privs(session: Session, db: sqlite3.Connection) -> list[Row]:
    rows = db.execute("SELECT grantee, privilege FROM sys_privs ORDER BY 1, 2").fetchall()
    return [(g, p) for g, p in rows if not catalog.role_exists(db, p)]


_LINK_COLUMNS = [("OWNER", text()), ("DB_LINK", text()), ("USERNAME", text()), ("HOST", text(2000))]


def _links(db: sqlite3.Connection) -> list[Row]:
    return list(db.execute("SELECT owner, name, username, service FROM db_links ORDER BY 1, 2").fetchall())


@register_view("DBA_DB_LINKS", _LINK_COLUMNS, catalog_role=True)
def _dba_links(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _links(db)


@register_view("ALL_DB_LINKS", _LINK_COLUMNS, catalog_role=False)
def _all_links(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [r for r in _links(db) if r[0] in (session.user, "PUBLIC")]


@register_view("USER_DB_LINKS", _LINK_COLUMNS[1:], catalog_role=False)
def _user_links(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [r[1:] for r in _links(db) if r[0] == session.user]


@register_view("GLOBAL_NAME", [("GLOBAL_NAME", text(4000))], catalog_role=False)
def _global_name(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [(session.database.service,)]


# The other dictionary modules register their views when this one is imported.
from airflow_datapump.testing._backend import (  # noqa: E402, F401
    instance_views,
    object_views,
    storage_views,
)
