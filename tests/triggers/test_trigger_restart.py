"""A triggerer restart: the rebuilt JobTrigger shows the job's log from where the record of
what its earlier incarnation showed says (triggers/_shown.py), which is saved minutes of
polls apart, before the event and when the trigger is cancelled."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger
from tests.triggers.test_job_trigger import _Shown, event_of, submitted


class _FakeXCom:
    """The trigger's task instance XCom as the triggerer offers it (aget_one / aset).

    ``dead``: the triggerer is going away, and a write is never answered."""

    values: dict[tuple[Any, ...], Any] = {}
    written: list[int] = []  # the positions saved, in order
    dead = False

    @classmethod
    def reset(cls) -> None:
        cls.values, cls.written, cls.dead = {}, [], False

    @classmethod
    async def aget_one(cls, *, key: str, **where: Any) -> Any:
        return cls.values.get((key, *sorted(where.items())))

    @classmethod
    async def aset(cls, key: str, value: Any, **where: Any) -> None:
        if cls.dead:
            await asyncio.Event().wait()
        cls.values[(key, *sorted(where.items()))] = value
        cls.written.append(value["position"])


TI = SimpleNamespace(dag_id="d", task_id="t", run_id="r", map_index=-1, try_number=1)


def _deferred(shown: _Shown, job: dict[str, Any]) -> tuple[JobTrigger, dict[str, Any]]:
    """A trigger as the triggerer runs it, and the kwargs it keeps to rebuild it from."""
    trigger = shown.watch(
        JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.02, try_number=1)
    )
    trigger.task_instance = TI  # what the triggerer sets on a trigger it runs
    return trigger, trigger.serialize()[1]


async def _rebuilt_event(shown: _Shown, deferred_with: dict[str, Any]) -> dict[str, Any]:
    """A new triggerer rebuilds the trigger from its kwargs and runs it to its event."""
    rebuilt = shown.watch(JobTrigger(**deferred_with))
    rebuilt.task_instance = TI
    return await event_of(rebuilt)


def test_a_rebuilt_trigger_does_not_show_log_lines_twice(db: DatabaseHandle) -> None:
    """A triggerer restart rebuilds the trigger from its kwargs; it resumes where it had shown.

    The first trigger's saves of what it showed are minutes of polls apart; cancelled, as a
    triggerer that stops or hands it over cancels it, it saves on its way out. The restart
    comes while the job stands half done on the emulator's manual clock: no race with the
    machine's load.
    """
    shown = _Shown()
    _FakeXCom.reset()
    job = submitted()
    db.set_job_speed("SYSTEM", "EXP_T", size=2_000_000, rate=2_000_000)  # one second of its clock
    db.advance(0.5)  # half done, and it stays so until the clock moves again
    first, deferred_with = _deferred(shown, job)

    async def restart_midway() -> dict[str, Any]:
        task = asyncio.create_task(anext(first.run()))
        while not shown.lines:  # until the first trigger has shown the log so far
            await asyncio.sleep(0.01)
        assert _FakeXCom.written == []  # a poll that moved the log saved nothing
        task.cancel()  # the triggerer goes away
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(_FakeXCom.written) == 1  # its last save, on its way out
        shown_before_restart.extend(shown.lines)
        db.advance(3600)  # the job ends while no trigger watches it
        return await _rebuilt_event(shown, deferred_with)

    shown_before_restart: list[str] = []
    with patch.object(_shown, "_xcom", lambda: _FakeXCom):
        event = asyncio.run(restart_midway())
    assert event["status"] == "success"
    assert event["rows"]["HR.EMPLOYEES"] == 20  # the rebuilt trigger still counts every line
    log = (db.directory_path() / "EXP_T.log").read_text().splitlines()
    before = [line for line in shown_before_restart if line in log]
    assert 0 < len(before) < len(log)  # the restart did come midway through the log
    assert [line for line in shown.lines if line in log] == log  # each line once, in order


def test_a_trigger_rebuilt_after_its_triggerer_died_repeats_only_the_lines_since_its_last_save(
    db: DatabaseHandle,
) -> None:
    """The bound docs/deployment.md gives for a triggerer that dies without the last saves.

    Saves are due every two polls here. Every poll moves the log (the manual clock moves
    after each): the second saves; the triggerer dies right after the third, its supervisor
    never answering the last save. The rebuilt trigger shows again what the third poll
    showed, and nothing the first two did.
    """
    shown = _Shown()
    _FakeXCom.reset()
    job = submitted()
    db.set_job_speed("SYSTEM", "EXP_T", size=2_000_000, rate=2_000_000)  # one second of its clock
    db.advance(0.3)
    first, deferred_with = _deferred(shown, job)
    polls, at_last_save = 0, list[str]()
    status = DatapumpHook.async_status

    async def counted(self: DatapumpHook, *args: Any, **kwargs: Any) -> Any:
        nonlocal polls
        result = await status(self, *args, **kwargs)
        polls += 1
        if polls < 3:
            db.advance(0.3 if polls == 1 else 0.2)  # a new log line for the next poll
        if polls == 3:
            at_last_save.extend(shown.lines)  # the second poll saved all these
            _FakeXCom.dead = True  # the triggerer dies once this poll's lines are shown
            task = asyncio.current_task()
            assert task is not None
            task.cancel()
        return result

    async def die_then_rebuild() -> dict[str, Any]:
        with pytest.raises(asyncio.CancelledError):
            await anext(first.run())
        shown_before.extend(shown.lines)
        written_before.extend(_FakeXCom.written)
        _FakeXCom.dead = False  # a new triggerer, its supervisor answering
        db.advance(3600)
        return await _rebuilt_event(shown, deferred_with)

    shown_before: list[str] = []
    written_before: list[int] = []
    with (
        patch.object(_shown, "_xcom", lambda: _FakeXCom),
        patch.object(_shown, "SAVE_EVERY", 0.03),  # a save every 2 polls of 0.02 s
        patch.object(_shown, "LAST_SAVE_TIMEOUT", 0.05),
        patch.object(DatapumpHook, "async_status", counted),
    ):
        event = asyncio.run(die_then_rebuild())
    assert event["status"] == "success"
    log = (db.directory_path() / "EXP_T.log").read_text().splitlines()
    first_showed = [line for line in shown_before if line in log]
    saved = [line for line in at_last_save if line in log]
    since = first_showed[len(saved) :]
    again = [line for line in shown.lines[len(shown_before) :] if line in log]
    assert len(written_before) == 1  # three polls moved the log; one save
    assert saved  # it died after a save
    assert since  # and after showing lines since
    assert again[: len(since)] == since  # shown twice: only what it showed since its last save
    assert first_showed + again[len(since) :] == log  # the rest once, in order
