"""Names and their chains: ``a.b(i).c``, package members, calls, constructors, methods.

A chain is resolved left to right, each step deciding what the next part can be (a package
member, an attribute, an element, a call) exactly as PL/SQL name resolution does; unknown names
fail with PLS-00201 before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from airflow_datapump.testing._plsql import calls, methods, places
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql.builtins import AGGREGATES, BUILTINS, compile_builtin
from airflow_datapump.testing._plsql.cexpr import ExprCompiler
from airflow_datapump.testing._plsql.errors import PREDEFINED, ora, ora_line
from airflow_datapump.testing._plsql.packages import PackageSpec, Param
from airflow_datapump.testing._plsql.runtime import Runtime
from airflow_datapump.testing._plsql.scope import (
    CExpr,
    CompileError,
    ExcSym,
    Exec,
    Getter,
    Place,
    Scope,
    SubSym,
    TypeSym,
    VarSym,
    pls,
)
from airflow_datapump.testing._plsql.stdpackages import STANDARD_PACKAGES
from airflow_datapump.testing._values import (
    CollectionKind,
    CollectionType,
    DataType,
    ObjectType,
    RecordType,
    Value,
)


@dataclass
class PkgRef:
    spec: PackageSpec
    label: str


@dataclass
class SubRef:
    callees: list[calls.Callee]
    name: str


@dataclass
class TypeRef:
    type: DataType
    label: str


@dataclass
class ExcRef:
    code: int | None
    ident: object | None
    label: str


@dataclass
class BuiltinRef:
    name: str


@dataclass
class MethodRef:
    base: Place
    type: CollectionType
    name: str


@dataclass
class CallDone:
    """A procedure call or collection method fully compiled as a statement."""

    run: Exec


Ref = CallDone | Place | PkgRef | SubRef | TypeRef | ExcRef | BuiltinRef | MethodRef
Step = n.Attr | n.Apply


def _flatten(e: n.Expr) -> tuple[n.Expr, list[Step]]:
    steps: list[Step] = []
    while isinstance(e, n.Attr | n.Apply):
        steps.append(e)
        e = e.base
    steps.reverse()
    return e, steps


def _dotted(head: n.Expr, steps: list[Step]) -> str:
    parts = [head.name if isinstance(head, n.Name) else "?"]
    for step in steps:
        if not isinstance(step, n.Attr):
            break
        parts.append(step.name)
    return ".".join(parts)


class ChainCompiler(ExprCompiler):
    runtime: Runtime
    bind_types: dict[str, DataType]

    def aggregate(self, e: n.Apply, name: str, scope: Scope) -> CExpr:  # pragma: no cover
        raise NotImplementedError

    def column(self, name: str, steps: list[Step], scope: Scope) -> tuple[Ref, int] | None:
        return None  # the SQL compiler resolves columns

    def package(self, name: str) -> PackageSpec | None:
        spec = self.runtime.package(name)
        if spec is None:
            spec = STANDARD_PACKAGES.get(name.removeprefix("SYS."))
        return spec

    # --- entry points ------------------------------------------------------------------

    def chain(self, e: n.Expr, scope: Scope) -> CExpr:
        head, steps = _flatten(e)
        if (
            isinstance(head, n.Name)
            and head.name in AGGREGATES
            and len(steps) == 1
            and isinstance(steps[0], n.Apply)
        ):
            if not scope.in_sql:
                raise pls(
                    head.pos,
                    204,
                    f"function or pseudo-column '{head.name}' may be used inside a SQL statement only",
                )
            return self.aggregate(steps[0], head.name, scope)
        return self.as_value(self.resolve(head, steps, scope, "value"), head, steps, scope)

    def place(self, e: n.Expr, scope: Scope) -> Place:
        head, steps = _flatten(e)
        if not isinstance(head, n.Name | n.BindRef):
            text = "expression"
            if isinstance(head, n.Literal) and isinstance(head.value, str):
                text = f"'{head.value}'"
            raise pls(e.pos, 363, f"expression '{text}' cannot be used as an assignment target")
        ref = self.resolve(head, steps, scope, "place")
        if not isinstance(ref, Place) or ref.set is None:
            label = ref.label if isinstance(ref, Place) else _dotted(head, steps)
            raise pls(e.pos, 363, f"expression '{label.upper()}' cannot be used as an assignment target")
        return ref

    def call_statement(self, e: n.Expr, scope: Scope) -> Exec:
        head, steps = _flatten(e)
        ref = self.resolve(head, steps, scope, "call")
        if isinstance(ref, SubRef):
            fn = self.invoke(ref, None, scope, want_function=False, pos=e.pos)
            return lambda env: (fn(env), None)[1]
        if isinstance(ref, MethodRef):
            if ref.name not in methods.PROCEDURES:
                raise pls(e.pos, 221, f"'{ref.name}' is not a procedure or is undefined")
            return methods.method_exec(e.pos, ref.base, ref.type, ref.name, [])
        if isinstance(ref, CallDone):
            return ref.run
        label = _dotted(head, steps).upper()
        raise pls(e.pos, 221, f"'{label}' is not a procedure or is undefined")

    # --- resolution --------------------------------------------------------------------

    def resolve(self, head: n.Expr, steps: list[Step], scope: Scope, mode: str) -> Ref:
        ref, used = self.head(head, steps, scope)
        for i in range(used, len(steps)):
            last = i == len(steps) - 1
            ref = self.step(ref, steps[i], scope, mode if last else "value")
        return ref

    def head(self, head: n.Expr, steps: list[Step], scope: Scope) -> tuple[Ref, int]:
        if isinstance(head, n.BindRef):
            t = self.bind_types.get(head.name)
            if t is None:
                raise ora(1008)
            return places.bind_place(head.name, t), 0
        assert isinstance(head, n.Name)
        name = head.name
        column = self.column(name, steps, scope)
        if column is not None:
            return column
        sym = scope.lookup(name)
        if isinstance(sym, VarSym):
            return places.var_place(sym, scope.level), 0
        if isinstance(sym, ExcSym):
            return ExcRef(sym.code, sym.ident, name), 0
        if isinstance(sym, TypeSym):
            return TypeRef(sym.type, name), 0
        if isinstance(sym, SubSym):
            return SubRef([c for c in sym.overloads if isinstance(c, calls.Callee)], name), 0
        return self.global_name(head, steps, scope)

    def global_name(self, head: n.Name, steps: list[Step], scope: Scope) -> tuple[Ref, int]:
        name = head.name
        if name in BUILTINS and not (steps and isinstance(steps[0], n.Attr)):
            return BuiltinRef(name), 0
        if steps and isinstance(steps[0], n.Attr):
            qualified = f"{name}.{steps[0].name}"
            spec = self.package(qualified)
            if spec is not None:
                return PkgRef(spec, qualified), 1
            found = self.runtime.type(qualified)
            if found is not None:
                return TypeRef(found, qualified), 1
        spec = self.package(name)
        if spec is not None:
            return PkgRef(spec, name), 0
        found = self.runtime.type(name)
        if found is not None:
            return TypeRef(found, name), 0
        if name in PREDEFINED:
            return ExcRef(PREDEFINED[name], None, name), 0
        if scope.in_sql:  # the whole dotted name, as Oracle prints "DBMS_JAVA"."LONGNAME"
            quoted = ".".join(f'"{part}"' for part in _dotted(head, steps).split("."))
            raise CompileError(head.pos, ora_line(904, quoted), sql=True)
        raise pls(head.pos, 201, f"identifier '{_dotted(head, steps)}' must be declared")

    def step(self, ref: Ref, step: Step, scope: Scope, mode: str) -> Ref:
        if isinstance(ref, PkgRef):
            if isinstance(step, n.Apply):
                raise pls(step.pos, 222, f"no function with name '{ref.label}' exists in this scope")
            return self.member(ref, step, scope)
        if isinstance(step, n.Attr):
            if isinstance(ref, SubRef | BuiltinRef | MethodRef):
                ref = self.value_place(ref, step, scope)
            if not isinstance(ref, Place):
                raise pls(step.pos, 302, f"component '{step.name}' must be declared")
            return self.attribute(ref, step)
        if isinstance(ref, SubRef):
            want_function = mode != "call"
            fn = self.invoke(ref, step, scope, want_function, step.pos)
            if not want_function:
                return CallDone(lambda env: (fn(env), None)[1])
            callee_type = next(c.returns for c in ref.callees if c.returns is not None)
            return places.value_place(ref.name, CExpr(callee_type, fn), callee_type)
        return self.apply(ref, step, scope, mode)

    def member(self, ref: PkgRef, step: n.Attr, scope: Scope) -> Ref:
        spec, name = ref.spec, step.name
        label = f"{ref.label}.{name}"
        if name in spec.constants:
            t, value = spec.constants[name]
            return places.constant_place(label, t, value)
        if name in spec.exceptions:
            return ExcRef(abs(spec.exceptions[name]), None, label)
        if name in spec.subprograms:
            return SubRef([calls.package_callee(s) for s in spec.subprograms[name]], name)
        if name in spec.types:
            return TypeRef(spec.types[name], label)
        if scope.in_sql:  # SQL names what it cannot resolve in full (ORA-00904), PL/SQL the component
            quoted = ".".join(f'"{part}"' for part in label.split("."))
            raise CompileError(step.pos, ora_line(904, quoted), sql=True)
        raise pls(step.pos, 302, f"component '{name}' must be declared")

    def attribute(self, ref: Place, step: n.Attr) -> Ref:
        t, name = ref.type, step.name
        if isinstance(t, ObjectType):
            attr_type = t.attribute(name)
        elif isinstance(t, RecordType):
            attr_type = dict(t.fields).get(name)
        elif isinstance(t, CollectionType) and (name in methods.FUNCTIONS or name in methods.PROCEDURES):
            return MethodRef(ref, t, name)
        else:
            raise pls(step.pos, 487, f"Invalid reference to variable '{ref.label.upper()}'")
        if attr_type is None:
            raise pls(step.pos, 302, f"component '{name}' must be declared")
        return places.attr_place(ref, name, attr_type)

    def apply(self, ref: Ref, step: n.Apply, scope: Scope, mode: str) -> Ref:
        args = [self.expr(a.value, scope) for a in step.args]
        if isinstance(ref, BuiltinRef):
            return self.builtin(ref, step, scope, mode)
        if isinstance(ref, MethodRef):
            if mode == "call":
                return CallDone(methods.method_exec(step.pos, ref.base, ref.type, ref.name, args))
            return self.as_place(methods.method_value(step.pos, ref.base, ref.type, ref.name, args), ref.name)
        if isinstance(ref, TypeRef):
            return self.construct(ref, step, args)
        if isinstance(ref, Place) and isinstance(ref.type, CollectionType):
            if len(args) != 1 or step.args[0].name is not None:
                raise pls(step.pos, 306, f"wrong number or types of arguments in call to '{ref.label}'")
            return places.element_place(ref, ref.type, args[0])
        label = ref.label if isinstance(ref, Place | ExcRef) else "?"
        raise pls(step.pos, 222, f"no function with name '{label.upper()}' exists in this scope")

    def builtin(self, ref: BuiltinRef, step: n.Apply, scope: Scope, mode: str) -> Ref:
        if ref.name == "RAISE_APPLICATION_ERROR":  # pragma: no cover - handled by statements
            raise AssertionError
        args = [self.expr(a.value, scope) for a in step.args]
        if any(a.name is not None for a in step.args):
            raise pls(step.pos, 306, f"wrong number or types of arguments in call to '{ref.name}'")
        compiled = compile_builtin(step.pos, ref.name, args, scope.in_sql)
        if mode == "call":
            raise pls(step.pos, 221, f"'{ref.name}' is not a procedure or is undefined")
        return self.as_place(compiled, ref.name)

    def construct(self, ref: TypeRef, step: n.Apply, args: list[CExpr]) -> Ref:
        t = ref.type
        if isinstance(t, ObjectType):
            params = tuple(Param(name, at) for name, at in t.attributes)
            obj_type = t

            def build(env: object, values: dict[str, Value]) -> Value:
                return places.new_object(obj_type, values)

            callee = calls.Callee(t.name, params, t, build)
            chosen = calls.choose(step.pos, ref.label.upper(), [callee], step.args, args, True)
            match = calls.bind(chosen, step.args, args, lambda i: places.value_place("", args[i], t))
            return places.value_place(ref.label, CExpr(t, calls.make_call(match, 0)), t)
        if isinstance(t, CollectionType) and t.collection_kind != CollectionKind.INDEX_BY:
            from airflow_datapump.testing._plsql.typesys import match_rank

            if any(a.name is not None for a in step.args) or any(
                match_rank(a.type, t.element) is None for a in args
            ):
                raise pls(
                    step.pos,
                    306,
                    f"wrong number or types of arguments in call to '{ref.label.upper()}'",
                )
            fns = [a.fn for a in args]
            coll_type = t
            return places.value_place(
                ref.label,
                CExpr(t, lambda env: places.new_collection(coll_type, [f(env) for f in fns])),
                t,
            )
        raise pls(step.pos, 330, "invalid use of type name or subtype name")

    def invoke(
        self, ref: SubRef, step: n.Apply | None, scope: Scope, want_function: bool, pos: n.Pos
    ) -> Getter:
        arg_nodes = step.args if step is not None else ()
        values = [self.expr(a.value, scope) for a in arg_nodes]
        chosen = calls.choose(pos, ref.name, ref.callees, arg_nodes, values, want_function)
        match = calls.bind(chosen, arg_nodes, values, lambda i: self.place(arg_nodes[i].value, scope))
        return calls.make_call(match, scope.level)

    # --- finishing a chain -------------------------------------------------------------

    def as_place(self, compiled: CExpr, label: str) -> Place:
        from airflow_datapump.testing._values import VARCHAR2

        return places.value_place(label, compiled, compiled.type or VARCHAR2)

    def value_place(self, ref: Ref, step: n.Attr | None, scope: Scope) -> Ref:
        if isinstance(ref, SubRef):
            fn = self.invoke(ref, None, scope, True, step.pos if step else (0, 0))
            t = next(c.returns for c in ref.callees if c.returns is not None)
            return places.value_place(ref.name, CExpr(t, fn), t)
        if isinstance(ref, BuiltinRef):
            return self.as_place(
                compile_builtin(step.pos if step else (0, 0), ref.name, None, scope.in_sql),
                ref.name,
            )
        if isinstance(ref, MethodRef) and ref.name in methods.FUNCTIONS:
            return self.as_place(methods.method_value((0, 0), ref.base, ref.type, ref.name, []), ref.name)
        return ref

    def as_value(self, ref: Ref, head: n.Expr, steps: list[Step], scope: Scope) -> CExpr:
        pos = steps[-1].pos if steps else head.pos
        if isinstance(ref, BuiltinRef):
            return compile_builtin(pos, ref.name, None, scope.in_sql)
        if isinstance(ref, SubRef):
            return CExpr(
                next((c.returns for c in ref.callees if c.returns is not None), None),
                self.invoke(ref, None, scope, True, pos),
            )
        if isinstance(ref, MethodRef):
            if ref.name not in methods.FUNCTIONS:
                raise pls(pos, 222, f"no function with name '{ref.name}' exists in this scope")
            return methods.method_value(pos, ref.base, ref.type, ref.name, [])
        if isinstance(ref, Place):
            return CExpr(ref.type, ref.get)
        if isinstance(ref, TypeRef):
            raise pls(pos, 330, "invalid use of type name or subtype name")
        label = _dotted(head, steps).upper()
        raise pls(pos, 221, f"'{label}' is not a procedure or is undefined")
