"""Syntax tree of SQL queries and DML (DDL lives in :mod:`.ddl`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from airflow_datapump.testing._plsql.ddl import DdlStatement
from airflow_datapump.testing._plsql.nodes import Expr, Pos


@dataclass(frozen=True)
class SelectItem:
    pos: Pos
    expr: Expr
    alias: str | None
    text: str  # the expression as written, upper-cased without blanks: the default column name


@dataclass(frozen=True)
class TableRef:
    pos: Pos
    schema: str | None
    name: str
    dblink: str | None
    alias: str | None


@dataclass(frozen=True)
class SubqueryRef:
    pos: Pos
    query: Query
    alias: str | None


@dataclass(frozen=True)
class Join:
    pos: Pos
    left: FromItem
    right: FromItem
    kind: str  # "INNER", "LEFT", "CROSS"
    on: Expr | None


@dataclass(frozen=True)
class CollectionRef:
    """``TABLE(collection_expression)``: the elements of a collection as rows."""

    pos: Pos
    expr: Expr
    alias: str | None


FromItem = TableRef | SubqueryRef | Join | CollectionRef


@dataclass(frozen=True)
class OrderItem:
    pos: Pos
    expr: Expr
    descending: bool
    nulls_first: bool | None  # None: Oracle's default (NULLS LAST for ASC, FIRST for DESC)


@dataclass(frozen=True)
class Query:
    pos: Pos
    distinct: bool
    items: tuple[SelectItem, ...]
    from_: tuple[FromItem, ...]
    where: Expr | None = None
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    order_by: tuple[OrderItem, ...] = ()
    offset: Expr | None = None
    fetch: Expr | None = None
    # UNION / UNION ALL / INTERSECT / MINUS branches after this first one; when present,
    # ``order_by``, ``offset`` and ``fetch`` apply to the compound result.
    compound: tuple[tuple[str, Query], ...] = ()
    # CONNECT BY condition (PRIOR marks the parent row's side) and START WITH condition.
    connect_by: Expr | None = None
    start_with: Expr | None = None


@dataclass(frozen=True)
class Returning:
    """``RETURNING expr, ... INTO target, ...``: what each row the DML touched gives back."""

    pos: Pos
    exprs: tuple[Expr, ...]
    targets: tuple[Expr, ...]


@dataclass(frozen=True)
class Insert:
    pos: Pos
    table: TableRef
    columns: tuple[str, ...]
    values: tuple[Expr, ...] | None
    query: Query | None
    returning: Returning | None = None


@dataclass(frozen=True)
class Update:
    pos: Pos
    table: TableRef
    sets: tuple[tuple[str, Expr], ...]
    where: Expr | None
    returning: Returning | None = None


@dataclass(frozen=True)
class Delete:
    pos: Pos
    table: TableRef
    where: Expr | None
    returning: Returning | None = None


@dataclass(frozen=True)
class Truncate:
    pos: Pos
    table: TableRef


@dataclass(frozen=True)
class TransactionSql:
    pos: Pos
    action: str  # "COMMIT", "ROLLBACK" or "SAVEPOINT"
    savepoint: str | None = None  # SAVEPOINT's name, or the one ROLLBACK TO names


DmlStatement = Insert | Update | Delete | Truncate
SqlStatement = Query | DmlStatement | TransactionSql | DdlStatement


def any_node(node: object, hit: Callable[[object], bool]) -> bool:
    """Whether ``hit`` holds for ``node`` or a node inside it, outside any nested query
    (aggregates and PRIOR belong to the query block they are written in)."""
    if isinstance(node, Query):
        return False
    if hit(node):
        return True
    if isinstance(node, tuple | list):
        return any(any_node(x, hit) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return any(any_node(getattr(node, f.name), hit) for f in dataclasses.fields(node))
    return False
