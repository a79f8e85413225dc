"""How a PL/SQL package (DBMS_DATAPUMP, UTL_FILE ...) is described to the engine.

A package is plain data plus Python callables, so packages can be written and tested apart
from the language engine: the engine checks calls against ``Subprogram.params`` at compile
time, converts arguments, calls ``impl`` and copies OUT parameters back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._values import DataType, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._plsql.runtime import Runtime

ParamMode = Literal["IN", "OUT", "IN OUT"]


@dataclass(frozen=True)
class Param:
    """A formal parameter; ``name`` upper case. ``default`` is used when ``has_default``."""

    name: str
    type: DataType
    mode: ParamMode = "IN"
    default: Value = None
    has_default: bool = False


@dataclass(frozen=True)
class CallContext:
    """What an implementation may need besides its arguments.

    ``error_stack`` holds the lines of the error being handled by the caller's innermost
    handler (empty outside handlers); ``line`` is the caller's line, for ORA-06512 texts;
    ``error_backtrace`` the ORA-06512 lines DBMS_UTILITY.FORMAT_ERROR_BACKTRACE reports.
    """

    session: object
    runtime: Runtime
    error_stack: tuple[str, ...]
    line: int
    error_backtrace: tuple[str, ...] = ()


Impl = Callable[[CallContext, dict[str, Value]], Value]


@dataclass(frozen=True)
class Subprogram:
    """One overload. ``returns`` None makes it a procedure.

    ``impl(ctx, args)`` receives every parameter by upper-case name (IN values converted to
    the parameter type, OUT ones NULL) and may assign OUT/IN OUT entries in ``args``; the
    engine copies them back to the caller only if ``impl`` returns normally, as Oracle does.
    """

    name: str
    params: tuple[Param, ...]
    returns: DataType | None
    impl: Impl


@dataclass
class PackageSpec:
    """A package specification. Exception codes may be given as -31626 or 31626."""

    name: str
    constants: dict[str, tuple[DataType, Value]] = field(default_factory=dict)
    exceptions: dict[str, int] = field(default_factory=dict)
    subprograms: dict[str, list[Subprogram]] = field(default_factory=dict)
    types: dict[str, DataType] = field(default_factory=dict)


def package_error(code: int, *extra_lines: str, args: tuple[object, ...] = ()) -> OracleError:
    """An error as a package raises it: its catalogue line, then ``extra_lines`` (an OS detail,
    the package's ORA-06512 frame), e.g. ``package_error(31626, frame("DBMS_DATAPUMP", 4929))``;
    ``args`` fill the text's slots; ``code`` positive."""
    code = abs(code)
    message = "\n".join((ora_line(code, *args), *extra_lines))
    return OracleError(code, message)
