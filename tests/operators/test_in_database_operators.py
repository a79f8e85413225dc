"""Operators that have the database move dump files itself: DBMS_CLOUD and RDS S3 tasks (issue 14 §3)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from airflow.sdk.execution_time.context import OutletEventAccessors

from airflow_datapump import SpecError
from airflow_datapump.operators import DbmsCloudTransferOperator, RdsS3TransferOperator
from airflow_datapump.testing import EmulatedOracle, emulated_oracle

FOLDER = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/refresh"


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_SOURCE", active.connection_uri("PROD"))
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_TARGET", active.connection_uri("TEST"))
        yield active


def _context() -> dict[str, Any]:
    ti = SimpleNamespace(map_index=-1, try_number=1, start_date=None)
    return {"ti": ti, "run_id": "manual__1", "outlet_events": OutletEventAccessors()}


def _dump_set(oracle: EmulatedOracle) -> dict[str, bytes]:
    files = {"hr_01.dmp": os.urandom(3000), "hr_02.dmp": os.urandom(1024)}
    for name, data in files.items():
        (oracle.database("PROD").directory_path() / name).write_bytes(data)
    return files


def test_dbms_cloud_moves_a_set_from_one_autonomous_database_to_another(oracle: EmulatedOracle) -> None:
    files = _dump_set(oracle)
    for service in ("PROD", "TEST"):
        oracle.database(service).enable_package("DBMS_CLOUD")
        oracle.database(service).execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('OBJ_CRED', 'u', 't'); END;")
    common = {"object_uri": FOLDER, "credential_name": "OBJ_CRED", "dump_files": ["hr_%U.dmp"]}
    up = DbmsCloudTransferOperator(task_id="up", direction="upload", oracle_conn_id="oracle_source", **common)
    summary = up.execute(_context())
    assert summary["files"] == list(files)
    assert summary["bytes"] == sum(map(len, files.values()))
    down = DbmsCloudTransferOperator(
        task_id="down", direction="download", oracle_conn_id="oracle_target", **common
    )
    result = down.execute(_context())
    assert result["directory"] == "DATA_PUMP_DIR"
    for name, data in files.items():
        assert (oracle.database("TEST").directory_path() / name).read_bytes() == data


def test_rds_s3_moves_a_set_between_two_instances(oracle: EmulatedOracle) -> None:
    files = _dump_set(oracle)
    for service in ("PROD", "TEST"):
        oracle.database(service).enable_package("RDSADMIN")
    (oracle.database("PROD").object_store / "acme-dumps").mkdir(parents=True)
    common = {
        "bucket_name": "acme-dumps",
        "s3_prefix": "hr/",
        "dump_files": "hr_%U.dmp",
        "poll_interval": 0.001,
    }
    up = RdsS3TransferOperator(task_id="up", direction="upload", oracle_conn_id="oracle_source", **common)
    assert up.execute(_context())["destination"] == "s3://acme-dumps/hr/"
    down = RdsS3TransferOperator(
        task_id="down", direction="download", oracle_conn_id="oracle_target", **common
    )
    assert down.execute(_context())["files"] == list(files)
    for name, data in files.items():
        assert (oracle.database("TEST").directory_path() / name).read_bytes() == data


def test_a_direction_outside_the_choices_is_refused_at_parse_time() -> None:
    with pytest.raises(SpecError, match="direction"):
        RdsS3TransferOperator(task_id="x", direction="sideways", bucket_name="b", dump_files=["a.dmp"])


@pytest.mark.parametrize(("field", "value"), [("poll_interval", 0), ("poll_interval", -5), ("timeout", 0)])
def test_a_wait_that_is_not_a_positive_number_of_seconds_is_refused_at_parse_time(
    field: str, value: float
) -> None:
    with pytest.raises(SpecError) as caught:
        RdsS3TransferOperator(
            task_id="x", direction="upload", bucket_name="b", dump_files=["a.dmp"], **{field: value}
        )
    assert (caught.value.field, caught.value.value) == (field, value)
    assert "a number of seconds > 0" in str(caught.value)
