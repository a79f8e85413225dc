"""Aggregate functions over the rows of a group (COUNT, SUM, MIN, MAX, AVG)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext

from airflow_datapump.testing._plsql import ops
from airflow_datapump.testing._plsql.scope import CExpr, Env
from airflow_datapump.testing._plsql.typesys import to_number
from airflow_datapump.testing._values import Value


def aggregate_fn(name: str, arg: CExpr | None, distinct: bool) -> Callable[[Env], Value]:
    """A closure evaluated on a group Env: it re-evaluates ``arg`` on each row of the group."""

    def run(env: Env) -> Value:
        rows = env.group or []
        if arg is None:
            return Decimal(len(rows))
        values = [arg.fn(Env(env.m, env.parent, row)) for row in rows]
        present = [v for v in values if v is not None]
        if distinct:
            present = list(dict.fromkeys(present))
        if name == "COUNT":
            return Decimal(len(present))
        if not present:
            return None
        if name in ("MIN", "MAX"):
            best = present[0]
            for value in present[1:]:
                order = ops.compare(value, best, sql=True) or 0
                if (order > 0) if name == "MAX" else (order < 0):
                    best = value
            return best
        numbers = [to_number(v, sql=True) or Decimal(0) for v in present]
        with localcontext(ops.NUMBER_CONTEXT):
            total = sum(numbers, Decimal(0))
            return total if name == "SUM" else total / len(numbers)

    return run
