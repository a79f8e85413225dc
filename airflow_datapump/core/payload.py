"""Read the ``payload`` of an oracledb-datapump JSON SUBMIT request into a JobSpec.

Teams moving from that project keep their request files: ``operation``, ``mode``,
``dumpfiles`` and ``directives`` (``name``/``value``/``old_value``/``object_path``) load as
they are. Two of its behaviours are deliberately not copied: several ``INCLUDE_SCHEMA`` (or
``INCLUDE_TABLE``) directives become ONE list filter rather than several ANDed filters that
match nothing, and ``DELETE_FILES`` is accepted for imports only. ``wait`` and ``tag`` are
accepted and ignored: waiting is the operator's business here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from airflow_datapump.core import catalog
from airflow_datapump.core.coerce import as_choice
from airflow_datapump.core.names import identifier
from airflow_datapump.exceptions import SpecError

if TYPE_CHECKING:
    from airflow_datapump.core.spec import JobSpec

_PAYLOAD_KEYS = {"operation", "mode", "wait", "dumpfiles", "directives", "tag"}
_DIRECTIVE_KEYS = {"name", "value", "old_value", "object_path", "kwargs"}
_FILTERS = ("INCLUDE_SCHEMA", "INCLUDE_TABLE", "EXCLUDE_OBJECT_TYPE")
_SPECIAL = ("PARALLEL", "DELETE_FILES")
DIRECTIVES = _FILTERS + _SPECIAL + catalog.REMAPS + tuple(catalog.TRANSFORMS) + tuple(catalog.PARAMETERS)


class _Collected:
    """What the directives add up to, before the JobSpec checks it as a whole."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.schemas: list[object] = []
        self.tables: list[object] = []
        self.exclude: list[object] = []
        self.remaps: list[dict[str, object]] = []
        self.transforms: list[dict[str, object]] = []
        self.parameters: list[tuple[object, object]] = []


def from_payload(payload: Mapping[str, Any]) -> JobSpec:
    from airflow_datapump.core.spec import JobSpec

    if not isinstance(payload, Mapping):
        raise SpecError("payload", payload, "a mapping with operation, mode, dumpfiles, directives")
    unknown = sorted(set(payload) - _PAYLOAD_KEYS)
    if unknown:
        raise SpecError(
            f"payload.{unknown[0]}", payload[unknown[0]], "keys " + ", ".join(sorted(_PAYLOAD_KEYS))
        )
    if not isinstance(payload.get("wait", False), bool):
        raise SpecError("payload.wait", payload["wait"], "true or false")
    mode = as_choice(payload.get("mode"), "payload.mode", [m.value for m in _modes()])
    collected = _Collected()
    directives = payload.get("directives") or []
    if not isinstance(directives, list):
        raise SpecError("payload.directives", directives, "a list of directive objects")
    for index, directive in enumerate(directives):
        _apply(collected, directive, f"payload.directives[{index}]", mode)
    table_names = [
        identifier(name, "payload.directives.INCLUDE_TABLE.value")
        for name in (collected.tables if mode != "TABLE" else [])
    ]
    name_filters = [{"object_path": "TABLE", "operator": "IN", "values": table_names}] if table_names else []
    return JobSpec(
        payload.get("operation"),  # type: ignore[arg-type]
        mode,
        dump_files=payload.get("dumpfiles") or (),
        schemas=collected.schemas,
        tables=collected.tables if mode == "TABLE" else (),
        exclude=collected.exclude,
        name_filters=name_filters,
        remaps=collected.remaps,
        transforms=collected.transforms,
        parameters=collected.parameters,
        **collected.fields,
    )


def _modes() -> tuple[Any, ...]:
    from airflow_datapump.core.spec import Mode

    return tuple(Mode)


def _apply(collected: _Collected, directive: object, where: str, mode: str) -> None:
    if not isinstance(directive, Mapping):
        raise SpecError(where, directive, "a mapping with name and value")
    unknown = sorted(set(directive) - _DIRECTIVE_KEYS)
    if unknown:
        raise SpecError(
            f"{where}.{unknown[0]}",
            directive[unknown[0]],
            "keys " + ", ".join(sorted(_DIRECTIVE_KEYS)),
        )
    name = as_choice(directive.get("name"), f"{where}.name", DIRECTIVES)
    value, path = directive.get("value"), directive.get("object_path")
    if directive.get("kwargs"):
        raise SpecError(f"{where}.kwargs", directive["kwargs"], "no kwargs for " + name)
    if name in catalog.REMAPS:
        collected.remaps.append(
            {
                "name": name,
                "old_value": directive.get("old_value"),
                "value": value,
                "object_type": path,
            }
        )
        return
    if directive.get("old_value") is not None:
        raise SpecError(f"{where}.old_value", directive["old_value"], "old_value only for REMAP_* directives")
    if name in catalog.TRANSFORMS:
        collected.transforms.append({"name": name, "value": value, "object_type": path})
        return
    if path is not None and not (name == "INCLUDE_TABLE" and str(path).upper() == "TABLE"):
        raise SpecError(f"{where}.object_path", path, f"no object_path for {name}")
    if name == "INCLUDE_SCHEMA":
        collected.schemas.append(value)
    elif name == "INCLUDE_TABLE":
        collected.tables.append(value)
    elif name == "EXCLUDE_OBJECT_TYPE":
        collected.exclude.append(value)
    elif name == "PARALLEL":
        collected.fields["parallel"] = value
    elif name == "DELETE_FILES":
        collected.fields["delete_dump_files"] = value
    else:
        collected.parameters.append((name, value))
