"""What a query does to its rows once they are evaluated: the FROM list's product, GROUP BY's
groups, ORDER BY's sort (NULLS FIRST / LAST, SQL comparison) and OFFSET / FETCH.

Plain functions over rows and environments; the SQL compiler (csql.py) builds the closures
that call them, once per statement.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from airflow_datapump.testing._plsql import ops
from airflow_datapump.testing._plsql.scope import Env
from airflow_datapump.testing._plsql.typesys import to_number
from airflow_datapump.testing._values import Value

Rows = Callable[[Env], list[tuple[Value, ...]]]


def product(rows_fns: list[Rows], env: Env) -> list[tuple[Value, ...]]:
    result: list[tuple[Value, ...]] = [()]
    for fn in rows_fns:
        rows = fn(env)
        result = [left + right for left in result for right in rows]
    return result


def groups(envs: list[Env], keys: list[Callable[[Env], Value]], outer: Env, width: int) -> list[Env]:
    groups: dict[tuple[Value, ...], list[tuple[Value, ...]]] = {}
    for e in envs:
        groups.setdefault(tuple(k(e) for k in keys), []).append(e.row)
    if not keys and not groups:
        return [Env(outer.m, outer, (None,) * width, [])]
    return [Env(outer.m, outer, rows[0], rows) for rows in groups.values()]


Keyed = list[tuple[Env, tuple[Value, ...]]]


def sort_rows(out: Keyed, order: list[tuple[Callable[[Env, tuple[Value, ...]], Value], bool, bool]]) -> Keyed:
    if not order:
        return out
    keyed = [([fn(e, row) for fn, _, _ in order], e, row) for e, row in out]

    def cmp(
        a: tuple[list[Value], Env, tuple[Value, ...]], b: tuple[list[Value], Env, tuple[Value, ...]]
    ) -> int:
        for (_, descending, nulls_first), x, y in zip(order, a[0], b[0], strict=True):
            if x is None or y is None:
                if x is None and y is None:
                    continue
                return (-1 if nulls_first else 1) * (1 if x is None else -1)
            c = ops.compare(x, y, sql=True) or 0
            if c:
                return -c if descending else c
        return 0

    keyed.sort(key=functools.cmp_to_key(cmp))
    return [(e, row) for _, e, row in keyed]


def limit(
    rows: list[tuple[Value, ...]], limits: list[Callable[[Env], Value] | None], env: Env
) -> list[tuple[Value, ...]]:
    offset_fn, fetch_fn = limits
    start = int(to_number(offset_fn(env)) or 0) if offset_fn else 0
    rows = rows[max(start, 0) :]
    if fetch_fn is not None:
        count = to_number(fetch_fn(env))
        rows = rows[: max(int(count), 0)] if count is not None else []
    return rows
