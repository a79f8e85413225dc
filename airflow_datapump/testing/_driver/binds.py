"""Turning execute()/executemany()/callproc() arguments into Vars and engine binds.

Named binds are upper-cased because Oracle matches bind names case-insensitively; positional
binds stay a list, which the engine maps onto placeholders in order of first appearance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from airflow_datapump.testing import _values as v

from . import errors
from .convert import Converter, db_type, infer_type, to_value
from .var import Var

Binds = dict[str, Var] | list[Var]
InputHandler = Callable[..., Any] | None


def implicit_var(
    value: Any, converter: Converter, handler: InputHandler, cursor: object, rows: int = 1
) -> Var:
    """The Var python-oracledb creates for a plain value (an input type handler may decide)."""
    if handler is not None:
        var = handler(cursor, value, rows)
        if isinstance(var, Var):
            return var
    dtype = infer_type(to_value(value))
    return Var(dtype, db_type(dtype), converter, num_elements=rows)


def bind_value(var: Var | None, value: Any, make: Callable[[Any], Var]) -> Var:
    """Use ``value`` if it is a Var, else store it in ``var`` (setinputsizes) or a new Var."""
    if isinstance(value, Var):
        return value
    if var is None:
        var = make(value)
    var.setvalue(0, value)
    return var


def build_binds(
    parameters: Any,
    keyword: Mapping[str, Any],
    previous: Binds | None,
    inputsizes: Binds | None,
    make: Callable[[Any], Var],
) -> Binds:
    """Vars for one execute; named binds not passed again keep their previous Var."""
    if keyword:
        if parameters is not None:
            raise errors.driver_error(errors.ARGS_AND_KEYWORD_ARGS)
        parameters = keyword
    if parameters is None:
        return previous if previous is not None else []
    if isinstance(parameters, Mapping):
        named: dict[str, Var] = dict(previous) if isinstance(previous, dict) else {}
        sizes = inputsizes if isinstance(inputsizes, dict) else {}
        for name, value in parameters.items():
            key = str(name).lstrip(":").upper()
            named[key] = bind_value(sizes.get(key), value, make)
        return named
    if isinstance(parameters, list | tuple):
        sizes_list = inputsizes if isinstance(inputsizes, list) else []
        return [
            bind_value(sizes_list[i] if i < len(sizes_list) else None, value, make)
            for i, value in enumerate(parameters)
        ]
    raise errors.driver_error(errors.WRONG_EXECUTE_PARAMETERS)


def engine_binds(binds: Binds, pos: int = 0) -> dict[str, v.Bind] | list[v.Bind]:
    if isinstance(binds, dict):
        return {name: var.bind(pos) for name, var in binds.items()}
    return [var.bind(pos) for var in binds]


def build_many(
    rows: Sequence[Any], make: Callable[[Any, int], Var]
) -> tuple[Binds, list[dict[str, v.Bind]] | list[list[v.Bind]]]:
    """One Var per placeholder with a position per row, as executemany binds them."""
    first = rows[0]
    if isinstance(first, Mapping):
        names = [str(k).lstrip(":").upper() for k in first]
        keys = list(first)
        named = {n: _column_var([r[k] for r in rows], make) for n, k in zip(names, keys, strict=True)}
        return named, [engine_binds(named, i) for i in range(len(rows))]  # type: ignore[return-value]
    if not isinstance(first, list | tuple):
        raise errors.driver_error(errors.WRONG_EXECUTEMANY_PARAMETERS)
    positional = [_column_var([r[i] for r in rows], make) for i in range(len(first))]
    return positional, [engine_binds(positional, i) for i in range(len(rows))]  # type: ignore[return-value]


def _column_var(values: list[Any], make: Callable[[Any, int], Var]) -> Var:
    sample = next((x for x in values if x is not None), None)
    var = make(sample, len(values))
    for i, value in enumerate(values):
        var.setvalue(i, value)
    return var


def call_statement(
    name: str,
    parameters: Sequence[Any] | None,
    keyword_parameters: Mapping[str, Any] | None,
    return_value: Var | None = None,
) -> tuple[str, list[Any]]:
    """The anonymous block callproc/callfunc run, worded exactly as python-oracledb words it."""
    bind_names: list[str] = []
    bind_values: list[Any] = []
    parts = ["begin "]
    if return_value is not None:
        parts.append(":retval := ")
        bind_values.append(return_value)
    parts.append(name + "(")
    if parameters:
        bind_values.extend(parameters)
        bind_names = [f":{i + 1}" for i in range(len(parameters))]
    if keyword_parameters:
        for arg_name, arg_value in keyword_parameters.items():
            bind_values.append(arg_value)
            bind_names.append(f"{arg_name} => :{len(bind_names) + 1}")
    parts.append(",".join(bind_names))
    parts.append("); end;")
    return "".join(parts), bind_values
