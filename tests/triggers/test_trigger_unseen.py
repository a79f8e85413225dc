"""JobTrigger on a job its sensor never saw listed (``seen=False``): a misspelled name or a job
not yet started must not read as completed; only the job appearing, or its log, ends the wait."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.submission import JobRef
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers.datapump import JobTrigger


def ended(name: str, db: DatabaseHandle, *, kill: bool) -> dict[str, Any]:
    """A job that has left the dictionary before anyone watched it: completed or killed."""
    hook = DatapumpHook()
    try:
        ref = hook.submit(
            JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[f"{name}.dmp"], job_name=name)
        )
        if kill:
            assert hook.kill(ref.job_name, ref.owner) is True
        else:
            db.advance(3600)
    finally:
        hook.close()
    assert db.jobs() == []
    return ref.to_dict()


def events(trigger: JobTrigger, within: float) -> list[dict[str, Any]]:
    """The events the trigger yields within ``within`` seconds (none if it is still waiting)."""
    got: list[dict[str, Any]] = []

    async def collect() -> None:
        async for event in trigger.run():
            got.append(dict(event.payload))

    async def run() -> None:
        try:
            await asyncio.wait_for(collect(), within)
        except TimeoutError:
            pass
        finally:
            await _pool.close_pools()

    asyncio.run(run())
    return got


def unseen(job: dict[str, Any]) -> JobTrigger:
    return JobTrigger(
        oracle_conn_id="oracle_default",
        job=job,
        poll_interval=0.01,
        on_kill="none",
        gone_means_success=True,
        seen=False,
    )


@pytest.mark.parametrize("log", [False, True], ids=["no-log-given", "log-missing"])
def test_a_job_never_listed_without_a_log_keeps_the_trigger_waiting(db: DatabaseHandle, log: bool) -> None:
    job = JobRef("NO_SUCH_JOB_TYPO", "SYSTEM", "UNKNOWN", "")
    if log:
        job = JobRef(
            "NO_SUCH_JOB_TYPO",
            "SYSTEM",
            "UNKNOWN",
            "",
            log_directory="DATA_PUMP_DIR",
            log_file="NO_SUCH_JOB_TYPO.log",
        )
    assert events(unseen(job.to_dict()), within=1.0) == []  # the sensor's timeout decides


def test_a_job_never_listed_whose_log_says_completed_succeeds(db: DatabaseHandle) -> None:
    (event,) = events(unseen(ended("EXP_DONE", db, kill=False)), within=60)
    assert event["status"] == "success"
    assert event["outcome"] == "successfully completed"


def test_a_job_never_listed_whose_log_says_stopped_fails(db: DatabaseHandle) -> None:
    (event,) = events(unseen(ended("EXP_KILLED", db, kill=True)), within=60)
    assert event["status"] != "success"


def test_a_seen_trigger_keeps_the_documented_rule_for_a_job_gone_without_a_log(db: DatabaseHandle) -> None:
    """Seen listed, then gone with no log to read: completed (failed jobs linger, §5)."""
    job = ended("EXP_SEEN", db, kill=False)
    job = {**job, "log_file": None, "log_directory": None}
    trigger = JobTrigger(
        oracle_conn_id="oracle_default", job=job, poll_interval=0.01, gone_means_success=True
    )
    (event,) = events(trigger, within=60)
    assert event["status"] == "success"
