"""Object storage dump files through the operators (issue 14 §3): an export writes them by a
pre-authenticated request URI, an import reads them back, and the URI's token appears in no
task log, XCom, rendered field, trigger row or other metadata row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_datapump.exceptions import SpecError
from airflow_datapump.operators import ExportOperator
from airflow_datapump.operators._identity import run_of
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from tests.operators.test_par_uri import run_and_search

DAGS = Path(__file__).parent / "dags"
TOKEN = "Hy7Tq2Wm9Lc4Xs8Bn3Kd6Pf1Rg5Vz0Je"
PAR = f"https://objectstorage.eu-frankfurt-1.oraclecloud.com/p/{TOKEN}/n/acme/b/dumps/o/hr"


@pytest.fixture
def db(airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    monkeypatch.setenv("AIRFLOW_VAR_DUMP_PAR_URI", PAR)  # from the environment: not in the metadata DB
    with emulated_oracle(clock="wall") as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", oracle.connection_uri("FREEPDB1"))
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        handle.set_job_rate(10_000_000)
        handle.enable_package("DBMS_CLOUD")
        handle.execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('OCI_CRED', 'user', 'token'); END;")
        yield handle


@pytest.mark.dag_test
def test_an_export_to_a_par_uri_imports_back_and_the_token_appears_nowhere(
    db: DatabaseHandle,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    places = run_and_search(DAGS / "uri_dump.py", monkeypatch, caplog, capfd)
    assert db.rows("HR2", "EMPLOYEES") == db.rows("HR", "EMPLOYEES")
    assert sorted(p.name for p in (db.object_store / "dumps" / "hr").iterdir()) == ["hr01.dmp"]
    assert "precheck (through BFILE, in a directory) is skipped" in places["task logs"]  # searched
    for table in ("rendered_task_instance_fields", "xcom"):
        assert f"{table}: " in places["metadata rows"]  # the places searched hold rows of this run
    assert "/p/***/n/acme" in places["metadata rows"]
    for place, text in places.items():
        assert TOKEN not in text, f"the PAR token is in the {place}"


def test_an_export_with_asset_outlets_refuses_uri_dump_files() -> None:
    from airflow_datapump.assets import dump_set_asset

    task = ExportOperator(
        task_id="export",
        schemas=["HR"],
        credential="OCI_CRED",
        dump_files=[f"{PAR}/hr%U.dmp"],
        outlets=[dump_set_asset("localhost:1521/FREEPDB1", "DATA_PUMP_DIR", "hr%U.dmp")],
    )
    with pytest.raises(SpecError, match="no Asset outlets with object storage dump files"):
        task.check_safety(task.build_spec(None), None, run_of(task, {}))  # type: ignore[arg-type]
