"""What the end-to-end tests ask of the running stack: REST API, metadata database, emulator."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy
from e2e_logs import Expected
from e2e_stack import Airflow, EmulatorAccess

from airflow_datapump.testing import DatabaseHandle
from tests.processes import Process, wait_for

DAG_ID = "datapump_schema_refresh"
POLL_INTERVAL = 3.0  # [datapump] poll_interval for every deferred task in the stack
# HR's export does ~256 KB of work (its BLOCKS estimate): ~18 s on PROD; the import ~9 s on
# TEST, so each can be caught running. A job that ends before the scheduler has handled the
# deferral meets an Airflow race (the executor's "success" for the deferring try arrives after
# the trigger fired, and the scheduler fails the task: apache/airflow#67287); real Data Pump
# jobs take minutes.
PROD_JOB_RATE = 16384.0
TEST_JOB_RATE = 32768.0
REQUEST_JOB_RATE = 1_000_000.0  # the request DAG's SUBMIT waits in its task: no deferral to catch
TERMINAL = {"success", "failed"}


@dataclass
class E2E:
    """The running stack, seen from a test: REST API, metadata database and the emulator."""

    airflow: Airflow
    emulator: EmulatorAccess
    metadata: sqlalchemy.Engine
    prod: DatabaseHandle
    test: DatabaseHandle
    requests: DatabaseHandle  # what the request DAG's connection, oracle_default, reaches
    expected: list[Expected]  # log lines a test provokes on purpose (e2e_logs checks the rest)

    # -- Airflow ---------------------------------------------------------------------------

    def trigger(self, conf: dict[str, Any] | None = None) -> str:
        """A run through the REST API, with no logical date (as the UI's "trigger" does)."""
        run = self.airflow.api(
            "POST", f"/dags/{DAG_ID}/dagRuns", json={"logical_date": None, "conf": conf or {}}
        )
        return str(run["dag_run_id"])

    def run(self, run_id: str) -> dict[str, Any]:
        return dict(self.airflow.api("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}"))

    def task(self, run_id: str, task_id: str = "export_hr") -> dict[str, Any]:
        return dict(self.airflow.api("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}"))

    def finished(self, run_id: str, timeout: float = 180) -> str:
        state = wait_for(f"run {run_id} to finish", lambda: _terminal(self.run(run_id)["state"]), timeout)
        return str(state)

    def task_log(self, run_id: str, try_number: int, task_id: str = "export_hr") -> str:
        path = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}"
        reply = self.airflow.api("GET", path, params={"full_content": "true"})
        content = reply.get("content", reply) if isinstance(reply, dict) else reply
        return str(content)

    def trigger_row(self, ti_id: str) -> dict[str, Any] | None:
        """The trigger a deferred task instance waits on, from the metadata database."""
        query = sqlalchemy.text(
            "SELECT t.id, t.classpath, t.triggerer_id FROM trigger t "
            "JOIN task_instance ti ON ti.trigger_id = t.id WHERE ti.id = :ti"
        )
        with self.metadata.connect() as db:
            row = db.execute(query, {"ti": ti_id}).mappings().first()
        return dict(row) if row else None

    def running_triggerer_jobs(self) -> set[int]:
        query = sqlalchemy.text("SELECT id FROM job WHERE job_type = 'TriggererJob' AND state = 'running'")
        with self.metadata.connect() as db:
            return {int(r[0]) for r in db.execute(query)}

    def deferred_with_running_job(self, run_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Wait until the export is deferred, its trigger is held by a triggerer and its job runs."""

        def probe() -> tuple[dict[str, Any], dict[str, Any]] | None:
            ti = self.task(run_id)
            if ti["state"] in TERMINAL:
                raise AssertionError(f"export_hr ended ({ti['state']}) before it was seen deferred")
            trigger = self.trigger_row(ti["id"]) if ti["state"] == "deferred" else None
            running = [j for j in self.prod.jobs() if j["state"] == "EXECUTING"]
            if trigger and trigger["triggerer_id"] is not None and running:
                return ti, trigger
            return None

        return wait_for(f"export_hr of {run_id} deferred with its job running", probe, 120)

    # -- the emulator ----------------------------------------------------------------------

    def jobs_opened(self) -> int:
        return self.prod.counters().get("jobs_opened", 0)


def _terminal(state: str) -> str | None:
    return state if state in TERMINAL else None


def triggerer(airflow: Airflow) -> Process:
    """The triggerer started last that is still alive."""
    alive = [p for p in airflow.processes if p.name.startswith("triggerer") and p.alive()]
    assert alive, "no triggerer running"
    return alive[-1]


def progress_lines(log: str) -> list[str]:
    return re.findall(r"EXECUTING, \d+(?:\.\d+)?% done", log)


def elapsed_since(start: float) -> float:
    return time.monotonic() - start
