"""DATA_REMAP's COLUMN_FUNCTION at work: each row's column goes through the user's function.

An export applies it as rows are unloaded (the dump holds the function's output), an import
as they are loaded. The function runs in a session of the job's owner, through the language
engine, so it is the user's own PL/SQL that computes each value (Utilities guide,
REMAP_DATA). A function whose argument or result type is not the column's fails the table's
data with ORA-31693 and ORA-39232 (docs/emulator.md says why that reading was chosen).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._backend.codec import decode_value, encode_value
from airflow_datapump.testing._backend.runtime import SessionRuntime
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._plsql import engine as language
from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.runtime import Runtime
from airflow_datapump.testing._values import Bind, ScalarType, Value

RowMap = Callable[[list[Any]], list[Any]]


def for_table(ctx: WorkContext, job: Job, table: catalog.TableDef) -> RowMap | None:
    """A function that remaps one stored row of ``table``, or None when nothing is remapped.

    Raises OracleError (ORA-39232) when a function does not fit its column.
    """
    wanted = [r for r in job.data_remaps if (r["schema"], r["table"]) == (table.owner, table.name)]
    if not wanted:
        return None
    positions = {c.name: i for i, c in enumerate(table.columns)}
    runtime = SessionRuntime(
        ctx.backend, Session(ctx.database, 0, 0, job.owner, job.owner, backend=ctx.backend)
    )
    steps: list[tuple[int, str, ScalarType]] = []
    for remap in wanted:
        position = positions.get(remap["column"])
        if position is None:
            raise OracleError(904, ora_line(904, f'"{remap["column"]}"'))
        steps.append((position, *_checked(runtime, remap["function"], table.columns[position].type)))

    def apply(row: list[Any]) -> list[Any]:
        changed = list(row)
        for position, call, returns in steps:
            changed[position] = encode_value(_call(runtime, call, returns, decode_value(row[position])))
        return changed

    return apply


def function_parts(function: str) -> list[str]:
    """``[schema.]package.function`` as Oracle resolves it: unquoted parts upper case."""
    parts, current, quoted = [], "", False
    for char in function:
        if char == '"':
            quoted = not quoted
        elif char == "." and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char if quoted else char.upper()
    return [*parts, current]


def function_exists(runtime: Runtime, function: str) -> bool:
    """``[schema.]package.function`` names a function of one argument the caller can see."""
    parts = function_parts(function)
    if len(parts) not in (2, 3) or not all(parts):
        return False
    spec = runtime.package(".".join(parts[:-1]))
    overloads = [] if spec is None else spec.subprograms.get(parts[-1], [])
    return any(s.returns is not None and len(s.params) == 1 for s in overloads)


def _checked(runtime: SessionRuntime, function: str, column_type: object) -> tuple[str, ScalarType]:
    """The function's call text, quoted part by part, once its types fit the column's."""
    parts = function_parts(function)
    spec = runtime.package(".".join(parts[:-1]))
    overloads = [] if spec is None else spec.subprograms.get(parts[-1], [])
    kind = column_type.kind if isinstance(column_type, ScalarType) else None
    for sub in overloads:
        if len(sub.params) != 1 or not isinstance(sub.returns, ScalarType):
            continue
        param = sub.params[0].type
        if isinstance(param, ScalarType) and _family(param.kind) == _family(kind) == _family(
            sub.returns.kind
        ):
            return ".".join(f'"{part}"' for part in parts), sub.returns  # parts hold no '"'
    raise OracleError(39232, ora_line(39232, function))


def _family(kind: object) -> str:
    """Character types are interchangeable as PL/SQL converts them; others must match."""
    name = str(getattr(kind, "name", kind))
    return "TEXT" if name in ("VARCHAR2", "CHAR", "NVARCHAR2", "NCHAR", "CLOB") else name


def _call(runtime: SessionRuntime, call: str, returns: ScalarType, value: Value) -> Value:
    binds = {"R": Bind(None, returns), "V": Bind(value)}
    language.execute(f"BEGIN :R := {call}(:V); END;", binds, runtime)
    return binds["R"].value
