"""Expressions, shared by SQL and PL/SQL (PL/SQL refuses a few SQL-only forms later)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from airflow_datapump.testing._plsql.nodes import (
    Apply,
    Arg,
    Attr,
    Between,
    Binary,
    BindRef,
    CaseExpr,
    CursorAttr,
    Exists,
    Expr,
    InList,
    InQuery,
    IsNull,
    Like,
    Literal,
    Name,
    Pos,
    ScalarQuery,
    Star,
    Unary,
)
from airflow_datapump.testing._plsql.sqlnodes import Query
from airflow_datapump.testing._plsql.tokens import Tokens

_COMPARISONS = ("=", "<>", "!=", "^=", "~=", "<", ">", "<=", ">=")
_EXPR_START = ("(", "-", "+", "case", "not", "null", "<an identifier>", "<a number>")


class ExprParser(Tokens):
    """Operator precedence as in Oracle: OR < AND < NOT < comparison < + - || < * / < ** < sign."""

    in_plsql = False
    in_hierarchy = False  # PRIOR is an operator only inside a CONNECT BY condition

    def query(self) -> Query:  # pragma: no cover - provided by the SQL parser subclass
        raise NotImplementedError

    def expr(self) -> Expr:
        left = self.and_expr()
        while self.at_kw("OR"):
            pos = self.pos
            self.next()
            left = Binary(pos, "OR", left, self.and_expr())
        return left

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while self.at_kw("AND"):
            pos = self.pos
            self.next()
            left = Binary(pos, "AND", left, self.not_expr())
        return left

    def not_expr(self) -> Expr:
        if self.at_kw("NOT"):
            pos = self.pos
            self.next()
            return Unary(pos, "NOT", self.not_expr())
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.additive()
        pos = self.pos
        if self.at_op(*_COMPARISONS):
            op = str(self.next().value)
            op = "<>" if op in ("!=", "^=", "~=") else op
            return Binary(pos, op, left, self.additive())
        if self.accept_kw("IS"):
            negated = self.accept_kw("NOT")
            self.expect_kw("NULL", sql_code=908)
            return IsNull(pos, left, negated)
        negated = self.at_kw("NOT") and self.peek().is_kw("LIKE", "IN", "BETWEEN")
        if negated:
            self.next()
        if self.accept_kw("LIKE"):
            pattern = self.additive()
            escape = self.additive() if self.accept_kw("ESCAPE") else None
            return Like(pos, left, pattern, escape, negated)
        if self.accept_kw("BETWEEN"):
            low = self.additive()
            self.expect_kw("AND", sql_code=905)
            return Between(pos, left, low, self.additive(), negated)
        if self.accept_kw("IN"):
            return self.in_rest(pos, left, negated)
        return left

    def in_rest(self, pos: Pos, left: Expr, negated: bool) -> Expr:
        self.expect_op("(")
        if self.at_kw("SELECT", "WITH"):
            query = self.query()
            self.expect_op(")")
            return InQuery(pos, left, query, negated)
        items = [self.expr()]
        while self.accept_op(","):
            items.append(self.expr())
        self.expect_op(")")
        return InList(pos, left, tuple(items), negated)

    def additive(self) -> Expr:
        left = self.multiplicative()
        while self.at_op("+", "-", "||"):
            pos = self.pos
            op = str(self.next().value)
            left = Binary(pos, op, left, self.multiplicative())
        return left

    def multiplicative(self) -> Expr:
        left = self.signed()
        while self.at_op("*", "/") or (self.in_plsql and self.at_kw("MOD")):
            pos = self.pos
            op = str(self.next().value)
            left = Binary(pos, op, left, self.signed())
        return left

    def signed(self) -> Expr:
        if self.in_hierarchy and self.at_kw("PRIOR"):
            pos = self.pos
            self.next()
            return Unary(pos, "PRIOR", self.signed())
        if self.at_op("-", "+"):
            pos = self.pos
            op = str(self.next().value)
            return Unary(pos, op, self.signed())
        base = self.postfix()
        if self.at_op("**"):
            pos = self.pos
            self.next()
            return Binary(pos, "**", base, self.signed())
        return base

    def postfix(self) -> Expr:
        expr = self.primary()
        while True:
            pos = self.pos
            if self.at_op(".") and isinstance(expr, Name | Attr | Apply):
                self.next()
                if self.at_op("*"):
                    self.next()
                    return Star(pos, _qualifier(expr))
                expr = Attr(pos, expr, self.any_word())
            elif self.at_op("(") and isinstance(expr, Name | Attr | Apply):
                expr = self.call_args(expr)
            elif self.at_op("%") and isinstance(expr, Name) and expr.name == "SQL":
                self.next()
                attr = self.any_word()
                if attr not in ("ROWCOUNT", "FOUND", "NOTFOUND", "ISOPEN"):
                    raise self.error("ROWCOUNT", "FOUND", "NOTFOUND", "ISOPEN")
                expr = CursorAttr(pos, attr)
            else:
                return expr

    def call_args(self, base: Expr) -> Apply:
        pos = self.pos
        self.expect_op("(")
        if self.at_op("*") and self.peek().is_op(")"):
            self.next()
            self.next()
            return Apply(pos, base, (), star=True)
        distinct = self.accept_kw("DISTINCT")
        if not distinct:
            self.accept_kw("ALL")
        args: list[Arg] = []
        if not self.at_op(")"):
            args.append(self.arg())
            while self.accept_op(","):
                args.append(self.arg())
        self.expect_op(")")
        return Apply(pos, base, tuple(args), distinct=distinct)

    def arg(self) -> Arg:
        pos = self.pos
        if self.cur.kind in ("ID", "QID") and self.peek().is_op("=>"):
            name = str(self.next().value)
            self.next()
            return Arg(pos, name, self.expr())
        return Arg(pos, None, self.expr())

    def primary(self) -> Expr:
        tok = self.cur
        pos = self.pos
        if tok.kind == "NUM":
            self.next()
            return Literal(pos, tok.value, "NUMBER")
        if tok.kind == "STR":
            self.next()
            return Literal(pos, tok.value or None, "VARCHAR2")
        if tok.kind == "BIND":
            self.next()
            if self.in_plsql and self.at_op("(", "."):
                raise self.error(";")  # subscripting a bind directly is deliberately refused
            return BindRef(pos, str(tok.value))
        if tok.is_op("("):
            return self.parenthesised()
        if tok.kind == "ID":
            special = self.keyword_primary(pos)
            if special is not None:
                return special
        if self.at_ident():
            return Name(pos, str(self.next().value))
        raise self.error(*_EXPR_START, sql_code=936)

    def parenthesised(self) -> Expr:
        pos = self.pos
        self.next()
        if self.at_kw("SELECT", "WITH"):
            query = self.query()
            self.expect_op(")")
            return ScalarQuery(pos, query)
        inner = self.expr()
        self.expect_op(")")
        return inner

    def keyword_primary(self, pos: Pos) -> Expr | None:
        if self.accept_kw("NULL"):
            return Literal(pos, None, "NULL")
        if self.at_kw("TRUE", "FALSE"):
            return Literal(pos, self.next().value == "TRUE", "BOOLEAN")
        if self.accept_kw("CASE"):
            return self.case_rest(pos)
        if self.accept_kw("EXISTS"):
            self.expect_op("(")
            query = self.query()
            self.expect_op(")")
            return Exists(pos, query)
        if self.at_kw("DATE", "TIMESTAMP") and self.peek().kind == "STR":
            kind = str(self.next().value)
            return Literal(pos, _datetime_literal(self.string_literal()), kind)
        return None

    def case_rest(self, pos: Pos) -> Expr:
        operand = None if self.at_kw("WHEN") else self.expr()
        whens: list[tuple[Expr, Expr]] = []
        while self.accept_kw("WHEN"):
            cond = self.expr()
            self.expect_kw("THEN", sql_code=905)
            whens.append((cond, self.expr()))
        if not whens:
            raise self.error("when", sql_code=905)
        default = self.expr() if self.accept_kw("ELSE") else None
        self.expect_kw("END", sql_code=905)
        return CaseExpr(pos, operand, tuple(whens), default)


def _qualifier(expr: Expr) -> tuple[str, ...]:
    parts: list[str] = []
    while isinstance(expr, Attr):
        parts.append(expr.name)
        expr = expr.base
    if isinstance(expr, Name):
        parts.append(expr.name)
    return tuple(reversed(parts))


def _datetime_literal(text: str) -> dt.datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    from airflow_datapump.testing._plsql.errors import ora

    raise ora(1861)


def literal_number(pos: Pos, value: int) -> Literal:
    return Literal(pos, Decimal(value), "NUMBER")
