"""DML's RETURNING ... INTO: what each row a statement touched gives back, and where it goes.

The expressions are evaluated over each row as the statement left it (an inserted or updated
row's new values, a deleted row's last ones; SQL Language Reference, "DELETE",
"returning_clause"). A SQL statement of its own returns into binds, all the touched rows'
values in each (a client reads an array per bind: python-oracledb's messages/base.pyx
``_process_row_data``); in PL/SQL the targets are variables, and a statement touching more
than one row fails with ORA-01422, as SELECT INTO does. When no row is touched the targets
keep their values: Oracle documents them as undefined then (PL/SQL Language Reference,
"RETURNING INTO Clause").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql import sqlnodes as s
from airflow_datapump.testing._plsql.csql import SqlCompiler, sql_error
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.runtime import RowId, TableSource
from airflow_datapump.testing._plsql.scope import Env, Scope
from airflow_datapump.testing._plsql.sqlcolumns import SourceColumn
from airflow_datapump.testing._plsql.typesys import convert

Dml = Callable[[Env], int]
Row = tuple[v.Value, ...]
#: Hands the returned rows (one tuple of RETURNING values per touched row) to the targets.
Give = Callable[[Env, list[Row]], None]


class _Recorder:
    """The statement's table, remembering each row it writes (new values) or deletes (old)."""

    def __init__(self, table: TableSource) -> None:
        self._table = table
        self._read: dict[RowId, Row] = {}
        self.touched: list[Row] = []

    @property
    def schema(self) -> str:
        return self._table.schema

    @property
    def name(self) -> str:
        return self._table.name

    @property
    def columns(self) -> Sequence[ColumnDef]:
        return self._table.columns

    def rows(self) -> Iterable[tuple[RowId, Row]]:
        return self._remembered(self._table.rows())

    def _remembered(self, rows: Iterable[tuple[RowId, Row]]) -> Iterator[tuple[RowId, Row]]:
        for rowid, values in rows:
            self._read[rowid] = values
            yield rowid, values

    def insert(self, values: Row) -> None:
        self._table.insert(values)
        self.touched.append(values)

    def update(self, rowid: RowId, values: Row) -> None:
        self._table.update(rowid, values)
        self.touched.append(values)

    def delete(self, rowid: RowId) -> None:
        self._table.delete(rowid)
        self.touched.append(self._read[rowid])

    def truncate(self) -> None:
        self._table.truncate()


class ReturningCompiler(SqlCompiler):
    def dml(self, stmt: s.DmlStatement, scope: Scope, table: TableSource | None = None) -> Dml:
        raise NotImplementedError  # the DML compiler's, which runs the statement on ``table``

    def returning_dml(self, stmt: s.Insert | s.Update | s.Delete, table: TableSource, scope: Scope) -> Dml:
        clause = stmt.returning
        assert clause is not None
        recorder = _Recorder(table)
        run = self.dml(stmt, scope, recorder)
        qualifier = stmt.table.alias or stmt.table.name
        rscope = self.row_scope(scope, [SourceColumn(qualifier, c.name, c.type) for c in table.columns])
        exprs = [self.expr(e, rscope).fn for e in clause.exprs]
        if len(exprs) != len(clause.targets):
            raise sql_error(clause.pos, 913 if len(exprs) > len(clause.targets) else 947)
        give = self._into_binds(clause) if scope.parent is None else self._into_places(clause, scope)

        def returning(env: Env) -> int:
            recorder.touched.clear()
            count = run(env)
            give(env, [tuple(f(Env(env.m, env, row)) for f in exprs) for row in recorder.touched])
            return count

        return returning

    def _into_binds(self, clause: s.Returning) -> Give:
        """A statement of its own: each bind gets every row's value, as an array."""
        names: list[str] = []
        for target in clause.targets:
            if not isinstance(target, n.BindRef):
                raise sql_error(target.pos, 933)  # only binds reach outside a statement
            names.append(target.name)
        types = [self.bind_types.get(name) or v.VARCHAR2 for name in names]

        def give(env: Env, rows: list[Row]) -> None:
            for index, (name, element) in enumerate(zip(names, types, strict=True)):
                array = v.CollectionType(
                    None, "", element, v.CollectionKind.INDEX_BY, index_type=v.PLS_INTEGER
                )
                values: dict[int | str, v.Value] = {
                    i: convert(row[index], element) for i, row in enumerate(rows, 1)
                }
                bind = env.m.binds[name]
                bind.value, bind.assigned = v.CollectionValue(array, values), True

        return give

    def _into_places(self, clause: s.Returning, scope: Scope) -> Give:
        """In PL/SQL: variables (or binds) take the one touched row's values."""
        places = [self.place(target, scope) for target in clause.targets]

        def give(env: Env, rows: list[Row]) -> None:
            if len(rows) > 1:
                raise ora(1422)
            for place, value in zip(places, rows[0] if rows else (), strict=False):
                assert place.set is not None
                place.set(env, value)

        return give
