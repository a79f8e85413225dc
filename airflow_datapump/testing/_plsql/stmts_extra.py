"""Loops, SQL statements, EXECUTE IMMEDIATE and RAISE_APPLICATION_ERROR."""

from __future__ import annotations

from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql import sqlnodes as s
from airflow_datapump.testing._plsql.cdecl import DeclCompiler
from airflow_datapump.testing._plsql.control import ExitLoop
from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line
from airflow_datapump.testing._plsql.places import bind_type
from airflow_datapump.testing._plsql.runtime import transaction_control
from airflow_datapump.testing._plsql.scope import Env, Exec, Place, Scope, pls
from airflow_datapump.testing._plsql.typesys import convert, match_rank, to_number, to_text
from airflow_datapump.testing._values import (
    BOOLEAN,
    NUMBER,
    PLS_INTEGER,
    REF_CURSOR,
    Bind,
    CursorRows,
    OpaqueValue,
    RecordType,
    RecordValue,
    Value,
)


class ExtraStatements(DeclCompiler):
    loops: list[str | None]

    def statements(self, stmts: tuple[n.Stmt, ...], scope: Scope) -> Exec:  # pragma: no cover
        raise NotImplementedError

    def loop_body(self, label: str | None, body: tuple[n.Stmt, ...], scope: Scope) -> Exec:
        self.loops.append(label)
        try:
            return self.statements(body, scope)
        finally:
            self.loops.pop()

    def loop(self, st: n.Loop | n.While | n.ForRange | n.ForQuery, scope: Scope) -> Exec:
        label = st.label
        if isinstance(st, n.Loop | n.While):
            cond = self.condition(st.cond, scope).fn if isinstance(st, n.While) else None
            body = self.loop_body(label, st.body, scope)

            def run(env: Env) -> None:
                while cond is None or cond(env) is True:
                    if _iterate(body, env, label):
                        return

            return run
        inner = scope.child()
        if isinstance(st, n.ForRange):
            low, high = self.expr(st.low, scope).fn, self.expr(st.high, scope).fn
            slot = inner.new_var(st.pos, st.var, PLS_INTEGER, "LOOP").slot
            body = self.loop_body(label, st.body, inner)
            reverse = st.reverse

            def run_range(env: Env) -> None:
                lo, hi = to_number(low(env)), to_number(high(env))
                if lo is None or hi is None:
                    raise ora(6502)
                first, last = int(lo.to_integral_value()), int(hi.to_integral_value())
                steps = range(last, first - 1, -1) if reverse else range(first, last + 1)
                for i in steps:
                    env.vals[slot] = to_number(str(i))
                    if _iterate(body, env, label):
                        return

            return run_range
        query = self.query(st.query, scope)
        record = RecordType("<cursor>", tuple(query.columns))
        slot = inner.new_var(st.pos, st.var, record, "LOOP").slot
        body = self.loop_body(label, st.body, inner)
        names = [name for name, _ in query.columns]

        def run_query(env: Env) -> None:
            for row in query.run(env):
                env.vals[slot] = RecordValue(record, dict(zip(names, row, strict=True)))
                if _iterate(body, env, label):
                    return

        return run_query

    def build_more(self, st: n.Stmt, scope: Scope) -> Exec | None:
        if isinstance(st, n.SqlStmt):
            return self.sql_statement(st, scope)
        if isinstance(st, n.ExecuteImmediate):
            return self.execute_immediate(st, scope)
        if isinstance(st, n.Transaction):
            action, savepoint = st.action, st.savepoint

            def transaction(env: Env) -> None:
                transaction_control(env.m.runtime, action, savepoint)

            return transaction
        if isinstance(st, n.OpenFor):
            return self.open_for(st, scope)
        assert isinstance(st, n.Unsupported)
        raise pls(
            st.pos,
            999,
            f"implementation restriction (may be temporary) {st.what} is not supported by the emulator",
        )

    def open_for(self, st: n.OpenFor, scope: Scope) -> Exec:
        """OPEN c FOR select: the rows are computed now, as Oracle fixes a cursor's result set
        when it is opened; fetching (by the client, over the wire) only reads them."""
        place = self.place(st.target, scope)
        if place.type != REF_CURSOR or place.set is None:
            raise pls(st.target.pos, 382, "expression is of wrong type")
        query = self.query(st.query, scope)
        setter, columns = place.set, tuple(query.columns)

        def run(env: Env) -> None:
            rows = [tuple(row) for row in query.run(env)]
            setter(env, OpaqueValue(REF_CURSOR.name, CursorRows(columns, rows)))

        return run

    def into_targets(self, pos: n.Pos, targets: tuple[n.Expr, ...], width: int, scope: Scope) -> list[Place]:
        places = [self.place(t, scope) for t in targets]
        single_record = len(places) == 1 and isinstance(places[0].type, RecordType) and width > 1
        if not single_record and len(places) != width:
            code = 913 if width > len(places) else 947
            from airflow_datapump.testing._plsql.scope import CompileError

            raise CompileError(pos, ora(code).lines[0], sql=True)
        return places

    def sql_statement(self, st: n.SqlStmt, scope: Scope) -> Exec:
        stmt = st.statement
        if isinstance(stmt, s.Query):
            if not st.into:
                raise pls(st.pos, 428, "an INTO clause is expected in this SELECT statement")
            query = self.query(stmt, scope)
            targets = self.into_targets(st.pos, st.into, len(query.columns), scope)

            def select_into(env: Env) -> None:
                rows = query.run(env)
                if not rows:
                    raise ora(1403)
                if len(rows) > 1:
                    raise ora(1422)
                _assign_row(env, targets, rows[0], [c for c, _ in query.columns])
                env.m.rowcount = 1

            return select_into
        assert isinstance(stmt, s.Insert | s.Update | s.Delete | s.Truncate)
        dml = self.dml(stmt, scope)

        def run_dml(env: Env) -> None:
            with env.m.runtime.statement():
                env.m.rowcount = dml(env)

        return run_dml

    def execute_immediate(self, st: n.ExecuteImmediate, scope: Scope) -> Exec:
        sql = self.expr(st.sql, scope).fn
        targets = [self.place(t, scope) for t in st.into]
        using = []
        for arg in st.using:
            value = self.expr(arg.value, scope)
            place = self.place(arg.value, scope) if arg.mode != "IN" else None
            using.append((arg.mode, value, place))

        def run(env: Env) -> None:
            from airflow_datapump.testing._plsql.engine import parse, run_nested

            text = to_text(sql(env))
            parsed = parse(text or "")
            if len(parsed.bind_names) != len(using):
                raise ora(1008)
            binds: dict[str, Bind] = {}
            for name, (mode, value, _place) in zip(parsed.bind_names, using, strict=True):
                t = value.type or bind_type(Bind(None))
                initial = value.fn(env) if mode != "OUT" else None
                binds[name] = Bind(initial, type=t)
            result = run_nested(parsed, binds, env.m)
            for name, (_mode, _value, place) in zip(parsed.bind_names, using, strict=True):
                if place is not None and place.set is not None and binds[name].assigned:
                    place.set(env, binds[name].value)
            if targets:
                if not result.rows:
                    raise ora(1403)
                if len(result.rows) > 1:
                    raise ora(1422)
                _assign_row(env, targets, result.rows[0], [c for c, _ in result.columns or []])
            env.m.rowcount = result.rowcount

        return run

    def raise_application_error(self, e: n.Apply, scope: Scope) -> Exec:
        args = [self.expr(a.value, scope) for a in e.args]
        expected = (NUMBER, None, BOOLEAN)
        if not 2 <= len(args) <= 3 or any(a.name for a in e.args):
            raise pls(
                e.pos,
                306,
                "wrong number or types of arguments in call to 'RAISE_APPLICATION_ERROR'",
            )
        for arg, want in zip(args, expected, strict=False):
            if want is not None and match_rank(arg.type, want) is None:
                raise pls(
                    e.pos,
                    306,
                    "wrong number or types of arguments in call to 'RAISE_APPLICATION_ERROR'",
                )
        fns = [a.fn for a in args]

        def run(env: Env) -> None:
            number = to_number(fns[0](env))
            code = int(number) if number is not None else 0
            if not -20999 <= code <= -20000:
                raise ora(21000, str(code), "")  # Oracle prints the number alone in its two slots [U]
            text = (to_text(fns[1](env)) or "").encode()[:2048].decode(errors="ignore")
            keep = len(fns) > 2 and fns[2](env) is True
            message = ora_line(-code, text)
            if keep and env.m.handling:
                message = f"{message}\n{env.m.handling[-1].message}"
            err = OracleError(-code, message)
            err.raise_line = env.line
            raise err

        return run


def _iterate(body: Exec, env: Env, label: str | None) -> bool:
    """Run one iteration; True when the loop must stop (EXIT aimed at it)."""
    try:
        body(env)
    except ExitLoop as signal:
        if signal.label is not None and signal.label != label:
            raise
        return not signal.is_continue
    return False


def _assign_row(env: Env, targets: list[Place], row: tuple[Value, ...], names: list[str]) -> None:
    if len(targets) == 1 and isinstance(targets[0].type, RecordType) and len(row) > 1:
        record = targets[0].type
        setter = targets[0].set
        assert setter is not None
        setter(
            env,
            RecordValue(record, {f: convert(v, t) for (f, t), v in zip(record.fields, row, strict=False)}),
        )
        return
    for place, value in zip(targets, row, strict=True):
        assert place.set is not None
        place.set(env, value)
