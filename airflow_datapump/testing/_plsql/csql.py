"""SELECT evaluation over Runtime tables: joins, WHERE, GROUP BY, ORDER BY, FETCH FIRST.

Rows are plain tuples; a query's FROM clause produces the concatenated tuple of all its
sources and column references compile to fixed indexes into it. Correlated subqueries and
PL/SQL variables are reached through the Env chain, like any outer name.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql import setops, sqlhier
from airflow_datapump.testing._plsql import sqlnodes as s
from airflow_datapump.testing._plsql.builtins import AGGREGATES
from airflow_datapump.testing._plsql.cexpr import CQuery
from airflow_datapump.testing._plsql.chains import ChainCompiler, Ref, Step
from airflow_datapump.testing._plsql.errors import ora_line
from airflow_datapump.testing._plsql.scope import (
    CExpr,
    Column,
    CompileError,
    Env,
    FrameLayout,
    Place,
    Scope,
)
from airflow_datapump.testing._plsql.sqlagg import aggregate_fn
from airflow_datapump.testing._plsql.sqlcolumns import SourceColumn, selects_not_null_column
from airflow_datapump.testing._plsql.sqlrows import Rows, groups, limit, product, sort_rows
from airflow_datapump.testing._plsql.typesys import to_number
from airflow_datapump.testing._values import (
    BOOLEAN,
    NUMBER,
    VARCHAR2,
    CollectionType,
    CollectionValue,
    DataType,
    ObjectType,
    ObjectValue,
    Value,
)

Source = tuple[list[SourceColumn], Rows]


def sql_error(pos: n.Pos, code: int, *args: object) -> CompileError:
    return CompileError(pos, ora_line(code, *args), sql=True)


def has_aggregate(node: object) -> bool:
    """Whether an aggregate call appears in ``node`` outside any nested query."""
    return s.any_node(node, _is_aggregate)


def _is_aggregate(node: object) -> bool:
    return isinstance(node, n.Apply) and isinstance(node.base, n.Name) and node.base.name in AGGREGATES


class SqlCompiler(ChainCompiler):
    agg_scope: Scope | None = None

    def column(self, name: str, steps: list[Step], scope: Scope) -> tuple[Ref, int] | None:
        current: Scope | None = scope
        while current is not None and current.columns is not None:
            found = self.column_in(name, steps, current, scope.level)
            if found is not None:
                return found
            current = current.parent
        return None

    def column_in(self, name: str, steps: list[Step], at: Scope, level: int) -> tuple[Ref, int] | None:
        assert at.columns is not None
        hops = level - at.level
        if steps and isinstance(steps[0], n.Attr) and any(c.qualifier == name for c in at.columns):
            wanted = steps[0].name
            hits = [c for c in at.columns if c.qualifier == name and c.name == wanted]
            if not hits:
                raise sql_error(steps[0].pos, 904, f'"{name}"."{wanted}"')
            return _column_place(hits[0], hops), 1
        hits = [c for c in at.columns if c.name == name]
        if len(hits) > 1:
            raise sql_error(steps[0].pos if steps else (0, 0), 918)
        return (_column_place(hits[0], hops), 0) if hits else None

    def global_name(self, head: n.Name, steps: list[Step], scope: Scope) -> tuple[Ref, int]:
        if head.name == "LEVEL" and scope.in_sql and not steps:
            raise sql_error(head.pos, 1788)
        return super().global_name(head, steps, scope)

    def cursor_attr(self, e: n.CursorAttr) -> CExpr:
        attr = e.attr

        def run(env: Env) -> Value:
            count = env.m.rowcount
            if attr == "ISOPEN":
                return False
            if count is None:
                return None
            if attr == "ROWCOUNT":
                return to_number(str(count))
            return (count > 0) == (attr == "FOUND")

        return CExpr(NUMBER if attr == "ROWCOUNT" else BOOLEAN, run)

    def aggregate(self, e: n.Apply, name: str, scope: Scope) -> CExpr:
        if self.agg_scope is not scope:
            raise sql_error(e.pos, 934)
        self.agg_scope = None  # no aggregates nested inside aggregates
        try:
            arg = self.expr(e.args[0].value, scope) if e.args else None
        finally:
            self.agg_scope = scope
        if (arg is None) != e.star or len(e.args) > 1:
            raise sql_error(e.pos, 909)
        result = NUMBER if name in ("COUNT", "SUM", "AVG") else (arg.type if arg else NUMBER)
        return CExpr(result, aggregate_fn(name, arg, e.distinct))

    # --- FROM --------------------------------------------------------------------------

    def source(self, item: s.FromItem, scope: Scope) -> Source:
        if isinstance(item, s.SubqueryRef):
            sub = self.query(item.query, scope)
            cols = [
                SourceColumn(item.alias, name, t, i in sub.not_null)
                for i, (name, t) in enumerate(sub.columns)
            ]
            return cols, sub.run
        if isinstance(item, s.Join):
            return self.join(item, scope)
        if isinstance(item, s.CollectionRef):
            return self.collection(item, scope)
        qualifier = item.alias or item.name
        if item.name == "DUAL" and item.schema in (None, "SYS") and item.dblink is None:
            return [SourceColumn(qualifier, "DUMMY", VARCHAR2)], lambda env: [("X",)]
        table = self.runtime.table(item.name, item.schema, item.dblink)
        cols = [SourceColumn(qualifier, c.name, c.type, c.not_null) for c in table.columns]
        return cols, lambda env: [values for _rowid, values in table.rows()]

    def collection(self, item: s.CollectionRef, scope: Scope) -> Source:
        """TABLE(expr): one row per element; an object element's attributes are the columns,
        any other element is the column COLUMN_VALUE (SQL Language Reference, table_collection_expression).
        The expression is SQL's, with no columns of its own: a name it cannot resolve is ORA-00904."""
        compiled = self.expr(item.expr, Scope(scope, scope.level, scope.layout, columns=[]))
        kind = compiled.type
        if not isinstance(kind, CollectionType):
            raise sql_error(item.pos, 22905)
        element = kind.element
        attributes = element.attributes if isinstance(element, ObjectType) else (("COLUMN_VALUE", element),)
        cols = [SourceColumn(item.alias, name, t) for name, t in attributes]

        def rows(env: Env) -> list[tuple[Value, ...]]:
            value = compiled.fn(env)
            if not isinstance(value, CollectionValue):
                return []
            out: list[tuple[Value, ...]] = []
            for key in sorted(value.elements, key=lambda k: (str(type(k)), k)):
                one = value.elements[key]
                if isinstance(element, ObjectType):
                    attrs = one.attrs if isinstance(one, ObjectValue) else {}
                    out.append(tuple(attrs.get(name) for name, _ in attributes))
                else:
                    out.append((one,))
            return out

        return cols, rows

    def join(self, item: s.Join, scope: Scope) -> Source:
        left_cols, left_rows = self.source(item.left, scope)
        right_cols, right_rows = self.source(item.right, scope)
        outer = item.kind == "LEFT"
        if outer:  # the right side's columns are null where no row matched
            right_cols = [c._replace(not_null=False) for c in right_cols]
        cols = left_cols + right_cols
        on = None
        if item.on is not None:
            on = self.condition(item.on, self.row_scope(scope, cols)).fn
        pad = (None,) * len(right_cols)

        def rows(env: Env) -> list[tuple[Value, ...]]:
            out: list[tuple[Value, ...]] = []
            rights = right_rows(env)
            for left in left_rows(env):
                matched = False
                for right in rights:
                    row = left + right
                    if on is None or on(Env(env.m, env, row)) is True:
                        out.append(row)
                        matched = True
                if outer and not matched:
                    out.append(left + pad)
            return out

        return cols, rows

    def row_scope(self, scope: Scope, cols: list[SourceColumn]) -> Scope:
        columns = [Column(c.qualifier, c.name, c.type, i) for i, c in enumerate(cols)]
        return Scope(scope, scope.level + 1, FrameLayout(), columns)

    # --- SELECT ------------------------------------------------------------------------

    def query(self, q: s.Query, scope: Scope) -> CQuery:
        if q.compound:
            return self.compound_query(q, scope)
        sources = [self.source(item, scope) for item in q.from_]
        cols = [c for cols, _ in sources for c in cols]
        rows_fns = [fn for _, fn in sources]
        real = list(cols)  # what * expands to: no pseudocolumn
        tree = None
        if q.connect_by is not None:
            if len(q.from_) > 1:  # which WHERE terms join before CONNECT BY: not implemented
                raise sql_error(q.pos, 3001, "CONNECT BY over a comma join")
            cols = [*cols, SourceColumn(None, "LEVEL", NUMBER)]
        pseudo = [*cols, SourceColumn(None, "ROWNUM", NUMBER)]
        rscope = self.row_scope(scope, pseudo)
        if q.connect_by is not None:
            start = self.condition(q.start_with, rscope).fn if q.start_with is not None else None
            tree = sqlhier.hierarchy(self.condition(q.connect_by, rscope).fn, start, q.connect_by)
        where = self.condition(q.where, rscope).fn if q.where is not None else None
        aggregated = bool(q.group_by) or has_aggregate((q.items, q.having, q.order_by))
        keys = [self.expr(g, rscope).fn for g in q.group_by]
        saved = self.agg_scope
        self.agg_scope = rscope if aggregated else None
        try:
            names, items, not_null = self.select_list(q, rscope, real)
            having = self.condition(q.having, rscope).fn if q.having is not None else None
            order = self.order_keys(q, rscope, names)
        finally:
            self.agg_scope = saved
        limits = [self.expr(x, scope).fn if x is not None else None for x in (q.offset, q.fetch)]
        width = len(pseudo)

        def run(env: Env) -> list[tuple[Value, ...]]:
            rows = product(rows_fns, env)
            if tree is not None:
                rows = tree(env, rows)
            envs = sqlhier.numbered(env, rows, where)
            if aggregated:
                envs = groups(envs, keys, env, width)
                if having is not None:
                    envs = [e for e in envs if having(e) is True]
            out = [(e, tuple(fn(e) for _, fn in items)) for e in envs]
            if q.distinct:
                out = list({row: (e, row) for e, row in reversed(out)}.values())[::-1]
            out = sort_rows(out, order)
            return limit([row for _, row in out], limits, env)

        return CQuery([(name, t) for name, (t, _) in zip(names, items, strict=True)], run, not_null)

    def compound_query(self, q: s.Query, scope: Scope) -> CQuery:
        """UNION / INTERSECT / MINUS: branches left to right, then ORDER BY and FETCH."""
        first = self.query(dataclasses.replace(q, order_by=(), offset=None, fetch=None, compound=()), scope)
        branches = []
        for op, branch in q.compound:
            compiled = self.query(branch, scope)
            setops.check_branch(branch.pos, first, compiled)
            branches.append((op, compiled))
        names = [name for name, _ in first.columns]
        order: list[tuple[Callable[[Env, tuple[Value, ...]], Value], bool, bool]] = []
        for item in q.order_by:
            e = item.expr
            if isinstance(e, n.Literal) and e.kind == "NUMBER":
                index = int(to_number(e.value) or 0) - 1
            elif isinstance(e, n.Name):
                if e.name not in names:
                    raise sql_error(e.pos, 904, f'"{e.name}"')
                index = names.index(e.name)
            else:
                raise sql_error(e.pos, 1785)
            if not 0 <= index < len(names):
                raise sql_error(e.pos, 1785)
            nulls_first = item.descending if item.nulls_first is None else item.nulls_first
            order.append((functools.partial(_out_nth, index), item.descending, nulls_first))
        combined = setops.compound(first, branches)
        limits = [self.expr(x, scope).fn if x is not None else None for x in (q.offset, q.fetch)]

        def run(env: Env) -> list[tuple[Value, ...]]:
            out = sort_rows([(env, row) for row in combined(env)], order)
            return limit([row for _, row in out], limits, env)

        return CQuery(first.columns, run)

    def select_list(
        self, q: s.Query, rscope: Scope, cols: list[SourceColumn]
    ) -> tuple[list[str], list[tuple[DataType, Callable[[Env], Value]]], frozenset[int]]:
        """The select list's names and compiled items, and which of them cannot be null."""
        names: list[str] = []
        items: list[tuple[DataType, Callable[[Env], Value]]] = []
        not_null: set[int] = set()
        for item in q.items:
            if isinstance(item.expr, n.Star):
                qual = item.expr.qualifier[-1] if item.expr.qualifier else None
                picked = [(i, c) for i, c in enumerate(cols) if qual is None or c.qualifier == qual]
                if not picked:
                    raise sql_error(item.pos, 904, f'"{qual}"')
                for i, c in picked:
                    not_null.update([len(names)] if c.not_null else [])
                    names.append(c.name)
                    items.append((c.type, functools.partial(_nth, i)))
                continue
            compiled = self.expr(item.expr, rscope)
            not_null.update([len(names)] if selects_not_null_column(item.expr, cols) else [])
            names.append(item.alias or _default_name(item))
            items.append((compiled.type or VARCHAR2, compiled.fn))
        return names, items, frozenset(not_null)

    def order_keys(
        self, q: s.Query, rscope: Scope, names: list[str]
    ) -> list[tuple[Callable[[Env, tuple[Value, ...]], Value], bool, bool]]:
        keys: list[tuple[Callable[[Env, tuple[Value, ...]], Value], bool, bool]] = []
        for item in q.order_by:
            e = item.expr
            nulls_first = item.descending if item.nulls_first is None else item.nulls_first
            if isinstance(e, n.Literal) and e.kind == "NUMBER":
                pos = int(to_number(e.value) or 0)
                if not 1 <= pos <= len(names):
                    raise sql_error(e.pos, 1785)
                keys.append((functools.partial(_out_nth, pos - 1), item.descending, nulls_first))
            elif isinstance(e, n.Name) and names.count(e.name) == 1 and _is_alias(q, e.name):
                index = names.index(e.name)
                keys.append((functools.partial(_out_nth, index), item.descending, nulls_first))
            else:
                fn = self.expr(e, rscope).fn
                keys.append((functools.partial(_env_key, fn), item.descending, nulls_first))
        return keys


def _column_place(col: Column, hops: int) -> Place:
    index = col.index
    return Place(col.type, lambda env: env.up(hops).row[index], None, col.name)


def _nth(i: int, env: Env) -> Value:
    return env.row[i]


def _out_nth(i: int, env: Env, row: tuple[Value, ...]) -> Value:
    return row[i]


def _env_key(fn: Callable[[Env], Value], env: Env, row: tuple[Value, ...]) -> Value:
    return fn(env)


def _is_alias(q: s.Query, name: str) -> bool:
    return any(item.alias == name for item in q.items)


def _default_name(item: s.SelectItem) -> str:
    e = item.expr
    if isinstance(e, n.Name):
        return e.name
    if isinstance(e, n.Attr) and isinstance(e.base, n.Name):
        return e.name
    return item.text
