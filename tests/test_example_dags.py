"""The example DAGs run end to end with dag.test() on two emulated databases (issue: operators §9)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import EmulatedOracle, emulated_oracle

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dag_test,
    pytest.mark.emulator_only(
        reason="the example refreshes one database from another over a link: two databases"
    ),
]


@pytest.fixture
def databases(airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORACLE_SOURCE", "oracle://system:x@prod.example.com:1521?service_name=PROD"
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORACLE_TARGET", "oracle://system:x@test.example.com:1521?service_name=TEST"
    )
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", "0.05")
    with emulated_oracle(clock="wall") as oracle:
        prod, test = oracle.database("PROD"), oracle.database("TEST")
        prod.load_sample_hr()
        for db in (prod, test):
            db.set_job_rate(50_000_000)
        test.execute(
            "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY x "
            "USING 'prod.example.com/PROD'"
        )
        yield oracle


def test_schema_refresh_copies_hr_into_hr_test(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    dag = load_example("datapump_schema_refresh").dag
    run = dag.test()
    assert run.state == DagRunState.SUCCESS
    prod, test = databases.database("PROD"), databases.database("TEST")
    for table in ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES"):
        assert test.rows("HR_TEST", table) == prod.rows("HR", table)
    assert not list(test.directory_path().glob("hr_*.dmp"))  # the copied dump was deleted
    assert list(prod.directory_path().glob("hr_*_01.dmp"))  # the export itself stays
    assert test.jobs() == []  # nothing left behind
    assert prod.jobs() == []


def test_sensor_waits_for_an_externally_started_job(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    hook = DatapumpHook(oracle_conn_id="oracle_source")
    hook.submit(
        JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["nightly.dmp"], job_name="EXP_NIGHTLY")
    )
    hook.close()
    dag = load_example("datapump_wait_for_external_job").dag
    run = dag.test(run_conf={"job_name": "EXP_NIGHTLY", "job_owner": "SYSTEM"})
    assert run.state == DagRunState.SUCCESS
    assert databases.database("PROD").jobs() == []


def test_the_readme_quick_start_runs(airflow_db: None) -> None:
    import subprocess
    import sys

    script = Path(__file__).parent.parent / "scripts" / "run_schema_refresh_on_emulator.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "TEST.HR_TEST.EMPLOYEES: 20 rows, equal to PROD.HR.EMPLOYEES" in done.stdout
