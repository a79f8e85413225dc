"""The record of how far a trigger showed its log (triggers/_shown.py): written by the task
before it defers, so the trigger's first read finds it; deleted when the task that resumed
from the wait finishes, and kept while a wait of the same try may still read it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump._compat import AirflowException, TaskDeferred
from airflow_datapump.operators import ExportOperator
from airflow_datapump.sensors import JobSensor
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger

TI = SimpleNamespace(dag_id="d", task_id="t", run_id="r", map_index=-1, try_number=1)


class _XCom:
    """XCom as the task SDK offers it to the worker and the triggerer; only what the record
    uses. A read of a record that does not exist is a miss: Airflow's API client logs each
    one as an ERROR ("XCom not found") in the log of the process that asked."""

    stored: dict[tuple[Any, ...], Any] = {}
    misses: list[dict[str, Any]] = []
    deleted: list[dict[str, Any]] = []

    @staticmethod
    def _at(key: str, where: dict[str, Any]) -> tuple[Any, ...]:
        return (key, *(where[name] for name in ("dag_id", "task_id", "run_id", "map_index")))

    @classmethod
    async def aget_one(cls, *, key: str, **where: Any) -> Any:
        if cls._at(key, where) not in cls.stored:
            cls.misses.append({"key": key, **where})
        return cls.stored.get(cls._at(key, where))

    @classmethod
    async def aset(cls, key: str, value: Any, **where: Any) -> None:
        cls.set(key, value, **where)

    @classmethod
    def set(cls, key: str, value: Any, **where: Any) -> None:
        cls.stored[cls._at(key, where)] = value

    @classmethod
    def delete(cls, *, key: str, **where: Any) -> None:
        cls.deleted.append({"key": key, **where})
        cls.stored.pop(cls._at(key, where), None)


@pytest.fixture
def xcom() -> Any:
    _XCom.stored, _XCom.misses, _XCom.deleted = {}, [], []
    with patch.object(_shown, "_xcom", lambda: _XCom):
        yield _XCom


RECORD = {"key": _shown.KEY, "dag_id": "d", "task_id": "t", "run_id": "r", "map_index": -1}


def test_a_failed_wait_deletes_the_record_too(xcom: Any) -> None:
    op = ExportOperator(task_id="t", schemas=["HR"], poll_interval=1)
    with pytest.raises(AirflowException, match="failed"):
        op.execute_complete({"ti": TI}, {"status": "error", "message": "ORA-03113"})
    assert xcom.deleted == [RECORD]


def test_a_sensor_that_resumes_deletes_the_record(xcom: Any) -> None:
    sensor = JobSensor(task_id="t", job_name="EXTERNAL", job_owner="SYSTEM")
    sensor.execute_complete({"ti": TI}, {"status": "success", "state": "UNDEFINED"})
    assert xcom.deleted == [RECORD]


def test_a_task_that_defers_again_keeps_the_record(xcom: Any) -> None:
    with pytest.raises(TaskDeferred), _shown.cleared_after({"ti": TI}):
        raise TaskDeferred(trigger=None, method_name="execute_complete")  # type: ignore[arg-type]
    assert xcom.deleted == []


def test_without_a_task_instance_or_a_store_nothing_breaks(xcom: Any) -> None:
    with _shown.cleared_after({}):
        pass
    _shown.clear(SimpleNamespace(dag_id="d"))  # not a task instance: nothing to delete
    assert xcom.deleted == []
    with patch.object(_XCom, "delete", side_effect=RuntimeError("no supervisor")):
        _shown.clear(TI)  # an unreachable store never fails the task


def _trigger(log_position: int = 0, try_number: int | None = 1) -> JobTrigger:
    job = {"job_name": "EXP_T", "owner": "SYSTEM"}
    trigger = JobTrigger(oracle_conn_id="c", job=job, log_position=log_position, try_number=try_number)
    trigger.task_instance = TI  # what the triggerer sets on a trigger it runs
    return trigger


def test_the_first_read_of_a_trigger_finds_the_record_its_task_wrote(xcom: Any) -> None:
    """An ordinary first start reads what the task wrote before deferring: no miss, so no
    ERROR line in the triggerer's log; a trigger whose task wrote nothing misses."""
    assert asyncio.run(_shown.load(_trigger())) == (0, False)
    assert xcom.misses == [RECORD]  # what every deferral cost before the task wrote the record
    xcom.misses.clear()
    _shown.start({"ti": TI}, _trigger(log_position=120))
    assert asyncio.run(_shown.load(_trigger(log_position=120))) == (120, True)  # deferred seen
    assert xcom.misses == []


def test_a_rebuilt_trigger_reads_how_far_it_got_not_where_it_started(xcom: Any) -> None:
    _shown.start({"ti": TI}, _trigger())
    record = _shown.Record(_trigger(), 0)
    asyncio.run(record.polled(4096))
    asyncio.run(record.save())  # the first incarnation showed this much
    assert asyncio.run(_shown.load(_trigger())) == (4096, False)  # rebuilt from the same kwargs
    asyncio.run(record.polled(4096, seen=True))  # ... and then saw the job listed
    assert asyncio.run(_shown.load(_trigger())) == (4096, True)
    assert asyncio.run(_shown.load(_trigger(try_number=2))) == (0, False)  # another try's is not ours
    assert xcom.misses == []


def test_a_task_with_no_task_instance_or_store_still_defers(xcom: Any) -> None:
    _shown.start({}, _trigger())  # no task instance: nothing to record
    _shown.start(None, _trigger())
    assert xcom.stored == {}
    with patch.object(_XCom, "set", side_effect=RuntimeError("no supervisor")):
        _shown.start({"ti": TI}, _trigger())  # an unreachable store never fails the deferral


def test_a_running_trigger_saves_once_per_save_interval_of_polls_not_at_every_poll(xcom: Any) -> None:
    """At 30 s polls a save is due every 10 polls (300 s): a tenth of the supervisor's requests."""
    trigger = _trigger()
    trigger.poll_interval = 30.0
    record = _shown.Record(trigger, 0)
    saved: list[int] = []
    with patch.object(_XCom, "aset", side_effect=lambda key, value, **where: saved.append(value["position"])):

        async def poll(times: int) -> None:
            for _ in range(times):
                await record.polled(record.position + 100)  # every poll moves the log

        asyncio.run(poll(25))
        assert saved == [1000, 2000]
        asyncio.run(record.save())  # before the event: what is not saved yet
        assert saved == [1000, 2000, 2500]
        asyncio.run(record.save())  # nothing new: no request
        assert saved == [1000, 2000, 2500]


def test_a_last_save_nobody_answers_does_not_hold_up_the_cancelled_trigger(xcom: Any) -> None:
    """A triggerer shutting down may no longer read its supervisor's answers."""
    record = _shown.Record(_trigger(), 0)

    async def unanswered(key: str, value: Any, **where: Any) -> None:
        await asyncio.Event().wait()

    async def cancelled() -> None:
        await record.polled(100)
        await record.save_last()

    with patch.object(_XCom, "aset", unanswered), patch.object(_shown, "LAST_SAVE_TIMEOUT", 0.01):
        asyncio.run(asyncio.wait_for(cancelled(), 5))  # a wait for ever fails here
    assert record.saved == 0  # not recorded as saved: a later save tries again


def test_seeing_the_job_and_a_replaced_log_are_saved_at_once(xcom: Any) -> None:
    """Lines shown wait for the next save (at most every SAVE_EVERY s of polls); the job seen
    listed decides results (a rebuilt trigger that forgot it waits for a job that ended), and a
    replaced log's start would go unshown: both are saved at the poll that finds them."""
    unseen = _trigger()
    unseen.seen = False  # as a sensor defers on a job it has not seen listed
    _shown.start({"ti": TI}, unseen)
    record = _shown.Record(unseen, 0)
    asyncio.run(record.polled(100))
    assert asyncio.run(_shown.load(unseen)) == (0, False)  # lines shown: not yet saved
    asyncio.run(record.polled(200, seen=True))
    assert asyncio.run(_shown.load(unseen)) == (200, True)
    asyncio.run(record.polled(300, seen=True))
    assert asyncio.run(_shown.load(unseen)) == (200, True)
    asyncio.run(record.polled(0, seen=True, restarted=True))  # a new run's log, nothing shown
    assert asyncio.run(_shown.load(unseen)) == (0, True)
