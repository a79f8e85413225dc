"""The METADATA_FILTER and DATA_FILTER calls a job needs, with their SQL fragments rendered.

Data Pump ANDs its filters (§2.4), so the schemas of a job become one ``SCHEMA_LIST`` filter,
never one filter per schema (which would match nothing when there are two). Every fragment is
built from names by :func:`~airflow_datapump.core.names.literal_list` or a
:class:`~airflow_datapump.core.conditions.Condition`, both of which quote through
:func:`~airflow_datapump.core.names.quote_literal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from airflow_datapump.core.conditions import Condition
from airflow_datapump.core.names import literal_list

if TYPE_CHECKING:
    from airflow_datapump.core.parts import DataFilter
    from airflow_datapump.core.spec import JobSpec


@dataclass(frozen=True)
class FilterCall:
    """One ``DBMS_DATAPUMP.METADATA_FILTER(handle, name, value, object_path)`` call."""

    name: str
    value: str
    object_path: str | None = None


@dataclass(frozen=True)
class DataFilterCall:
    """One ``DBMS_DATAPUMP.DATA_FILTER(handle, name, value, table_name, schema_name)`` call.

    ``value`` is an ``int`` or ``Decimal`` for the NUMBER overload and a ``str`` for VARCHAR2.
    """

    name: str
    value: int | Decimal | str
    table_name: str | None = None
    schema_name: str | None = None


def metadata_filters(spec: JobSpec) -> tuple[FilterCall, ...]:
    calls: list[FilterCall] = []
    if spec.schemas:
        calls.append(FilterCall("SCHEMA_LIST", literal_list(spec.schemas)))
    if spec.tables:
        owner = spec.tables[0].schema
        if owner is not None:
            calls.append(FilterCall("SCHEMA_LIST", literal_list([owner])))
        names = dict.fromkeys(t.name for t in spec.tables)
        calls.append(FilterCall("NAME_LIST", literal_list(names)))
    if spec.tablespaces:
        calls.append(FilterCall("TABLESPACE_LIST", literal_list(spec.tablespaces)))
    if spec.include:
        calls.append(FilterCall("INCLUDE_PATH_LIST", literal_list(spec.include)))
    if spec.exclude:
        calls.append(FilterCall("EXCLUDE_PATH_LIST", literal_list(spec.exclude)))
    for item in spec.name_filters:
        name = "EXCLUDE_NAME_EXPR" if item.exclude else "NAME_EXPR"
        calls.append(FilterCall(name, item.condition.render(), item.object_path))
    return tuple(calls)


def data_filters(spec: JobSpec) -> tuple[DataFilterCall, ...]:
    """The job's DATA_FILTER calls, including partition lists from ``tables``."""
    calls = [_data_call(item) for item in spec.data_filters]
    partitions: dict[tuple[str | None, str], list[str]] = {}
    for table in spec.tables:
        if table.partition is not None:
            partitions.setdefault((table.schema, table.name), []).append(table.partition)
    for (schema, table_name), names in partitions.items():
        calls.append(DataFilterCall("PARTITION_LIST", literal_list(names), table_name, schema))
    return tuple(calls)


def _data_call(item: DataFilter) -> DataFilterCall:
    value = item.value
    rendered: int | Decimal | str
    if isinstance(value, Condition):
        rendered = value.render()
    elif isinstance(value, tuple):
        rendered = literal_list(value)
    else:
        rendered = value
    return DataFilterCall(item.name, rendered, item.table, item.schema)
