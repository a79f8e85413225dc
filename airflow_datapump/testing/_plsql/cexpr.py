"""Compiling operators, literals and conditions into closures, with PL/SQL's static checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql import ops
from airflow_datapump.testing._plsql.scope import CExpr, Env, Scope, pls
from airflow_datapump.testing._plsql.sqlnodes import Query
from airflow_datapump.testing._plsql.typesys import family
from airflow_datapump.testing._values import (
    BOOLEAN,
    DATE,
    NUMBER,
    VARCHAR2,
    DataType,
    ScalarType,
    TypeKind,
    Value,
)

_LITERAL_TYPES: dict[str, DataType | None] = {
    "NUMBER": NUMBER,
    "VARCHAR2": VARCHAR2,
    "BOOLEAN": BOOLEAN,
    "DATE": DATE,
    "TIMESTAMP": ScalarType(TypeKind.TIMESTAMP, "TIMESTAMP"),
    "NULL": None,
}


@dataclass(frozen=True)
class CQuery:
    """A compiled query: output columns and a function producing all its rows."""

    columns: list[tuple[str, DataType]]
    run: Callable[[Env], list[tuple[Value, ...]]]
    # Positions of the columns that cannot be null (a NOT NULL or primary key table column
    # selected as such): describe information reports them, as Oracle's does.
    not_null: frozenset[int] = frozenset()


def _wrong_args(pos: n.Pos, op: str) -> Exception:
    return pls(pos, 306, f"wrong number or types of arguments in call to '{op}'")


class ExprCompiler:
    """Operators and literals; names, calls and queries come from the subclasses."""

    def chain(self, e: n.Expr, scope: Scope) -> CExpr:  # pragma: no cover - subclass
        raise NotImplementedError

    def query(self, q: Query, scope: Scope) -> CQuery:  # pragma: no cover - subclass
        raise NotImplementedError

    def cursor_attr(self, e: n.CursorAttr) -> CExpr:  # pragma: no cover - subclass
        raise NotImplementedError

    def expr(self, e: n.Expr, scope: Scope) -> CExpr:
        if isinstance(e, n.Literal):
            value = e.value
            return CExpr(_LITERAL_TYPES[e.kind], lambda env: value)
        if isinstance(e, n.Name | n.Attr | n.Apply | n.BindRef):
            return self.chain(e, scope)
        if isinstance(e, n.Binary):
            return self.binary(e, scope)
        if isinstance(e, n.Unary):
            return self.unary(e, scope)
        if isinstance(e, n.CursorAttr):
            return self.cursor_attr(e)
        if isinstance(e, n.CaseExpr):
            return self.case(e, scope)
        if isinstance(e, n.Star):
            raise pls(e.pos, 103, 'Encountered the symbol "*"')
        return self.predicate(e, scope)

    def condition(self, e: n.Expr, scope: Scope) -> CExpr:
        compiled = self.expr(e, scope)
        if compiled.type is not None and compiled.type.kind != TypeKind.BOOLEAN:
            raise pls(e.pos, 382, "expression is of wrong type")
        return compiled

    def binary(self, e: n.Binary, scope: Scope) -> CExpr:
        if e.op in ("AND", "OR"):
            left, right = self.condition(e.left, scope), self.condition(e.right, scope)
            lf, rf = left.fn, right.fn
            if e.op == "AND":
                return CExpr(BOOLEAN, lambda env: ops.and3(ops.truth(lf(env)), ops.truth(rf(env))))
            return CExpr(BOOLEAN, lambda env: ops.or3(ops.truth(lf(env)), ops.truth(rf(env))))
        left, right = self.expr(e.left, scope), self.expr(e.right, scope)
        lf, rf, op, sql = left.fn, right.fn, e.op, scope.in_sql
        fams = {family(left.type), family(right.type)}
        if e.op == "||":
            if "B" in fams or "X" in fams:
                raise _wrong_args(e.pos, "||")
            return CExpr(VARCHAR2, lambda env: ops.concat(lf(env), rf(env)))
        if e.op in ("=", "<>", "<", ">", "<=", ">="):
            if ("B" in fams and fams - {"B", "NULL"}) or "X" in fams:
                raise _wrong_args(e.pos, e.op)
            return CExpr(BOOLEAN, lambda env: ops.comparison(op, lf(env), rf(env), sql=sql))
        if fams & {"B", "X", "R", "F"}:
            raise _wrong_args(e.pos, e.op)
        result_type: DataType = NUMBER
        if "D" in fams and e.op in ("+", "-"):
            both_dates = family(left.type) == family(right.type) == "D"
            result_type = NUMBER if both_dates else DATE
        return CExpr(result_type, lambda env: ops.arithmetic(op, lf(env), rf(env), sql=sql))

    def unary(self, e: n.Unary, scope: Scope) -> CExpr:
        if e.op == "PRIOR":  # the operand, evaluated on the parent row of a CONNECT BY step
            prior = self.expr(e.operand, scope)
            pfn = prior.fn
            return CExpr(prior.type, lambda env: pfn(env.prior) if env.prior is not None else None)
        if e.op == "NOT":
            inner = self.condition(e.operand, scope)
            fn = inner.fn
            return CExpr(BOOLEAN, lambda env: ops.not3(ops.truth(fn(env))))
        inner = self.expr(e.operand, scope)
        if family(inner.type) in ("B", "X", "R", "F", "D"):
            raise _wrong_args(e.pos, e.op)
        fn, sql = inner.fn, scope.in_sql
        if e.op == "+":
            return CExpr(NUMBER, fn)
        return CExpr(NUMBER, lambda env: ops.negate(fn(env), sql=sql))

    def case(self, e: n.CaseExpr, scope: Scope) -> CExpr:
        operand = self.expr(e.operand, scope) if e.operand is not None else None
        whens = [
            (self.expr(w, scope) if operand else self.condition(w, scope), self.expr(r, scope))
            for w, r in e.whens
        ]
        default = self.expr(e.default, scope) if e.default is not None else None
        result_type = next((r.type for _, r in whens if r.type is not None), None)
        if result_type is None and default is not None:
            result_type = default.type
        sql = scope.in_sql

        def run(env: Env) -> Value:
            subject = operand.fn(env) if operand is not None else None
            for when, result in whens:
                value = when.fn(env)
                hit = ops.comparison("=", subject, value, sql=sql) if operand else value
                if hit is True:
                    return result.fn(env)
            return default.fn(env) if default is not None else None

        return CExpr(result_type, run)

    def predicate(self, e: n.Expr, scope: Scope) -> CExpr:
        sql = scope.in_sql
        if isinstance(e, n.IsNull):
            fn, neg = self.expr(e.operand, scope).fn, e.negated
            return CExpr(BOOLEAN, lambda env: (fn(env) is None) != neg)
        if isinstance(e, n.Like):
            val, pat = self.expr(e.operand, scope).fn, self.expr(e.pattern, scope).fn
            esc = self.expr(e.escape, scope).fn if e.escape is not None else (lambda env: None)
            neg = e.negated
            return CExpr(BOOLEAN, lambda env: _maybe_not(ops.like(val(env), pat(env), esc(env)), neg))
        if isinstance(e, n.InList):
            val = self.expr(e.operand, scope).fn
            items = [self.expr(i, scope).fn for i in e.items]
            neg = e.negated
            return CExpr(
                BOOLEAN,
                lambda env: _maybe_not(ops.in_list(val(env), [i(env) for i in items], sql=sql), neg),
            )
        if isinstance(e, n.Between):
            val, lo, hi = (self.expr(x, scope).fn for x in (e.operand, e.low, e.high))
            neg = e.negated

            def between(env: Env) -> Value:
                v = val(env)
                low = ops.comparison(">=", v, lo(env), sql=sql)
                high = ops.comparison("<=", v, hi(env), sql=sql)
                return _maybe_not(ops.and3(low, high), neg)

            return CExpr(BOOLEAN, between)
        return self.subquery_predicate(e, scope)

    def subquery_predicate(self, e: n.Expr, scope: Scope) -> CExpr:
        sql = scope.in_sql
        if isinstance(e, n.Exists):
            query = self.query(e.query, scope)
            return CExpr(BOOLEAN, lambda env: bool(query.run(env)))
        if isinstance(e, n.InQuery):
            val = self.expr(e.operand, scope).fn
            query = self.query(e.query, scope)
            neg = e.negated

            def in_query(env: Env) -> Value:
                items = [row[0] for row in query.run(env)]
                return _maybe_not(ops.in_list(val(env), items, sql=sql), neg)

            return CExpr(BOOLEAN, in_query)
        if isinstance(e, n.ScalarQuery):
            query = self.query(e.query, scope)

            def scalar(env: Env) -> Value:
                rows = query.run(env)
                if len(rows) > 1:
                    from airflow_datapump.testing._plsql.errors import ora

                    raise ora(1427)
                return rows[0][0] if rows else None

            return CExpr(query.columns[0][1], scalar)
        raise pls(e.pos, 103, "unsupported expression")  # pragma: no cover


def _maybe_not(value: bool | None, negate: bool) -> bool | None:
    return ops.not3(value) if negate else value
