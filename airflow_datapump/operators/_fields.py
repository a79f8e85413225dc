"""The job arguments operators take, their templating, and checks made when a DAG is parsed.

What is templated (schemas, tables, file names, remaps, filters, parameters such as
FLASHBACK_TIME, the job name, the degree of parallelism) is checked when the task runs;
everything else is checked when the DAG is parsed, so a bad DAG fails with the job model's
message and never reaches Oracle.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from airflow_datapump._compat import conf
from airflow_datapump.core import calls
from airflow_datapump.core.names import identifier
from airflow_datapump.core.secret import Secret
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import SpecError
from airflow_datapump.operators import _expdp_args

TEMPLATED = (
    "schemas", "tables", "tablespaces", "directory", "dump_files", "log_file", "sql_file", "include",
    "exclude", "name_filters", "data_filters", "query", "remaps", "remap_schemas", "remap_tablespaces",
    "remap_tables", "remap_datafiles", "parameters", "job_name", "network_link", "parallel",
    *_expdp_args.NAMES,
)  # fmt: skip
JOB_ARGUMENTS = (
    *TEMPLATED, "mode", "credential", "file_size", "reuse_dump_files", "log_directory", "version",
    "transforms", "encryption_password", "delete_dump_files",
)  # fmt: skip
_JINJA = ("{{", "{%")


def take_job_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pop the job's arguments from an operator's keyword arguments (BaseOperator refuses them)."""
    taken = {name: kwargs.pop(name) for name in JOB_ARGUMENTS if name in kwargs}
    taken.setdefault("mode", "SCHEMA")
    return taken


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise SpecError(field, value, "one of " + ", ".join(allowed))


def deferrable_or_default(value: bool | None) -> bool:
    """``deferrable`` as given, else Airflow's ``[operators] default_deferrable`` (False unset)."""
    if value is None:
        return conf.getboolean("operators", "default_deferrable", fallback=False)
    return value


def templated(value: Any) -> bool:
    if isinstance(value, str):
        return any(marker in value for marker in _JINJA)
    if isinstance(value, Mapping):
        return any(templated(k) or templated(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(templated(v) for v in value)
    return False


def _without_templates(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if not (templated(k) or templated(v))}
    if isinstance(value, list | tuple):
        return [v for v in value if not templated(v)]
    return None if templated(value) else value


def current_arguments(operator: Any) -> dict[str, Any]:
    return {name: getattr(operator, name) for name in operator.job_args}


def spec_of(operator: Any, operation: str, *, password: Secret | None) -> JobSpec:
    """The job the operator describes, with ``password`` when the arguments (not ``spec``) do."""
    spec = operator.spec
    if isinstance(spec, JobSpec):
        return spec
    if isinstance(spec, Mapping):
        return JobSpec.from_dict(spec) if "format" in spec else JobSpec.from_payload(spec)
    if _expdp_args.given(current_arguments(operator)):
        return _expdp_args.spec(operation, current_arguments(operator), password=password)
    return JobSpec(operation, **current_arguments(operator), encryption_password=password)


def check_at_parse(operator: Any, *, password: Secret | None) -> None:
    """Build the job from what is not templated; errors about templated fields wait for run time.

    ``password`` stands in for one that is only known when the task runs (a template, or the
    Variable named by ``encryption_password_variable``), so ENCRYPTION_MODE=PASSWORD checks.
    """
    if operator.spec is not None and not isinstance(operator.spec, JobSpec):
        spec_of(operator, operator.operation, password=password)
        return
    if operator.spec is not None:
        return
    arguments = current_arguments(operator)
    if _expdp_args.given(arguments):
        text_templated = any(templated(arguments.get(name)) for name in _expdp_args.NAMES)
        _expdp_args.check_at_parse(operator.operation, arguments, password=password, templated=text_templated)
        return
    deferred = {name for name, value in arguments.items() if templated(value)}
    cleaned = {
        name: _without_templates(value) if name in deferred else value for name, value in arguments.items()
    }
    cleaned = {name: value for name, value in cleaned.items() if value is not None}
    try:
        JobSpec(operator.operation, **cleaned, encryption_password=password)
    except SpecError as error:
        root = error.field.split(".")[0].split("[")[0]
        if root not in deferred and not _RELATED.get(root, set()) & deferred:
            raise


# A rule about one field can be settled by another that is templated: the number of dump files
# bounds PARALLEL, and whether the job is in network mode (a templated link may render to one)
# decides which rules about dump files, data filters and parameters apply.
_RELATED = {
    "dump_files": {"parallel", "network_link"},
    "remaps": {"schemas"},  # a remapped schema must be one imported: a template may name it
    "parallel": {"dump_files"},
    "delete_dump_files": {"network_link", "dump_files"},
    "credential": {"dump_files"},
    "data_filters": {"network_link"},
    "parameters": {"network_link"},
}


def ref_for(spec: JobSpec, owner: str) -> JobRef:
    """The reference a job of this spec has, without asking the database: the submit call
    derives it from the spec alone, so it is taken from there."""
    return calls.submit(spec, job_name=None, consistent=False, log_entry=None).parse({"owner": owner}, [])


def with_password(spec: JobSpec, password: Secret) -> JobSpec:
    """The same job with its encryption password (a JSON round trip would redact it)."""
    rebuilt = copy.copy(spec)
    object.__setattr__(rebuilt, "encryption_password", password)
    return rebuilt


def with_job_name(spec: JobSpec, name: str) -> JobSpec:
    rebuilt = copy.copy(spec)
    object.__setattr__(rebuilt, "job_name", identifier(name, "job_name"))
    return rebuilt


# -- the operators' own arguments, checked when the DAG is parsed ------------------------------

_ORA_CODE = re.compile(r"ORA-[0-9]{5}\Z")


def line_count(field: str, value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise SpecError(field, value, "a whole number of lines >= 0, or None for the whole log")


def error_codes_allowed(value: object) -> tuple[str, ...]:
    """ORA codes such as ``["ORA-31684"]``; one string would be read letter by letter."""
    if not isinstance(value, list | tuple | set | frozenset):
        raise SpecError("allowed_errors", value, 'a list of ORA codes such as ["ORA-31684"]')
    codes = []
    for index, code in enumerate(value):
        text = code.strip().upper() if isinstance(code, str) else None
        if text is None or not _ORA_CODE.match(text):
            raise SpecError(f"allowed_errors[{index}]", code, "an ORA code such as ORA-31684")
        codes.append(text)
    return tuple(codes)


def schema_names(field: str, value: object) -> tuple[str, ...]:
    """Schema names as Oracle stores them; one string would be read letter by letter."""
    if not isinstance(value, list | tuple | set | frozenset):
        raise SpecError(field, value, 'a list of schema names such as ["PROD_HR"]')
    return tuple(identifier(name, f"{field}[{index}]") for index, name in enumerate(value))


def whole_spec(value: object) -> None:
    if value is not None and not isinstance(value, JobSpec | Mapping):
        raise SpecError("spec", value, "a JobSpec, its to_dict(), an oracledb-datapump payload, or None")


def optional_name(field: str, value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise SpecError(field, value, "a non-empty string, or None")
