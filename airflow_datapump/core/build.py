"""Turn the many shapes users write into the one shape a JobSpec holds.

A DAG author writes ``remap_schemas={"HR": "HR2"}``, a JSON payload writes
``{"name": "REMAP_SCHEMA", "old_value": "HR", "value": "HR2"}``, and a test writes
``Remap.build(...)``; all three end up as the same tuple of :class:`Remap`. Each function
checks each element and names it by position (``tables[2]``) when it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from airflow_datapump.core import catalog
from airflow_datapump.core.conditions import Condition
from airflow_datapump.core.names import identifier, object_path
from airflow_datapump.core.parts import (
    DataFilter,
    DataRemap,
    NameFilter,
    Parameter,
    Remap,
    TableRef,
    Transform,
)
from airflow_datapump.core.secret import Secret
from airflow_datapump.exceptions import SpecError

T = TypeVar("T")

_VERSION = re.compile(r"(\d{1,2})(\.\d{1,2}){0,4}\Z")


def sequence(value: object, field: str) -> list[object]:
    """Accept a list or tuple (or one string, as a list of one); refuse sets and mappings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    raise SpecError(field, value, "a list")


def names(value: object, field: str) -> tuple[str, ...]:
    """Oracle names, each checked, without duplicates."""
    result = tuple(identifier(item, f"{field}[{i}]") for i, item in enumerate(sequence(value, field)))
    return unique(result, field)


def unique(items: tuple[T, ...], field: str) -> tuple[T, ...]:
    seen: set[T] = set()
    for item in items:
        if item in seen:
            raise SpecError(field, str(item), "each entry at most once")
        seen.add(item)
    return items


def tables(value: object) -> tuple[TableRef, ...]:
    refs = (TableRef.parse(item, f"tables[{i}]") for i, item in enumerate(sequence(value, "tables")))
    return unique(tuple(refs), "tables")


def include_exclude(
    value: object, field: str, *, exclude: bool
) -> tuple[tuple[str, ...], tuple[NameFilter, ...]]:
    """expdp's INCLUDE/EXCLUDE entries: ``TABLE`` or ``TABLE:IN ('EMP')``.

    A bare path becomes a path filter. ``PATH:CONDITION`` becomes a name filter on that path;
    for INCLUDE it also includes the path, which is what expdp's INCLUDE means.
    """
    paths: list[str] = []
    filters: list[NameFilter] = []
    for index, item in enumerate(sequence(value, field)):
        where = f"{field}[{index}]"
        if not isinstance(item, str):
            raise SpecError(where, item, "an object path, optionally with :CONDITION")
        if ":" in item:
            name_filter = NameFilter.parse(item, where, exclude=exclude)
            filters.append(name_filter)
            if not exclude and name_filter.object_path not in paths:
                paths.append(name_filter.object_path)
        else:
            path = object_path(item.strip(), where)
            if path not in paths:
                paths.append(path)
    return tuple(paths), tuple(filters)


def name_filters(value: object) -> tuple[NameFilter, ...]:
    result: list[NameFilter] = []
    for index, item in enumerate(sequence(value, "name_filters")):
        where = f"name_filters[{index}]"
        if isinstance(item, NameFilter):
            result.append(item)
        elif isinstance(item, Mapping):
            _only(item, where, {"object_path", "operator", "values", "exclude"})
            values = tuple(sequence(item.get("values"), f"{where}.values"))
            try:
                condition = Condition(str(item.get("operator", "")).upper(), values)  # type: ignore[arg-type]
            except SpecError as error:
                raise SpecError(f"{where}.{error.field}", error.value, error.allowed) from None
            path = object_path(item.get("object_path"), f"{where}.object_path")
            result.append(NameFilter(path, condition, bool(item.get("exclude", False))))
        else:
            raise SpecError(where, item, "a NameFilter or a mapping")
    return tuple(result)


def data_filters(value: object, query: object) -> tuple[DataFilter, ...]:
    result: list[DataFilter] = []
    for index, item in enumerate(sequence(value, "data_filters")):
        if isinstance(item, DataFilter):
            result.append(item)
        elif isinstance(item, Mapping):
            _only(item, f"data_filters[{index}]", {"name", "value", "table", "schema"})
            result.append(
                DataFilter.build(item.get("name"), item.get("value"), item.get("table"), item.get("schema"))
            )
        else:
            raise SpecError(f"data_filters[{index}]", item, "a DataFilter or a mapping")
    return tuple(result) + _query(query)


def _query(query: object) -> tuple[DataFilter, ...]:
    """expdp's QUERY: one clause for every table, or a mapping of table to clause."""
    if query is None:
        return ()
    if isinstance(query, str):
        return (DataFilter.build("SUBQUERY", query),)
    if not isinstance(query, Mapping):
        raise SpecError("query", query, "a WHERE clause, or a mapping of [schema.]table to one")
    result = []
    for table, clause in query.items():
        ref = TableRef.parse(table, f"query[{table!r}]")
        result.append(DataFilter.build("SUBQUERY", clause, _display(ref.name), _display(ref.schema)))
    return tuple(result)


def _display(name: str | None) -> str | None:
    return None if name is None else f'"{name}"'


def remaps(value: object, shortcuts: Mapping[str, object]) -> tuple[Remap, ...]:
    result: list[Remap] = []
    for index, item in enumerate(sequence(value, "remaps")):
        if isinstance(item, Remap):
            result.append(item)
        elif isinstance(item, Mapping):
            _only(item, f"remaps[{index}]", {"name", "old_value", "value", "object_type"})
            result.append(
                Remap.build(
                    item.get("name"),
                    item.get("old_value"),
                    item.get("value"),
                    item.get("object_type"),
                )
            )
        else:
            raise SpecError(f"remaps[{index}]", item, "a Remap or a mapping")
    for name, pairs in shortcuts.items():
        if pairs is None:
            continue
        if not isinstance(pairs, Mapping):
            raise SpecError(name.lower(), pairs, "a mapping of old name to new name")
        result.extend(Remap.build(name, old, new) for old, new in pairs.items())
    return tuple(result)


def data_remaps(value: object) -> tuple[DataRemap, ...]:
    """DATA_REMAP calls: DataRemap values, mappings, or REMAP_DATA's text form."""
    result: list[DataRemap] = []
    for index, item in enumerate(sequence(value, "data_remaps")):
        field = f"data_remaps[{index}]"
        if isinstance(item, DataRemap):
            result.append(item)
        elif isinstance(item, str):
            result.append(DataRemap.parse(item, field))
        elif isinstance(item, Mapping):
            _only(item, field, {"table", "column", "function", "schema"})
            result.append(
                DataRemap.build(
                    item.get("table"), item.get("column"), item.get("function"), item.get("schema")
                )
            )
        else:
            raise SpecError(field, item, "a DataRemap, a mapping or 'table.column:package.function'")
    return unique(tuple(result), "data_remaps")


def transforms(value: object) -> tuple[Transform, ...]:
    if isinstance(value, Mapping):
        return tuple(Transform.build(name, item) for name, item in value.items())
    result: list[Transform] = []
    for index, item in enumerate(sequence(value, "transforms")):
        if isinstance(item, Transform):
            result.append(item)
        elif isinstance(item, Mapping):
            _only(item, f"transforms[{index}]", {"name", "value", "object_type"})
            result.append(Transform.build(item.get("name"), item.get("value"), item.get("object_type")))
        else:
            raise SpecError(f"transforms[{index}]", item, "a Transform, a mapping, or a name->value mapping")
    return tuple(result)


def parameters(value: object) -> tuple[Parameter, ...]:
    """SET_PARAMETER values by name; a list value repeats a repeatable parameter."""
    pairs: Iterable[tuple[object, object]]
    if isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, list | tuple):
        pairs = [(p.name, p.value) if isinstance(p, Parameter) else _pair(p, i) for i, p in enumerate(value)]
    elif value is None:
        pairs = []
    else:
        raise SpecError("parameters", value, "a mapping of parameter name to value")
    result: list[Parameter] = []
    for name, item in pairs:
        info = catalog.PARAMETERS.get(str(name).upper())
        if info is not None and info.repeatable and isinstance(item, list | tuple):
            result.extend(Parameter.build(name, element) for element in item)
        else:
            result.append(Parameter.build(name, item))
    return tuple(result)


def _pair(item: object, index: int) -> tuple[object, object]:
    if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
        return item[0], item[1]
    raise SpecError(f"parameters[{index}]", item, "a Parameter or a (name, value) pair")


def secret(value: object) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    if isinstance(value, str):
        return Secret(value)
    raise SpecError("encryption_password", "***", "a string or a Secret")


def version(value: object) -> str:
    """OPEN's ``version``: COMPATIBLE, LATEST, or a release number such as 12.2 or 19."""
    if isinstance(value, str):
        text = value.strip().upper()
        if text in ("COMPATIBLE", "LATEST"):
            return text
        match = _VERSION.match(text)
        if match and int(match.group(1)) >= 9:
            return text
    raise SpecError("version", value, "COMPATIBLE, LATEST, or a release number such as 12.2 or 19")


def _only(item: Mapping[object, object], field: str, keys: set[str]) -> None:
    unknown = [key for key in item if key not in keys]
    if unknown:
        raise SpecError(f"{field}.{unknown[0]}", item[unknown[0]], "keys " + ", ".join(sorted(keys)))
