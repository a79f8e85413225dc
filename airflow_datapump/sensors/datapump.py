"""JobSensor: wait for a Data Pump job someone else started (a DBA's expdp, another DAG).

It succeeds when the job completes, and fails (or, with ``soft_fail``, skips) when it stops
or fails. A name is not an identity: a job missing from DBA_DATAPUMP_JOBS has completed,
been killed, or never started (a typo), so absence alone proves nothing. The decision is the
one the operators' waits make (core/waiting.py), in every mode:

- a job seen listed that leaves is read by its log's final line, given a few more polls for
  that line to be written; with no final line it was killed; with no log it completed
  (completed jobs leave the dictionary, failed and stopped ones linger, reference §5);
- a job never seen listed is awaited until it appears, or until its log ends with a final
  line dated no earlier than ``not_before``: a job and log name used every day leave the
  earlier run's log in place, and that log is not this run's.

A job that completed "with N error(s)" passes only when every ORA code its log shows is in
``allowed_errors``, as for the operators: a refresh whose import skipped a table's rows must
not release what waits on it. With no code read (no log given, or none in it) it fails.

"Seen listed" and how far the log was read must outlive one poke. In ``poke`` mode the task
keeps them; in ``reschedule`` mode every poke is a new task process, and XCom is cleared at
each one (Airflow clears a task's XCom whenever it starts other than resuming from a
deferral), so they are kept in the task state store (Airflow 3.3+), per try. Without one
(Airflow 3.0-3.2) a rescheduled sensor cannot remember having seen the job: give it the log
(``log_directory``), or use ``poke`` or ``deferrable`` mode. Deferred, the trigger keeps them
(triggers/_shown.py). Each log line is shown once.

The log is ``log_file`` in ``log_directory``, or ``<JOB_NAME>.log`` there when only the
directory is given, as the CLI's ``status`` reads it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from airflow.sdk import BaseSensorOperator

from airflow_datapump._compat import AirflowException, AirflowSkipException
from airflow_datapump.core.coerce import as_moment, as_seconds
from airflow_datapump.core.events import event_from_result, unseen
from airflow_datapump.core.names import file_name, identifier
from airflow_datapump.core.naming import default_log_file
from airflow_datapump.core.status import JobState, Outcome, advice_for, disallowed_codes, error_codes
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import Waiter, stale_note
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators._fields import deferrable_or_default, error_codes_allowed, templated
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger

# The task state store's key for what a rescheduled sensor knows between pokes.
STATE_KEY = "datapump_sensor"


@dataclass
class _Watch:
    """What one try of the sensor knows of the job between pokes."""

    waiter: Waiter
    shown: int = 0  # bytes of the log already shown in the task log
    told: set[str] = field(default_factory=set)  # notes already given once


class JobSensor(BaseSensorOperator):
    """Wait until a Data Pump job ends.

    :param job_name: the job's name (templated).
    :param job_owner: its owner (templated); default the connection's user.
    :param oracle_conn_id: the Airflow ``oracle`` connection. Default ``oracle_default``.
    :param log_directory: directory object of the job's log, if known (templated).
    :param log_file: the log's file name (templated); default ``<JOB_NAME>.log`` when
        ``log_directory`` is given.
    :param not_before: a job never seen listed counts as this run's only when its log's final
        line is dated no earlier than this (templated; a datetime with a zone or ISO 8601
        text with an offset). Default the run's data interval start, or the first poke.
    :param allowed_errors: ORA codes a job that completed with errors may show in its log
        (``["ORA-31684"]``); any other code fails the sensor. Default none.
    :param deferrable: wait in the triggerer. Default from ``[operators] default_deferrable``.
    """

    template_fields = ("job_name", "job_owner", "log_directory", "log_file", "not_before")

    def __init__(
        self,
        *,
        job_name: str,
        job_owner: str | None = None,
        oracle_conn_id: str = "oracle_default",
        log_directory: str | None = None,
        log_file: str | None = None,
        not_before: str | dt.datetime | None = None,
        allowed_errors: Sequence[str] = (),
        deferrable: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # Airflow accepts 0, which would poll the database in a tight loop (and the trigger).
        self.poke_interval = as_seconds(self.poke_interval, "poke_interval")
        _check_names(job_name=job_name, job_owner=job_owner, log_directory=log_directory, log_file=log_file)
        if not_before is not None and not (isinstance(not_before, str) and templated(not_before)):
            as_moment(not_before, "not_before")
        self.job_name = job_name
        self.job_owner = job_owner
        self.oracle_conn_id = oracle_conn_id
        self.log_directory = log_directory
        self.log_file = log_file
        self.not_before = not_before
        self.allowed_errors = error_codes_allowed(allowed_errors)
        self.deferrable = deferrable_or_default(deferrable)
        self._watch: _Watch | None = None  # poke mode: this instance pokes again

    def _ref(self, hook: DatapumpHook) -> JobRef:
        owner = self.job_owner.upper() if self.job_owner else hook._user()
        log_file = self.log_file
        if log_file is None and self.log_directory:
            log_file = default_log_file(self.job_name)  # as the CLI's status reads it
        return JobRef(
            self.job_name, owner, "UNKNOWN", "", log_directory=self.log_directory, log_file=log_file
        )

    def poke(self, context: Any) -> bool:
        hook = DatapumpHook(oracle_conn_id=self.oracle_conn_id)
        try:
            ref = self._watched = self._ref(hook)
            watch = self._resume(context, ref)
            waiter = watch.waiter
            status = hook.status(ref, log_position=waiter.position)
        finally:
            hook.close()
        start = waiter.position
        result = waiter.observe(status, now=time.monotonic())
        if waiter.restarted:
            watch.shown = 0  # a new log: shown from its start
        else:
            for line in unseen(status.log_lines, start, watch.shown):
                self.log.info("%s", line)
            watch.shown = max(watch.shown, status.log_position)
        if waiter.stale:
            self._once(watch, "stale", stale_note(ref, waiter.stale))
        elif result is None and status.is_gone and not waiter.seen and not waiter.position:
            # Never listed and no log: not started yet, or a misspelled name.
            self._once(watch, "missing", f"Job {ref.owner}.{ref.job_name} not found; waiting for it to start")
        if result is None:
            self._keep(context, watch)
            return False
        self._keep(context, None)
        verdict = result.verdict.value
        if status.is_gone:
            # Not listed is no state of the job's: say what the log (if any) says instead.
            read = bool(result.log_lines or waiter.position)
            said = result.outcome.line or ("no final line in its log" if read else "no log read")
            self.log.info("Job %s.%s is no longer listed (%s): %s", ref.owner, ref.job_name, said, verdict)
        else:
            self.log.info("Job %s.%s is %s (%s)", ref.owner, ref.job_name, status.state.value, verdict)
        self._check_errors(_who(ref), event_from_result(ref, result))
        return self._judge(verdict, f"{_who(ref)} {status.state.value}")

    def _once(self, watch: _Watch, what: str, note: str) -> None:
        if what not in watch.told:
            watch.told.add(what)
            self.log.info("%s", note)

    def _resume(self, context: Any, ref: JobRef) -> _Watch:
        """This try's watch: this instance's (poke mode), or the task state store's."""
        if self._watch is None:
            waiter = Waiter(ref, gone_means_success=True, seen=False, not_before=self._not_before(context))
            self._watch = _Watch(waiter)
            kept = self._kept(context)
            if kept and kept.get("job") == _who(ref):
                waiter.resume(kept.get("waiter") or {})
                if isinstance(kept.get("not_before"), float):
                    waiter.not_before = kept["not_before"]
                self._watch.shown = int(kept.get("shown") or 0)
                self._watch.told = set(kept.get("told") or ())
        return self._watch

    def _not_before(self, context: Any) -> float:
        if self.not_before is not None:
            return as_moment(self.not_before, "not_before")
        start = context.get("data_interval_start") if isinstance(context, Mapping) else None
        if isinstance(start, dt.datetime) and start.utcoffset() is not None:
            return start.timestamp()
        ti = context.get("ti") if isinstance(context, Mapping) else None
        first = None
        if self.reschedule and ti is not None and hasattr(ti, "get_first_reschedule_date"):
            with contextlib.suppress(Exception):
                first = ti.get_first_reschedule_date(context)
        return first.timestamp() if isinstance(first, dt.datetime) else time.time()

    def _store(self, context: Any) -> tuple[Any, int | None]:
        """The task state store (Airflow 3.3+) and this try's number, in reschedule mode."""
        if not self.reschedule or not isinstance(context, Mapping):
            return None, None
        ti = context.get("ti")
        return context.get("task_state_store"), getattr(ti, "try_number", None)

    def _kept(self, context: Any) -> dict[str, Any] | None:
        store, tries = self._store(context)
        if store is None:
            return None
        try:
            kept = store.get(STATE_KEY)
        except Exception:  # an unreadable store: the poke starts afresh, as without one
            self.log.debug("could not read what earlier pokes knew", exc_info=True)
            return None
        return kept if isinstance(kept, dict) and kept.get("try") == tries else None

    def _keep(self, context: Any, watch: _Watch | None) -> None:
        """For the next poke of a rescheduled sensor; forgotten once the job's end is known."""
        store, tries = self._store(context)
        if store is None:
            return
        try:
            if watch is None:
                store.delete(STATE_KEY)
                return
            store.set(
                STATE_KEY,
                {
                    "try": tries,
                    "job": _who(watch.waiter.job),
                    "waiter": watch.waiter.state(),
                    "not_before": watch.waiter.not_before,
                    "shown": watch.shown,
                    "told": sorted(watch.told),
                },
            )
        except Exception:  # the next poke then starts afresh
            self.log.debug("could not keep what this poke knew", exc_info=True)

    def _check_errors(self, what: str, event: dict[str, Any]) -> None:
        """Fail a completion "with N error(s)" unless its log shows codes, all in ``allowed_errors``.

        ``event`` is the trigger's, or one built from a poke's result the same way (core/events).
        """
        if event.get("status") != "success" or event.get("outcome") != Outcome.COMPLETED_WITH_ERRORS.value:
            return
        lines = list(event.get("error_lines") or ())
        disallowed = disallowed_codes(lines, self.allowed_errors)
        if not error_codes(lines):
            unread = "none in the log read" if self.log_directory else "no log read: give log_directory"
            disallowed = [f"their codes ({unread})"]
        if disallowed:
            self._fail(
                f"Data Pump job {what} completed with errors: {', '.join(disallowed)} not in allowed_errors"
                f"{advice_for(disallowed, lines)}"
            )

    def _judge(self, verdict: str, what: str) -> bool:
        if verdict == "running":
            return False
        if verdict not in ("succeeded", "success"):
            self._fail(f"Data Pump job {what} ended without success ({verdict})")
        return True

    def _fail(self, message: str) -> NoReturn:
        if self.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowException(message)

    def execute(self, context: Any) -> None:
        if self.not_before is not None:
            as_moment(self.not_before, "not_before")  # as rendered, before the database is asked
        if not self.deferrable:
            super().execute(context)
            return
        if self.poke(context):
            return
        ref = self._watched  # the job poke just looked at
        waiter = self._resume(context, ref).waiter  # the one that poke used
        trigger = JobTrigger(
            oracle_conn_id=self.oracle_conn_id,
            job=ref.to_dict(),
            poll_interval=self.poke_interval,
            log_position=waiter.position,
            on_kill="none",  # not our job to stop
            gone_means_success=True,
            seen=waiter.seen,
            not_before=waiter.not_before,
            error_lines=waiter.state()["error_lines"],  # read by the poke, past log_position
        )
        _shown.start(context, trigger)
        self.defer(
            trigger=trigger,
            method_name="execute_complete",
            timeout=dt.timedelta(seconds=self.timeout) if self.timeout else None,
        )

    def execute_complete(self, context: Any, event: dict[str, Any] | None = None) -> None:
        with _shown.cleared_after(context):
            if not event:
                raise AirflowException("The Data Pump trigger ended without an event")
            if event.get("status") == "error":
                raise AirflowException(f"Waiting for the Data Pump job failed: {event.get('message')}")
            state = JobState.parse(event.get("state")).value
            verdict = "success" if event["status"] == "success" else str(event["status"])
            job = event.get("job")
            what = self.job_name
            if isinstance(job, dict) and "owner" in job:
                what = f"{job['owner']}.{job['job_name']}"
            self._check_errors(what, event)
            self._judge(verdict, f"{what} {state}")


def _who(job: JobRef) -> str:
    return f"{job.owner}.{job.job_name}"


def _check_names(**names: str | None) -> None:
    """Names given as they are (not templates) are checked when the DAG is parsed."""
    for field_name, value in names.items():
        if value is None or (isinstance(value, str) and templated(value)):
            continue
        if field_name == "log_file":
            file_name(value, field_name, substitution=False)
        else:
            identifier(value, field_name)


__all__ = ["JobSensor"]
