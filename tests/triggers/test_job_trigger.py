"""JobTrigger: serialisable without secrets, awaits only, one event, stops a job only on kill."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.status import error_codes
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import SpecError
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers.datapump import JobTrigger


def submitted(name: str = "EXP_T") -> dict[str, Any]:
    hook = DatapumpHook()
    ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[f"{name}.dmp"], job_name=name))
    hook.close()
    return ref.to_dict()


Before = Callable[[], Awaitable[None]]


def first_event(trigger: JobTrigger, before: Before | None = None) -> dict[str, Any]:
    """Run the trigger to its event; ``before`` runs first on the same event loop (and pools)."""
    return asyncio.run(event_of(trigger, before))


async def event_of(trigger: JobTrigger, before: Before | None = None) -> dict[str, Any]:
    """``first_event`` on a running event loop: the pools it used are closed after."""
    try:
        if before is not None:
            await before()
        async for event in trigger.run():
            return dict(event.payload)
        raise AssertionError("no event")
    finally:
        await _pool.close_pools()


def test_serialize_round_trip_holds_no_secret(db: DatabaseHandle) -> None:
    trigger = JobTrigger(
        oracle_conn_id="oracle_default", job=submitted(), poll_interval=2, log_position=40, on_kill="stop"
    )
    path, kwargs = trigger.serialize()
    assert path == "airflow_datapump.triggers.datapump.JobTrigger"
    assert "trigger-secret" not in json.dumps(kwargs)
    assert JobTrigger(**kwargs).serialize() == (path, kwargs)


def test_yields_one_success_event_with_the_outcome(db: DatabaseHandle) -> None:
    job = submitted()
    db.set_clock("wall")
    db.set_job_rate(100_000_000)
    event = first_event(JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01))
    assert event["status"] == "success"
    assert event["outcome"] == "successfully completed"
    assert event["job"] == job
    assert event["rows"]["HR.EMPLOYEES"] == 20


def test_reports_a_failed_job(db: DatabaseHandle) -> None:
    db.fail_next_job(at_percent=10, lines=["ORA-39126: Worker unexpected fatal error"])
    job = submitted()
    db.set_clock("wall")
    db.set_job_rate(100_000_000)
    event = first_event(JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01))
    assert event["status"] == "failed"
    assert event["error_lines"] == ["ORA-39126: Worker unexpected fatal error"]


# ORA-39126 [U] (docs/emulator.md): 11.2-19c logs end the line at the bracket; newer ones print a
# third value after it and may follow it with the failing SQL on a line of its own.
WORKER_FATAL = {
    "ends at the bracket": [
        "ORA-39126: Worker unexpected fatal error in KUPW$WORKER.PUT_DDLS [TABLE_STATISTICS]",
    ],
    "value after the bracket": [
        "ORA-39126: Worker unexpected fatal error in KUPW$WORKER.STATS_LOAD [MARKER] MARKER",
    ],
    "value and SQL after": [
        'ORA-39126: Worker unexpected fatal error in KUPW$WORKER.LOAD_METADATA [TABLE_DATA:"HR"."EMP"]',
        'SELECT COUNT(*) FROM "HR"."EMP"',
    ],
}


@pytest.mark.parametrize("lines", WORKER_FATAL.values(), ids=WORKER_FATAL.keys())
def test_a_worker_fatal_error_reaches_the_event_in_either_form(db: DatabaseHandle, lines: list[str]) -> None:
    """The provider reads ORA-39126 only as an error line and its code, so both forms of the
    line give the same failure: the line itself (never the SQL after it) and ORA-39126."""
    db.fail_next_job(at_percent=10, lines=lines)
    job = submitted()
    db.set_clock("wall")
    db.set_job_rate(100_000_000)
    event = first_event(JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01))
    assert event["status"] == "failed"
    assert event["error_lines"] == lines[:1]
    assert error_codes(event["error_lines"]) == ["ORA-39126"]


def test_resumes_from_its_log_position(db: DatabaseHandle) -> None:
    job = submitted()
    db.set_clock("wall")
    db.set_job_rate(100_000_000)
    position = len(b'Starting "SYSTEM"."EXP_T":\n')
    trigger = JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01, log_position=position)
    event = first_event(trigger)
    assert event["status"] == "success"
    assert event["log_position"] > position


def test_gives_up_with_an_error_event_after_retrying(db: DatabaseHandle) -> None:
    job = submitted()
    db.go_down()
    event = first_event(
        JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01, retry_attempts=0)
    )
    assert event["status"] == "error"
    assert "DPY-6005" in event["message"]
    assert "try_number" not in event  # a trigger that was given no try names none
    db.come_back()


def test_the_event_names_the_try_that_deferred(db: DatabaseHandle) -> None:
    """So that a retry resumed with an earlier try's event can tell (Airflow 3.0.6)."""
    job = submitted()
    db.go_down()
    trigger = JobTrigger(
        oracle_conn_id="oracle_default", job=job, poll_interval=0.01, retry_attempts=0, try_number=3
    )
    event = first_event(trigger)
    db.come_back()
    assert (event["status"], event["try_number"]) == ("error", 3)


def test_cancellation_leaves_the_job_running_and_on_kill_stops_it(db: DatabaseHandle) -> None:
    job = submitted()
    trigger = JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.05)

    async def cancel_then_kill() -> None:
        task = asyncio.create_task(anext(trigger.run()))
        await asyncio.sleep(0.2)
        task.cancel()  # what a triggerer restart does
        with pytest.raises(asyncio.CancelledError):
            await task
        assert [j["state"] for j in db.jobs()] == ["EXECUTING"]
        await trigger.on_kill()  # what a user killing the task does (Airflow 3.3)
        await _pool.close_pools()

    asyncio.run(cancel_then_kill())
    assert db.jobs() == []


def test_on_kill_stop_keeps_the_job_restartable(db: DatabaseHandle) -> None:
    job = submitted()
    trigger = JobTrigger(oracle_conn_id="oracle_default", job=job, on_kill="stop")

    async def kill() -> None:
        await trigger.on_kill()
        await _pool.close_pools()

    asyncio.run(kill())
    assert [(j["name"], j["state"]) for j in db.jobs()] == [("EXP_T", "NOT RUNNING")]


def test_on_kill_must_be_known() -> None:
    with pytest.raises(ValueError, match="on_kill"):
        JobTrigger(oracle_conn_id="x", job={}, on_kill="explode")


@pytest.mark.parametrize("death", ["ORA-03113", "ORA-03135", "killed", "restart"])
def test_a_dead_pooled_session_is_retried_like_any_transient_failure(db: DatabaseHandle, death: str) -> None:
    """A pooled session that died must not crash the next poll with DPY-1001 from the drop."""
    job = submitted()

    async def warm_then_lose_the_session() -> None:
        await DatapumpHook().async_status(JobRef.from_dict(job))  # the pool now holds a session
        if death == "killed":
            for sid, user in db.sessions():
                if user == "SYSTEM":
                    db.kill_session(sid)
        elif death == "restart":
            db.go_down()
            db.come_back()
        else:
            db.fail_call(death, call="execute")
        db.set_clock("wall")
        db.set_job_rate(100_000_000)

    trigger = JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01, retry_attempts=3)
    with patch.object(RetryPolicy, "delays", lambda self: iter([0.0] * self.attempts)):
        event = first_event(trigger, warm_then_lose_the_session)
    assert event["status"] == "success", event


class _Shown:
    """What a trigger writes to its task log (Airflow's structlog is not pytest's caplog)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str, *args: Any) -> None:
        self.lines.append(message % args)

    debug = warning = info

    def watch(self, trigger: JobTrigger) -> JobTrigger:
        trigger._log = self  # type: ignore[assignment]
        return trigger


def test_progress_is_written_when_it_changes_not_on_every_poll(db: DatabaseHandle) -> None:
    """Each stage of the (manual) clock is seen by several polls, counted rather than slept for."""
    shown = _Shown()
    job = submitted()
    db.set_job_speed("SYSTEM", "EXP_T", size=1_000_000, rate=100_000)
    trigger = shown.watch(JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01))
    polls = 0
    status = DatapumpHook.async_status

    async def counted(self: DatapumpHook, *args: Any, **kwargs: Any) -> Any:
        nonlocal polls
        try:
            return await status(self, *args, **kwargs)
        finally:
            polls += 1  # the trigger has shown what this poll saw before it next awaits

    async def polled(times: int) -> None:
        target = polls + times
        while polls < target:
            await asyncio.sleep(0.01)

    async def watch() -> dict[str, Any]:
        task = asyncio.create_task(anext(trigger.run()))
        for _ in range(4):
            await polled(3)  # many polls while the clock stands still
            db.advance(2)
        await polled(3)
        db.advance(3600)
        try:
            return dict((await task).payload)
        finally:
            await _pool.close_pools()

    with patch.object(DatapumpHook, "async_status", counted):
        assert asyncio.run(watch())["status"] == "success"
    progress = [line for line in shown.lines if "% done" in line]
    assert polls >= 15
    assert 2 <= len(progress) <= 6  # one per change, not one per poll
    assert len(set(progress)) == len(progress)


@pytest.mark.parametrize("interval", [0, -1, float("inf"), "10"])
def test_a_poll_interval_that_is_not_a_positive_number_is_refused(interval: object) -> None:
    """Refused when the trigger is built, before it reaches a database (or a triggerer)."""
    job = JobRef("EXP_T", "SYSTEM", "EXPORT", "DATA_PUMP_DIR").to_dict()
    with pytest.raises(SpecError) as caught:
        JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=interval)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("poll_interval", interval)
    assert "a number of seconds > 0" in str(caught.value)
