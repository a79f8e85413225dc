"""CHECK constraint conditions, compiled once and evaluated against one row at a time.

A CHECK condition is SQL over the columns of its own row. The SQL Language Reference (constraint
clause, "Restrictions on Check Constraints") rules out subqueries (ORA-02251), SYSDATE,
USER and the other functions that read the session or the clock, and user functions. They are
found in the condition as written, wherever they stand (a branch no row has taken yet counts):
a subquery is ORA-02251, a built-in that reads the session or the clock ORA-02436. The
condition is also compiled against a runtime that answers none of those, so no package
resolves (a user function is an unknown identifier, ORA-00904). A row breaks the constraint
only when its condition is FALSE: TRUE and UNKNOWN (a NULL) both pass.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from airflow_datapump.testing._plsql import nodes
from airflow_datapump.testing._plsql.builtins import BUILTINS
from airflow_datapump.testing._plsql.cstmt import StmtCompiler
from airflow_datapump.testing._plsql.ddl import DdlStatement
from airflow_datapump.testing._plsql.engine import sql_failure
from airflow_datapump.testing._plsql.errors import ora
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
    condition cannot be a CHECK constraint's."""
    try:
        parser = PlsqlParser(tokenize(condition), condition)
        parser.in_plsql = False
        expr = parser.expr()
        if parser.cur.kind != "EOF":
            raise ora(920)
    except (LexError, ParseError) as err:
        raise ora(920) from err
    _screen(expr, {name for name, _ in columns})
    compiler = StmtCompiler(_RUNTIME, {})
    source = [SourceColumn(table, name, kind) for name, kind in columns]
    try:
        fn = compiler.condition(expr, compiler.row_scope(Scope(None, 0, FrameLayout()), source)).fn
    except CompileError as err:
        raise sql_failure(err) from err

    def run(row: tuple[Value, ...]) -> Value:
        machine = Machine(_RUNTIME, {})
        return fn(Env(machine, Env(machine, None), row))

    return run


def _screen(node: object, columns: set[str]) -> None:
    """Refuse what a CHECK condition may not hold, anywhere in its parsed tree: a subquery
    (ORA-02251) or a built-in that reads the clock or the session (ORA-02436; a column of
    that name is the column)."""
    if isinstance(node, (nodes.InQuery, nodes.Exists, nodes.ScalarQuery)):
        raise ora(2251)
    if isinstance(node, nodes.Name) and node.name not in columns:
        builtin = BUILTINS.get(node.name)
        if builtin is not None and builtin.reads_session:
            raise ora(2436)
    if isinstance(node, (tuple, list)):
        for item in node:
            _screen(item, columns)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for field in dataclasses.fields(node):
            _screen(getattr(node, field.name), columns)


def broken(condition: Condition, row: tuple[Value, ...]) -> bool:
    """Whether the row breaks the constraint: only a FALSE condition does."""
    return condition(row) is False
