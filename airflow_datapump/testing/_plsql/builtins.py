"""Functions of package STANDARD (NVL, SUBSTR, TO_CHAR ...), evaluated on model values."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from airflow_datapump.testing._plsql import formats, ops
from airflow_datapump.testing._plsql.errors import sqlcode_of, sqlerrm
from airflow_datapump.testing._plsql.nodes import Pos
from airflow_datapump.testing._plsql.scope import CExpr, Env, Machine, pls
from airflow_datapump.testing._plsql.typesys import family, to_number, to_text
from airflow_datapump.testing._values import (
    BFILE,
    CLOB,
    DATE,
    NUMBER,
    RAW,
    TIMESTAMP,
    TIMESTAMP_TZ,
    VARCHAR2,
    BFileValue,
    DataType,
    LobValue,
    TypeKind,
    Value,
)

Fn = Callable[[Machine, bool, list[Value]], Value]
ResultType = Callable[[list[DataType | None]], DataType | None]


@dataclass(frozen=True)
class Builtin:
    min_args: int
    max_args: int | None
    fn: Fn
    result: ResultType
    where: str = "ANY"  # "SQL" (PLS-00204 in PL/SQL), "PLSQL", or "ANY"
    parens: str = "REQUIRED"  # "REQUIRED", "NONE" (SYSDATE), "OPTIONAL" (SQLERRM)
    # Reads the clock, the session or the database, not only its arguments: a CHECK
    # condition may not call it (ORA-02436, see checks.py).
    reads_session: bool = False


def _fixed(t: DataType) -> ResultType:
    return lambda types: t


def _first(types: list[DataType | None]) -> DataType | None:
    return next((t for t in types if t is not None), None)


def _text(args: list[Value], i: int) -> str | None:
    return to_text(args[i]) if i < len(args) else None


def _num(args: list[Value], i: int, sql: bool = False) -> Decimal | None:
    return to_number(args[i], sql=sql) if i < len(args) else None


def _nulls(fn: Callable[[list[Value], bool], Value]) -> Fn:
    """Most STANDARD functions return NULL as soon as an argument is NULL."""
    return lambda m, sql, args: None if any(a is None for a in args) else fn(args, sql)


def _substr(args: list[Value], sql: bool, as_bytes: bool = False) -> Value:
    text = to_text(args[0]) or ""
    data: str | bytes = text.encode() if as_bytes else text
    start = int(_num(args, 1, sql) or 0)
    start = 1 if start == 0 else start
    begin = start - 1 if start > 0 else len(data) + start
    if begin < 0 or begin >= len(data):
        return None
    length = _num(args, 2, sql)
    if length is not None and length < 1:
        return None
    piece = data[begin:] if length is None else data[begin : begin + int(length)]
    out = piece.decode(errors="ignore") if isinstance(piece, bytes) else piece
    return out or None


def _instr(args: list[Value], sql: bool) -> Value:
    text, sub = to_text(args[0]) or "", to_text(args[1]) or ""
    start = int(_num(args, 2, sql) or 1)
    nth = int(_num(args, 3, sql) or 1)
    positions: list[int] = []
    if start > 0:
        i = text.find(sub, start - 1)
        while i >= 0 and len(positions) < nth:
            positions.append(i)
            i = text.find(sub, i + 1)
    else:
        i = text.rfind(sub, 0, len(text) + start + 1)
        while i >= 0 and len(positions) < nth:
            positions.append(i)
            i = text.rfind(sub, 0, i + len(sub) - 1) if i > 0 else -1
    return Decimal(positions[nth - 1] + 1 if len(positions) >= nth else 0)


def _trim(side: str) -> Callable[[list[Value], bool], Value]:
    def trim(args: list[Value], sql: bool) -> Value:
        text = to_text(args[0]) or ""
        chars = _text(args, 1) if len(args) > 1 else " "
        if side == "L":
            return text.lstrip(chars) or None
        if side == "R":
            return text.rstrip(chars) or None
        return text.strip(chars) or None

    return trim


def _pad(left: bool) -> Callable[[list[Value], bool], Value]:
    def pad(args: list[Value], sql: bool) -> Value:
        text = to_text(args[0]) or ""
        width = int(_num(args, 1, sql) or 0)
        filler = _text(args, 2) if len(args) > 2 else " "
        if width <= len(text):
            return text[:width] or None
        assert filler is not None
        fill = (filler * width)[: width - len(text)]
        return (fill + text) if left else (text + fill)

    return pad


def _replace(m: Machine, sql: bool, args: list[Value]) -> Value:
    text = to_text(args[0])
    search = _text(args, 1)
    if text is None or search is None:
        return text
    return text.replace(search, _text(args, 2) or "") or None


def _translate(args: list[Value], sql: bool) -> Value:
    text, src, dst = (to_text(a) or "" for a in args)
    table = {ord(c): (dst[i] if i < len(dst) else None) for i, c in reversed(list(enumerate(src)))}
    return text.translate(table) or None


def _to_char(m: Machine, sql: bool, args: list[Value]) -> Value:
    value = args[0]
    fmt = _text(args, 1)
    if value is None or (len(args) > 1 and fmt is None):
        return None
    if isinstance(value, dt.datetime):
        text = fmt or formats.DEFAULT_DATE_FORMAT
        zone = _clock_offset(m) if value.tzinfo is None and "TZ" in text.upper() else None
        return formats.format_datetime(value, text, zone) or None
    if isinstance(value, Decimal) and fmt:
        return formats.format_number(value, fmt)
    return to_text(value, sql=sql)


def _clock_date(m: Machine, sql: bool, args: list[Value]) -> Value:
    """The database clock as a DATE, which holds whole seconds (SYSDATE, CURRENT_DATE)."""
    return m.runtime.now().replace(microsecond=0)


def _clock_offset(m: Machine) -> dt.timedelta | None:
    """The offset of the database clock (DBTIMEZONE's value when it is one): SYSTIMESTAMP's."""
    text = to_text(m.runtime.context_function("DBTIMEZONE", [])) or ""
    hours, _, minutes = text.lstrip("+-").partition(":")
    if not (hours.isdigit() and minutes.isdigit()):
        return None  # a region name
    total = dt.timedelta(hours=int(hours), minutes=int(minutes))
    return -total if text.startswith("-") else total


def _to_number(args: list[Value], sql: bool) -> Value:
    text = to_text(args[0]) if not isinstance(args[0], Decimal) else args[0]
    if isinstance(text, str) and len(args) > 1:
        text = text.replace(",", "").strip()
    return to_number(text, sql=sql)


def _to_date(keep_fraction: bool) -> Callable[[list[Value], bool], Value]:
    def convert(args: list[Value], sql: bool) -> Value:
        if isinstance(args[0], dt.datetime):
            return args[0]
        fmt = _text(args, 1) or formats.DEFAULT_DATE_FORMAT
        moment = formats.parse_datetime(to_text(args[0]) or "", fmt)
        return moment if keep_fraction else moment.replace(microsecond=0)

    return convert


def _round(truncate: bool) -> Callable[[list[Value], bool], Value]:
    def rnd(args: list[Value], sql: bool) -> Value:
        if isinstance(args[0], dt.datetime):
            return args[0].replace(hour=0, minute=0, second=0, microsecond=0)
        number = to_number(args[0], sql=sql)
        assert number is not None
        places = int(_num(args, 1, sql) or 0)
        mode = ROUND_DOWN if truncate else ROUND_HALF_UP
        return number.quantize(Decimal(1).scaleb(-places), rounding=mode)

    return rnd


def _numeric(fn: Callable[[Decimal], Decimal]) -> Callable[[list[Value], bool], Value]:
    def run(args: list[Value], sql: bool) -> Value:
        number = to_number(args[0], sql=sql)
        assert number is not None
        return fn(number)

    return run


def _extreme(pick_max: bool) -> Fn:
    def run(m: Machine, sql: bool, args: list[Value]) -> Value:
        if any(a is None for a in args):
            return None
        best = args[0]
        for value in args[1:]:
            order = ops.compare(value, best, sql=sql)
            if order is not None and (order > 0 if pick_max else order < 0):
                best = value
        return best

    return run


def _decode(m: Machine, sql: bool, args: list[Value]) -> Value:
    subject, rest = args[0], args[1:]
    for i in range(0, len(rest) - 1, 2):
        if (subject is None and rest[i] is None) or ops.compare(subject, rest[i], sql=sql) == 0:
            return rest[i + 1]
    return rest[-1] if len(rest) % 2 else None


def _sqlerrm(m: Machine, sql: bool, args: list[Value]) -> Value:
    if args:
        code = to_number(args[0])
        return sqlerrm(int(code)) if code is not None else None
    if not m.handling:
        return sqlerrm(0)
    err = m.handling[-1]
    if err.ident is not None and err.code == 6510:
        return "User-Defined Exception"
    return err.lines[0]


def _sqlcode(m: Machine, sql: bool, args: list[Value]) -> Value:
    return Decimal(sqlcode_of(m.handling[-1]) if m.handling else 0)


def _database(name: str) -> Fn:
    """A function the database answers (the session's context, the SCN mapping)."""
    return lambda m, sql, args: m.runtime.context_function(name, args)


BUILTINS: dict[str, Builtin] = {
    "NVL": Builtin(2, 2, lambda m, s, a: a[1] if a[0] is None else a[0], _first),
    "NVL2": Builtin(3, 3, lambda m, s, a: a[2] if a[0] is None else a[1], lambda t: t[1]),
    "COALESCE": Builtin(2, None, lambda m, s, a: next((v for v in a if v is not None), None), _first),
    "DECODE": Builtin(3, None, _decode, lambda t: t[2], where="SQL"),
    "SUBSTR": Builtin(2, 3, _nulls(_substr), _fixed(VARCHAR2)),
    "SUBSTRB": Builtin(2, 3, _nulls(lambda a, s: _substr(a, s, True)), _fixed(VARCHAR2)),
    "INSTR": Builtin(2, 4, _nulls(_instr), _fixed(NUMBER)),
    "LENGTH": Builtin(1, 1, _nulls(lambda a, s: Decimal(len(to_text(a[0]) or ""))), _fixed(NUMBER)),
    "LENGTHB": Builtin(
        1, 1, _nulls(lambda a, s: Decimal(len((to_text(a[0]) or "").encode()))), _fixed(NUMBER)
    ),
    "UPPER": Builtin(1, 1, _nulls(lambda a, s: (to_text(a[0]) or "").upper()), _fixed(VARCHAR2)),
    "LOWER": Builtin(1, 1, _nulls(lambda a, s: (to_text(a[0]) or "").lower()), _fixed(VARCHAR2)),
    "INITCAP": Builtin(1, 1, _nulls(lambda a, s: (to_text(a[0]) or "").title()), _fixed(VARCHAR2)),
    "TRIM": Builtin(1, 1, _nulls(_trim("B")), _fixed(VARCHAR2)),
    "LTRIM": Builtin(1, 2, _nulls(_trim("L")), _fixed(VARCHAR2)),
    "RTRIM": Builtin(1, 2, _nulls(_trim("R")), _fixed(VARCHAR2)),
    "LPAD": Builtin(2, 3, _nulls(_pad(True)), _fixed(VARCHAR2)),
    "RPAD": Builtin(2, 3, _nulls(_pad(False)), _fixed(VARCHAR2)),
    "REPLACE": Builtin(2, 3, _replace, _fixed(VARCHAR2)),
    "TRANSLATE": Builtin(3, 3, _nulls(_translate), _fixed(VARCHAR2)),
    "CHR": Builtin(1, 1, _nulls(lambda a, s: chr(int(to_number(a[0]) or 0))), _fixed(VARCHAR2)),
    "ASCII": Builtin(1, 1, _nulls(lambda a, s: Decimal(ord((to_text(a[0]) or " ")[0]))), _fixed(NUMBER)),
    "CONCAT": Builtin(2, 2, lambda m, s, a: ops.concat(a[0], a[1]), _fixed(VARCHAR2)),
    "TO_CHAR": Builtin(1, 3, _to_char, _fixed(VARCHAR2)),
    "TO_NUMBER": Builtin(1, 2, _nulls(_to_number), _fixed(NUMBER)),
    "TO_DATE": Builtin(1, 3, _nulls(_to_date(False)), _fixed(DATE)),
    "TO_TIMESTAMP": Builtin(1, 3, _nulls(_to_date(True)), _fixed(TIMESTAMP)),
    "TO_TIMESTAMP_TZ": Builtin(1, 3, _nulls(_to_date(True)), _fixed(TIMESTAMP_TZ)),
    "TO_CLOB": Builtin(1, 1, _nulls(lambda a, s: LobValue(TypeKind.CLOB, to_text(a[0]) or "")), _fixed(CLOB)),
    "HEXTORAW": Builtin(1, 1, _nulls(lambda a, s: bytes.fromhex(to_text(a[0]) or "")), _fixed(RAW)),
    "RAWTOHEX": Builtin(1, 1, _nulls(lambda a, s: to_text(a[0])), _fixed(VARCHAR2)),
    "ABS": Builtin(1, 1, _nulls(_numeric(abs)), _fixed(NUMBER)),
    "CEIL": Builtin(1, 1, _nulls(_numeric(lambda d: d.to_integral_value(ROUND_CEILING))), _fixed(NUMBER)),
    "FLOOR": Builtin(1, 1, _nulls(_numeric(lambda d: d.to_integral_value(ROUND_FLOOR))), _fixed(NUMBER)),
    "SIGN": Builtin(1, 1, _nulls(_numeric(lambda d: Decimal((d > 0) - (d < 0)))), _fixed(NUMBER)),
    "ROUND": Builtin(1, 2, _nulls(_round(False)), _first),
    "TRUNC": Builtin(1, 2, _nulls(_round(True)), _first),
    "MOD": Builtin(2, 2, _nulls(lambda a, s: ops.arithmetic("MOD", a[0], a[1], sql=s)), _fixed(NUMBER)),
    "POWER": Builtin(2, 2, _nulls(lambda a, s: ops.arithmetic("**", a[0], a[1], sql=s)), _fixed(NUMBER)),
    "GREATEST": Builtin(1, None, _extreme(True), _first),
    "LEAST": Builtin(1, None, _extreme(False), _first),
    "SYSDATE": Builtin(0, 0, _clock_date, _fixed(DATE), parens="NONE", reads_session=True),
    # Both are TIMESTAMP WITH TIME ZONE (SQL Language Reference).
    "SYSTIMESTAMP": Builtin(
        0, 0, lambda m, s, a: m.runtime.now(), _fixed(TIMESTAMP_TZ), parens="NONE", reads_session=True
    ),
    "CURRENT_TIMESTAMP": Builtin(
        0, 0, lambda m, s, a: m.runtime.now(), _fixed(TIMESTAMP_TZ), parens="NONE", reads_session=True
    ),
    # TIMESTAMP and DATE (SQL Language Reference); Oracle gives them in the session time zone,
    # the emulator reads the database clock for them as for CURRENT_TIMESTAMP (docs/emulator.md).
    "LOCALTIMESTAMP": Builtin(
        0, 0, lambda m, s, a: m.runtime.now(), _fixed(TIMESTAMP), parens="NONE", reads_session=True
    ),
    "CURRENT_DATE": Builtin(0, 0, _clock_date, _fixed(DATE), parens="NONE", reads_session=True),
    "USER": Builtin(
        0, 0, lambda m, s, a: m.runtime.current_user(), _fixed(VARCHAR2), parens="NONE", reads_session=True
    ),
    "DBTIMEZONE": Builtin(0, 0, _database("DBTIMEZONE"), _fixed(VARCHAR2), parens="NONE", reads_session=True),
    "SESSIONTIMEZONE": Builtin(
        0, 0, _database("SESSIONTIMEZONE"), _fixed(VARCHAR2), parens="NONE", reads_session=True
    ),
    "SYS_CONTEXT": Builtin(2, 3, _database("SYS_CONTEXT"), _fixed(VARCHAR2), reads_session=True),
    "TIMESTAMP_TO_SCN": Builtin(1, 1, _database("TIMESTAMP_TO_SCN"), _fixed(NUMBER), reads_session=True),
    "SCN_TO_TIMESTAMP": Builtin(1, 1, _database("SCN_TO_TIMESTAMP"), _fixed(TIMESTAMP), reads_session=True),
    "SYS_GUID": Builtin(0, 0, lambda m, s, a: uuid.uuid4().bytes, _fixed(RAW)),
    "SQLCODE": Builtin(0, 0, _sqlcode, _fixed(NUMBER), where="PLSQL", parens="NONE"),
    "SQLERRM": Builtin(0, 1, _sqlerrm, _fixed(VARCHAR2), where="PLSQL", parens="OPTIONAL"),
    "BFILENAME": Builtin(
        2,
        2,
        _nulls(lambda a, s: BFileValue(to_text(a[0]) or "", to_text(a[1]) or "")),
        _fixed(BFILE),
    ),
}

AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG"})


def compile_builtin(pos: Pos, name: str, args: list[CExpr] | None, in_sql: bool) -> CExpr:
    """A call of a STANDARD function; ``args`` None when written without parentheses."""
    spec = BUILTINS[name]
    if spec.where == "SQL" and not in_sql:
        raise pls(pos, 204, f"function or pseudo-column '{name}' may be used inside a SQL statement only")
    if (args is None and spec.parens == "REQUIRED") or (args is not None and spec.parens == "NONE"):
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    given = args or []
    too_many = spec.max_args is not None and len(given) > spec.max_args
    if len(given) < spec.min_args or too_many:
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    if name not in ("NVL", "NVL2", "COALESCE", "DECODE") and any(family(a.type) == "B" for a in given):
        raise pls(pos, 306, f"wrong number or types of arguments in call to '{name}'")
    fns = [a.fn for a in given]
    fn = spec.fn

    def run(env: Env) -> Value:
        return fn(env.m, in_sql, [f(env) for f in fns])

    return CExpr(spec.result([a.type for a in given]), run)
