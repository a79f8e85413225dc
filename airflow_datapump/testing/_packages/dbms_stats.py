"""DBMS_STATS: GATHER_TABLE_STATS and GATHER_SCHEMA_STATS, enough for Data Pump's statistics.

The gathered values are those of :mod:`..._backend.statistics`; the sampling, histogram and
parallelism parameters are accepted and do not change them (the emulator always reads every
row). As in Oracle, gathering commits the session's transaction first, needs ANALYZE ANY for
another user's objects, and refuses an object it cannot find or may not analyze with
ORA-20000 (PL/SQL Packages and Types Reference, DBMS_STATS exceptions; the message texts are
those users report [P]).
"""

from __future__ import annotations

import sqlite3

from airflow_datapump.testing._backend import catalog, statistics, tables
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._packages.files_api import canonical, frame, param, text_arg
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Subprogram, package_error
from airflow_datapump.testing._values import BOOLEAN, NUMBER, VARCHAR2, Value

_LINE = 36  # plausible package line for the ORA-06512 frame; not Oracle's exact number

_COMMON = (
    param("ESTIMATE_PERCENT", NUMBER, opt=True),
    param("BLOCK_SAMPLE", BOOLEAN, opt=True),
    param("METHOD_OPT", VARCHAR2, opt=True),
    param("DEGREE", NUMBER, opt=True),
    param("GRANULARITY", VARCHAR2, opt=True),
    param("CASCADE", BOOLEAN, opt=True),
    param("STATTAB", VARCHAR2, opt=True),
    param("STATID", VARCHAR2, opt=True),
)
_TAIL = (
    param("STATOWN", VARCHAR2, opt=True),
    param("NO_INVALIDATE", BOOLEAN, opt=True),
)


def _error(text: str) -> OracleError:
    return package_error(20000, frame("DBMS_STATS", _LINE), args=(text,))


def _name(args: dict[str, Value], key: str, default: str | None = None) -> str:
    return canonical(text_arg(args, key) or default)


def _may_analyze(db: sqlite3.Connection, session: Session, owner: str) -> bool:
    return owner == session.user or catalog.has_privilege(db, session.user, "ANALYZE ANY")


def gather_table_stats(ctx: CallContext, args: dict[str, Value]) -> None:
    session = ctx.session
    assert isinstance(session, Session)
    owner, name = _name(args, "OWNNAME", session.user), _name(args, "TABNAME")
    tables.commit(session)
    with session.database.store.write() as db:
        table = catalog.table(db, owner, name)
        if table is None or table.kind != "TABLE" or not _may_analyze(db, session, owner):
            raise _error(
                f'Unable to analyze TABLE "{owner}"."{name}", insufficient privileges or does not exist'
            )
        statistics.gather_table(db, table, session.database.now().isoformat())


def gather_schema_stats(ctx: CallContext, args: dict[str, Value]) -> None:
    session = ctx.session
    assert isinstance(session, Session)
    owner = _name(args, "OWNNAME", session.user)
    tables.commit(session)
    with session.database.store.write() as db:
        if not catalog.user_exists(db, owner) or not _may_analyze(db, session, owner):
            raise _error(f'Schema "{owner}" does not exist or insufficient privileges')
        analyzed = session.database.now().isoformat()
        for table in catalog.tables_of(db, owner):
            if table.kind == "TABLE":
                statistics.gather_table(db, table, analyzed)


def build() -> PackageSpec:
    head = (param("OWNNAME", VARCHAR2), param("TABNAME", VARCHAR2), param("PARTNAME", VARCHAR2, opt=True))
    tail = (param("STATTYPE", VARCHAR2, opt=True), param("FORCE", BOOLEAN, opt=True))
    table = Subprogram("GATHER_TABLE_STATS", (*head, *_COMMON, *_TAIL, *tail), None, gather_table_stats)
    schema_params = (param("OWNNAME", VARCHAR2), *_COMMON, param("OPTIONS", VARCHAR2, opt=True), *_TAIL)
    schema = Subprogram("GATHER_SCHEMA_STATS", schema_params, None, gather_schema_stats)
    return PackageSpec("DBMS_STATS", subprograms={table.name: [table], schema.name: [schema]})
