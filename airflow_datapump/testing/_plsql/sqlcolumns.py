"""The columns a FROM clause gives a query, with what describe information needs of them."""

from __future__ import annotations

from typing import NamedTuple

from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._values import DataType


class SourceColumn(NamedTuple):
    """A column a FROM item gives; ``not_null`` when no row can hold a null in it (a NOT NULL
    or primary key table column, not on the outer side of an outer join)."""

    qualifier: str | None
    name: str
    type: DataType
    not_null: bool = False


def selects_not_null_column(e: n.Expr, cols: list[SourceColumn]) -> bool:
    """Whether ``e`` is just a NOT NULL column (``name`` or ``alias.name``); any other
    expression may be null, and Oracle's describe says so."""
    if isinstance(e, n.Name):
        hits = [c for c in cols if c.name == e.name]
    elif isinstance(e, n.Attr) and isinstance(e.base, n.Name):
        hits = [c for c in cols if c.qualifier == e.base.name and c.name == e.name]
    else:
        return False
    return len(hits) == 1 and hits[0].not_null
