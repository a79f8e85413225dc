"""PL/SQL control statements, split from :mod:`.parse_plsql` to keep modules small."""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_datapump.testing._plsql import nodes as n

if TYPE_CHECKING:
    from airflow_datapump.testing._plsql.parse_plsql import PlsqlParser


def loop_statement(p: PlsqlParser, pos: n.Pos, label: str | None) -> n.Stmt:
    if p.accept_kw("WHILE"):
        cond = p.expr()
        return n.While(pos, label, cond, loop_body(p))
    if p.accept_kw("FOR"):
        var = p.ident()
        p.expect_kw("IN")
        if p.at_op("(") and p.peek().is_kw("SELECT", "WITH"):
            p.next()
            query = p.query()
            p.expect_op(")")
            return n.ForQuery(pos, label, var, query, loop_body(p))
        reverse = p.accept_kw("REVERSE")
        low = p.additive()
        p.expect_op("..")
        high = p.additive()
        return n.ForRange(pos, label, var, reverse, low, high, loop_body(p))
    return n.Loop(pos, label, loop_body(p))


def loop_body(p: PlsqlParser) -> tuple[n.Stmt, ...]:
    p.expect_kw("LOOP")
    body = p.statements()
    p.expect_end("LOOP")
    if p.at_ident():
        p.next()
    p.end_statement()
    return body


def simple_statement(p: PlsqlParser, pos: n.Pos, word: str) -> n.Stmt | None:
    if word in ("NULL", "COMMIT", "ROLLBACK", "SAVEPOINT") and not p.peek().is_op(":=", ".", "("):
        if word == "NULL":
            p.next()
            p.end_statement()
            return n.NullStmt(pos)
        control = p.transaction_control()
        p.end_statement()
        return n.Transaction(pos, control.action, control.savepoint)
    handler = _HANDLERS.get(word)
    if handler is None:
        return None
    return handler(p, pos)


def _if(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    p.next()
    branches: list[tuple[n.Expr, tuple[n.Stmt, ...]]] = []
    while True:
        cond = p.expr()
        p.expect_kw("THEN")
        branches.append((cond, p.statements()))
        if not p.accept_kw("ELSIF"):
            break
    otherwise = p.statements() if p.accept_kw("ELSE") else None
    p.expect_end("IF")
    p.end_statement()
    return n.If(pos, tuple(branches), otherwise)


def _case(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    p.next()
    operand = None if p.at_kw("WHEN") else p.expr()
    whens: list[tuple[n.Expr, tuple[n.Stmt, ...]]] = []
    while p.accept_kw("WHEN"):
        cond = p.expr()
        p.expect_kw("THEN")
        whens.append((cond, p.statements()))
    if not whens:
        raise p.error("when")
    otherwise = p.statements() if p.accept_kw("ELSE") else None
    p.expect_end("CASE")
    if p.at_ident():
        p.next()
    p.end_statement()
    return n.CaseStmt(pos, operand, tuple(whens), otherwise)


def _exit(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    is_continue = p.next().is_kw("CONTINUE")
    label = p.ident() if p.at_ident() else None
    when = p.expr() if p.accept_kw("WHEN") else None
    p.end_statement()
    return n.Exit(pos, label, when, is_continue)


def _return(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    p.next()
    value = None if p.at_op(";") else p.expr()
    p.end_statement()
    return n.Return(pos, value)


def _raise(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    p.next()
    name = None if p.at_op(";") else p.dotted_name()
    p.end_statement()
    return n.Raise(pos, name)


def _execute(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    p.next()
    p.expect_kw("IMMEDIATE")
    sql = p.expr()
    into: list[n.Expr] = []
    if p.accept_kw("INTO"):
        into.append(p.target())
        while p.accept_op(","):
            into.append(p.target())
    using: list[n.UsingArg] = []
    if p.accept_kw("USING"):
        using.append(_using_arg(p))
        while p.accept_op(","):
            using.append(_using_arg(p))
    p.end_statement()
    return n.ExecuteImmediate(pos, sql, tuple(into), tuple(using))


def _using_arg(p: PlsqlParser) -> n.UsingArg:
    pos = p.pos
    mode = "IN"
    if p.accept_kw("IN"):
        mode = "IN OUT" if p.accept_kw("OUT") else "IN"
    elif p.accept_kw("OUT"):
        mode = "OUT"
    return n.UsingArg(pos, mode, p.expr())


def _select(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    into: list[n.Expr] = []
    query = p.query(into)
    p.end_statement()
    return n.SqlStmt(pos, query, tuple(into))


def _open(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    """OPEN c FOR select (a cursor variable); OPEN of an explicit cursor stays refused."""
    p.next()
    target = p.target()
    if not p.accept_kw("FOR"):
        p.skip_statement()
        return n.Unsupported(pos, "OPEN")
    query = p.query()
    p.end_statement()
    return n.OpenFor(pos, target, query)


def _dml(p: PlsqlParser, pos: n.Pos) -> n.Stmt:
    statement = p.dml()
    p.end_statement()
    return n.SqlStmt(pos, statement)


_HANDLERS = {
    "IF": _if,
    "CASE": _case,
    "EXIT": _exit,
    "CONTINUE": _exit,
    "RETURN": _return,
    "RAISE": _raise,
    "EXECUTE": _execute,
    "SELECT": _select,
    "OPEN": _open,
    "INSERT": _dml,
    "UPDATE": _dml,
    "DELETE": _dml,
}
