"""INSERT, UPDATE, DELETE and TRUNCATE over Runtime tables, with column type conversion."""

from __future__ import annotations

from collections.abc import Callable

from airflow_datapump.testing._plsql import sqlnodes as s
from airflow_datapump.testing._plsql.creturning import ReturningCompiler
from airflow_datapump.testing._plsql.csql import sql_error
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import OracleError, ora
from airflow_datapump.testing._plsql.runtime import TableSource
from airflow_datapump.testing._plsql.scope import CExpr, Env, Scope
from airflow_datapump.testing._plsql.sqlcolumns import SourceColumn
from airflow_datapump.testing._plsql.typesys import convert, text_length
from airflow_datapump.testing._values import ScalarType, Value

Dml = Callable[[Env], int]


def _column_value(table: TableSource, col: ColumnDef, value: Value, verb: str) -> Value:
    """Convert to the column type; NULL into NOT NULL and over-long text fail like Oracle."""
    qualified = f'"{table.schema}"."{table.name}"."{col.name}"'
    try:
        converted = convert(value, col.type, sql=True)
    except OracleError as err:
        if err.code == 6502 and isinstance(value, str) and isinstance(col.type, ScalarType):
            actual = text_length(value, col.type)
            raise ora(12899, qualified, actual, col.type.size) from err
        raise
    if converted is None and col.not_null:
        if verb == "INSERT":
            raise ora(1400, qualified)
        raise ora(1407, qualified)
    return converted


class DmlCompiler(ReturningCompiler):
    def dml(self, stmt: s.DmlStatement, scope: Scope, table: TableSource | None = None) -> Dml:
        if table is None:
            table = self.runtime.table(stmt.table.name, stmt.table.schema, stmt.table.dblink)
            if not isinstance(stmt, s.Truncate) and stmt.returning is not None:
                return self.returning_dml(stmt, table, scope)
        if isinstance(stmt, s.Insert):
            return self.insert(stmt, table, scope)
        if isinstance(stmt, s.Truncate):

            def truncate(env: Env) -> int:
                table.truncate()
                return 0

            return truncate
        qualifier = stmt.table.alias or stmt.table.name
        rscope = self.row_scope(scope, [SourceColumn(qualifier, c.name, c.type) for c in table.columns])
        where = self.condition(stmt.where, rscope).fn if stmt.where is not None else None
        if isinstance(stmt, s.Delete):
            return self.delete(table, where)
        return self.update(stmt, table, rscope, where)

    def insert(self, stmt: s.Insert, table: TableSource, scope: Scope) -> Dml:
        columns = list(table.columns)
        names = [c.name for c in columns]
        targets = list(stmt.columns) or names
        for name in targets:
            if name not in names:
                raise sql_error(stmt.pos, 904, f'"{name}"')
        indexes = [names.index(name) for name in targets]
        if stmt.values is not None:
            values = [self.expr(v, scope) for v in stmt.values]
            if len(values) != len(targets):
                raise sql_error(stmt.pos, 913 if len(values) > len(targets) else 947)
            fns = [v.fn for v in values]

            def rows(env: Env) -> list[tuple[Value, ...]]:
                return [tuple(f(env) for f in fns)]

        else:
            assert stmt.query is not None
            query = self.query(stmt.query, scope)
            if len(query.columns) != len(targets):
                raise sql_error(stmt.pos, 913 if len(query.columns) > len(targets) else 947)
            rows = query.run  # type: ignore[assignment]
        defaults: dict[int, CExpr] = {
            i: self.expr(c.default, scope)
            for i, c in enumerate(columns)
            if c.default is not None and i not in indexes
        }

        def run(env: Env) -> int:
            new_rows = rows(env)
            for row in new_rows:
                full: list[Value] = [None] * len(columns)
                for i, default in defaults.items():
                    full[i] = default.fn(env)
                for i, value in zip(indexes, row, strict=True):
                    full[i] = value
                converted = [_column_value(table, c, v, "INSERT") for c, v in zip(columns, full, strict=True)]
                table.insert(tuple(converted))
            return len(new_rows)

        return run

    def delete(self, table: TableSource, where: Callable[[Env], Value] | None) -> Dml:
        def run(env: Env) -> int:
            doomed = [
                rowid
                for rowid, values in list(table.rows())
                if where is None or where(Env(env.m, env, values)) is True
            ]
            for rowid in doomed:
                table.delete(rowid)
            return len(doomed)

        return run

    def update(
        self,
        stmt: s.Update,
        table: TableSource,
        rscope: Scope,
        where: Callable[[Env], Value] | None,
    ) -> Dml:
        columns = list(table.columns)
        names = [c.name for c in columns]
        sets: list[tuple[int, Callable[[Env], Value]]] = []
        for name, expr in stmt.sets:
            if name not in names:
                raise sql_error(stmt.pos, 904, f'"{name}"')
            sets.append((names.index(name), self.expr(expr, rscope).fn))

        def run(env: Env) -> int:
            changes: list[tuple[object, tuple[Value, ...]]] = []
            for rowid, values in list(table.rows()):
                row_env = Env(env.m, env, values)
                if where is not None and where(row_env) is not True:
                    continue
                new = list(values)
                for index, fn in sets:
                    new[index] = _column_value(table, columns[index], fn(row_env), "UPDATE")
                changes.append((rowid, tuple(new)))
            for rowid, new_values in changes:
                table.update(rowid, new_values)
            return len(changes)

        return run
