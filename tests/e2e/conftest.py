"""One Airflow stack for the whole end-to-end session (see e2e_stack.py for what it starts)."""

from __future__ import annotations

from collections.abc import Iterator

import e2e_logs
import pytest
import sqlalchemy
from e2e_logs import Expected
from e2e_stack import ADMIN_PASSWORD, stack
from e2e_views import DAG_ID, E2E, POLL_INTERVAL, PROD_JOB_RATE, REQUEST_JOB_RATE, TEST_JOB_RATE

from tests.processes import Postgres, wait_for


@pytest.fixture(scope="session")
def e2e(tmp_path_factory: pytest.TempPathFactory, postgres_cluster: Postgres) -> Iterator[E2E]:
    workdir = tmp_path_factory.mktemp("e2e")
    database_url = postgres_cluster.create_database("airflow_e2e")
    expected: list[Expected] = []  # the log lines the tests provoke on purpose
    with stack(workdir, database_url, POLL_INTERVAL) as (airflow, emulator):
        prod, test = emulator.oracle.database("PROD"), emulator.oracle.database("TEST")
        requests = emulator.oracle.database("REQUESTS")
        for handle in (prod, requests):
            handle.load_sample_hr()
        prod.set_job_rate(PROD_JOB_RATE)
        test.set_job_rate(TEST_JOB_RATE)
        requests.set_job_rate(REQUEST_JOB_RATE)
        test.execute(
            f"CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY {ADMIN_PASSWORD} "
            f"USING '{emulator.link_using('PROD')}'"
        )
        metadata = sqlalchemy.create_engine(airflow.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        try:
            airflow.unpause_once_parsed(DAG_ID)
            # Unpaused, the scheduler starts the latest interval's run: the first test checks it.
            wait_for(
                "the scheduled run", lambda: airflow.api("GET", f"/dags/{DAG_ID}/dagRuns")["dag_runs"], 120
            )
            yield E2E(airflow, emulator, metadata, prod, test, requests, expected)
        finally:
            metadata.dispose()
    # Stopped: every line is written. What an operator would have to look into fails the session.
    e2e_logs.check(airflow.home, expected)


@pytest.fixture
def e2e_quiet(e2e: E2E) -> E2E:
    """The stack with no run still active (the scheduled one after unpausing, a test's)."""

    def quiet() -> bool:
        runs = e2e.airflow.api("GET", f"/dags/{DAG_ID}/dagRuns", params={"state": ["queued", "running"]})
        return runs["total_entries"] == 0 and not any(j["state"] == "EXECUTING" for j in e2e.prod.jobs())

    wait_for("no active run", quiet, 240, interval=1)
    return e2e
