"""PL/SQL statements and blocks, compiled after the whole block has been checked."""

from __future__ import annotations

import functools
from collections.abc import Callable

from airflow_datapump.testing._plsql import declnodes as dn
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql.chains import ExcRef, _flatten
from airflow_datapump.testing._plsql.control import (
    ExitLoop,
    ReturnFrom,
    exception_error,
    handler_matches,
)
from airflow_datapump.testing._plsql.errors import OracleError, ora
from airflow_datapump.testing._plsql.scope import CompileError, Env, Exec, Scope, pls
from airflow_datapump.testing._plsql.stmts_extra import ExtraStatements
from airflow_datapump.testing._plsql.typesys import match_rank
from airflow_datapump.testing._values import DataType, Value


def _noop(env: Env) -> None:
    return None


def _run_all(fns: list[Exec]) -> Exec:
    def run(env: Env) -> None:
        for fn in fns:
            fn(env)

    return run


class StmtCompiler(ExtraStatements):
    def __init__(self, runtime: object, bind_types: dict[str, DataType]) -> None:
        self.runtime = runtime  # type: ignore[assignment]
        self.bind_types = bind_types
        self.errors: list[tuple[n.Pos, str]] = []
        self.loops: list[str | None] = []
        self.handler_depth = 0
        self.record_defaults = {}
        self.function_returns = None

    def record(self, err: CompileError, stmt_pos: n.Pos, item: bool = False) -> None:
        if err.sql:
            self.errors.append((err.pos, f"PL/SQL: {err.text}"))
            self.errors.append((stmt_pos, "PL/SQL: SQL Statement ignored"))
        else:
            self.errors.append((err.pos, err.text))
            self.errors.append((stmt_pos, "PL/SQL: Item ignored" if item else "PL/SQL: Statement ignored"))

    def guarded(self, pos: n.Pos, build: Callable[[], Exec | None], item: bool = False) -> Exec:
        try:
            return build() or _noop
        except CompileError as err:
            self.record(err, pos, item)
        except OracleError as err:  # e.g. ORA-00942 from the Runtime while compiling SQL
            self.record(CompileError(pos, err.lines[0], sql=True), pos, item)
        return _noop

    def statements(self, stmts: tuple[n.Stmt, ...], scope: Scope) -> Exec:
        return _run_all([self.statement(st, scope) for st in stmts])

    def statement(self, st: n.Stmt, scope: Scope) -> Exec:
        fn = self.guarded(st.pos, lambda: self.build(st, scope))
        line = st.pos[0]

        def run(env: Env) -> None:
            env.line = line
            fn(env)

        return run

    def block(self, block: n.Block, scope: Scope) -> Exec:
        inner = scope.child()
        decls = [self.declaration(d, inner) for d in block.decls]
        body = self.statements(block.body, inner)
        handlers = [self.handler(h, inner) for h in block.handlers]

        def run(env: Env) -> None:
            for decl in decls:
                decl(env)
            try:
                body(env)
            except OracleError as err:
                if err.raise_line is None:
                    err.raise_line = env.line
                for matches, handler_body in handlers:
                    if matches(err):
                        env.m.handling.append(err)
                        try:
                            handler_body(env)
                        finally:
                            env.m.handling.pop()
                        return
                raise

        return run

    def declaration(self, d: dn.Decl, scope: Scope) -> Exec:
        return self.guarded(d.pos, functools.partial(self.decl, d, scope), item=True)

    def handler(self, h: n.Handler, scope: Scope) -> tuple[Callable[[OracleError], bool], Exec]:
        refs: list[ExcRef] = []
        for name in h.names:
            try:
                refs.append(self.exception_ref(name, scope))
            except CompileError as err:
                self.record(err, h.pos)
        self.handler_depth += 1
        try:
            body = self.statements(h.body, scope)
        finally:
            self.handler_depth -= 1
        if not h.names:
            return (lambda err: True), body
        pairs = [(r.code, r.ident) for r in refs]
        return (lambda err: any(handler_matches(err, c, i) for c, i in pairs)), body

    def exception_ref(self, name: n.Expr, scope: Scope) -> ExcRef:
        head, steps = _flatten(name)
        ref = self.resolve(head, steps, scope, "value")
        if not isinstance(ref, ExcRef):
            raise pls(name.pos, 485, "in exception handler, an exception name is required")
        return ref

    def build(self, st: n.Stmt, scope: Scope) -> Exec | None:
        if isinstance(st, n.NullStmt):
            return None
        if isinstance(st, n.Block):
            return self.block(st, scope)
        if isinstance(st, n.Assign):
            place = self.place(st.target, scope)
            value = self.expr(st.value, scope)
            if match_rank(value.type, place.type) is None:
                raise pls(st.value.pos, 382, "expression is of wrong type")
            setter, getter = place.set, value.fn
            assert setter is not None
            return lambda env: setter(env, getter(env))
        if isinstance(st, n.CallStmt):
            return self.call(st, scope)
        if isinstance(st, n.If):
            return self.if_stmt(st, scope)
        if isinstance(st, n.CaseStmt):
            return self.case_stmt(st, scope)
        if isinstance(st, n.Loop | n.While | n.ForRange | n.ForQuery):
            return self.loop(st, scope)
        if isinstance(st, n.Exit):
            return self.exit(st, scope)
        if isinstance(st, n.Return):
            return self.return_stmt(st, scope)
        if isinstance(st, n.Raise):
            return self.raise_stmt(st, scope)
        return self.build_more(st, scope)

    def call(self, st: n.CallStmt, scope: Scope) -> Exec:
        e = st.call
        if (
            isinstance(e, n.Apply)
            and isinstance(e.base, n.Name)
            and e.base.name == "RAISE_APPLICATION_ERROR"
            and scope.lookup("RAISE_APPLICATION_ERROR") is None
        ):
            return self.raise_application_error(e, scope)
        return self.call_statement(e, scope)

    def if_stmt(self, st: n.If, scope: Scope) -> Exec:
        branches = [(self.condition(c, scope).fn, self.statements(b, scope)) for c, b in st.branches]
        otherwise = self.statements(st.otherwise, scope) if st.otherwise else None

        def run(env: Env) -> None:
            for cond, body in branches:
                if cond(env) is True:
                    body(env)
                    return
            if otherwise is not None:
                otherwise(env)

        return run

    def case_stmt(self, st: n.CaseStmt, scope: Scope) -> Exec:
        from airflow_datapump.testing._plsql.ops import comparison

        operand = self.expr(st.operand, scope).fn if st.operand is not None else None
        whens = [
            (
                (self.expr(w, scope) if operand else self.condition(w, scope)).fn,
                self.statements(b, scope),
            )
            for w, b in st.whens
        ]
        otherwise = self.statements(st.otherwise, scope) if st.otherwise else None

        def run(env: Env) -> None:
            subject: Value = operand(env) if operand is not None else None
            for when, body in whens:
                value = when(env)
                if (comparison("=", subject, value) if operand else value) is True:
                    body(env)
                    return
            if otherwise is None:
                raise ora(6592)
            otherwise(env)

        return run

    def exit(self, st: n.Exit, scope: Scope) -> Exec:
        if not self.loops:
            raise pls(st.pos, 376, "illegal EXIT/CONTINUE statement; it must appear inside a loop")
        if st.label is not None and st.label not in self.loops:
            raise pls(st.pos, 373, f"EXIT label '{st.label}' must label a LOOP statement")
        cond = self.condition(st.when, scope).fn if st.when is not None else None
        label, is_continue = st.label, st.is_continue

        def run(env: Env) -> None:
            if cond is None or cond(env) is True:
                raise ExitLoop(label, is_continue)

        return run

    def return_stmt(self, st: n.Return, scope: Scope) -> Exec:
        returns = self.function_returns
        is_function = returns is not None and not isinstance(returns, str)
        if st.value is not None and not is_function:
            raise pls(st.pos, 372, "In a procedure, RETURN statement cannot contain an expression")
        if st.value is None:
            if is_function:
                raise pls(st.pos, 503, "RETURN <value> statement required for this return from function")

            def leave(env: Env) -> None:
                raise ReturnFrom(None)

            return leave
        value = self.expr(st.value, scope)
        assert returns is not None
        assert not isinstance(returns, str)
        if match_rank(value.type, returns) is None:
            raise pls(st.value.pos, 382, "expression is of wrong type")
        fn, rtype = value.fn, returns

        def give(env: Env) -> None:
            from airflow_datapump.testing._plsql.typesys import convert

            raise ReturnFrom(convert(fn(env), rtype))

        return give

    def raise_stmt(self, st: n.Raise, scope: Scope) -> Exec:
        if st.name is None:
            if not self.handler_depth:
                raise pls(
                    st.pos,
                    367,
                    "a RAISE statement with no exception name must be inside an exception handler",
                )

            def reraise(env: Env) -> None:
                raise env.m.handling[-1]

            return reraise
        ref = self.exception_ref(st.name, scope)
        code, ident = ref.code, ref.ident

        def raise_it(env: Env) -> None:
            raise exception_error(code, ident, env.line)

        return raise_it
