"""JobSensor: wait for a Data Pump job someone else started (a DBA's expdp, another DAG).

It succeeds when the job completes, and fails (or, with ``soft_fail``, skips) when it stops
or fails. A name is not an identity: a job missing from DBA_DATAPUMP_JOBS has completed,
been killed, or never started (a typo), so absence alone proves nothing. A missing job is a
success when its log ends with a completion line, a failure when the log ends stopped or
failed or has no final line (a kill, docs/emulator.md KILL_FINAL_LINE); with no log at all it
is awaited as not yet started, and the sensor's timeout decides. A log that ends "completed
with N error(s)" passes only when every ORA code it shows is in ``allowed_errors``, as for the
operators: a refresh whose import skipped a table's rows must not release what waits on it.
Only a job this sensor saw listed and then saw leave without a log to read counts as
completed: a completed job leaves the dictionary while a failed or stopped one lingers as NOT
RUNNING (reference §5). The log is ``log_file`` in ``log_directory``, or ``<JOB_NAME>.log``
there when only the directory is given, as the CLI's ``status`` reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NoReturn

from airflow.sdk import BaseSensorOperator

from airflow_datapump._compat import AirflowException, AirflowSkipException
from airflow_datapump.core.coerce import as_seconds
from airflow_datapump.core.names import file_name, identifier
from airflow_datapump.core.naming import default_log_file
from airflow_datapump.core.status import JobState, Outcome, Verdict, classify, disallowed_codes
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import gone_verdict
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators._fields import deferrable_or_default, error_codes_allowed, templated
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger


class JobSensor(BaseSensorOperator):
    """Wait until a Data Pump job ends.

    :param job_name: the job's name (templated).
    :param job_owner: its owner (templated); default the connection's user.
    :param oracle_conn_id: the Airflow ``oracle`` connection. Default ``oracle_default``.
    :param log_directory: directory object of the job's log, if known (templated).
    :param log_file: the log's file name (templated); default ``<JOB_NAME>.log`` when
        ``log_directory`` is given.
    :param allowed_errors: ORA codes a job that completed with errors may show in its log
        (``["ORA-31684"]``); any other code fails the sensor. Default none.
    :param deferrable: wait in the triggerer. Default from ``[operators] default_deferrable``.
    """

    template_fields = ("job_name", "job_owner", "log_directory", "log_file")

    def __init__(
        self,
        *,
        job_name: str,
        job_owner: str | None = None,
        oracle_conn_id: str = "oracle_default",
        log_directory: str | None = None,
        log_file: str | None = None,
        allowed_errors: Sequence[str] = (),
        deferrable: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # Airflow accepts 0, which would poll the database in a tight loop (and the trigger).
        self.poke_interval = as_seconds(self.poke_interval, "poke_interval")
        _check_names(job_name=job_name, job_owner=job_owner, log_directory=log_directory, log_file=log_file)
        self.job_name = job_name
        self.job_owner = job_owner
        self.oracle_conn_id = oracle_conn_id
        self.log_directory = log_directory
        self.log_file = log_file
        self.allowed_errors = error_codes_allowed(allowed_errors)
        self.deferrable = deferrable_or_default(deferrable)
        # Whether a poke has found the job listed: only then may its leaving mean it completed.
        # Kept by this instance, so in reschedule mode each poke starts unseen (the log decides).
        self._seen = False
        self._told_missing = False

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
            status = hook.status(ref)
        finally:
            hook.close()
        for line in status.log_lines[-20:]:
            self.log.info("%s", line)
        verdict = classify(status.state, status.outcome)
        if not status.is_gone:
            self._seen = True
        elif verdict is Verdict.RUNNING and not self._seen and not status.log_lines:
            # Never listed and no log: not started yet, or a misspelled name.
            if not self._told_missing:
                self._told_missing = True
                self.log.info("Job %s.%s not found; waiting for it to start", ref.owner, ref.job_name)
            return False
        elif verdict is Verdict.RUNNING:
            # Completed jobs leave the dictionary (§5), but so do killed ones: their log tells.
            read = bool(status.log_lines)  # only a job with a log file has lines
            verdict = gone_verdict(read, gone_means_success=True)
        if status.is_gone:
            # Not listed is no state of the job's: say what the log (if any) says instead.
            said = status.outcome.line or ("no final line in its log" if status.log_lines else "no log read")
            self.log.info(
                "Job %s.%s is no longer listed (%s): %s", ref.owner, ref.job_name, said, verdict.value
            )
        else:
            self.log.info("Job %s.%s is %s (%s)", ref.owner, ref.job_name, status.state.value, verdict.value)
        what = f"{ref.owner}.{ref.job_name}"
        self._check_errors(what, status.outcome.outcome.value, list(status.log_lines), verdict.value)
        return self._judge(verdict.value, f"{what} {status.state.value}")

    def _check_errors(self, what: str, outcome: str | None, lines: list[str], verdict: str) -> None:
        """Fail a completion "with N error(s)" whose log shows a code ``allowed_errors`` lacks."""
        if verdict not in ("succeeded", "success") or outcome != Outcome.COMPLETED_WITH_ERRORS.value:
            return
        disallowed = disallowed_codes(lines, self.allowed_errors)
        if disallowed:
            self._fail(
                f"Data Pump job {what} completed with errors: {', '.join(disallowed)} not in allowed_errors"
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
        if not self.deferrable:
            super().execute(context)
            return
        if self.poke(context):
            return
        ref = self._watched  # the job poke just looked at
        trigger = JobTrigger(
            oracle_conn_id=self.oracle_conn_id,
            job=ref.to_dict(),
            poll_interval=self.poke_interval,
            on_kill="none",  # not our job to stop
            gone_means_success=True,
            seen=self._seen,
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
            self._check_errors(
                self.job_name, event.get("outcome"), list(event.get("error_lines", [])), verdict
            )
            self._judge(verdict, f"{self.job_name} {state}")


def _check_names(**names: str | None) -> None:
    """Names given as they are (not templates) are checked when the DAG is parsed."""
    for field, value in names.items():
        if value is None or (isinstance(value, str) and templated(value)):
            continue
        if field == "log_file":
            file_name(value, field, substitution=False)
        else:
            identifier(value, field)


__all__ = ["JobSensor"]
