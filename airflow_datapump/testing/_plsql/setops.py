"""UNION, UNION ALL, INTERSECT and MINUS over compiled query branches.

SQL Language Reference, "The UNION [ALL], INTERSECT, MINUS Operators": the branches must
have as many columns (ORA-01789) of matching type groups (ORA-01790); the operators have
equal precedence and apply left to right; all but UNION ALL remove duplicate rows, treating
NULLs as equal; LOB columns are not allowed (ORA-00932); a compound query's ORDER BY names
columns by position or by the first branch's names (ORA-01785 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable

from airflow_datapump.testing._plsql.cexpr import CQuery
from airflow_datapump.testing._plsql.errors import ora_line
from airflow_datapump.testing._plsql.nodes import Pos
from airflow_datapump.testing._plsql.scope import CompileError, Env
from airflow_datapump.testing._plsql.typesys import family
from airflow_datapump.testing._values import Value

Rows = list[tuple[Value, ...]]


def _error(pos: Pos, code: int, *args: object) -> CompileError:
    return CompileError(pos, ora_line(code, *args), sql=True)


def check_branch(pos: Pos, first: CQuery, other: CQuery) -> None:
    if len(first.columns) != len(other.columns):
        raise _error(pos, 1789)
    for (_, a), (_, b) in zip(first.columns, other.columns, strict=True):
        fa, fb = family(a), family(b)
        if "L" in (fa, fb) or (fa == "R" and a.kind.name == "BLOB"):
            lob = a if fa == "L" or a.kind.name == "BLOB" else b
            raise _error(pos, 932, "-", lob.kind.name)
        if "NULL" not in (fa, fb) and fa != fb:
            raise _error(pos, 1790)


def _distinct(rows: Rows) -> Rows:
    return list(dict.fromkeys(rows))


def combine(op: str, left: Rows, right: Rows) -> Rows:
    if op == "UNION ALL":
        return left + right
    if op == "UNION":
        return _distinct(left + right)
    wanted = set(right)
    if op == "INTERSECT":
        return [row for row in _distinct(left) if row in wanted]
    return [row for row in _distinct(left) if row not in wanted]  # MINUS


def compound(first: CQuery, branches: list[tuple[str, CQuery]]) -> Callable[[Env], Rows]:
    def run(env: Env) -> Rows:
        rows = first.run(env)
        for op, branch in branches:
            rows = combine(op, rows, branch.run(env))
        return rows

    return run
