"""The seam between the language engine and the rest of the emulated database.

The engine knows PL/SQL and SQL; everything else (which packages and types exist, tables and
their rows, users and grants, the clock) is asked of a :class:`Runtime`, so storage and
packages are written and tested separately, like moto's backends behind its request parsing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from airflow_datapump.testing._plsql.ddl import ColumnDef, DdlStatement
from airflow_datapump.testing._plsql.packages import PackageSpec
from airflow_datapump.testing._values import DataType, Value

RowId = Hashable


class TableSource(Protocol):
    """One table or view as the SQL evaluator sees it.

    ``rows()`` yields (row id, values in column order); UPDATE and DELETE first read all
    matching rows, then call ``update``/``delete`` with their ids, so a source need not
    support changes while it is being iterated. Values reach ``insert``/``update`` already
    converted to the column types and checked for NOT NULL; unique keys are the source's job
    (raise ORA-00001 via :func:`~.errors.ora`).
    """

    @property
    def schema(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def columns(self) -> Sequence[ColumnDef]: ...

    def rows(self) -> Iterable[tuple[RowId, tuple[Value, ...]]]: ...

    def insert(self, values: tuple[Value, ...]) -> None: ...

    def update(self, rowid: RowId, values: tuple[Value, ...]) -> None: ...

    def delete(self, rowid: RowId) -> None: ...

    def truncate(self) -> None: ...


class Runtime(Protocol):
    """Everything outside the language. Names arrive upper case, as written (``SYS.X`` or
    ``X``); resolving schemas and public synonyms is the runtime's job. Methods raise
    :class:`~.errors.OracleError` for database errors (ORA-00942, ORA-01031 ...)."""

    def package(self, name: str) -> PackageSpec | None:
        """The package called ``name`` (``DBMS_DATAPUMP`` or ``SYS.DBMS_DATAPUMP``), or None."""
        ...

    def type(self, name: str) -> DataType | None:
        """A schema-level SQL type (``KU$_STATUS``); synonyms must return the same type."""
        ...

    def now(self) -> dt.datetime:
        """The emulated clock, for SYSDATE, SYSTIMESTAMP and DBMS_UTILITY.GET_TIME."""
        ...

    def current_user(self) -> str: ...

    def context_function(self, name: str, args: Sequence[Value]) -> Value:
        """A function the database answers rather than the language: SYS_CONTEXT,
        DBTIMEZONE, SESSIONTIMEZONE, TIMESTAMP_TO_SCN, SCN_TO_TIMESTAMP."""
        ...

    def session(self) -> object:
        """An opaque session object handed to package implementations."""
        ...

    def table(self, name: str, schema: str | None, dblink: str | None) -> TableSource:
        """The table ``[schema.]name[@dblink]``; raises ORA-00942 if there is none."""
        ...

    def execute_ddl(self, statement: DdlStatement) -> None: ...

    def commit(self) -> None: ...

    def rollback(self, savepoint: str | None = None) -> None:
        """ROLLBACK, or ROLLBACK TO ``savepoint`` (ORA-01086 when none is set by that name)."""
        ...

    def savepoint(self, name: str) -> None: ...

    def statement(self) -> AbstractContextManager[None]:
        """Run what the ``with`` body does as one statement: if it raises, none of its row
        changes stay, and the transaction's earlier ones do (statement-level atomicity)."""
        ...


def transaction_control(runtime: Runtime, action: str, savepoint: str | None) -> None:
    """COMMIT, ROLLBACK [TO savepoint] or SAVEPOINT, from SQL or PL/SQL."""
    if action == "COMMIT":
        runtime.commit()
    elif action == "SAVEPOINT":
        assert savepoint is not None
        runtime.savepoint(savepoint)
    else:
        runtime.rollback(savepoint)
