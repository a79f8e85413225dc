"""Bad operator and sensor arguments fail when the DAG is parsed, naming field, value and rule.

Nothing here needs a database: each mistake is refused before any session opens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from airflow_datapump import SpecError
from airflow_datapump.operators import ExportOperator, ImportOperator
from airflow_datapump.sensors import JobSensor


def imp(**kwargs: Any) -> ImportOperator:
    return ImportOperator(**{"task_id": "imp", "dump_files": ["hr.dmp"], "schemas": ["HR"], **kwargs})


def exp(**kwargs: Any) -> ExportOperator:
    return ExportOperator(**{"task_id": "exp", "schemas": ["HR"], **kwargs})


BAD = [
    ("protected_schemas", "PROD_HR", "a list of schema names", {"protected_schemas": "PROD_HR"}),
    ("protected_schemas[0]", "no such name!", "an Oracle name", {"protected_schemas": ["no such name!"]}),
    ("poll_interval", -1, "a number of seconds > 0", {"poll_interval": -1}),
    ("poll_interval", 0, "a number of seconds > 0", {"poll_interval": 0}),
    ("poll_interval", "30", "a number of seconds > 0", {"poll_interval": "30"}),
    ("poll_interval", float("nan"), "a number of seconds > 0", {"poll_interval": float("nan")}),
    ("timeout", -5, "a number of seconds > 0", {"timeout": -5}),
    ("timeout", "1h", "a number of seconds > 0", {"timeout": "1h"}),
    ("timeout", 0, "a number of seconds > 0", {"timeout": 0}),
    ("log_tail_lines", -1, "a whole number of lines >= 0", {"log_tail_lines": -1}),
    ("log_tail_lines", "20", "a whole number of lines >= 0", {"log_tail_lines": "20"}),
    ("allowed_errors", "ORA-31684", "a list of ORA codes", {"allowed_errors": "ORA-31684"}),
    ("allowed_errors[0]", "31684", "an ORA code such as ORA-31684", {"allowed_errors": ["31684"]}),
    ("spec", "EXPORT HR", "a JobSpec, its to_dict()", {"spec": "EXPORT HR"}),
    ("encryption_password_variable", "", "a non-empty string", {"encryption_password_variable": ""}),
]


@pytest.mark.parametrize(
    ("field", "value", "allowed", "kwargs"), BAD, ids=[f"{f}={v!r}" for f, v, _, _ in BAD]
)
def test_a_bad_argument_fails_at_parse(
    field: str, value: object, allowed: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(SpecError) as caught:
        imp(**kwargs)
    assert caught.value.field == field
    assert caught.value.value == value or value != value  # NaN is not equal to itself
    assert allowed in caught.value.allowed


def test_protected_schemas_are_names_as_oracle_stores_them() -> None:
    op = imp(protected_schemas=["prod_hr", '"Mixed"'], allowed_errors=["ora-31684"])
    assert op.protected_schemas == ("PROD_HR", "Mixed")
    assert op.allowed_errors == ("ORA-31684",)


def test_good_seconds_are_kept_as_seconds() -> None:
    op = exp(poll_interval=0.5, timeout=dt.timedelta(minutes=2))
    assert (op.poll_interval, op.timeout) == (0.5, 120.0)


def test_a_mapping_spec_is_checked_at_parse() -> None:
    with pytest.raises(SpecError) as caught:
        exp(spec={"format": 1, "operation": "EXPORT", "mode": "SCHEMA", "parameters": 5})
    assert caught.value.field == "parameters"
    assert caught.value.value == 5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"job_name": "no such name!"}, "job_name"),
        ({"job_name": "A", "job_owner": "not an owner!"}, "job_owner"),
        ({"job_name": "A", "log_file": "../etc/x.log"}, "log_file"),
    ],
)
def test_a_sensor_checks_names_that_are_not_templated(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(SpecError) as caught:
        JobSensor(task_id="wait", **kwargs)
    assert caught.value.field == field


def test_a_sensor_leaves_templated_names_to_run_time() -> None:
    sensor = JobSensor(task_id="wait", job_name="{{ params.job }}", job_owner="{{ params.owner }}")
    assert sensor.job_name == "{{ params.job }}"


@pytest.mark.parametrize("configured", [True, False])
def test_deferrable_defaults_to_airflows_setting_for_operators_and_sensors(
    monkeypatch: pytest.MonkeyPatch, configured: bool
) -> None:
    monkeypatch.setenv("AIRFLOW__OPERATORS__DEFAULT_DEFERRABLE", str(configured))
    sensor = JobSensor(task_id="wait", job_name="EXP_HR")
    assert (exp().deferrable, sensor.deferrable) == (configured, configured)
    explicit = JobSensor(task_id="wait2", job_name="EXP_HR", deferrable=not configured)
    assert (exp(deferrable=not configured).deferrable, explicit.deferrable) == (not configured,) * 2
