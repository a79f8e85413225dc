"""A REMAP_TABLESPACE to a tablespace the target does not have is refused before the import is
submitted: Oracle would start it and fail every table's CREATE (ORA-39083 over ORA-00959),
then every dependent object, ending "completed with N error(s)" with nothing loaded."""

from __future__ import annotations

import asyncio
import logging

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.status import Verdict
from airflow_datapump.exceptions import SpecError
from airflow_datapump.hooks import _pool, datapump
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.hooks.conftest import PASSWORD, run_to_end

EXPORT_HR = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["hr.dmp"], job_name="EXP_HR")


def _import(target: str, *, network: bool = False) -> JobSpec:
    return JobSpec(
        "IMPORT",
        "SCHEMA",
        schemas=["HR"],
        dump_files=[] if network else ["hr.dmp"],
        network_link="PROD" if network else None,
        remap_schemas={"HR": "HR2"},
        remap_tablespaces={"USERS": target},
        job_name="IMP_HR2",
    )


def test_a_missing_target_tablespace_is_refused_before_submit(db: DatabaseHandle, hook: DatapumpHook) -> None:
    assert run_to_end(db, hook, EXPORT_HR) is Verdict.SUCCEEDED
    with pytest.raises(SpecError) as refused:
        hook.submit(_import("APP_DATA"))
    error = refused.value
    assert error.field == "remaps.REMAP_TABLESPACE"
    assert error.value == "APP_DATA"
    assert "SYSAUX, SYSTEM, USERS" in error.allowed  # the permanent ones the target has
    assert "TEMP" not in error.allowed
    assert db.jobs() == []
    assert not (db.directory_path() / "IMP_HR2.log").exists()  # nothing started


def test_an_existing_target_tablespace_imports(db: DatabaseHandle, hook: DatapumpHook) -> None:
    assert run_to_end(db, hook, EXPORT_HR) is Verdict.SUCCEEDED
    db.execute("CREATE TABLESPACE app_data DATAFILE '/u02/app_data.dbf' SIZE 50M")
    assert run_to_end(db, hook, _import("APP_DATA")) is Verdict.SUCCEEDED
    placed = db.execute("SELECT DISTINCT tablespace_name FROM dba_tables WHERE owner = 'HR2'")
    assert placed == [("APP_DATA",)]


def test_a_network_import_is_checked_on_its_target(db: DatabaseHandle, hook: DatapumpHook) -> None:
    db.execute(f"CREATE PUBLIC DATABASE LINK prod CONNECT TO system IDENTIFIED BY \"{PASSWORD}\" USING 'x'")
    with pytest.raises(SpecError, match=r"remaps.REMAP_TABLESPACE: 'NOSUCH' is not allowed"):
        hook.submit(_import("NOSUCH", network=True))
    assert db.jobs() == []


def test_without_dba_tablespaces_the_check_is_skipped_and_said_once(
    oracle: EmulatedOracle,
    db: DatabaseHandle,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A user who may not read DBA_TABLESPACES (ORA-00942) imports as before. USER_TABLESPACES
    is no substitute: it lists only the tablespaces the importing user has a quota on, and the
    tables' owner, not the importer, needs the quota on the target."""
    monkeypatch.setattr(datapump, "_TABLESPACES_UNREADABLE_TOLD", set())  # once per process
    monkeypatch.setenv("AIRFLOW_CONN_HR_CONN", oracle.connection_uri(user="hr", password="hr"))
    db.execute("GRANT READ, WRITE ON DIRECTORY data_pump_dir TO hr")
    hr = DatapumpHook(oracle_conn_id="hr_conn")
    own = JobSpec("EXPORT", "SCHEMA", dump_files=["own.dmp"], job_name="OWN")
    assert run_to_end(db, hr, own) is Verdict.SUCCEEDED
    caplog.set_level(logging.WARNING)
    for name in ("IMP_A", "IMP_B"):
        spec = JobSpec("IMPORT", "SCHEMA", dump_files=["own.dmp"], remap_tablespaces={"USERS": "NOSUCH"},
                       parameters={"TABLE_EXISTS_ACTION": "REPLACE"}, job_name=name)  # fmt: skip
        hr.submit(spec)
    hr.close()
    assert sorted(j["name"] for j in db.jobs()) == ["IMP_A", "IMP_B"]
    said = [r.getMessage() for r in caplog.records if "DBA_TABLESPACES" in r.getMessage()]
    assert len(said) == 1
    assert "REMAP_TABLESPACE" in said[0]


def test_the_async_submit_refuses_it_too(db: DatabaseHandle, hook: DatapumpHook) -> None:
    assert run_to_end(db, hook, EXPORT_HR) is Verdict.SUCCEEDED

    async def submit() -> None:
        try:
            await hook.async_submit(_import("APP_DATA"))
        finally:
            await _pool.close_pools()

    with pytest.raises(SpecError, match=r"remaps.REMAP_TABLESPACE: 'APP_DATA' is not allowed"):
        asyncio.run(submit())
    assert db.jobs() == []
