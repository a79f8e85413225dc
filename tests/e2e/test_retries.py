"""A deferred export that fails and is retried by Airflow, end to end: what a user meets most.

The example DAG's export has two retries, and the stack retries after 5 s. A retry keeps the
job name its first try used, and the job's log says which task run started it: the retry
waits on that job while it runs, or, once it has failed and been dropped, proves the dump
files it left are this run's before it deletes them and starts a new job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import closing

import e2e_logs
import pytest
from e2e_logs import OURS, Expected
from e2e_views import E2E, PROD_JOB_RATE

from airflow_datapump.hooks import _sets
from airflow_datapump.hooks.datapump import DatapumpHook
from tests.processes import wait_for

pytestmark = pytest.mark.e2e

DIRECTORY = "DATA_PUMP_DIR"  # the example DAG's source_directory


@pytest.fixture
def prod_hook(e2e: E2E, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatapumpHook]:
    """A DBA's own connection to PROD, over the emulator's server as Airflow's are."""
    monkeypatch.setenv("AIRFLOW_CONN_E2E_PROD_DBA", e2e.emulator.connection_uri("PROD"))
    with closing(DatapumpHook(oracle_conn_id="e2e_prod_dba")) as hook:
        yield hook


def dump_set(e2e: E2E, hook: DatapumpHook, run_id: str) -> dict[str, _sets.Header]:
    """The export's dump files in PROD, each with the GUID, job name and file number its header records."""
    [template] = e2e.task(run_id)["rendered_fields"]["dump_files"]
    return {name: _sets.header(hook, DIRECTORY, name) for name in hook.dump_file_members(DIRECTORY, template)}


def our_lines(e2e: E2E, run_id: str, try_number: int) -> list[str]:
    """What the provider wrote into one try's log (the worker's part and the trigger's), in order.

    Read from the files Airflow wrote, one entry each: the REST API's rendering of the log also
    holds Airflow's own record of the trigger's event, which quotes the job's last line again.
    """
    where = f"run_id={run_id}/task_id=export_hr/attempt={try_number}."
    return [
        line.event for line in e2e_logs.read(e2e.airflow.home) if where in line.where and OURS in line.logger
    ]


def failed_try(e2e: E2E, run_id: str, why: str, containing: str) -> None:
    """Wait for the first try to fail into its retry (the task logs that at error level)."""
    e2e.expected.append(Expected("task", "Task failed with exception", why, containing))
    wait_for(
        "the export's first try to fail into its retry",
        lambda: e2e.task(run_id)["state"] == "up_for_retry",
        180,
        interval=0.2,
    )


def test_a_retry_after_the_trigger_lost_the_database_waits_on_the_running_job(
    e2e_quiet: E2E, prod_hook: DatapumpHook
) -> None:
    """PROD stops answering longer than the trigger's retries last: the try fails into its
    retry while the job keeps running; the retry finds that job by its log's start mark and
    waits on it. One job, one dump set, and the second try's log shows the job's log once."""
    e2e = e2e_quiet
    opened = e2e.jobs_opened()
    run_id = e2e.trigger()
    e2e.deferred_with_running_job(run_id)
    [job] = [j for j in e2e.prod.jobs() if j["state"] == "EXECUTING"]
    # Slowed, it outlasts the outage and the retry's start: the retry meets it running.
    e2e.prod.set_job_speed(job["owner"], job["name"], rate=PROD_JOB_RATE / 16)
    e2e.expected.append(
        Expected(
            "airflow_datapump.hooks.datapump",
            "Transient database error",
            "the trigger's retries while PROD is down",
        )
    )
    e2e.prod.go_down()
    try:
        failed_try(
            e2e, run_id, "the trigger gave up on the unreachable database", "Waiting for the Data Pump"
        )
        e2e.prod.come_back()
        ti, _ = e2e.deferred_with_running_job(run_id)
        assert ti["try_number"] == 2
        assert [j["name"] for j in e2e.prod.jobs() if j["state"] == "EXECUTING"] == [job["name"]]
    finally:
        e2e.prod.come_back()
        with contextlib.suppress(KeyError):  # back to speed, also for the next tests if this failed
            e2e.prod.set_job_speed(job["owner"], job["name"], rate=PROD_JOB_RATE)
    assert e2e.finished(run_id) == "success"
    assert e2e.task(run_id)["try_number"] == 2
    assert e2e.jobs_opened() == opened + 1
    # The refresh ends by removing the night's dump from PROD (remove_source_dump): what the one
    # job wrote is gone with it, nothing of a second set stays behind.
    assert dump_set(e2e, prod_hook, run_id) == {}
    assert f"Job SYSTEM.{job['name']} is already running for this task run" in e2e.task_log(run_id, 2)
    shown = our_lines(e2e, run_id, 2)
    assert sum(line.startswith(f'Starting "SYSTEM"."{job["name"]}"') for line in shown) == 1, shown
    assert sum(line.startswith(f'Job "SYSTEM"."{job["name"]}" successfully completed') for line in shown) == 1
    assert [line for line in set(shown) if shown.count(line) > 1 and line.strip("*")] == []


def test_a_retry_after_the_job_failed_exports_anew_over_its_proven_leftovers(
    e2e_quiet: E2E, prod_hook: DatapumpHook
) -> None:
    """The job fails (a worker's fatal error) and the orphan clean-up drops it, keeping its dump
    files (a reading of STOP_JOB: docs/emulator.md). The retry deletes them only once their
    headers and the job's log prove them this run's, then exports again: the files it leaves
    are the new job's (another GUID)."""
    e2e = e2e_quiet
    e2e.prod.set_reading("KILLED_DUMP_FILES", "KEPT")
    try:
        opened = e2e.jobs_opened()
        e2e.prod.fail_next_job(at_percent=50)
        run_id = e2e.trigger()
        failed = wait_for(
            "the export's job to fail",
            lambda: [j for j in e2e.prod.jobs() if j["state"] == "NOT RUNNING"],
            120,
            interval=0.2,
        )
        [job] = failed
        left = dump_set(e2e, prod_hook, run_id)
        assert left, "the failed job left no dump file"
        [old_guid] = {guid for guid, _, _ in left.values()}
        assert old_guid is not None
        assert prod_hook.kill(job["name"], job["owner"])  # the orphan clean-up's kill
        failed_try(e2e, run_id, "the job failed with a worker's fatal error", "stopped due to fatal error")
        assert e2e.finished(run_id) == "success"
        assert e2e.task(run_id)["try_number"] == 2
        assert e2e.jobs_opened() == opened + 2
        # The old files were deleted (proved this run's, below) and the new job's removed by
        # remove_source_dump after the import: none of the failed job's is left.
        assert dump_set(e2e, prod_hook, run_id) == {}
        log = e2e.task_log(run_id, 2)
        assert "the unfinished dump files this task run's earlier try" in log, log[-3000:]
    finally:
        e2e.prod.set_reading("KILLED_DUMP_FILES", "DELETED")  # the emulator's default, for the next tests
