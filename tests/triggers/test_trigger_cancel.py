"""A trigger cancelled during a status round trip, with the real async driver over Oracle Net.

Airflow cancels triggers all the time (a task cleared or marked, the triggerer re-balancing or
shutting down). python-oracledb's async protocol waits for a reply on a future of its own;
a cancellation cancels that future, and a reply processed after it (in the same loop
iteration) meets a cancelled future: ``InvalidStateError`` in ``data_received``, asyncio
closes the connection as a fatal error, the call fails with DPY-4011, the hook retries it,
and the cancellation is lost: the trigger polls on, "cancelling" for ever.

Every point is hit on purpose: the server delays its reply (a latency fault) and the test
cancels at successive loop passes after the call starts, while the reply is in flight, and
just as it arrives (the loop below queues the cancellation behind the socket's read, as a
triggerer's cancel running ahead of it in the same iteration does). At each point: the
cancellation completes (within a generous bound, failing rather than hanging), the loop
reports no error, the pool serves the next poll, the server's session count is back to its
baseline and the job still runs.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Awaitable, Callable
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.submission import JobRef
from airflow_datapump.hooks import _pool, _runner
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers.datapump import JobTrigger

LATENCY = 0.3  # seconds the server holds each reply back
BOUND = 30.0  # generous: only a hang reaches it
# Where the cancellation lands, after the call started: loop passes (the pool, the cursor, the
# request going out), fractions of the reply's delay (in flight), or as the reply arrives.
POINTS = [("pass", n) for n in (0, 1, 2, 3, 5, 8, 13, 21)] + [
    ("in flight", 0.3),
    ("in flight", 0.7),
    ("arrival", 0),
]


class ArrivalLoop(asyncio.SelectorEventLoop):
    """An event loop that can cancel a task just as a reply arrives.

    After the selector has queued the reading callback of a socket that became readable, and
    before that callback runs: where a cancel from another task, run earlier in the same
    iteration, lands. Cancelling there cancels the future the driver waits on, and the
    cancelled task runs only after the reply was handed to the driver.
    """

    def __init__(self) -> None:
        super().__init__()
        self.cancel_on_read: asyncio.Task[Any] | None = None

    def _process_events(self, event_list: list[tuple[selectors.SelectorKey, int]]) -> None:
        super()._process_events(event_list)  # type: ignore[misc]  # asyncio's own, untyped
        wake = self._ssock.fileno()  # type: ignore[attr-defined]  # the loop's self-pipe is no reply
        task = self.cancel_on_read
        if task is not None and any(
            mask & selectors.EVENT_READ and key.fd != wake for key, mask in event_list
        ):
            self.cancel_on_read = None
            task.cancel()


def submitted() -> dict[str, Any]:
    hook = DatapumpHook()
    ref = hook.submit(
        JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["cancel.dmp"], job_name="EXP_C")
    )
    hook.close()
    return ref.to_dict()


class CallStarts:
    """Signals each time the hook starts a call on the async path."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self._arun_call = DatapumpHook.arun_call

    def __enter__(self) -> CallStarts:
        starts = self

        async def arun_call(hook: DatapumpHook, call: Any) -> Any:
            starts.event.set()
            return await starts._arun_call(hook, call)

        self._patch = patch.object(DatapumpHook, "arun_call", arun_call)
        self._patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._patch.stop()


async def _cancel_at(
    loop: ArrivalLoop, task: asyncio.Task[Any], starts: CallStarts, point: tuple[str, float]
) -> None:
    await starts.event.wait()
    kind, at = point
    if kind == "pass":
        for _ in range(int(at)):
            await asyncio.sleep(0)
        task.cancel()
    elif kind == "in flight":
        await asyncio.sleep(LATENCY * at)
        task.cancel()
    else:
        loop.cancel_on_read = task


async def _settled(db: DatabaseHandle, sessions: int) -> bool:
    """Whether the server's session count comes back to ``sessions`` (a dropped session's
    logoff is asynchronous: waited for, within the test's bound)."""
    for _ in range(int(BOUND / 0.05)):
        if len(db.sessions()) == sessions:
            return True
        await asyncio.sleep(0.05)
    return False


def _trigger_poll(job: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
    trigger = JobTrigger(oracle_conn_id="oracle_default", job=job, poll_interval=0.01)
    return lambda: anext(aiter(trigger.run()))


def _hook_poll(job: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
    hook, ref = DatapumpHook(), JobRef.from_dict(job)
    return lambda: hook.async_status(ref)


async def _cancel_everywhere(
    db: DatabaseHandle, job: dict[str, Any], poll: Callable[[dict[str, Any]], Callable[[], Awaitable[Any]]]
) -> list[str]:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, ArrivalLoop)
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    ref, check = JobRef.from_dict(job), DatapumpHook()
    await check.async_status(ref)  # the pool and its session
    baseline = len(db.sessions())
    problems = []
    for point in POINTS:
        db.add_latency(LATENCY)
        with CallStarts() as starts:
            task = asyncio.ensure_future(poll(job)())
            await _cancel_at(loop, task, starts, point)
            await asyncio.wait({task}, timeout=BOUND)
        db.clear_faults()
        if not task.done():
            problems.append(f"{point}: the cancelled poll never finished")
            loop.cancel_on_read = None
            continue  # it may go on polling: nothing further to learn from this point
        if not task.cancelled():
            problems.append(f"{point}: the cancellation was lost, the poll ended with {task.exception()!r}")
        if reported:
            problems.append(f"{point}: the loop reported {[c.get('message') for c in reported]}")
            reported.clear()
        status = await check.async_status(ref)  # the pool still serves
        if status.state.value != "EXECUTING" or [j["state"] for j in db.jobs()] != ["EXECUTING"]:
            problems.append(f"{point}: the job was touched: {db.jobs()}")
        if not await _settled(db, baseline):
            problems.append(f"{point}: {len(db.sessions())} sessions, not {baseline}")
    await _pool.close_pools()
    return problems


@pytest.mark.parametrize("poll", [_trigger_poll, _hook_poll], ids=["trigger", "hook"])
def test_a_poll_cancelled_at_any_point_of_its_round_trip_ends_cleanly(
    db: DatabaseHandle, poll: Callable[[dict[str, Any]], Callable[[], Awaitable[Any]]]
) -> None:
    job = submitted()
    with asyncio.Runner(loop_factory=ArrivalLoop) as runner:
        problems = runner.run(_cancel_everywhere(db, job, poll))
    assert not problems, "\n".join(problems)


async def _cancel_a_stuck_call(db: DatabaseHandle, job: dict[str, Any]) -> dict[str, Any]:
    """One poll in a round trip the server holds for longer than the grace, one waiting for
    the pool's only session behind it; both cancelled."""
    reported: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, context: reported.append(context))
    ref, hook = JobRef.from_dict(job), DatapumpHook()
    await hook.async_status(ref)
    baseline, opened = len(db.sessions()), db.counters()["sessions_opened"]
    db.add_latency(20 * _runner.CANCEL_GRACE_SECONDS)
    with CallStarts() as starts:
        stuck = asyncio.ensure_future(hook.async_status(ref))
        await starts.event.wait()
        await asyncio.sleep(_runner.CANCEL_GRACE_SECONDS)  # its request is at the server
        starts.event.clear()
        waiting = asyncio.ensure_future(hook.async_status(ref))
        await starts.event.wait()
        await asyncio.sleep(_runner.CANCEL_GRACE_SECONDS)  # it waits for the pool (no I/O to get there)
    waiting.cancel()
    stuck.cancel()
    await asyncio.wait({stuck, waiting}, timeout=BOUND)
    db.clear_faults()
    outcome = {
        "cancelled": [t.done() and t.cancelled() for t in (stuck, waiting)],
        "reported": [c.get("message") for c in reported],
        "state": (await hook.async_status(ref)).state.value,
        "settled": await _settled(db, baseline),
        "new sessions": db.counters()["sessions_opened"] - opened,
    }
    await _pool.close_pools()
    return outcome


def test_a_call_the_database_does_not_answer_is_broken_off_after_the_grace(
    db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_runner, "CANCEL_GRACE_SECONDS", 0.1)
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POOL_MAX_SESSIONS", "1")
    job = submitted()
    with asyncio.Runner(loop_factory=ArrivalLoop) as runner:
        outcome = runner.run(_cancel_a_stuck_call(db, job))
    assert outcome == {
        "cancelled": [True, True],
        "reported": [],
        "state": "EXECUTING",
        "settled": True,
        "new sessions": 1,  # the broken-off session was dropped, and replaced
    }
    assert caplog.text.count("breaking it off") == 2
    assert [j["state"] for j in db.jobs()] == ["EXECUTING"]
