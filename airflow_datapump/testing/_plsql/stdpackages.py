"""DBMS_UTILITY and DBMS_OUTPUT, which belong with the language: they read its error state.

They are consulted only when the Runtime does not supply a package of the same name.
"""

from __future__ import annotations

import time
from decimal import Decimal

from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Param, Subprogram
from airflow_datapump.testing._values import NUMBER, VARCHAR2, Value

_STARTED = time.monotonic()


def _format_error_stack(ctx: CallContext, args: dict[str, Value]) -> Value:
    return "".join(line + "\n" for line in ctx.error_stack) or None


def _format_error_backtrace(ctx: CallContext, args: dict[str, Value]) -> Value:
    return "".join(line + "\n" for line in ctx.error_backtrace) or None


def _get_time(ctx: CallContext, args: dict[str, Value]) -> Value:
    """Hundredths of a second from an arbitrary epoch, on the emulated clock."""
    now = ctx.runtime.now()
    return Decimal(int(now.timestamp() * 100) % (2**31))


def _ignore(ctx: CallContext, args: dict[str, Value]) -> Value:
    return None


def _function(name: str, impl: object) -> list[Subprogram]:
    assert callable(impl)
    return [Subprogram(name, (), VARCHAR2 if name != "GET_TIME" else NUMBER, impl)]


DBMS_UTILITY = PackageSpec(
    "DBMS_UTILITY",
    subprograms={
        "FORMAT_ERROR_STACK": _function("FORMAT_ERROR_STACK", _format_error_stack),
        "FORMAT_ERROR_BACKTRACE": _function("FORMAT_ERROR_BACKTRACE", _format_error_backtrace),
        "GET_TIME": _function("GET_TIME", _get_time),
    },
)

_LINE = (Param("A", VARCHAR2),)
DBMS_OUTPUT = PackageSpec(
    "DBMS_OUTPUT",
    subprograms={
        "PUT_LINE": [Subprogram("PUT_LINE", _LINE, None, _ignore)],
        "PUT": [Subprogram("PUT", _LINE, None, _ignore)],
        "NEW_LINE": [Subprogram("NEW_LINE", (), None, _ignore)],
        "ENABLE": [
            Subprogram("ENABLE", (Param("BUFFER_SIZE", NUMBER, "IN", Decimal(20000), True),), None, _ignore)
        ],
        "DISABLE": [Subprogram("DISABLE", (), None, _ignore)],
    },
)

STANDARD_PACKAGES = {"DBMS_UTILITY": DBMS_UTILITY, "DBMS_OUTPUT": DBMS_OUTPUT}
