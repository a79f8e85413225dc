"""ROWNUM and hierarchical queries, as the SQL Language Reference describes them.

ROWNUM ("ROWNUM Pseudocolumn"): each row that passes the WHERE predicates gets the next
number, before GROUP BY and ORDER BY; a row that fails does not use a number, so
``WHERE ROWNUM > 1`` selects nothing.

CONNECT BY ("Hierarchical Queries"): START WITH picks the roots (every row without it); the
children of a row are the rows for which the CONNECT BY condition holds with PRIOR
expressions evaluated on that row; rows come out in depth-first order with LEVEL set; WHERE
then filters the hierarchy. A row that is its own ancestor raises ORA-01436 when the
condition uses PRIOR. A condition without PRIOR (``CONNECT BY LEVEL <= n`` on DUAL, the
row generator) has no loop check, as in Oracle; past :data:`MAX_ROWS` rows the emulator
stops with ORA-30009 where Oracle would run out of memory.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.scope import Env
from airflow_datapump.testing._plsql.sqlnodes import any_node
from airflow_datapump.testing._values import Value

Row = tuple[Value, ...]
Cond = Callable[[Env], Value]
MAX_ROWS = 1_000_000


def numbered(outer: Env, rows: list[Row], where: Cond | None) -> list[Env]:
    """The rows that pass ``where``, each with its ROWNUM appended as the last column."""
    kept: list[Env] = []
    for row in rows:
        env = Env(outer.m, outer, (*row, Decimal(len(kept) + 1)))
        if where is None or where(env) is True:
            kept.append(env)
    return kept


def _is_prior(node: object) -> bool:
    return isinstance(node, n.Unary) and node.op == "PRIOR"


def hierarchy(connect: Cond, start: Cond | None, condition: n.Expr) -> Callable[[Env, list[Row]], list[Row]]:
    """The hierarchy over a FROM clause's rows, each row with its LEVEL appended."""
    check_loops = any_node(condition, _is_prior)

    def run(outer: Env, rows: list[Row]) -> list[Row]:
        out: list[Row] = []

        def env_for(row: Row, level: int, prior: Env | None) -> Env:
            # ROWNUM, while the hierarchy is built, counts the rows produced so far.
            env = Env(outer.m, outer, (*row, Decimal(level), Decimal(len(out) + 1)))
            env.prior = prior
            return env

        roots = [i for i, r in enumerate(rows) if start is None or start(env_for(r, 1, None)) is True]
        stack: list[tuple[int, int, tuple[int, ...]]] = [(i, 1, ()) for i in reversed(roots)]
        while stack:
            index, level, ancestors = stack.pop()
            out.append((*rows[index], Decimal(level)))
            if len(out) > MAX_ROWS:
                raise ora(30009, "CONNECT BY")
            parent = Env(outer.m, outer, (*out[-1], Decimal(len(out))))
            path = (*ancestors, index)
            children = []
            for j, row in enumerate(rows):
                if connect(env_for(row, level + 1, parent)) is True:
                    if check_loops and j in path:
                        raise ora(1436)
                    children.append(j)
            stack.extend((j, level + 1, path) for j in reversed(children))
        return out

    return run
