"""JobTrigger: waits on a Data Pump job in the triggerer, holding no worker slot.

It carries only names, positions and settings (never a secret: the connection is fetched by
id), so a triggerer restart rebuilds it from ``serialize()``; it then shows only the log lines
its earlier incarnation had not recorded as shown (see ``_shown``). It only awaits: status
polls go through the async hook's pooled sessions, and the hook and driver are imported in a
thread, not by Airflow's import of this module on the event loop (``_offloop``). Transient
database failures are retried with backoff before it gives up; it yields exactly one event.
Cancellation because the triggerer restarts leaves the job alone; only ``on_kill`` (Airflow
3.3+, a user killing or clearing the task) stops it, and not when a later try of the task has
taken the job over (core/stamp.py). A poll cancelled mid round trip finishes it first, so the
driver's connection survives and the cancellation is not lost (hooks/_runner.py, ``apooled``).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_datapump.core.coerce import as_seconds
from airflow_datapump.triggers import _offloop

if TYPE_CHECKING:
    from airflow_datapump.hooks.datapump import DatapumpHook

# What run() and on_kill() need beyond building the trigger: imported off the event loop the
# first time (see _offloop), because Airflow imports this module on the triggerer's loop.
RUNTIME_MODULES = (
    "airflow_datapump.core.events",
    "airflow_datapump.core.retry",
    "airflow_datapump.core.stamp",
    "airflow_datapump.core.submission",
    "airflow_datapump.core.waiting",
    "airflow_datapump.exceptions",
    "airflow_datapump.hooks.datapump",
    "airflow_datapump.triggers._shown",
)

ON_KILL_ACTIONS = ("kill", "stop", "none")


class JobTrigger(BaseTrigger):
    """Poll a job until it ends and report how.

    :param oracle_conn_id: the Airflow connection to reach the job's database.
    :param job: the job, as ``JobRef.to_dict()``.
    :param poll_interval: seconds between status polls. Default 10.
    :param log_position: byte offset of the job's log already read (resume point).
    :param on_kill: ``kill`` (stop and drop the master table, default), ``stop`` (keep it, so
        the job can restart) or ``none``.
    :param gone_means_success: a job that leaves without a readable log counts as completed
        (for jobs started elsewhere, whose log is unknown; failed jobs linger as NOT RUNNING).
    :param seen: whether the job was found listed before the trigger started. A job never
        seen listed is awaited until it appears or its log ends with a final line: its absence
        may be a misspelled name, not a completion (core/waiting.py). A job the trigger itself
        sees listed is remembered across triggerer restarts (``_shown``).
    :param not_before: POSIX time; a never-listed job's final line dated earlier is an
        earlier run's, not this one's (core/waiting.py). None: any final line counts.
    :param error_lines: error lines of the log before ``log_position``, read before the trigger
        started (a sensor's first poke): the event reports them with those the trigger reads,
        so a completion with errors is judged by all its codes.
    :param run: the task run the job belongs to (``RunStamp.to_dict()``), and ``try_number``
        the try that deferred: ``on_kill`` leaves a job that a later try has taken over.
    """

    def __init__(
        self,
        *,
        oracle_conn_id: str,
        job: dict[str, Any],
        poll_interval: float = 10.0,
        log_position: int = 0,
        on_kill: str = "kill",
        gone_means_success: bool = False,
        seen: bool = True,
        not_before: float | None = None,
        error_lines: list[str] | None = None,
        retry_attempts: int = 5,
        run: dict[str, Any] | None = None,
        try_number: int | None = None,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Airflow's own signature
        if on_kill not in ON_KILL_ACTIONS:
            raise ValueError(f"on_kill: {on_kill!r} is not allowed; one of {', '.join(ON_KILL_ACTIONS)}")
        self.oracle_conn_id = oracle_conn_id
        self.job = job
        self.poll_interval = as_seconds(poll_interval, "poll_interval")
        self.log_position = log_position
        self.on_kill_action = on_kill
        self.gone_means_success = gone_means_success
        self.seen = seen
        self.not_before = not_before
        self.error_lines = list(error_lines or ())
        self.retry_attempts = retry_attempts
        self.run_stamp = run
        self.try_number = try_number

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "oracle_conn_id": self.oracle_conn_id,
                "job": self.job,
                "poll_interval": self.poll_interval,
                "log_position": self.log_position,
                "on_kill": self.on_kill_action,
                "gone_means_success": self.gone_means_success,
                "seen": self.seen,
                "not_before": self.not_before,
                "error_lines": self.error_lines,
                "retry_attempts": self.retry_attempts,
                "run": self.run_stamp,
                "try_number": self.try_number,
            },
        )

    def _hook(self) -> DatapumpHook:
        from airflow_datapump.core.retry import RetryPolicy
        from airflow_datapump.hooks.datapump import DatapumpHook

        return DatapumpHook(
            oracle_conn_id=self.oracle_conn_id, retry=RetryPolicy(attempts=self.retry_attempts)
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        # A triggerer (re)start brings every trigger back at once; a random first delay
        # within one interval keeps them from building hooks and polling in lock-step.
        await asyncio.sleep(random.uniform(0, self.poll_interval))
        await _offloop.imported(RUNTIME_MODULES)
        from airflow_datapump.core.events import ProgressNotes, event_from_result, unseen
        from airflow_datapump.core.submission import JobRef
        from airflow_datapump.core.waiting import Waiter, stale_note
        from airflow_datapump.exceptions import DatapumpError
        from airflow_datapump.triggers import _shown

        ref = JobRef.from_dict(self.job)
        hook = self._hook()
        waiter = Waiter(
            ref,
            position=self.log_position,
            gone_means_success=self.gone_means_success,
            seen=self.seen,
            not_before=self.not_before,
            lines=list(self.error_lines),
        )
        # What an earlier incarnation of this trigger showed and whether it saw the job listed
        # (the kwargs say whether the task had), and what this one shows and sees.
        position, seen = await _shown.load(self)
        shown = _shown.Record(self, position, seen=seen or self.seen)
        waiter.seen = shown.seen
        notes = ProgressNotes()
        loop = asyncio.get_running_loop()
        told_stale = False
        try:
            while True:
                try:
                    status = await hook.async_status(ref, log_position=waiter.position)
                except DatapumpError as error:
                    await shown.save()
                    message = {"status": "error", "job": self.job, "message": str(error)}
                    yield _event(
                        {**message, "log_position": max(waiter.position, shown.position)}, self.try_number
                    )
                    return
                start = waiter.position
                result = waiter.observe(status, now=loop.time())
                if not waiter.restarted:  # a new log is shown from its start
                    for line in unseen(status.log_lines, start, shown.position):
                        self.log.info("%s", line)
                if waiter.stale and not told_stale:
                    told_stale = True
                    self.log.info("%s", stale_note(ref, waiter.stale))
                if (note := notes.note(status)) is not None:
                    self.log.info("%s", note)
                await shown.polled(status.log_position, seen=waiter.seen, restarted=waiter.restarted)
                self.log_position = waiter.position
                if result is not None:
                    await shown.save()  # a triggerer that dies before the event is stored reruns it
                    yield _event(event_from_result(ref, result), self.try_number)
                    return
                await asyncio.sleep(self.poll_interval)
        except asyncio.CancelledError:  # a triggerer shutting down or handing the trigger over
            await shown.save_last()
            raise
        finally:
            hook.close()  # a thick-mode hook holds a session of its own

    async def on_kill(self) -> None:
        """The task was killed by a user (not a triggerer restart): stop the job as configured."""
        if self.on_kill_action == "none":
            return
        await _offloop.imported(RUNTIME_MODULES)
        from airflow_datapump.core import stamp
        from airflow_datapump.core.stamp import RunStamp
        from airflow_datapump.core.submission import JobRef
        from airflow_datapump.exceptions import JobNotFoundError

        ref = JobRef.from_dict(self.job)
        hook = self._hook()
        if self.try_number is not None and ref.log_file:
            # Clearing a task kills its old try's trigger, perhaps after the new try has
            # taken the job over: the order of the marks in the job's log decides (core/stamp.py).
            run = RunStamp.from_dict(self.run_stamp) if self.run_stamp else None
            try:
                ours = await hook.async_mark(ref, stamp.new_mark("kill", run, self.try_number))
            except JobNotFoundError:
                ours = False
            if not ours:
                self.log.info(
                    "Job %s.%s is no longer this try's to stop; leaving it", ref.owner, ref.job_name
                )
                return
        kill = self.on_kill_action == "kill"
        stopped = await hook.async_stop(ref.job_name, ref.owner, immediate=True, keep_master=not kill)
        self.log.info(
            "Job %s.%s %s on kill", ref.owner, ref.job_name, "stopped" if stopped else "had already ended"
        )


def _event(payload: dict[str, Any], try_number: int | None) -> TriggerEvent:
    """The event, naming the try that deferred: an Airflow without apache/airflow#56731 (3.0.6)
    resumes a retry with the event that ended the try before it (``_identity.from_an_earlier_try``)."""
    if try_number is not None:
        payload = {**payload, "try_number": try_number}
    return TriggerEvent(payload)  # type: ignore[no-untyped-call]  # untyped in Airflow
