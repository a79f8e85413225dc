"""The example DAGs, run with dag.test() on either backend.

One database plays both sides of the refresh: the dump is exported into one directory object,
pulled over a database link that points back at the same database into a second directory,
and imported into a new schema from there. tests/test_example_dags.py runs the same DAGs on
two emulated databases, as production and test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType, SimpleNamespace

import pytest
from behaviour_backends import SAMPLE, Backend, export_spec

from airflow_datapump.core import naming
from airflow_datapump.hooks.datapump import DatapumpHook

pytestmark = [pytest.mark.slow, pytest.mark.dag_test]


@pytest.fixture
def connections(backend: Backend, airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """The examples' two connections both lead to the backend's database."""
    uri = os.environ[f"AIRFLOW_CONN_{backend.conn_id.upper()}"]
    monkeypatch.setenv("AIRFLOW_CONN_ORACLE_SOURCE", uri)
    monkeypatch.setenv("AIRFLOW_CONN_ORACLE_TARGET", uri)
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", str(backend.poll_interval))
    backend.let_jobs_run()
    return backend


def test_schema_refresh_copies_the_schema_over_the_link(
    connections: Backend, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    backend = connections
    if backend.second_directory is None:
        pytest.skip("needs a second directory: set AIRFLOW_DATAPUMP_LIVE_SECOND_DIRECTORY_PATH")
    target = f"{backend.prefix}_DST"
    example = load_example("datapump_schema_refresh")
    dag = example.dag
    run = dag.test(
        run_conf={
            "source_schema": backend.schema,
            "target_schema": target,
            "source_directory": backend.directory,
            "target_directory": backend.second_directory,
            "link": backend.link,
        }
    )
    stem = example.run_file_name(run.run_id)  # dump files are named by run
    members = [f"{backend.schema.lower()}_{stem}_{n:02d}.dmp" for n in (1, 2)]
    jobs = {
        task_id: dag.get_task(task_id).default_job_name(
            {"run_id": run.run_id, "ti": SimpleNamespace(map_index=-1)}
        )
        for task_id in ("export_hr", "import_hr_test")
    }
    for member in members:
        backend.remember_file(backend.directory, member)
        backend.remember_file(backend.second_directory, member)
    backend.remember_file(backend.directory, naming.default_log_file(jobs["export_hr"]))
    backend.remember_file(backend.second_directory, naming.default_log_file(jobs["import_hr_test"]))

    assert run.state == DagRunState.SUCCESS
    for table in SAMPLE:
        assert backend.rows(target, table) == backend.rows(backend.schema, table)
    hook = DatapumpHook(oracle_conn_id=backend.conn_id)
    try:
        assert not any(hook.file_exists(backend.directory, m) for m in members)  # the export went
        assert not any(hook.file_exists(backend.second_directory, m) for m in members)  # the copy too
        assert hook.file_exists(backend.directory, naming.default_log_file(jobs["export_hr"]))
        assert not {j.job_name for j in hook.list_jobs()} & set(jobs.values())  # nothing left behind
    finally:
        hook.close()


def test_the_sensor_example_succeeds_when_the_job_it_waits_for_completes(
    connections: Backend, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    backend = connections
    name = f"{backend.prefix}_X"
    hook = DatapumpHook(oracle_conn_id=backend.conn_id)
    try:
        hook.submit(export_spec(backend, "X"))
        run = load_example("datapump_wait_for_external_job").dag.test(
            run_conf={"job_name": name, "job_owner": backend.user}
        )
        assert run.state == DagRunState.SUCCESS
        assert name not in {j.job_name for j in hook.list_jobs()}
    finally:
        hook.close()
