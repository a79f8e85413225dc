"""oracledb-datapump requests over Airflow's REST API, as the README's curl lines send them.

The request DAG (``example_dags/datapump_requests.py``) runs on the stack's api-server,
scheduler and worker; every call below is one of the README's: a token from ``/auth/token``,
a run triggered with the request as its conf and no logical date, the run polled, and the
answer read from the ``run_request`` task's XCom. Its connection, ``oracle_default``, reaches
the emulated database ``REQUESTS`` through the emulator's Oracle Net server.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from e2e_logs import Expected
from e2e_stack import USER
from e2e_views import E2E, TERMINAL

from tests.processes import wait_for

pytestmark = pytest.mark.e2e

REQUEST_DAG = "datapump_request"
EXPORT = {
    "operation": "EXPORT",
    "mode": "SCHEMA",
    "wait": True,
    "dumpfiles": ["hr_rest_%U.dmp"],
    "directives": [{"name": "INCLUDE_SCHEMA", "value": "HR"}, {"name": "PARALLEL", "value": 2}],
}


@pytest.fixture(scope="module")
def token(e2e: E2E) -> str:
    """``POST /auth/token`` with a user name and password, as the README's first line does."""
    airflow = e2e.airflow
    reply = httpx.post(
        f"{airflow.base_url}/auth/token",
        headers={"Content-Type": "application/json"},
        json={"username": USER, "password": airflow.password},
        timeout=30,
    )
    assert reply.status_code in (200, 201), reply.text
    airflow.unpause_once_parsed(REQUEST_DAG)
    return str(reply.json()["access_token"])


def _call(e2e: E2E, token: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if "json" in kwargs:
        headers["Content-Type"] = "application/json"
    url = f"{e2e.airflow.base_url}/api/v2/dags/{REQUEST_DAG}{path}"
    return httpx.request(method, url, headers=headers, timeout=60, **kwargs)


def _trigger(e2e: E2E, token: str, conf: dict[str, Any]) -> httpx.Response:
    return _call(e2e, token, "POST", "/dagRuns", json={"logical_date": None, "conf": conf})


def _finished(e2e: E2E, token: str, run_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        run: dict[str, Any] = _call(e2e, token, "GET", f"/dagRuns/{run_id}").json()
        return run if run["state"] in TERMINAL else None

    return wait_for(f"request run {run_id} to finish", probe, 180, interval=0.5)


def test_a_submit_request_runs_its_job_and_answers_in_xcom(e2e: E2E, token: str) -> None:
    opened = e2e.requests.counters().get("jobs_opened", 0)
    triggered = _trigger(e2e, token, {"request": "SUBMIT", "payload": EXPORT})
    assert triggered.status_code == 200, triggered.text
    run = triggered.json()
    assert run["state"] == "queued"
    assert run["logical_date"] is None
    assert run["conf"] == {"request": "SUBMIT", "payload": EXPORT}
    assert _finished(e2e, token, run["dag_run_id"])["state"] == "success"

    answer_path = f"/dagRuns/{run['dag_run_id']}/taskInstances/run_request/xcomEntries/return_value"
    xcom = _call(e2e, token, "GET", answer_path)
    assert xcom.status_code == 200, xcom.text
    entry = xcom.json()
    assert entry["key"] == "return_value"
    answer = entry["value"]
    assert set(answer) == {"job_name", "job_owner", "state", "detail"}
    assert (answer["job_owner"], answer["state"]) == ("SYSTEM", "COMPLETED")
    # The job ran in the emulated database the connection names, once, and wrote its dump.
    assert e2e.requests.counters().get("jobs_opened", 0) == opened + 1
    dumps = sorted(p.name for p in e2e.requests.directory_path().glob("hr_rest_*.dmp"))
    assert dumps, "no dump file in REQUESTS' DATA_PUMP_DIR"
    assert e2e.requests.jobs() == []  # finished: no job left behind


def test_a_bad_payload_fails_the_run_before_the_database_is_touched(e2e: E2E, token: str) -> None:
    e2e.expected.append(
        Expected("task", "Task failed with exception", "the refused payload fails its task", "COMPRESSION")
    )
    sessions = e2e.requests.counters().get("sessions", 0)
    bad = {**EXPORT, "directives": [{"name": "COMPRESSION", "value": "bogus"}]}
    triggered = _trigger(e2e, token, {"request": "SUBMIT", "payload": bad})
    assert triggered.status_code == 200, triggered.text  # well formed: the DAG's first task checks it
    run_id = triggered.json()["dag_run_id"]
    assert _finished(e2e, token, run_id)["state"] == "failed"

    tasks = _call(e2e, token, "GET", f"/dagRuns/{run_id}/taskInstances").json()["task_instances"]
    states = {t["task_id"]: t["state"] for t in tasks}
    assert states == {"validate_request": "failed", "run_request": "upstream_failed"}
    log = _call(
        e2e,
        token,
        "GET",
        f"/dagRuns/{run_id}/taskInstances/validate_request/logs/1",
        params={"full_content": "true"},
    ).text
    assert "COMPRESSION" in log, log[-2000:]
    assert "bogus" in log
    assert e2e.requests.counters().get("sessions", 0) == sessions


def test_a_malformed_request_is_refused_when_triggered_naming_the_field(e2e: E2E, token: str) -> None:
    """The conf breaks the DAG's params (JSON schema): Airflow creates no run at all."""
    runs_before = _call(e2e, token, "GET", "/dagRuns").json()["total_entries"]
    refused = _trigger(e2e, token, {"request": "SUBMIT", "payload": {**EXPORT, "mode": "SIDEWAYS"}})
    assert refused.status_code == 400, refused.text
    assert "SIDEWAYS" in refused.text
    assert _call(e2e, token, "GET", "/dagRuns").json()["total_entries"] == runs_before
