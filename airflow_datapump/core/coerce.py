"""Checks that turn user input into the exact values DBMS_DATAPUMP takes.

Each function either returns the canonical value or raises :class:`SpecError` naming the
field, the value and what is allowed. They are strict on purpose: the prior art turned "y"
into True and sent ``COMPRESSION=bogus`` to the database; here neither gets past the spec.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from airflow_datapump.core.catalog import DATA_OPTIONS, DATA_OPTIONS_MASK
from airflow_datapump.core.names import DELIMITERS_RULE, encoded_length, has_delimiter
from airflow_datapump.exceptions import SpecError

_DIGITS = re.compile(r"[0-9]+\Z")
_CLAUSE_WORDS = re.compile(r"[A-Z][A-Z0-9_]*(?: [A-Z0-9_]+)*\Z")
_TO_TIMESTAMP = re.compile(r"TO_TIMESTAMP\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)\Z", re.IGNORECASE)
_ORACLE_FORMATS = {
    "YYYY-MM-DD HH24:MI:SS": "%Y-%m-%d %H:%M:%S",
    "YYYY-MM-DD HH24:MI:SS.FF": "%Y-%m-%d %H:%M:%S.%f",
    "YYYY-MM-DD HH24:MI:SS.FF6": "%Y-%m-%d %H:%M:%S.%f",
    'YYYY-MM-DD"T"HH24:MI:SS': "%Y-%m-%dT%H:%M:%S",
}
FLASHBACK_KEYWORDS = ("SYSTIMESTAMP", "SYSDATE")


def as_flag(value: object, field: str) -> int:
    """A 0/1 switch; Python booleans are accepted, nothing that merely looks truthy is."""
    if isinstance(value, bool):
        return int(value)
    if value in (0, 1) and isinstance(value, int):
        return value
    if isinstance(value, str) and value in ("0", "1"):
        return int(value)
    raise SpecError(field, value, "0 or 1 (or true/false)")


def as_integer(value: object, field: str, *, minimum: int = 0) -> int:
    """A whole number at least ``minimum``; digit strings count, booleans and floats do not."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        number = int(value.strip())
    if number is None or number < minimum:
        raise SpecError(field, value, f"a whole number >= {minimum}")
    return number


def as_seconds(value: object, field: str, *, minimum_exclusive: bool = True) -> float:
    """A number of seconds (or a timedelta); never negative, never a string.

    Waits take ``minimum_exclusive``: a poll interval of 0 would poll the database in a
    tight loop, and a timeout of 0 would give up before the first look.
    """
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or not math.isfinite(number) or number < 0 or (minimum_exclusive and number == 0):
        bound = "> 0" if minimum_exclusive else ">= 0"
        raise SpecError(field, value, f"a number of seconds {bound} (or a timedelta)")
    return number


def as_choice(value: object, field: str, choices: Iterable[str]) -> str:
    """One of ``choices``, compared without regard to case as expdp/impdp do."""
    options = tuple(choices)
    if isinstance(value, str) and value.strip().upper() in options:
        return value.strip().upper()
    raise SpecError(field, value, "one of " + ", ".join(options))


def as_text(value: object, field: str, *, max_bytes: int = 4000) -> str:
    if isinstance(value, str) and has_delimiter(value):
        raise SpecError(field, value, DELIMITERS_RULE)
    if isinstance(value, str) and value and "\x00" not in value:
        length = encoded_length(value)
        if length is not None and length <= max_bytes:
            return value
    raise SpecError(field, value, f"a non-empty string of at most {max_bytes} bytes of UTF-8")


def as_clause(value: object, field: str) -> str:
    """A DDL clause such as ``COMPRESS FOR OLTP``: words only, so it can carry no SQL."""
    if isinstance(value, str) and _CLAUSE_WORDS.match(" ".join(value.upper().split())):
        return " ".join(value.upper().split())
    raise SpecError(field, value, "a clause of words (letters, digits, _), e.g. NONE or COMPRESS")


def as_data_options(value: object, field: str) -> int:
    """DATA_OPTIONS as a bitmask, from a number or a list of KU$_DATAOPT_* names."""
    if isinstance(value, list | tuple):
        mask = 0
        for index, name in enumerate(value):
            key = name.upper().removeprefix("KU$_DATAOPT_") if isinstance(name, str) else name
            if key not in DATA_OPTIONS:
                raise SpecError(f"{field}[{index}]", name, "one of " + ", ".join(DATA_OPTIONS))
            mask |= DATA_OPTIONS[str(key)]
        return mask
    mask = as_integer(value, field)
    if mask & ~DATA_OPTIONS_MASK:
        raise SpecError(field, value, f"a sum of the known KU$_DATAOPT_* bits (at most {DATA_OPTIONS_MASK})")
    return mask


def as_sample(value: object, field: str) -> Decimal:
    """A SAMPLE percentage: more than 0, at most 100 (§2.5)."""
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise InvalidOperation
        percent = Decimal(str(value))
    except InvalidOperation:
        percent = Decimal(-1)
    if not percent.is_finite() or not Decimal(0) < percent <= Decimal(100):
        raise SpecError(field, value, "a percentage greater than 0 and at most 100")
    return percent


def as_moment(value: object, field: str) -> float:
    """A point in time that says its zone, as POSIX seconds: a datetime or ISO 8601 text.

    A time without a zone is refused rather than guessed: the worker's, Airflow's default and
    the database host's zones may all differ.
    """
    moment = value
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if isinstance(moment, dt.datetime) and moment.utcoffset() is not None:
        return moment.timestamp()
    raise SpecError(
        field,
        value,
        "a datetime with a time zone, or ISO 8601 text with an offset (2026-12-02T00:00:00+00:00)",
    )


def as_flashback_time(value: object, field: str) -> str:
    """A point in time for FLASHBACK_TIME, kept as ISO 8601 text or SYSTIMESTAMP/SYSDATE.

    Data Pump takes an SQL expression here; the job model keeps a plain timestamp and the
    expression is rendered later through the quoting function, so user text never becomes SQL.
    """
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        text = value.strip()
        if text.upper() in FLASHBACK_KEYWORDS:
            return text.upper()
        match = _TO_TIMESTAMP.match(text)
        if match and match.group(2).upper() in _ORACLE_FORMATS:
            try:
                moment = dt.datetime.strptime(match.group(1), _ORACLE_FORMATS[match.group(2).upper()])
            except ValueError:
                pass
            else:
                return moment.isoformat(sep=" ")
        try:
            return dt.datetime.fromisoformat(text).isoformat(sep=" ")
        except ValueError:
            pass
    raise SpecError(
        field,
        value,
        "a datetime, an ISO 8601 timestamp, SYSTIMESTAMP, SYSDATE, or "
        "TO_TIMESTAMP('<timestamp>', 'YYYY-MM-DD HH24:MI:SS')",
    )
