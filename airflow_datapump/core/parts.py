"""The pieces a job is made of: tables, filters, remaps, transforms and parameters.

Each piece checks itself when it is built, so a :class:`~airflow_datapump.JobSpec` only has to
check how the pieces combine. Names are kept as Oracle stores them (``HR``, or ``Mixed`` for
``"Mixed"``) and written back with :func:`~airflow_datapump.core.names.display_identifier`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from airflow_datapump.core import catalog, coerce, subquery
from airflow_datapump.core.catalog import Kind
from airflow_datapump.core.conditions import Condition
from airflow_datapump.core.names import display_identifier, identifier, object_path
from airflow_datapump.core.secret import Secret
from airflow_datapump.exceptions import SpecError

_NAME_PART = re.compile(r'"[^"]*"|[^".:]+')


def split_name(text: str, field: str, separators: str = ".") -> list[tuple[str, str]]:
    """Split ``HR."Emp":P1`` into (separator, part) pairs, honouring double quotes."""
    parts: list[tuple[str, str]] = []
    position, separator = 0, ""
    while True:
        match = _NAME_PART.match(text, position)
        if not match:
            raise SpecError(field, text, "a name such as EMP, HR.EMP or HR.EMP:P1")
        parts.append((separator, match.group(0)))
        position = match.end()
        if position == len(text):
            return parts
        separator = text[position]
        if separator not in separators:
            raise SpecError(field, text, "a name such as EMP, HR.EMP or HR.EMP:P1")
        position += 1


@dataclass(frozen=True)
class TableRef:
    """A table for TABLE mode: ``[schema.]table[:partition]`` as expdp's TABLES takes it."""

    name: str
    schema: str | None = None
    partition: str | None = None

    @classmethod
    def parse(cls, value: object, field: str) -> TableRef:
        if isinstance(value, TableRef):
            return value
        if not isinstance(value, str):
            raise SpecError(field, value, "a table name such as EMP, HR.EMP or HR.EMP:P1")
        parts = split_name(value, field, ".:")
        seps = [sep for sep, _ in parts[1:]]
        if seps not in ([], ["."], [":"], [".", ":"]):
            raise SpecError(field, value, "a table name such as EMP, HR.EMP or HR.EMP:P1")
        names = [identifier(part, field) for _, part in parts]
        schema = names.pop(0) if seps and seps[0] == "." else None
        partition = names.pop() if seps and seps[-1] == ":" else None
        return cls(names[0], schema, partition)

    def __str__(self) -> str:
        text = display_identifier(self.name)
        if self.schema:
            text = f"{display_identifier(self.schema)}.{text}"
        if self.partition:
            text = f"{text}:{display_identifier(self.partition)}"
        return text


@dataclass(frozen=True)
class NameFilter:
    """Keep (or, with ``exclude``, drop) objects of one path whose names meet a condition.

    Rendered as METADATA_FILTER ``NAME_EXPR`` or ``EXCLUDE_NAME_EXPR`` with ``object_path``.
    """

    object_path: str
    condition: Condition
    exclude: bool = False

    @classmethod
    def parse(cls, text: str, field: str, *, exclude: bool) -> NameFilter:
        """Read expdp's ``PATH:CONDITION`` form, e.g. ``TABLE:IN ('EMP','DEPT')``."""
        path, _, condition = text.partition(":")
        try:
            return cls(object_path(path.strip(), field), Condition.parse(condition, field), exclude)
        except SpecError as error:
            raise SpecError(field, text, error.allowed) from None


@dataclass(frozen=True)
class DataFilter:
    """A DATA_FILTER call: which rows of which table (or of every table) move (§2.5)."""

    name: str
    value: int | Decimal | str | tuple[str, ...] | Condition
    table: str | None = None
    schema: str | None = None

    @classmethod
    def build(cls, name: object, value: object, table: object = None, schema: object = None) -> DataFilter:
        kind = coerce.as_choice(name, "data_filters.name", catalog.DATA_FILTERS)
        field = f"data_filters.{kind}"
        table_name = None if table is None else identifier(table, f"{field}.table")
        schema_name = None if schema is None else identifier(schema, f"{field}.schema")
        if schema_name is not None and table_name is None:
            raise SpecError(f"{field}.schema", schema, "a schema only together with a table")
        return cls(kind, _data_filter_value(kind, value, field), table_name, schema_name)

    @property
    def scope(self) -> tuple[str | None, str | None]:
        return (self.schema, self.table)


_SUBQUERY_START = re.compile(r"\s*(WHERE|ORDER\s+BY)\b", re.IGNORECASE)


def _data_filter_value(
    kind: str, value: object, field: str
) -> int | Decimal | str | tuple[str, ...] | Condition:
    if kind == "INCLUDE_ROWS":
        return coerce.as_flag(value, field)
    if kind == "SAMPLE":
        return coerce.as_sample(value, field)
    if kind == "PARTITION_LIST":
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list | tuple) or not names:
            raise SpecError(field, value, "one or more partition names")
        return tuple(identifier(n, f"{field}[{i}]") for i, n in enumerate(names))
    if kind == "PARTITION_EXPR":
        return value if isinstance(value, Condition) else Condition.parse(str(value), field)
    return _subquery(value, field)


def _subquery(value: object, field: str) -> str:
    """A SUBQUERY is the user's own WHERE/ORDER BY clause: SQL by design, so it is checked,
    not quoted (see :mod:`.subquery` for what the check promises)."""
    text = coerce.as_text(value, field)
    if not _SUBQUERY_START.match(text):
        raise SpecError(field, value, "a clause starting with WHERE or ORDER BY")
    subquery.check_clause(text, field)
    return text


@dataclass(frozen=True)
class Remap:
    """A METADATA_REMAP call (import and SQL_FILE only, §2.6)."""

    name: str
    old_value: str
    value: str
    object_type: str | None = None

    @classmethod
    def build(cls, name: object, old_value: object, value: object, object_type: object = None) -> Remap:
        kind = coerce.as_choice(name, "remaps.name", catalog.REMAPS)
        field = f"remaps.{kind}"
        path = None if object_type is None else object_path(object_type, f"{field}.object_type")
        if kind == "REMAP_DATAFILE":
            old = coerce.as_text(old_value, f"{field}.old_value")
            return cls(kind, old, coerce.as_text(value, f"{field}.value"), path)
        if kind == "REMAP_TABLE":
            old = _dotted(old_value, f"{field}.old_value")
            return cls(kind, old, identifier(value, f"{field}.value"), path)
        old = identifier(old_value, f"{field}.old_value")
        return cls(kind, old, identifier(value, f"{field}.value"), path)


@dataclass(frozen=True)
class DataRemap:
    """A DATA_REMAP call (§2.8): each row's ``column`` of ``[schema.]table`` goes through a
    PL/SQL function ``[schema.]package.function`` that takes and returns the column's type,
    when an export unloads the row or an import loads it (expdp/impdp REMAP_DATA)."""

    table: str
    column: str
    function: tuple[str, ...]
    schema: str | None = None

    @classmethod
    def build(cls, table: object, column: object, function: object, schema: object = None) -> DataRemap:
        field = "data_remaps"
        if not isinstance(function, str):
            raise SpecError(f"{field}.function", function, "a function name such as HR.PKG.MASK or PKG.MASK")
        parts = split_name(function, f"{field}.function")
        if len(parts) not in (2, 3):
            raise SpecError(f"{field}.function", function, "[schema.]package.function")
        names = tuple(identifier(part, f"{field}.function") for _, part in parts)
        owner = None if schema is None else identifier(schema, f"{field}.schema")
        return cls(identifier(table, f"{field}.table"), identifier(column, f"{field}.column"), names, owner)

    @classmethod
    def parse(cls, text: object, field: str) -> DataRemap:
        """``[schema.]table.column:[schema.]package.function`` as REMAP_DATA takes it."""
        rule = "[schema.]table.column:[schema.]package.function"
        if not isinstance(text, str):
            raise SpecError(field, text, rule)
        parts = split_name(text, field, ".:")
        seps = [sep for sep, _ in parts[1:]]
        if ":" not in seps or seps.count(":") != 1:
            raise SpecError(field, text, rule)
        colon = seps.index(":") + 1
        left, right = [p for _, p in parts[:colon]], [p for _, p in parts[colon:]]
        if len(left) not in (2, 3) or len(right) not in (2, 3):
            raise SpecError(field, text, rule)
        schema = left[0] if len(left) == 3 else None
        try:
            return cls.build(left[-2], left[-1], ".".join(right), schema)
        except SpecError as error:
            raise SpecError(field, text, f"{rule} ({error.allowed})") from None

    @property
    def function_name(self) -> str:
        """The function as DATA_REMAP takes it: ``[SCHEMA.]PACKAGE.FUNCTION``."""
        return ".".join(display_identifier(part) for part in self.function)

    def __str__(self) -> str:
        table = display_identifier(self.table)
        if self.schema is not None:
            table = f"{display_identifier(self.schema)}.{table}"
        return f"{table}.{display_identifier(self.column)}:{self.function_name}"


def _dotted(value: object, field: str) -> str:
    """``TABLE`` or ``TABLE.PARTITION`` (or ``SCHEMA.TABLE``), each part an Oracle name."""
    if not isinstance(value, str):
        raise SpecError(field, value, "a table name, optionally with .partition")
    parts = split_name(value, field)
    if len(parts) > 2:
        raise SpecError(field, value, "a table name, optionally with .partition")
    return ".".join(display_identifier(identifier(part, field)) for _, part in parts)


@dataclass(frozen=True)
class Transform:
    """A METADATA_TRANSFORM call (import and SQL_FILE only, §2.7)."""

    name: str
    value: int | str
    object_type: str | None = None

    @classmethod
    def build(cls, name: object, value: object, object_type: object = None) -> Transform:
        key = name.upper() if isinstance(name, str) else name
        info = catalog.TRANSFORMS.get(str(key))
        if info is None:
            raise SpecError("transforms", name, "one of " + ", ".join(catalog.TRANSFORMS))
        field = f"transforms.{info.name}"
        path = None if object_type is None else object_path(object_type, f"{field}.object_type")
        checked: int | str
        if info.kind is Kind.FLAG:
            checked = coerce.as_flag(value, field)
        elif info.kind is Kind.INTEGER:
            checked = coerce.as_integer(value, field, minimum=1)
        elif info.kind is Kind.ENUM:
            checked = coerce.as_choice(value, field, info.choices)
        else:
            checked = coerce.as_clause(value, field)
        return cls(info.name, checked, path)


ParameterValue = int | str | Secret


@dataclass(frozen=True)
class Parameter:
    """A SET_PARAMETER call; the value's Python type picks the NUMBER or VARCHAR2 overload."""

    name: str
    value: ParameterValue

    @classmethod
    def build(cls, name: object, value: object) -> Parameter:
        key = name.upper() if isinstance(name, str) else name
        info = catalog.PARAMETERS.get(str(key))
        if info is None:
            raise SpecError("parameters", name, "one of " + ", ".join(catalog.PARAMETERS))
        return cls(info.name, _parameter_value(info, value, f"parameters.{info.name}"))

    @property
    def info(self) -> catalog.ParameterInfo:
        return catalog.PARAMETERS[self.name]


def _parameter_value(info: catalog.ParameterInfo, value: object, field: str) -> ParameterValue:
    kind = info.kind
    if kind is Kind.FLAG:
        return coerce.as_flag(value, field)
    if kind is Kind.INTEGER:
        return coerce.as_integer(value, field)
    if kind is Kind.BITMASK:
        return coerce.as_data_options(value, field)
    if kind is Kind.ENUM:
        return coerce.as_choice(value, field, info.choices)
    if kind is Kind.NAME:
        return identifier(value, field)
    if kind is Kind.TIMESTAMP:
        return coerce.as_flashback_time(value, field)
    if kind is Kind.SECRET:
        return value if isinstance(value, Secret) else Secret(_secret_text(value), field=field)
    return coerce.as_text(value, field)


def _secret_text(value: object) -> str | None:
    # Secret() rejects non-strings without echoing them.
    return value if isinstance(value, str) else ""
