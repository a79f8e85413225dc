"""Syntax tree of expressions and PL/SQL statements.

Every node carries ``pos`` = (line, column) of its first token, which is what Oracle quotes in
ORA-06550 and ORA-06512 lines. Nodes are immutable so a parsed statement can be cached and run
many times (``executemany``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from airflow_datapump.testing._values import Value

if TYPE_CHECKING:
    from airflow_datapump.testing._plsql.declnodes import Decl
    from airflow_datapump.testing._plsql.sqlnodes import Query, SqlStatement

Pos = tuple[int, int]


# --- expressions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    """A literal; ``value`` None is the NULL literal. ``kind`` is NUMBER, VARCHAR2, BOOLEAN..."""

    pos: Pos
    value: Value
    kind: str


@dataclass(frozen=True)
class Name:
    """An identifier as written (upper-cased unless it was quoted)."""

    pos: Pos
    name: str


@dataclass(frozen=True)
class BindRef:
    pos: Pos
    name: str


@dataclass(frozen=True)
class Attr:
    """``base.name``: package member, record field, object attribute or collection method."""

    pos: Pos
    base: Expr
    name: str


@dataclass(frozen=True)
class Arg:
    pos: Pos
    name: str | None
    value: Expr


@dataclass(frozen=True)
class Apply:
    """``base(args)``: a call, a constructor or an element access, told apart when compiled."""

    pos: Pos
    base: Expr
    args: tuple[Arg, ...]
    star: bool = False  # COUNT(*)
    distinct: bool = False  # COUNT(DISTINCT x)


@dataclass(frozen=True)
class CursorAttr:
    """``SQL%ROWCOUNT`` and friends, about the last DML statement."""

    pos: Pos
    attr: str


@dataclass(frozen=True)
class Unary:
    pos: Pos
    op: str  # "-", "+", "NOT"
    operand: Expr


@dataclass(frozen=True)
class Binary:
    pos: Pos
    op: str  # + - * / ** || = <> < > <= >= AND OR
    left: Expr
    right: Expr


@dataclass(frozen=True)
class IsNull:
    pos: Pos
    operand: Expr
    negated: bool


@dataclass(frozen=True)
class Like:
    pos: Pos
    operand: Expr
    pattern: Expr
    escape: Expr | None
    negated: bool


@dataclass(frozen=True)
class InList:
    pos: Pos
    operand: Expr
    items: tuple[Expr, ...]
    negated: bool


@dataclass(frozen=True)
class InQuery:
    pos: Pos
    operand: Expr
    query: Query
    negated: bool


@dataclass(frozen=True)
class Between:
    pos: Pos
    operand: Expr
    low: Expr
    high: Expr
    negated: bool


@dataclass(frozen=True)
class CaseExpr:
    """Simple (``operand`` set) or searched CASE expression."""

    pos: Pos
    operand: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    default: Expr | None


@dataclass(frozen=True)
class Exists:
    pos: Pos
    query: Query


@dataclass(frozen=True)
class ScalarQuery:
    pos: Pos
    query: Query


@dataclass(frozen=True)
class Star:
    """``*`` or ``alias.*`` in a select list."""

    pos: Pos
    qualifier: tuple[str, ...] = ()


Expr = (
    Literal
    | Name
    | BindRef
    | Attr
    | Apply
    | CursorAttr
    | Unary
    | Binary
    | IsNull
    | Like
    | InList
    | InQuery
    | Between
    | CaseExpr
    | Exists
    | ScalarQuery
    | Star
)


# --- statements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Handler:
    pos: Pos
    names: tuple[Expr, ...]  # empty for WHEN OTHERS
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class Block:
    pos: Pos
    label: str | None
    decls: tuple[Decl, ...]
    body: tuple[Stmt, ...]
    handlers: tuple[Handler, ...]


@dataclass(frozen=True)
class NullStmt:
    pos: Pos


@dataclass(frozen=True)
class Assign:
    pos: Pos
    target: Expr
    value: Expr


@dataclass(frozen=True)
class CallStmt:
    pos: Pos
    call: Expr


@dataclass(frozen=True)
class If:
    pos: Pos
    branches: tuple[tuple[Expr, tuple[Stmt, ...]], ...]
    otherwise: tuple[Stmt, ...] | None


@dataclass(frozen=True)
class CaseStmt:
    pos: Pos
    operand: Expr | None
    whens: tuple[tuple[Expr, tuple[Stmt, ...]], ...]
    otherwise: tuple[Stmt, ...] | None


@dataclass(frozen=True)
class Loop:
    pos: Pos
    label: str | None
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class While:
    pos: Pos
    label: str | None
    cond: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class ForRange:
    pos: Pos
    label: str | None
    var: str
    reverse: bool
    low: Expr
    high: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class ForQuery:
    pos: Pos
    label: str | None
    var: str
    query: Query
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class Exit:
    pos: Pos
    label: str | None
    when: Expr | None
    is_continue: bool = False


@dataclass(frozen=True)
class Return:
    pos: Pos
    value: Expr | None


@dataclass(frozen=True)
class Raise:
    pos: Pos
    name: Expr | None


@dataclass(frozen=True)
class UsingArg:
    pos: Pos
    mode: str
    value: Expr


@dataclass(frozen=True)
class ExecuteImmediate:
    pos: Pos
    sql: Expr
    into: tuple[Expr, ...]
    using: tuple[UsingArg, ...]


@dataclass(frozen=True)
class SqlStmt:
    """Static SQL inside PL/SQL; ``into`` holds the targets of SELECT ... INTO."""

    pos: Pos
    statement: SqlStatement
    into: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Transaction:
    pos: Pos
    action: str  # "COMMIT", "ROLLBACK" or "SAVEPOINT"
    savepoint: str | None = None  # SAVEPOINT's name, or the one ROLLBACK TO names


@dataclass(frozen=True)
class OpenFor:
    """OPEN cursor_variable FOR select: the target is a SYS_REFCURSOR variable or bind."""

    pos: Pos
    target: Expr
    query: Query


@dataclass(frozen=True)
class Unsupported:
    """A statement the emulator recognises but deliberately refuses (GOTO, MERGE, cursors)."""

    pos: Pos
    what: str


Stmt = (
    Block
    | NullStmt
    | Assign
    | CallStmt
    | If
    | CaseStmt
    | Loop
    | While
    | ForRange
    | ForQuery
    | Exit
    | Return
    | Raise
    | ExecuteImmediate
    | SqlStmt
    | Transaction
    | OpenFor
    | Unsupported
)


def number(pos: Pos, value: int | Decimal) -> Literal:
    return Literal(pos, Decimal(value), "NUMBER")
