"""JobSpec to and from plain JSON data.

Operators carry a spec through Airflow's serialisation and triggers carry it across a
deferral, so the JSON form is complete and reads back to an equal spec, with one exception
by design: the encryption password is written as ``{"redacted": true}`` and reads back as a
redacted :class:`~airflow_datapump.core.secret.Secret` that refuses to be revealed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from airflow_datapump.core.catalog import Kind
from airflow_datapump.core.conditions import Condition
from airflow_datapump.core.names import display_identifier
from airflow_datapump.core.parts import DataFilter, Parameter, Remap
from airflow_datapump.core.secret import Secret
from airflow_datapump.exceptions import SpecError

if TYPE_CHECKING:
    from airflow_datapump.core.spec import JobSpec

FORMAT = 1
_IDENTIFIER_FIELDS = ("directory", "credential", "log_directory", "job_name")


def _name(value: str | None) -> str | None:
    return None if value is None else display_identifier(value)


def to_dict(spec: JobSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "operation": spec.operation.value,
        "mode": spec.mode.value,
        "dump_files": list(spec.dump_files),
        "file_size": spec.file_size,
        "reuse_dump_files": spec.reuse_dump_files,
        "log_file": spec.log_file,
        "no_log_file": spec.no_log_file,
        "sql_file": spec.sql_file,
        "network_link": spec.network_link,
        "version": spec.version,
        "parallel": spec.parallel,
        "schemas": [display_identifier(s) for s in spec.schemas],
        "tables": [str(t) for t in spec.tables],
        "tablespaces": [display_identifier(t) for t in spec.tablespaces],
        "include": list(spec.include),
        "exclude": list(spec.exclude),
        "name_filters": [
            {
                "object_path": f.object_path,
                "operator": f.condition.operator,
                "values": list(f.condition.values),
                "exclude": f.exclude,
            }
            for f in spec.name_filters
        ],
        "data_filters": [_data_filter(f) for f in spec.data_filters],
        "remaps": [_remap(r) for r in spec.remaps],
        "data_remaps": [str(d) for d in spec.data_remaps],
        "transforms": [
            {"name": t.name, "value": t.value, "object_type": t.object_type} for t in spec.transforms
        ],
        "parameters": [_parameter(p) for p in spec.parameters],
        "encryption_password": None if spec.encryption_password is None else {"redacted": True},
        "delete_dump_files": spec.delete_dump_files,
    }
    for name in _IDENTIFIER_FIELDS:
        data[name] = _name(getattr(spec, name))
    return data


def _data_filter(item: DataFilter) -> dict[str, Any]:
    value: Any = item.value
    if isinstance(value, Condition):
        value = value.render()
    elif isinstance(value, tuple):
        value = [display_identifier(v) for v in value]
    elif isinstance(value, Decimal):
        value = str(value)
    return {
        "name": item.name,
        "value": value,
        "table": _name(item.table),
        "schema": _name(item.schema),
    }


def _remap(item: Remap) -> dict[str, Any]:
    old, new = item.old_value, item.value
    if item.name in ("REMAP_SCHEMA", "REMAP_TABLESPACE"):
        old, new = display_identifier(old), display_identifier(new)
    elif item.name == "REMAP_TABLE":
        new = display_identifier(new)
    return {"name": item.name, "old_value": old, "value": new, "object_type": item.object_type}


def _parameter(item: Parameter) -> dict[str, Any]:
    value = item.value
    if item.info.kind is Kind.NAME and isinstance(value, str):
        value = display_identifier(value)
    return {"name": item.name, "value": value}


def from_dict(data: Mapping[str, Any]) -> JobSpec:
    from airflow_datapump.core.spec import JobSpec

    if not isinstance(data, Mapping):
        raise SpecError("spec", data, "a mapping as written by JobSpec.to_dict()")
    fields = dict(data)
    version = fields.pop("format", FORMAT)
    if version != FORMAT:
        raise SpecError("format", version, f"format {FORMAT}, as written by this release")
    password = fields.pop("encryption_password", None)
    if password is not None:
        if password != {"redacted": True}:
            raise SpecError("encryption_password", "***", "null or the redaction marker")
        fields["encryption_password"] = Secret.redacted()
    parameters = fields.get("parameters")
    if isinstance(parameters, list | tuple):  # anything else: JobSpec names what is wrong
        fields["parameters"] = [
            (p.get("name"), p.get("value")) if isinstance(p, Mapping) else p for p in parameters
        ]
    try:
        return JobSpec(**fields)
    except TypeError as error:
        raise SpecError("spec", sorted(fields), f"the keys JobSpec.to_dict() writes ({error})") from None
