"""JobSensor reaches the same decision as the operators' waits (core/waiting.py) in poke,
reschedule and deferrable mode: what it saw outlives one poke or one trigger, a gone job is
given its grace polls, an earlier run's log is not this run's, and each log line is shown
once. Over the real driver and the emulator."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import JobSpec
from airflow_datapump._compat import AirflowException, TaskDeferred
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import GONE_GRACE_POLLS
from airflow_datapump.exceptions import SpecError
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.sensors import JobSensor
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger
from tests.operators.conftest import load_dag_file

DAGS = Path(__file__).parent / "dags"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    with emulated_oracle() as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", oracle.connection_uri())
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        yield handle


def submit(name: str = "EXTERNAL", dump: str = "ext.dmp", **options: Any) -> None:
    hook = DatapumpHook()
    hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[dump], job_name=name, **options))
    hook.close()


def clock(db: DatabaseHandle) -> dt.datetime:
    """The database clock's time, with its zone."""
    moment: dt.datetime = db.now().astimezone()
    return moment


def sensor(**kwargs: Any) -> JobSensor:
    return JobSensor(task_id="wait", job_name="EXTERNAL", job_owner="SYSTEM", **kwargs)


class _Said:
    """What a sensor or trigger writes to its task log (Airflow's structlog is not caplog)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str, *args: Any) -> None:
        self.lines.append(message % args)

    debug = warning = info

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)


def heard(task: Any) -> _Said:
    said = _Said()
    task._log = said
    return said


# -- grace polls ------------------------------------------------------------------------


def test_poke_mode_gives_a_gone_job_its_grace_polls_for_the_final_line(db: DatabaseHandle) -> None:
    """A completed job whose last line is not in the file yet is not failed as killed."""
    submit()
    watching = sensor(log_directory="DATA_PUMP_DIR")
    assert watching.poke({}) is False  # listed
    db.advance(3600)  # completed, gone from the dictionary
    log = db.directory_path() / "EXTERNAL.log"
    body, final = log.read_text().rstrip("\n").rsplit("\n", 1)
    log.write_text(body + "\n")  # its final line not written yet
    for _ in range(GONE_GRACE_POLLS):
        assert watching.poke({}) is False
    log.write_text(f"{body}\n{final}\n")
    assert watching.poke({}) is True


def test_poke_mode_fails_a_gone_job_whose_log_never_ends(db: DatabaseHandle) -> None:
    submit()
    watching = sensor(log_directory="DATA_PUMP_DIR")
    assert watching.poke({}) is False
    db.advance(3600)
    log = db.directory_path() / "EXTERNAL.log"
    log.write_text(log.read_text().rstrip("\n").rsplit("\n", 1)[0] + "\n")  # as a kill leaves it
    for _ in range(GONE_GRACE_POLLS):
        assert watching.poke({}) is False
    with pytest.raises(AirflowException, match=r"without success \(stopped\)"):
        watching.poke({})


# -- each line once -----------------------------------------------------------------------


def said(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> list[str]:
    """The task log's messages: Airflow 3.1+ task loggers print them (structlog), 3.0's go
    through the logging module."""
    out = capsys.readouterr()
    printed = [m.group(1) for line in (out.out + out.err).splitlines() if (m := _PRINTED.match(line))]
    return printed or list(caplog.messages)


_PRINTED = re.compile(r"^\S+ \[\w+\s*\] (.*?) \[airflow\.task\.")


def test_poke_mode_shows_each_log_line_once(
    db: DatabaseHandle, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    submit()
    db.set_job_speed("SYSTEM", "EXTERNAL", size=2_000_000, rate=1_000_000)
    watching = sensor(log_directory="DATA_PUMP_DIR")
    capsys.readouterr()
    caplog.set_level("INFO")
    assert watching.poke({}) is False
    db.advance(1)
    assert watching.poke({}) is False
    db.advance(3600)
    assert watching.poke({}) is True
    log = (db.directory_path() / "EXTERNAL.log").read_text().splitlines()
    log = [line.rstrip() for line in log]  # the task log's renderer drops trailing blanks
    assert [line.rstrip() for line in said(capsys, caplog) if line.rstrip() in log] == log  # once each


# -- an earlier run's log -------------------------------------------------------------------


def test_an_earlier_runs_log_is_not_this_runs_job(
    db: DatabaseHandle, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The same job and log name every day: yesterday's final line does not end today's wait.
    Today's job then runs between two pokes, never seen listed, and rewrites the log."""
    submit()
    db.advance(3600)  # yesterday's run completed; its log stays
    run = {"data_interval_start": clock(db)}  # today's run begins after it
    db.advance(60)
    watching = sensor(log_directory="DATA_PUMP_DIR")
    caplog.set_level("INFO")
    assert watching.poke(run) is False
    assert watching.poke(run) is False
    assert sum("an earlier run's" in line for line in said(capsys, caplog)) == 1  # said once
    submit(dump="ext2.dmp")  # today's run, same names
    db.advance(3600)
    assert watching.poke(run) is True


def test_an_earlier_runs_log_is_judged_against_an_explicit_not_before(db: DatabaseHandle) -> None:
    submit()
    db.advance(3600)
    late = (clock(db) + dt.timedelta(minutes=5)).isoformat()
    assert sensor(log_directory="DATA_PUMP_DIR", not_before=late).poke({}) is False
    early = (clock(db) - dt.timedelta(days=1)).isoformat()
    assert sensor(log_directory="DATA_PUMP_DIR", not_before=early).poke({}) is True


def test_a_never_listed_job_with_an_undated_end_is_awaited(db: DatabaseHandle) -> None:
    """A final line without a date (11g wrote the time alone) cannot show it is this run's."""
    submit()
    db.advance(3600)
    log = db.directory_path() / "EXTERNAL.log"
    body, final = log.read_text().rstrip("\n").rsplit("\n", 1)
    log.write_text(f"{body}\n{final.split(' at ')[0]} at 10:00:00\n")
    assert sensor(log_directory="DATA_PUMP_DIR").poke({"data_interval_start": clock(db)}) is False


def test_a_deferred_sensor_waits_past_an_earlier_runs_log(db: DatabaseHandle) -> None:
    submit()
    db.advance(3600)
    run = {"data_interval_start": clock(db)}
    db.advance(60)
    with pytest.raises(TaskDeferred) as deferred:
        sensor(log_directory="DATA_PUMP_DIR", deferrable=True, poke_interval=0.01).execute(run)
    trigger = deferred.value.trigger
    assert isinstance(trigger, JobTrigger)
    assert (trigger.seen, trigger.not_before) == (False, run["data_interval_start"].timestamp())
    said = heard(trigger)
    polls = 0
    status = DatapumpHook.async_status

    async def counted(self: DatapumpHook, *args: Any, **kwargs: Any) -> Any:
        nonlocal polls
        try:
            return await status(self, *args, **kwargs)
        finally:
            polls += 1

    async def watch() -> dict[str, Any]:
        task = asyncio.create_task(anext(trigger.run()))
        while polls < 5:
            await asyncio.sleep(0.01)
        assert not task.done()  # yesterday's log ends nothing
        submit(dump="ext2.dmp")  # today's run, same names
        db.advance(3600)
        try:
            return dict((await task).payload)
        finally:
            await _pool.close_pools()

    with patch.object(DatapumpHook, "async_status", counted):
        event = asyncio.run(watch())
    assert event["status"] == "success"
    assert said.count("an earlier run's") == 1


def test_not_before_is_checked_before_any_database_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_ORACLE_DEFAULT", raising=False)
    with pytest.raises(SpecError) as caught:
        sensor(not_before="yesterday")
    assert (caught.value.field, caught.value.value) == ("not_before", "yesterday")
    with pytest.raises(SpecError, match="time zone"):
        sensor(not_before=dt.datetime(2026, 12, 1))  # no zone: refused, not guessed
    rendered = sensor(not_before="{{ data_interval_end }}")
    rendered.not_before = "2026-13-01T00:00:00+00:00"  # as a template might render
    with pytest.raises(SpecError) as caught:
        rendered.execute({})
    assert caught.value.field == "not_before"


# -- seen, across trigger restarts and reschedules --------------------------------------------


class _XCom:
    values: dict[tuple[Any, ...], Any] = {}

    @classmethod
    async def aget_one(cls, *, key: str, **where: Any) -> Any:
        return cls.values.get((key, *sorted(where.items())))

    @classmethod
    async def aset(cls, key: str, value: Any, **where: Any) -> None:
        cls.values[(key, *sorted(where.items()))] = value


def test_a_rebuilt_trigger_remembers_the_job_was_seen(db: DatabaseHandle) -> None:
    """A job without a log, first seen listed by the trigger, then gone while the triggerer
    restarts: the rebuilt trigger (from the kwargs the task deferred with: unseen) knows."""
    _XCom.values.clear()
    submit("NOLOG", no_log_file=True)
    ti = SimpleNamespace(dag_id="d", task_id="t", run_id="r", map_index=-1, try_number=1)
    job = JobRef("NOLOG", "SYSTEM", "UNKNOWN", "").to_dict()  # as the sensor defers with it
    first = JobTrigger(
        oracle_conn_id="oracle_default",
        job=job,
        poll_interval=0.01,
        on_kill="none",
        gone_means_success=True,
        seen=False,
        try_number=1,
    )
    first.task_instance = ti
    deferred_with = first.serialize()[1]
    polls = 0
    status = DatapumpHook.async_status

    async def counted(self: DatapumpHook, *args: Any, **kwargs: Any) -> Any:
        nonlocal polls
        try:
            return await status(self, *args, **kwargs)
        finally:
            polls += 1

    async def restart() -> bool:
        task = asyncio.create_task(anext(first.run()))
        while polls < 3:  # the first trigger sees the job listed (and records that it did)
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        db.advance(3600)  # the job completes and leaves while no trigger watches
        rebuilt = JobTrigger(**deferred_with)
        rebuilt.task_instance = ti
        waiting = asyncio.create_task(anext(rebuilt.run()))
        target = polls + 5
        while polls < target and not waiting.done():
            await asyncio.sleep(0.01)
        done = waiting.done()
        waiting.cancel()
        await _pool.close_pools()
        return done and waiting.result().payload["status"] == "success"

    with patch.object(_shown, "_xcom", lambda: _XCom), patch.object(DatapumpHook, "async_status", counted):
        assert asyncio.run(restart()) is True


@pytest.mark.slow
def test_a_rescheduled_sensor_remembers_the_job_it_saw(
    db: DatabaseHandle, airflow_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each poke is a task run of its own (dag.test()); the job, without a log, is seen listed
    by the first and gone at the second: it completed, and the sensor says so."""
    from airflow.sdk.execution_time import context

    if not hasattr(context, "TaskStateStoreAccessor"):
        pytest.skip("no task state store before Airflow 3.3: a rescheduled sensor cannot remember")
    import airflow.settings
    from airflow.utils.state import DagRunState, TaskInstanceState

    monkeypatch.setattr(airflow.settings, "DAGS_FOLDER", str(DAGS))
    submit("NOLOG", no_log_file=True)
    module = load_dag_file(DAGS / "rescheduled_sensor.py")
    module.CLOCK.append(db)
    run = module.dag.test()
    (ti,) = run.get_task_instances()
    assert (run.state, ti.state) == (DagRunState.SUCCESS, TaskInstanceState.SUCCESS)
