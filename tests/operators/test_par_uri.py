"""A pre-authenticated request URI is a secret: its token appears nowhere (issue 14).

Anyone holding a PAR URI reads the bucket. ``dag.test()`` uploads and downloads a set through
one, given by a Variable template; then the task logs, the metadata database (rendered fields,
XCom, Asset events, task instances) and the tasks' return values are searched for the token.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_datapump.core import cloud
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from tests.operators.conftest import load_dag_file
from tests.operators.test_password_routes import _metadata_text

DAGS = Path(__file__).parent / "dags"
TOKEN = "Zq9Xw2Lk7Rt4Vb8Nm3Hs6Jd1Fg5Pc0Ay"
PAR = f"https://objectstorage.eu-frankfurt-1.oraclecloud.com/p/{TOKEN}/n/acme/b/dumps/o/par"


def test_the_token_of_a_par_uri_is_found_and_redacted() -> None:
    assert cloud.par_token(PAR) == TOKEN
    assert cloud.redacted_uri(PAR) == PAR.replace(TOKEN, "***")
    plain = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/par"
    assert cloud.par_token(plain) is None
    assert cloud.redacted_uri(plain) == plain


@pytest.fixture
def db(airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    monkeypatch.setenv("AIRFLOW_VAR_DUMP_PAR_URI", PAR)  # from the environment: not in the metadata DB
    with emulated_oracle(clock="wall") as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", oracle.connection_uri("FREEPDB1"))
        handle = oracle.database("FREEPDB1")
        handle.enable_package("DBMS_CLOUD")
        for number in (1, 2):
            (handle.directory_path() / f"par_{number:02d}.dmp").write_bytes(os.urandom(2048 * number))
        yield handle


def run_and_search(
    dag_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> dict[str, str]:
    """Run a DAG file with ``dag.test()`` (it must succeed) and return the text of every place a
    secret could be left: the task logs, every metadata row, the metadata database's file."""
    import airflow.settings
    from airflow.utils.state import DagRunState

    monkeypatch.setattr(airflow.settings, "DAGS_FOLDER", str(dag_file.parent))
    run = load_dag_file(dag_file).dag.test()
    assert run.state == DagRunState.SUCCESS
    output = capfd.readouterr()
    rows, raw = _metadata_text()
    return {
        "task logs": "\n".join((caplog.text, output.out, output.err)),
        "metadata rows": rows,
        "metadata file": raw.decode("latin-1"),
    }


@pytest.mark.dag_test
def test_a_par_uri_token_appears_nowhere(
    db: DatabaseHandle,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    places = run_and_search(DAGS / "par_uri.py", monkeypatch, caplog, capfd)
    landed = sorted(p.name for p in db.directory_path().glob("par_*"))
    assert landed == ["par_01.dmp", "par_02.dmp", "par_XX.dmp.manifest.json"]  # up and back by the PAR
    assert "DBMS_CLOUD.PUT_OBJECT" in places["task logs"]  # the task logs are in what is searched
    rows = places["metadata rows"]
    for table in ("rendered_task_instance_fields", "xcom", "asset_event"):
        assert f"{table}: " in rows  # the places searched hold rows of this run
    assert "/p/***/n/acme" in rows  # XCom, rendered fields and the Asset event show the redacted URI
    for place, text in places.items():
        assert TOKEN not in text, f"the PAR token is in the {place}"
