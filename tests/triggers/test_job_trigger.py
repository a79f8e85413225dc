"""JobTrigger: serialisable without secrets, awaits only, one event, stops a job only on kill."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
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
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger


def submitted(name: str = "EXP_T") -> dict[str, Any]:
    hook = DatapumpHook()
    ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[f"{name}.dmp"], job_name=name))
    hook.close()
    return ref.to_dict()


def first_event(trigger: JobTrigger, before: Callable[[], Awaitable[None]] | None = None) -> dict[str, Any]:
    """Run the trigger to its event; ``before`` runs first on the same event loop (and pools)."""

    async def run() -> dict[str, Any]:
        try:
            if before is not None:
                await before()
            async for event in trigger.run():
                return dict(event.payload)
            raise AssertionError("no event")
        finally:
            await _pool.close_pools()

    return asyncio.run(run())


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


class _FakeXCom:
    """The trigger's task instance XCom as the triggerer offers it (aget_one / aset)."""

    values: dict[tuple[Any, ...], Any] = {}

    @classmethod
    async def aget_one(cls, *, key: str, **where: Any) -> Any:
        return cls.values.get((key, *sorted(where.items())))

    @classmethod
    async def aset(cls, key: str, value: Any, **where: Any) -> None:
        cls.values[(key, *sorted(where.items()))] = value


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


def test_a_rebuilt_trigger_does_not_show_log_lines_twice(db: DatabaseHandle) -> None:
    """A triggerer restart rebuilds the trigger from its kwargs; it resumes where it had shown.

    The restart comes once the first trigger has recorded what it showed, while the job
    stands half done on the emulator's manual clock: no race with the machine's load.
    """
    shown = _Shown()
    _FakeXCom.values.clear()
    job = submitted()
    db.set_job_speed("SYSTEM", "EXP_T", size=2_000_000, rate=2_000_000)  # one second of its clock
    db.advance(0.5)  # half done, and it stays so until the clock moves again
    ti = SimpleNamespace(dag_id="d", task_id="t", run_id="r", map_index=-1, try_number=1)
    first = shown.watch(
        JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.02, try_number=1)
    )
    first.task_instance = ti
    deferred_with = first.serialize()[1]  # what the triggerer keeps and rebuilds it from

    async def restart_midway() -> dict[str, Any]:
        task = asyncio.create_task(anext(first.run()))
        while not _FakeXCom.values:  # until the first trigger has recorded what it showed
            await asyncio.sleep(0.01)
        task.cancel()  # the triggerer goes away
        with pytest.raises(asyncio.CancelledError):
            await task
        shown_before_restart.extend(shown.lines)
        db.advance(3600)  # the job ends while no trigger watches it
        rebuilt = shown.watch(JobTrigger(**deferred_with))
        rebuilt.task_instance = ti
        try:
            async for event in rebuilt.run():
                return dict(event.payload)
            raise AssertionError("no event")
        finally:
            await _pool.close_pools()

    shown_before_restart: list[str] = []
    with patch.object(_shown, "_xcom", lambda: _FakeXCom):
        event = asyncio.run(restart_midway())
    assert event["status"] == "success"
    assert event["rows"]["HR.EMPLOYEES"] == 20  # the rebuilt trigger still counts every line
    log = (db.directory_path() / "EXP_T.log").read_text().splitlines()
    before = [line for line in shown_before_restart if line in log]
    assert 0 < len(before) < len(log)  # the restart did come midway through the log
    assert [line for line in shown.lines if line in log] == log  # each line once, in order


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
