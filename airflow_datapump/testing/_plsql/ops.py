"""Run-time semantics of operators: NULL propagation, implicit conversion, three-valued logic."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, localcontext

from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.typesys import to_datetime, to_number, to_text
from airflow_datapump.testing._values import LobValue, Value

NUMBER_CONTEXT = Context(prec=40)


def arithmetic(op: str, left: Value, right: Value, *, sql: bool = False) -> Value:
    if left is None or right is None:
        return None
    if isinstance(left, dt.datetime) or isinstance(right, dt.datetime):
        return _date_arithmetic(op, left, right, sql=sql)
    a = to_number(left, sql=sql)
    b = to_number(right, sql=sql)
    assert a is not None
    assert b is not None
    with localcontext(NUMBER_CONTEXT) as ctx:
        ctx.traps[DivisionByZero] = True
        try:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                return a / b
            if op == "MOD":
                return mod(a, b)
            return power(a, b)
        except (DivisionByZero, InvalidOperation) as exc:
            if b == 0 and op == "/":
                raise ora(1476) from exc
            raise ora(1426) from exc


def mod(a: Decimal, b: Decimal) -> Decimal:
    """Oracle MOD: the sign of the dividend, and MOD(a, 0) = a."""
    if b == 0:
        return a
    return a - b * (a / b).to_integral_value(rounding="ROUND_DOWN")


def power(a: Decimal, b: Decimal) -> Decimal:
    with localcontext(NUMBER_CONTEXT):
        if b == b.to_integral_value():
            return a ** int(b)
        return a**b


def _date_arithmetic(op: str, left: Value, right: Value, *, sql: bool) -> Value:
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime) and op == "-":
        seconds = Decimal(str((left - right).total_seconds()))
        with localcontext(NUMBER_CONTEXT):
            return seconds / Decimal(86400)
    if isinstance(left, dt.datetime) and op in ("+", "-"):
        days = to_number(right, sql=sql)
        assert days is not None
        delta = dt.timedelta(days=float(days))
        return left + delta if op == "+" else left - delta
    if isinstance(right, dt.datetime) and op == "+":
        return _date_arithmetic("+", right, left, sql=sql)
    raise ora(932, "NUMBER", "DATE")


def negate(value: Value, *, sql: bool = False) -> Value:
    number = to_number(value, sql=sql)
    return None if number is None else -number


def concat(left: Value, right: Value) -> Value:
    text = (to_text(_lob_text(left)) or "") + (to_text(_lob_text(right)) or "")
    return text or None


def _lob_text(value: Value) -> Value:
    if isinstance(value, LobValue) and isinstance(value.data, str):
        return value.data
    return value


def compare(left: Value, right: Value, *, sql: bool = False) -> int | None:
    """-1, 0 or 1; None when either side is NULL. Number beats text, date beats text."""
    if left is None or right is None:
        return None
    left, right = _lob_text(left), _lob_text(right)
    if isinstance(left, bool) or isinstance(right, bool):
        if not (isinstance(left, bool) and isinstance(right, bool)):
            raise ora(932, "-", "-")
        return (left > right) - (left < right)
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        a, b = to_number(left, sql=sql), to_number(right, sql=sql)
    elif isinstance(left, dt.datetime) or isinstance(right, dt.datetime):
        a, b = to_datetime(left, sql=sql), to_datetime(right, sql=sql)  # type: ignore[assignment]
    elif isinstance(left, str) and isinstance(right, str):  # noqa: SIM114 - mypy needs the split
        return (left > right) - (left < right)
    elif isinstance(left, bytes) and isinstance(right, bytes):
        return (left > right) - (left < right)
    else:
        if left == right:
            return 0
        raise ora(932, "-", "-")
    assert a is not None
    assert b is not None
    return (a > b) - (a < b)


def comparison(op: str, left: Value, right: Value, *, sql: bool = False) -> bool | None:
    result = compare(left, right, sql=sql)
    if result is None:
        return None
    return {
        "=": result == 0,
        "<>": result != 0,
        "<": result < 0,
        ">": result > 0,
        "<=": result <= 0,
        ">=": result >= 0,
    }[op]


def truth(value: Value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ora(6502)


def and3(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def or3(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def not3(a: bool | None) -> bool | None:
    return None if a is None else not a


def like(value: Value, pattern: Value, escape: Value) -> bool | None:
    text, pat = to_text(_lob_text(value)), to_text(pattern)
    if text is None or pat is None:
        return None
    esc = to_text(escape) if escape is not None else None
    if esc is not None and len(esc) != 1:
        raise ora(1425)
    regex: list[str] = []
    i = 0
    while i < len(pat):
        ch = pat[i]
        if esc is not None and ch == esc and i + 1 < len(pat):
            regex.append(re.escape(pat[i + 1]))
            i += 2
            continue
        regex.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.fullmatch("".join(regex), text, re.DOTALL) is not None


def in_list(value: Value, items: list[Value], *, sql: bool = False) -> bool | None:
    if value is None:
        return None
    saw_null = False
    for item in items:
        result = comparison("=", value, item, sql=sql)
        if result:
            return True
        saw_null = saw_null or result is None
    return None if saw_null else False
