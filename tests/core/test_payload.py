"""oracledb-datapump's JSON request payloads load as they are (github.com/onedatascan/oracledb-datapump).

The four SUBMIT payloads below are the ones in that project's README, unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest

from airflow_datapump import JobSpec, Remap, SpecError
from airflow_datapump.core.filters import FilterCall

README_EXPORT = {
    "operation": "EXPORT",
    "mode": "SCHEMA",
    "wait": True,
    "directives": [{"name": "INCLUDE_SCHEMA", "value": "HR"}],
}
README_IMPORT = {
    "operation": "IMPORT",
    "mode": "SCHEMA",
    "wait": True,
    "dumpfiles": ["HR.dmp"],
    "directives": [
        {"name": "PARALLEL", "value": 1},
        {"name": "INCLUDE_SCHEMA", "value": "HR"},
        {"name": "OID", "value": False},
        {"name": "REMAP_SCHEMA", "old_value": "HR", "value": "HR2"},
        {"name": "TABLE_EXISTS_ACTION", "value": "REPLACE"},
    ],
}
README_IMPORT_NO_WAIT = {**README_IMPORT, "wait": False}
README_LAMBDA_EXPORT = {
    "operation": "EXPORT",
    "mode": "SCHEMA",
    "wait": False,
    "directives": [
        {"name": "PARALLEL", "value": 2},
        {"name": "COMPRESSION", "value": "ALL"},
        {"name": "INCLUDE_SCHEMA", "value": "HR"},
    ],
}


@pytest.mark.parametrize(
    "payload", [README_EXPORT, README_IMPORT, README_IMPORT_NO_WAIT, README_LAMBDA_EXPORT]
)
def test_readme_payloads_load_unchanged(payload: dict[str, Any]) -> None:
    spec = JobSpec.from_payload(payload)
    assert spec.schemas == ("HR",)
    assert spec.metadata_filters()[0] == FilterCall("SCHEMA_LIST", "'HR'")


def test_import_payload_means_what_it_says() -> None:
    spec = JobSpec.from_payload(README_IMPORT)
    assert (spec.operation, spec.mode, spec.dump_files, spec.parallel) == (
        "IMPORT",
        "SCHEMA",
        ("HR.dmp",),
        1,
    )
    assert spec.remaps == (Remap("REMAP_SCHEMA", "HR", "HR2"),)
    assert [(t.name, t.value) for t in spec.transforms] == [("OID", 0)]
    assert spec.parameter("TABLE_EXISTS_ACTION") == "REPLACE"


def test_lambda_export_payload() -> None:
    spec = JobSpec.from_payload(README_LAMBDA_EXPORT)
    assert spec.parallel == 2
    assert spec.parameter("COMPRESSION") == "ALL"
    assert spec.dump_files == ()  # names are derived from the job name at submit


def test_several_include_schema_directives_become_one_list_filter() -> None:
    # The prior art issued one SCHEMA_EXPR per directive; Oracle ANDs them, so two schemas
    # matched nothing.
    payload = {
        **README_EXPORT,
        "directives": [{"name": "INCLUDE_SCHEMA", "value": s} for s in ("HR", "OE")],
    }
    assert JobSpec.from_payload(payload).metadata_filters() == (FilterCall("SCHEMA_LIST", "'HR','OE'"),)


def test_include_table_and_exclude_object_type() -> None:
    payload = {
        "operation": "EXPORT",
        "mode": "SCHEMA",
        "dumpfiles": ["hr.dmp"],
        "directives": [
            {"name": "INCLUDE_SCHEMA", "value": "hr"},
            {"name": "INCLUDE_TABLE", "value": "employees"},
            {"name": "INCLUDE_TABLE", "value": "departments", "object_path": "TABLE"},
            {"name": "EXCLUDE_OBJECT_TYPE", "value": "statistics"},
            {"name": "DATA_OPTIONS", "value": ["SKIP_CONST_ERR", "XMLTYPE_CLOB"]},
            {"name": "FLASHBACK_TIME", "value": "2024-01-31T10:00:00+00:00"},
        ],
    }
    spec = JobSpec.from_payload(payload)
    assert spec.metadata_filters() == (
        FilterCall("SCHEMA_LIST", "'HR'"),
        FilterCall("EXCLUDE_PATH_LIST", "'STATISTICS'"),
        FilterCall("NAME_EXPR", "IN ('EMPLOYEES','DEPARTMENTS')", "TABLE"),
    )
    assert spec.parameter("DATA_OPTIONS") == 3


def test_include_table_in_table_mode_lists_tables() -> None:
    payload = {
        "operation": "EXPORT",
        "mode": "TABLE",
        "dumpfiles": ["t.dmp"],
        "directives": [{"name": "INCLUDE_TABLE", "value": "HR.EMPLOYEES"}],
    }
    assert [str(t) for t in JobSpec.from_payload(payload).tables] == ["HR.EMPLOYEES"]


def test_encryption_password_directive_becomes_a_secret() -> None:
    payload = {
        **README_IMPORT,
        "directives": [{"name": "ENCRYPTION_PASSWORD", "value": "Hunter2"}],
    }
    spec = JobSpec.from_payload(payload)
    assert spec.encryption_password is not None
    assert spec.encryption_password.reveal() == "Hunter2"  # not upper-cased, unlike the prior art
    assert "Hunter2" not in repr(spec)


@pytest.mark.parametrize(
    ("payload", "field", "allowed"),
    [
        (
            {**README_EXPORT, "request": "SUBMIT"},
            "payload.request",
            "keys directives, dumpfiles, mode",
        ),
        ({**README_EXPORT, "wait": "yes"}, "payload.wait", "true or false"),
        ({**README_EXPORT, "mode": "SCHEMAS"}, "payload.mode", "one of FULL, SCHEMA"),
        (
            {**README_EXPORT, "directives": [{"name": "INCLUDE_SCHEMAS", "value": "HR"}]},
            "payload.directives[0].name",
            "one of INCLUDE_SCHEMA",
        ),
        (
            {
                **README_EXPORT,
                "directives": [{"name": "EXCLUDE_OBJECT_TYPE", "value": "INDEX", "object_path": "TABLE"}],
            },
            "payload.directives[0].object_path",
            "no object_path for EXCLUDE_OBJECT_TYPE",
        ),
        (
            {
                **README_EXPORT,
                "directives": [{"name": "COMPRESSION", "value": "ALL", "old_value": "X"}],
            },
            "payload.directives[0].old_value",
            "old_value only for REMAP_* directives",
        ),
        (
            {**README_EXPORT, "directives": [{"name": "DELETE_FILES", "value": True}]},
            "delete_dump_files",
            "only for a file-based import",
        ),
        (
            {**README_EXPORT, "directives": [{"name": "COMPRESSION", "value": "bogus"}]},
            "parameters.COMPRESSION",
            "one of",
        ),
        (
            {**README_EXPORT, "directives": "INCLUDE_SCHEMA=HR"},
            "payload.directives",
            "a list of directive objects",
        ),
    ],
)
def test_bad_payloads_are_refused(payload: dict[str, Any], field: str, allowed: str) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec.from_payload(payload)
    assert caught.value.field == field
    assert allowed in caught.value.allowed
