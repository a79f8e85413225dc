"""CHECK constraint conditions, compiled once and evaluated against one row at a time.

A CHECK condition is SQL over the columns of its own row. The SQL Language Reference (constraint
clause, "Restrictions on Check Constraints") rules out subqueries (ORA-02251), SYSDATE,
USER and the other functions that read the session or the clock, and user functions; the
condition is therefore compiled against a runtime that answers none of those: reaching the
clock or the session is ORA-02436, a table is ORA-02251, and no package resolves, so a user
function is an unknown identifier (ORA-00904). A row breaks the constraint only when its
condition is FALSE: TRUE and UNKNOWN (a NULL) both pass.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from airflow_datapump.testing._plsql.cstmt import StmtCompiler
from airflow_datapump.testing._plsql.ddl import DdlStatement
from airflow_datapump.testing._plsql.engine import sql_failure
from airflow_datapump.testing._plsql.errors import OracleError, ora
from airflow_datapump.testing._plsql.lexer import LexError, tokenize
from airflow_datapump.testing._plsql.packages import PackageSpec
from airflow_datapump.testing._plsql.parse_plsql import PlsqlParser
from airflow_datapump.testing._plsql.runtime import TableSource
from airflow_datapump.testing._plsql.scope import CompileError, Env, FrameLayout, Machine, Scope
from airflow_datapump.testing._plsql.sqlcolumns import SourceColumn
from airflow_datapump.testing._plsql.tokens import ParseError
from airflow_datapump.testing._values import DataType, Value

Condition = Callable[[tuple[Value, ...]], Value]


class _NoContext:
    """The runtime a CHECK condition runs against: only the language itself is there."""

    def package(self, name: str) -> PackageSpec | None:
        return None

    def type(self, name: str) -> DataType | None:
        return None

    def now(self) -> dt.datetime:
        raise ora(2436)

    def current_user(self) -> str:
        raise ora(2436)

    def context_function(self, name: str, args: Sequence[Value]) -> Value:
        raise ora(2436)

    def session(self) -> object:
        raise ora(2436)

    def table(self, name: str, schema: str | None, dblink: str | None) -> TableSource:
        raise ora(2251)

    def execute_ddl(self, statement: DdlStatement) -> None:
        raise ora(2251)

    def commit(self) -> None:
        raise ora(2251)

    def rollback(self, savepoint: str | None = None) -> None:
        raise ora(2251)

    def savepoint(self, name: str) -> None:
        raise ora(2251)

    def statement(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()  # a condition changes no rows


_RUNTIME = _NoContext()


@functools.lru_cache(maxsize=512)
def compile_check(condition: str, table: str, columns: tuple[tuple[str, DataType], ...]) -> Condition:
    """The condition as a function of a row of ``columns``; the error Oracle gives when the
    condition cannot be a CHECK constraint's (evaluated once on a row of NULLs to find the
    functions compiling cannot see)."""
    try:
        parser = PlsqlParser(tokenize(condition), condition)
        parser.in_plsql = False
        expr = parser.expr()
        if parser.cur.kind != "EOF":
            raise ora(920)
    except (LexError, ParseError) as err:
        raise ora(920) from err
    compiler = StmtCompiler(_RUNTIME, {})
    source = [SourceColumn(table, name, kind) for name, kind in columns]
    try:
        fn = compiler.condition(expr, compiler.row_scope(Scope(None, 0, FrameLayout()), source)).fn
    except CompileError as err:
        raise sql_failure(err) from err

    def run(row: tuple[Value, ...]) -> Value:
        machine = Machine(_RUNTIME, {})
        return fn(Env(machine, Env(machine, None), row))

    try:
        run((None,) * len(columns))
    except OracleError as err:
        if err.code in (2436, 2251):
            raise
    return run


def broken(condition: Condition, row: tuple[Value, ...]) -> bool:
    """Whether the row breaks the constraint: only a FALSE condition does."""
    return condition(row) is False
