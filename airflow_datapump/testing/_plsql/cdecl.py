"""Declarations: types, variables, exceptions and nested subprograms."""

from __future__ import annotations

from airflow_datapump.testing._plsql import calls, places
from airflow_datapump.testing._plsql import declnodes as dn
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql.cdml import DmlCompiler
from airflow_datapump.testing._plsql.control import ReturnFrom
from airflow_datapump.testing._plsql.errors import OracleError, ora, ora_line
from airflow_datapump.testing._plsql.packages import Param
from airflow_datapump.testing._plsql.scope import (
    CExpr,
    Env,
    ExcSym,
    Exec,
    FrameLayout,
    Scope,
    SubSym,
    TypeSym,
    VarSym,
    pls,
)
from airflow_datapump.testing._plsql.typesys import TypeArgError, convert, match_rank, scalar_type
from airflow_datapump.testing._values import (
    VARCHAR2,
    CollectionKind,
    CollectionType,
    DataType,
    RecordType,
    RecordValue,
    ScalarType,
    TypeKind,
    Value,
)


class DeclCompiler(DmlCompiler):
    record_defaults: dict[RecordType, list[tuple[str, CExpr]]]
    function_returns: DataType | str | None

    def block(self, block: n.Block, scope: Scope) -> Exec:  # pragma: no cover - subclass
        raise NotImplementedError

    def resolve_type(self, ref: dn.TypeRef, scope: Scope, param: bool = False) -> DataType:
        if ref.attribute is not None:
            return self.anchored_type(ref, scope)
        dotted = ".".join(ref.name)
        if len(ref.name) == 1:
            try:
                builtin = scalar_type(ref.name[0], ref.args, ref.char_semantics)
            except TypeArgError:
                if param:
                    return VARCHAR2 if ref.name[0] != "RAW" else ScalarType(TypeKind.RAW, "RAW", 32767)
                raise pls(ref.pos, 215, "String length constraints must be in range (1 .. 32767)") from None
            if builtin is not None:
                return builtin
            sym = scope.lookup(ref.name[0])
            if isinstance(sym, TypeSym):
                return sym.type
        else:
            spec = self.package(".".join(ref.name[:-1]))
            if spec is not None and ref.name[-1] in spec.types:
                return spec.types[ref.name[-1]]
        found = self.runtime.type(dotted)
        if found is None:
            raise pls(ref.pos, 201, f"identifier '{dotted}' must be declared")
        return found

    def anchored_type(self, ref: dn.TypeRef, scope: Scope) -> DataType:
        """``x%TYPE``, ``rec.field%TYPE``, ``table.column%TYPE`` and ``table%ROWTYPE``."""
        if ref.attribute == "TYPE":
            head: n.Expr = n.Name(ref.pos, ref.name[0])
            for part in ref.name[1:]:
                head = n.Attr(ref.pos, head, part)
            sym = scope.lookup(ref.name[0])
            if sym is not None or len(ref.name) == 1:
                return self.expr(head, scope).type or VARCHAR2
            schema = ref.name[0] if len(ref.name) == 3 else None
            table = self.runtime.table(ref.name[-2], schema, None)
            for col in table.columns:
                if col.name == ref.name[-1]:
                    return col.type
            raise pls(ref.pos, 302, f"component '{ref.name[-1]}' must be declared")
        schema = ref.name[0] if len(ref.name) == 2 else None
        table = self.runtime.table(ref.name[-1], schema, None)
        return RecordType(ref.name[-1], tuple((c.name, c.type) for c in table.columns))

    def decl(self, d: dn.Decl, scope: Scope) -> Exec | None:
        if isinstance(d, dn.VarDecl):
            return self.var_decl(d, scope)
        if isinstance(d, dn.ExceptionDecl):
            scope.declare(d.pos, d.name, ExcSym(d.name, None))
        elif isinstance(d, dn.PragmaExceptionInit):
            sym = scope.symbols.get(d.name)
            if not isinstance(sym, ExcSym):
                raise pls(d.pos, 109, f"unknown exception name '{d.name}' in PRAGMA EXCEPTION_INIT")
            sym.code = abs(d.code) if d.code != 100 else 1403
        elif isinstance(d, dn.CollectionTypeDecl):
            self.collection_type(d, scope)
        elif isinstance(d, dn.RecordTypeDecl):
            fields = tuple((f.name, self.resolve_type(f.type, scope)) for f in d.fields)
            record = RecordType(d.name, fields)
            defaults = [(f.name, self.expr(f.init, scope)) for f in d.fields if f.init is not None]
            self.record_defaults[record] = defaults
            scope.declare(d.pos, d.name, TypeSym(record))
        elif isinstance(d, dn.SubprogramDecl):
            self.subprogram(d, scope)
        else:
            raise pls(
                d.pos,
                999,
                f"implementation restriction (may be temporary) {d.what} declarations"
                " are not supported by the emulator",
            )
        return None

    def collection_type(self, d: dn.CollectionTypeDecl, scope: Scope) -> None:
        element = self.resolve_type(d.element, scope)
        index_type = None
        kind = CollectionKind.NESTED_TABLE
        if d.varray_limit is not None:
            kind = CollectionKind.VARRAY
        elif d.index_by is not None:
            kind = CollectionKind.INDEX_BY
            resolved = self.resolve_type(d.index_by, scope)
            assert isinstance(resolved, ScalarType)
            index_type = resolved
        t = CollectionType(None, d.name, element, kind, d.varray_limit, index_type)
        scope.declare(d.pos, d.name, TypeSym(t))

    def initializer(self, t: DataType) -> list[tuple[str, CExpr]]:
        return self.record_defaults.get(t, []) if isinstance(t, RecordType) else []

    def var_decl(self, d: dn.VarDecl, scope: Scope) -> Exec:
        t = self.resolve_type(d.type, scope)
        init = self.expr(d.init, scope) if d.init is not None else None
        if init is not None and match_rank(init.type, t) is None:
            raise pls(d.init.pos if d.init else d.pos, 382, "expression is of wrong type")
        if d.not_null and init is None:
            raise pls(d.pos, 218, "a variable declared NOT NULL must have an initialization assignment")
        sym = scope.new_var(d.pos, d.name, t, "CONSTANT" if d.constant else "VAR")
        sym.not_null = d.not_null
        slot = sym.slot
        defaults = self.initializer(t)

        def run(env: Env) -> None:
            value = places.initial_value(t) if init is None else convert(init.fn(env), t)
            if d.not_null and value is None:
                raise ora(6502)
            if defaults and isinstance(value, RecordValue):
                field_types = dict(value.type.fields)
                for name, default in defaults:
                    value.fields[name] = convert(default.fn(env), field_types[name])
            env.vals[slot] = value

        return run

    def subprogram(self, d: dn.SubprogramDecl, scope: Scope) -> None:
        body_scope = Scope(scope, scope.level + 1, FrameLayout())
        params: list[Param] = []
        syms: list[VarSym] = []
        defaults = {}
        for p in d.params:
            pt = self.resolve_type(p.type, scope, param=True)
            params.append(Param(p.name, pt, p.mode))  # type: ignore[arg-type]
            syms.append(body_scope.new_var(p.pos, p.name, pt, p.mode))
            if p.default is not None:
                defaults[p.name] = self.expr(p.default, scope).fn
        returns = self.resolve_type(d.returns, scope, param=True) if d.returns else None
        holder: list[Exec] = []
        callee = calls.Callee(
            d.name,
            tuple(params),
            returns,
            _local_invoke(holder, syms, returns),
            scope.level,
            defaults,
        )
        existing = scope.symbols.get(d.name)
        sub = existing if isinstance(existing, SubSym) else SubSym(d.name)
        sub.overloads.append(callee)
        scope.declare(d.pos, d.name, sub)
        saved = self.function_returns
        self.function_returns = returns if returns is not None else "PROCEDURE"
        try:
            holder.append(self.block(d.body, body_scope))
        finally:
            self.function_returns = saved


def _local_invoke(holder: list[Exec], syms: list[VarSym], returns: DataType | None) -> calls.Invoke:
    """Run a nested subprogram in a fresh frame whose static parent is its declaring frame."""

    def invoke(decl_env: Env, args: dict[str, Value]) -> Value:
        env = Env(decl_env.m, decl_env)
        for sym in syms:
            env.vals[sym.slot] = args.get(sym.name)
        result: Value = None
        try:
            holder[0](env)
            if returns is not None:
                raise ora(6503)
        except ReturnFrom as ret:
            result = ret.value
        except OracleError as err:
            if err.raise_line is None:
                err.raise_line = env.line
            err.add_line(ora_line(6512, "", env.line))
            raise
        for sym in syms:
            args[sym.name] = env.vals.get(sym.slot)
        return result

    return invoke
