"""The request DAG runs oracledb-datapump SUBMIT and STATUS requests given as a run's conf.

Driven with dag.test(); a test through the api-server's REST API belongs to the end-to-end
suite. The checks of the conf against the DAG's params are those Airflow applies when a run
is triggered through the REST API.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from airflow_datapump.testing import DatabaseHandle, emulated_oracle

pytestmark = [pytest.mark.slow, pytest.mark.dag_test]

EXPORT = {
    "operation": "EXPORT",
    "mode": "SCHEMA",
    "wait": True,
    "dumpfiles": ["hr_api.dmp"],
    "directives": [{"name": "INCLUDE_SCHEMA", "value": "HR"}, {"name": "PARALLEL", "value": 1}],
}


@pytest.fixture
def db(airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", "0.05")
    with emulated_oracle(clock="wall") as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", oracle.connection_uri())
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        handle.set_job_rate(50_000_000)
        yield handle


def _answer(run: Any) -> Any:
    (ti,) = [t for t in run.get_task_instances() if t.task_id == "run_request"]
    return ti.xcom_pull(task_ids="run_request")


def test_a_submit_request_runs_and_leaves_the_seeds_answer_in_xcom(
    db: DatabaseHandle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    dag = load_example("datapump_requests").dag
    run = dag.test(run_conf={"request": "SUBMIT", "payload": EXPORT})
    assert run.state == DagRunState.SUCCESS
    answer = _answer(run)
    assert set(answer) == {"job_name", "job_owner", "state", "detail"}
    assert (answer["job_owner"], answer["state"]) == ("SYSTEM", "COMPLETED")
    assert (db.directory_path() / "hr_api.dmp").exists()

    status = dag.test(
        run_conf={"request": "STATUS", "payload": {"job_name": answer["job_name"], "job_owner": "SYSTEM"}}
    )
    assert _answer(status)["state"] == "COMPLETED"


def test_a_bad_payload_fails_before_the_database_is_touched(
    db: DatabaseHandle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState, TaskInstanceState

    dag = load_example("datapump_requests").dag
    db.reset_counters()
    bad = {**EXPORT, "directives": [{"name": "COMPRESSION", "value": "bogus"}]}
    run = dag.test(run_conf={"request": "SUBMIT", "payload": bad})
    assert run.state == DagRunState.FAILED
    states = {t.task_id: t.state for t in run.get_task_instances()}
    assert states["validate_request"] == TaskInstanceState.FAILED
    assert states["run_request"] != TaskInstanceState.SUCCESS
    assert db.counters().get("sessions", 0) == 0
    assert db.jobs() == []


@pytest.mark.parametrize(
    "conf",
    [
        {"request": "DELETE", "payload": EXPORT},
        {"request": "SUBMIT", "payload": {**EXPORT, "mode": "SIDEWAYS"}},
        {"request": "SUBMIT", "payload": {**EXPORT, "directives": [{"name": "DROP_EVERYTHING", "value": 1}]}},
        {"request": "SUBMIT", "payload": EXPORT, "connection": {"username": "system", "password": "pw"}},
        {
            "request": "SUBMIT",
            "payload": {**EXPORT, "directives": [{"name": "ENCRYPTION_PASSWORD", "value": "pw"}]},
        },
    ],
)
def test_the_dag_params_refuse_a_malformed_request_at_trigger_time(
    conf: dict[str, Any], load_example: Callable[[str], ModuleType]
) -> None:
    good = copy.deepcopy(load_example("datapump_requests").dag.params)
    good.update({"request": "SUBMIT", "payload": EXPORT})
    good.validate()
    from airflow.exceptions import ParamValidationError

    params = copy.deepcopy(load_example("datapump_requests").dag.params)

    def create_run() -> None:  # what creating a run does with its conf, before the run exists
        params.update(conf)
        params.validate()

    with pytest.raises(ParamValidationError):
        create_run()
