"""Compile-time scopes and run-time environments.

The engine compiles PL/SQL and SQL into Python closures: resolving a name at compile time
yields a (level, slot) address, and at run time an :class:`Env` chain holds the values. Each
subprogram activation and each SQL row gets its own Env; nested blocks share their frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.nodes import Pos
from airflow_datapump.testing._values import Bind, DataType, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._plsql.runtime import Runtime


class Machine:
    """State of one execution: runtime, binds, errors being handled, SQL%ROWCOUNT."""

    def __init__(self, runtime: Runtime, binds: dict[str, Bind]) -> None:
        self.runtime = runtime
        self.binds = binds
        self.handling: list[OracleError] = []
        self.rowcount: int | None = None
        self.started = time.monotonic()


class Env:
    """A frame (``vals`` by slot) or a SQL row (``row``, plus ``group`` when aggregating)."""

    __slots__ = ("group", "line", "m", "parent", "prior", "row", "vals")

    def __init__(
        self,
        m: Machine,
        parent: Env | None,
        row: tuple[Value, ...] = (),
        group: list[tuple[Value, ...]] | None = None,
    ) -> None:
        self.m = m
        self.parent = parent
        self.vals: dict[int, Value] = {}
        self.row = row
        self.group = group
        self.prior: Env | None = None  # the parent row's Env while a CONNECT BY condition runs
        self.line: int = parent.line if parent is not None else 0

    def up(self, levels: int) -> Env:
        env = self
        for _ in range(levels):
            assert env.parent is not None
            env = env.parent
        return env


Getter = Callable[[Env], Value]
Setter = Callable[[Env, Value], None]
Exec = Callable[[Env], None]


@dataclass(frozen=True)
class CExpr:
    """A compiled expression: its static type (None for a NULL literal) and evaluator."""

    type: DataType | None
    fn: Getter


@dataclass(frozen=True)
class Place:
    """A compiled storage location; ``set`` is None when it cannot be assigned."""

    type: DataType
    get: Getter
    set: Setter | None
    label: str


class CompileError(Exception):
    """One PLS (or 'PL/SQL: ORA-') error found while compiling; the statement is ignored."""

    def __init__(self, pos: Pos, text: str, sql: bool = False) -> None:
        super().__init__(text)
        self.pos = pos
        self.text = text
        self.sql = sql


def pls(pos: Pos, code: int, text: str) -> CompileError:
    return CompileError(pos, f"PLS-{code:05d}: {text}")


@dataclass
class VarSym:
    name: str
    type: DataType
    level: int
    slot: int
    mode: str = "VAR"  # VAR, CONSTANT, IN, OUT, IN OUT, LOOP
    not_null: bool = False


@dataclass
class ExcSym:
    name: str
    code: int | None  # positive ORA code once known (PRAGMA EXCEPTION_INIT)
    ident: object = field(default_factory=object)


@dataclass
class TypeSym:
    type: DataType


@dataclass
class SubSym:
    name: str
    overloads: list[object] = field(default_factory=list)  # calls.Callee; loose to avoid cycle


Symbol = VarSym | ExcSym | TypeSym | SubSym


class FrameLayout:
    """Slot allocation for one subprogram level (shared by its nested blocks)."""

    def __init__(self) -> None:
        self.count = 0

    def new_slot(self) -> int:
        self.count += 1
        return self.count


@dataclass
class Column:
    """A column visible in a SQL scope: table alias, name, type and index in the row."""

    qualifier: str | None
    name: str
    type: DataType
    index: int


class Scope:
    """Names visible at one point. ``columns`` is set for SQL row scopes."""

    def __init__(
        self,
        parent: Scope | None,
        level: int,
        layout: FrameLayout,
        columns: list[Column] | None = None,
    ) -> None:
        self.parent = parent
        self.level = level
        self.layout = layout
        self.symbols: dict[str, Symbol] = {}
        self.columns = columns

    def child(self) -> Scope:
        """A nested block: same frame, new names."""
        return Scope(self, self.level, self.layout)

    def lookup(self, name: str) -> Symbol | None:
        scope: Scope | None = self
        while scope is not None:
            if scope.columns is None and name in scope.symbols:
                return scope.symbols[name]
            scope = scope.parent
        return None

    def declare(self, pos: Pos, name: str, sym: Symbol) -> None:
        existing = self.symbols.get(name)
        if existing is not None and not (isinstance(existing, SubSym) and isinstance(sym, SubSym)):
            raise pls(pos, 371, f"at most one declaration for '{name}' is permitted")
        self.symbols[name] = sym

    def new_var(self, pos: Pos, name: str, t: DataType, mode: str = "VAR") -> VarSym:
        sym = VarSym(name, t, self.level, self.layout.new_slot(), mode)
        self.declare(pos, name, sym)
        return sym

    @property
    def in_sql(self) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if scope.columns is not None:
                return True
            scope = scope.parent
        return False
