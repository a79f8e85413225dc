"""How far a trigger has shown its job's log, and whether it has seen the job listed, kept
where a rebuilt trigger can read it back.

A triggerer restart or fail-over rebuilds the trigger from the kwargs it was deferred with,
whose log position is where the operator left off, not where the trigger got to: without a
record it would show the log again from there. The trigger's own task instance's XCom is
reachable from the triggerer (the task state store is not, as of Airflow 3.3), survives the
restart, and is cleared before the task's next try. Having seen the job listed is what lets
its leaving without a log count as completed (core/waiting.py): a rebuilt trigger that forgot
it would wait for a job that has ended. The task writes the first record itself,
just before it defers: a trigger that found none would make Airflow's API client log an
ERROR ("XCom not found") in the triggerer's log on every ordinary start. Once the task has
resumed from the wait and finished (succeeded or failed) the record has no reader left, so
the task deletes it rather than leave it in the run's XComs; a task that defers again keeps
it. Where it is not available (no task instance, an Airflow without async XCom) nothing is
recorded and nothing breaks: lines may then be shown twice after a restart, as before.

The trigger saves the record now and then, not at every poll that moved the log (``Record``):
each save is a request to the triggerer's supervisor, which answers the requests of all its
triggers one at a time on one thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Iterator, Mapping
from typing import Any

from airflow_datapump._compat import TaskDeferred

log = logging.getLogger(__name__)
KEY = "datapump_log_shown"
# The most seconds of polls between two saves of a trigger's record: a trigger rebuilt after
# its triggerer died shows again at most the lines its earlier incarnation showed in them.
SAVE_EVERY = 300.0
# How long a cancelled trigger waits for its last save: a triggerer that is shutting down may
# no longer read its supervisor's answers, and must not wait for them.
LAST_SAVE_TIMEOUT = 1.0


def _xcom() -> Any:
    try:
        from airflow.sdk.execution_time.xcom import XCom
    except ImportError:  # pragma: no cover - Airflow before 3.0's SDK layout
        return None
    return XCom if hasattr(XCom, "aset") and hasattr(XCom, "aget_one") else None


def _where(trigger: Any) -> dict[str, Any] | None:
    return _of(getattr(trigger, "task_instance", None))


def _of(ti: Any) -> dict[str, Any] | None:
    where = {name: getattr(ti, name, None) for name in ("dag_id", "task_id", "run_id", "map_index")}
    return None if ti is None or None in where.values() else where


async def load(trigger: Any) -> tuple[int, bool]:
    """The byte offset of the job's log already shown by this try's trigger (0 if unknown),
    and whether it saw the job listed."""
    xcom, where = _xcom(), _where(trigger)
    if xcom is None or where is None:
        return 0, False
    try:
        value = await xcom.aget_one(key=KEY, **where)
    except Exception:  # an unreachable store must never stop the wait
        log.debug("could not read how far the log was shown", exc_info=True)
        return 0, False
    if (
        isinstance(value, dict)
        and value.get("job") == trigger.job.get("job_name")
        and value.get("try") == getattr(trigger, "try_number", None)
    ):
        return int(value.get("position") or 0), value.get("seen") is True
    return 0, False


async def _save(trigger: Any, position: int, *, seen: bool) -> bool:
    """Record that ``trigger`` has shown its job's log up to ``position``, and whether it saw
    the job listed; whether it was recorded."""
    xcom, where = _xcom(), _where(trigger)
    if xcom is None or where is None:
        return False
    try:
        await xcom.aset(KEY, _record(trigger, position, seen=seen), **where)
    except Exception:  # an unreachable store must never stop the wait
        log.debug("could not record how far the log was shown", exc_info=True)
        return False
    return True


class Record:
    """How far a running trigger has shown its job's log and whether it saw the job listed,
    and how much of that it has saved.

    Saving at every poll that moved the log cost one supervisor request per trigger and poll:
    33 a second from 1,000 triggers polling every 30 s (benchmarks/triggerer_requests.py), each
    delaying every other trigger's requests. So a save of lines shown comes at most once per
    ``SAVE_EVERY`` seconds of polls (counted in polls, each at least ``poll_interval`` apart, so
    no clock or busy machine makes them more frequent), and always before the trigger yields
    its event or ends cancelled. A trigger rebuilt after its triggerer died without that last
    save shows again the lines of at most ``SAVE_EVERY`` seconds of polls.

    Two changes are saved at the poll that makes them, being rare and deciding more than what
    is shown: the job seen listed for the first time (a rebuilt trigger that forgot it would
    wait for a job that has ended), and a replaced log (a rebuilt trigger would otherwise not
    show the new log's first lines, as already shown).
    """

    def __init__(self, trigger: Any, position: int, seen: bool = False) -> None:
        self.trigger = trigger
        self.position = self.saved = position
        self.seen = self.saved_seen = seen
        self.every = max(1, math.ceil(SAVE_EVERY / trigger.poll_interval))  # polls between saves
        self.polls = 0

    async def polled(self, position: int, *, seen: bool = False, restarted: bool = False) -> None:
        """After a poll whose lines up to ``position`` are shown (none of a log it found
        ``restarted``, replaced), and that ``seen`` the job listed or not: save if due."""
        self.polls += 1
        due = self.polls >= self.every or restarted or (seen and not self.seen)
        self.position = 0 if restarted else max(self.position, position)
        self.seen = self.seen or seen
        if due:
            await self.save()

    async def save(self) -> None:
        """Save what is shown and seen and not saved yet (one request, or none if nothing is new)."""
        if (self.position, self.seen) != (self.saved, self.saved_seen):
            self.polls = 0  # a store that failed is tried again a whole interval later
            position, seen = self.position, self.seen
            if await _save(self.trigger, position, seen=seen):
                self.saved, self.saved_seen = position, seen

    async def save_last(self) -> None:
        """On cancellation: save, waiting at most ``LAST_SAVE_TIMEOUT`` for the answer."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.save(), LAST_SAVE_TIMEOUT)


def start(context: Any, trigger: Any) -> None:
    """From the worker, just before deferring to ``trigger``: record where its wait starts.

    So the trigger's first read finds a record, as a rebuilt trigger's does: reading one
    that does not exist costs an ERROR line in the triggerer's log (Airflow's API client
    logs every missing XCom it is asked for), for every deferral of every task.
    """
    xcom, where = _xcom(), _of(context.get("ti") if isinstance(context, Mapping) else None)
    if xcom is None or where is None:
        return
    try:
        xcom.set(KEY, _record(trigger, trigger.log_position, seen=trigger.seen), **where)
    except Exception:  # the trigger then reads nothing and starts from its kwargs, as before
        log.debug("could not record where the wait starts", exc_info=True)


def _record(trigger: Any, position: int, *, seen: bool) -> dict[str, Any]:
    return {
        "job": trigger.job.get("job_name"),
        "try": getattr(trigger, "try_number", None),
        "position": position,
        "seen": bool(seen),
    }


def clear(ti: Any) -> None:
    """Delete the record of the task instance ``ti`` (from the worker, after the wait)."""
    xcom, where = _xcom(), _of(ti)
    if xcom is None or where is None or not hasattr(xcom, "delete"):
        return
    try:
        xcom.delete(key=KEY, **where)
    except Exception:  # a record left behind is untidy, never a reason to fail the task
        log.debug("could not delete the record of how far the log was shown", exc_info=True)


@contextlib.contextmanager
def cleared_after(context: Any) -> Iterator[None]:
    """Around a task's resumption from the trigger: clear the record when it is done with it."""
    again = False
    try:
        yield
    except TaskDeferred:
        again = True  # a new wait in this same try reads the record again
        raise
    finally:
        if not again:
            clear(context.get("ti") if isinstance(context, Mapping) else None)
