"""A real deployment, end to end: what only separate Airflow processes can show.

Each test asserts through the REST API, the metadata database and the emulator. Runs are
triggered through the REST API with no logical date; the stack's poll interval is
``POLL_INTERVAL`` seconds and PROD's exports take about 15 s, so each can be caught running.
"""

from __future__ import annotations

import time

import pytest
from e2e_stack import EMULATOR_ENV_PREFIX, process_environment, process_group, running_task_processes
from e2e_views import DAG_ID, E2E, POLL_INTERVAL, TERMINAL, elapsed_since, progress_lines, triggerer

from tests.airflow_features import CALLS_TRIGGER_ON_KILL, SCHEDULER_ENVIRON_READABLE
from tests.processes import wait_for

pytestmark = pytest.mark.e2e

TABLES = ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES")


def assert_same_rows(e2e: E2E, target_schema: str) -> None:
    for table in TABLES:
        source = e2e.prod.rows("HR", table)
        assert source, f"PROD.HR.{table} is empty: nothing was compared"
        assert e2e.test.rows(target_schema, table) == source, f"TEST.{target_schema}.{table}"


def test_airflow_reaches_the_emulator_only_through_ordinary_connections(e2e: E2E) -> None:
    """No Airflow process (nor anything it forked) has the emulator in its environment: they
    reach its Oracle Net server through ``oracle://`` connections to its host and port.

    The kernel's copy of an environment is read where it is intact; a process that retitles
    itself (setproctitle, as the api-server and the task supervisors do) overwrites it, and
    has what its parent had: the environment the stack started the component with. On
    Airflow 3.0 the scheduler's and the triggerer's read empty too, so the scheduler's is
    required only where it can be read (tests/airflow_features.py); the dag-processor's is
    intact on every Airflow, so the check never passes on nothing."""
    uri = e2e.emulator.connection_uri("PROD")
    assert f"@127.0.0.1:{e2e.emulator.port}?" in uri
    assert not [k for k in e2e.airflow.env if k.startswith(EMULATOR_ENV_PREFIX)]
    readable = {}
    for component in e2e.airflow.processes:
        for pid in process_group(component.pid):
            try:
                environment = process_environment(pid)
            except OSError:  # ended meanwhile
                continue
            if environment:
                readable[pid] = environment
    started_with = {p.name for p in e2e.airflow.processes if p.pid in readable}
    required = {"scheduler", "dag-processor"} if SCHEDULER_ENVIRON_READABLE else {"dag-processor"}
    assert required <= started_with
    for pid, environment in readable.items():
        activating = sorted(k for k in environment if k.startswith(EMULATOR_ENV_PREFIX))
        assert activating == [], f"process {pid} has {activating}"
        assert environment["AIRFLOW_CONN_ORACLE_SOURCE"] == uri, f"process {pid}"


def test_the_scheduled_schema_refresh_copies_the_schema(e2e_quiet: E2E) -> None:
    """Unpausing the DAG made the scheduler start its latest run; the fixture waited for it."""
    runs = e2e_quiet.airflow.api("GET", f"/dags/{DAG_ID}/dagRuns")["dag_runs"]
    assert [r["state"] for r in runs if r["run_type"] == "scheduled"] == ["success"]
    assert_same_rows(e2e_quiet, "HR_TEST")


def test_an_api_run_with_a_conf_and_no_logical_date_defers_with_no_worker(e2e_quiet: E2E) -> None:
    """Triggered through the REST API; while the export is deferred no process works on it
    and its task log shows Data Pump's progress; the run copies the schema where conf says."""
    opened = e2e_quiet.jobs_opened()
    run_id = e2e_quiet.trigger({"target_schema": "HR_FROM_API"})
    ti, trigger = e2e_quiet.deferred_with_running_job(run_id)
    assert trigger["classpath"] == "airflow_datapump.triggers.datapump.JobTrigger"
    # The deferring try's supervisor exits a moment after the trigger row is written.
    wait_for("no process for the deferred task", lambda: not running_task_processes(ti["id"]), 30)
    log = wait_for(
        "Data Pump progress in the task log while deferred",
        lambda: progress_lines(e2e_quiet.task_log(run_id, ti["try_number"])),
        60,
    )
    assert e2e_quiet.task(run_id)["state"] == "deferred", "the task resumed before this was seen"
    assert any(j["state"] == "EXECUTING" for j in e2e_quiet.prod.jobs())
    assert log
    assert e2e_quiet.finished(run_id) == "success"
    run = e2e_quiet.run(run_id)
    assert run["logical_date"] is None
    assert run["conf"] == {"target_schema": "HR_FROM_API"}
    assert_same_rows(e2e_quiet, "HR_FROM_API")
    assert e2e_quiet.jobs_opened() == opened + 1  # the export; the import ran on TEST


def test_a_killed_triggerer_is_replaced_and_the_job_runs_once(e2e_quiet: E2E) -> None:
    opened = e2e_quiet.jobs_opened()
    run_id = e2e_quiet.trigger()
    e2e_quiet.deferred_with_running_job(run_id)
    triggerer(e2e_quiet.airflow).kill9()
    e2e_quiet.airflow.start_triggerer("triggerer-after-kill")
    assert e2e_quiet.finished(run_id) == "success"
    assert e2e_quiet.jobs_opened() == opened + 1


def test_a_second_triggerer_takes_over_from_a_killed_one(e2e_quiet: E2E) -> None:
    opened = e2e_quiet.jobs_opened()
    run_id = e2e_quiet.trigger()
    ti, trigger = e2e_quiet.deferred_with_running_job(run_id)
    holder = trigger["triggerer_id"]
    before = e2e_quiet.running_triggerer_jobs()
    e2e_quiet.airflow.start_triggerer("triggerer-standby")
    standby = wait_for(
        "the second triggerer's job row", lambda: e2e_quiet.running_triggerer_jobs() - before, 60
    )
    assert holder not in standby
    holding = [p for p in e2e_quiet.airflow.processes if p.name.startswith("triggerer") and p.alive()]
    holding[-2].kill9()  # the one started before the standby holds the trigger
    taken = wait_for(
        "the standby to take the trigger over",
        lambda: (row := e2e_quiet.trigger_row(ti["id"])) is None or row["triggerer_id"] in standby,
        90,
    )
    assert taken
    assert e2e_quiet.finished(run_id) == "success"
    assert e2e_quiet.jobs_opened() == opened + 1


@pytest.mark.trigger_on_kill
def test_marking_a_deferred_task_failed_stops_its_job(e2e_quiet: E2E) -> None:
    run_id = e2e_quiet.trigger()
    ti, _ = e2e_quiet.deferred_with_running_job(run_id)
    e2e_quiet.airflow.api(
        "PATCH",
        f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/export_hr",
        json={"new_state": "failed"},
    )
    marked = time.monotonic()
    wait_for(
        "the Data Pump job to stop",
        lambda: not any(j["state"] == "EXECUTING" for j in e2e_quiet.prod.jobs()),
        30,
        interval=0.1,
    )
    took = elapsed_since(marked)
    assert took <= POLL_INTERVAL, f"the job stopped {took:.1f} s after the task was marked failed"
    assert e2e_quiet.prod.jobs() == []  # on_kill="kill": stopped and its master table dropped
    assert e2e_quiet.task(run_id)["state"] == "failed"
    assert e2e_quiet.finished(run_id) == "failed"
    wait_for("no process for the failed task", lambda: not running_task_processes(ti["id"]), 30)


@pytest.mark.without_trigger_on_kill
def test_with_no_trigger_on_kill_a_deferred_task_marked_failed_leaves_its_job_running(e2e_quiet: E2E) -> None:
    """Before 3.3 Airflow only cancels the trigger (docs/deployment.md): the task fails, no try
    watches the job any more, and the job runs to its end unless the user stops it (README,
    ``on_kill``: ``DatapumpHook().kill`` or ``stop``). Nothing of ours acts on it."""
    run_id = e2e_quiet.trigger()
    e2e_quiet.deferred_with_running_job(run_id)
    [job] = [j for j in e2e_quiet.prod.jobs() if j["state"] == "EXECUTING"]
    e2e_quiet.airflow.api(
        "PATCH",
        f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/export_hr",
        json={"new_state": "failed"},
    )
    assert e2e_quiet.finished(run_id) == "failed"
    assert e2e_quiet.task(run_id)["state"] == "failed"
    wait_for(
        f"{job['name']} to end on its own",
        lambda: all(j["name"] != job["name"] for j in e2e_quiet.prod.jobs()),
        120,
        interval=0.5,
    )
    log = (e2e_quiet.prod.directory_path() / f"{job['name']}.log").read_text()
    assert f'Job "SYSTEM"."{job["name"]}" successfully completed' in log, log[-2000:]
    assert "airflow-datapump kill" not in log


def test_clearing_a_deferred_task_leaves_one_job_for_the_new_try(e2e_quiet: E2E) -> None:
    """What clear means (README, "Clearing a task"): the old try's on_kill and the new try's
    claim race, and their order in the job's log decides: the new try keeps the job, or the
    job is killed first and the new try starts one fresh. Never two jobs at once. An Airflow
    that calls no trigger on_kill (before 3.3) only cancels the trigger: the new try keeps the
    job, always."""
    opened = e2e_quiet.jobs_opened()
    run_id = e2e_quiet.trigger()
    e2e_quiet.deferred_with_running_job(run_id)
    e2e_quiet.airflow.api(
        "POST",
        f"/dags/{DAG_ID}/clearTaskInstances",
        json={"dag_run_id": run_id, "task_ids": ["export_hr"], "dry_run": False, "only_failed": False},
    )
    most_at_once = 0

    def export_done() -> bool:
        nonlocal most_at_once
        running = [j for j in e2e_quiet.prod.jobs() if j["state"] == "EXECUTING"]
        most_at_once = max(most_at_once, len(running))
        return e2e_quiet.task(run_id)["state"] in TERMINAL

    wait_for("the cleared export to finish", export_done, 180, interval=0.2)
    assert e2e_quiet.finished(run_id) == "success"
    assert e2e_quiet.task(run_id)["try_number"] == 2
    assert most_at_once == 1
    # Kept, or killed and started afresh; with no on_kill to kill it, kept.
    assert e2e_quiet.jobs_opened() - opened in ((1, 2) if CALLS_TRIGGER_ON_KILL else (1,))
