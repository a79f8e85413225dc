"""Values that would break the submit call are refused when the JobSpec is built (issue 9 §6)."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_datapump import JobSpec, SpecError
from airflow_datapump.core import calls

EXP: dict[str, Any] = {"operation": "EXPORT", "mode": "SCHEMA", "dump_files": ["hr.dmp"]}
IMP: dict[str, Any] = {"operation": "IMPORT", "mode": "SCHEMA", "dump_files": ["hr.dmp"]}


@pytest.mark.parametrize("parameters", [5, "COMPRESSION=ALL", 1.5])
def test_from_dict_with_parameters_of_the_wrong_shape_names_the_field(parameters: object) -> None:
    data = {**JobSpec(**EXP).to_dict(), "parameters": parameters}
    with pytest.raises(SpecError) as caught:
        JobSpec.from_dict(data)
    assert caught.value.field == "parameters"
    assert caught.value.value == parameters


DELIMITED = [
    ("schemas[0]", {**EXP, "schemas": ['"HR\x1e"']}),
    ("tables[0]", {**EXP, "mode": "TABLE", "tables": ['HR."EMP\x1f"']}),
    ("data_filters.SUBQUERY", {**EXP, "query": "WHERE name = 'a\x1fb'"}),
    ("include[0]", {**EXP, "include": ["TABLE:IN ('EMP\x1e')"]}),
    (
        "name_filters[0].values",
        {**EXP, "name_filters": [{"object_path": "TABLE", "operator": "=", "values": ["A\x1f"]}]},
    ),
    ("remaps.REMAP_DATAFILE.value", {**IMP, "remap_datafiles": {"/u01/a.dbf": "/u02/a\x1e.dbf"}}),
    ("remaps.REMAP_SCHEMA.value", {**IMP, "remap_schemas": {"HR": '"HR\x1f2"'}}),
    ("encryption_password", {**EXP, "encryption_password": "pass\x1eword"}),
    ("parameters.ENCRYPTION_PASSWORD", {**EXP, "parameters": {"ENCRYPTION_PASSWORD": "pass\x1fword"}}),
    ("job_name", {**EXP, "job_name": '"JOB\x1e"'}),
    ("directory", {**EXP, "directory": '"DIR\x1f"'}),
]


@pytest.mark.parametrize(("field", "arguments"), DELIMITED, ids=[f for f, _ in DELIMITED])
def test_the_stream_delimiters_are_refused_when_the_spec_is_built(
    field: str, arguments: dict[str, Any]
) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec(**arguments)
    assert caught.value.field == field
    assert "\\x1e and \\x1f" in caught.value.allowed


@pytest.mark.parametrize(
    ("job_name", "arguments"),
    [
        ('"NIGHTLY/HR"', EXP),  # the default log file would be a path (ORA-39088)
        ('"NIGHTLY%S"', EXP),  # ... or carry a substitution variable Data Pump refuses
        ('" NIGHTLY"', IMP),  # ... or start with a space
        ('"A/B"', {"operation": "EXPORT", "mode": "SCHEMA", "log_file": "given.log"}),  # default dump
    ],
)
def test_default_file_names_from_a_quoted_job_name_are_checked(
    job_name: str, arguments: dict[str, Any]
) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec(**arguments, job_name=job_name)
    assert caught.value.field == "job_name"
    assert caught.value.value == job_name
    assert "default file name" in caught.value.allowed


def test_given_file_names_make_such_a_job_name_usable() -> None:
    spec = JobSpec(**EXP, job_name='"NIGHTLY/HR"', log_file="nightly.log")
    assert spec.job_name == "NIGHTLY/HR"


def test_a_job_name_given_to_submit_is_checked_the_same_way() -> None:
    with pytest.raises(SpecError, match="job_name"):
        calls.submit(JobSpec(**EXP), job_name="A/B", consistent=False, log_entry=None)
