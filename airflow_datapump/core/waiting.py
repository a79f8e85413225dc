"""Waiting for a job: one decision per status poll, shared by the hook's wait loop and the
trigger, so both read a job's end the same way (reference §5 "Outcome detection").

A job's log is read a little at each poll; its last ``Job "..."."..." ...`` line says how it
ended. A job that has left the dictionary is given a few more polls for its log to show that
line before its end is reported as unknown.

A job with no log file (expdp's NOLOGFILE=YES) has only its status to go on: completed jobs
leave the dictionary while failed and stopped ones linger as NOT RUNNING (§5), so leaving
means it completed, with the errors its status last counted.

That reading needs the job to have been seen listed: a job watched by name only (JobSensor)
and never listed may not have started yet, or the name may be misspelled. Until it is listed
or its log is found (and read as above), the wait goes on and the caller's timeout decides.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from airflow_datapump.core.status import (
    JobState,
    JobStatus,
    LogOutcome,
    Outcome,
    Verdict,
    classify,
    error_lines,
    read_outcome,
)
from airflow_datapump.core.submission import JobRef

GONE_GRACE_POLLS = 3


def gone_verdict(log_read: bool, *, gone_means_success: bool) -> Verdict:
    """The verdict on a job that left the dictionary without a final line in its log.

    A completed job always ends its log with a final line, so a log that was read but has
    none belongs to a killed job: Oracle does not document that a kill (STOP_JOB with
    keep_master 0) writes one (docs/emulator.md, reading KILL_FINAL_LINE). Only when no log
    could be read does leaving the dictionary mean what ``gone_means_success`` says.
    """
    if log_read:
        return Verdict.STOPPED
    return Verdict.SUCCEEDED if gone_means_success else Verdict.FAILED


@dataclass(frozen=True)
class JobResult:
    """How a job ended: its last status, the verdict, and every log line read while waiting."""

    status: JobStatus
    verdict: Verdict
    log_lines: tuple[str, ...]
    bytes_processed: int | None = None

    @property
    def outcome(self) -> LogOutcome:
        return self.status.outcome

    @property
    def error_lines(self) -> tuple[str, ...]:
        return error_lines(self.log_lines)


@dataclass
class Waiter:
    job: JobRef
    timeout: float | None = None
    position: int = 0
    lines: list[str] = field(default_factory=list)
    started: float | None = None
    gone_polls: int = 0
    gone_means_success: bool = False
    bytes_processed: int | None = None
    error_count: int = 0
    seen: bool = True

    def observe(self, status: JobStatus, *, now: float) -> JobResult | None:
        """Take in one status; return the result when the job has ended, else None."""
        if self.started is None:
            self.started = now
        self.position = status.log_position
        self.lines.extend(status.log_lines)
        if status.bytes_processed is not None:
            self.bytes_processed = status.bytes_processed
        self.error_count = max(self.error_count, status.error_count or 0)
        if not status.is_gone:
            self.seen = True
        elif not self.seen and not (self.lines or self.position):
            self._check_timeout(now)  # never listed, no log yet: not started, or a misspelled name
            return None
        if self.job.log_file is None and (status.is_gone or status.state is JobState.COMPLETED):
            # No log to read the end from: a job seen COMPLETED on its way out of the dictionary,
            # or already gone, ended as its status counted (§5: failed ones linger NOT RUNNING).
            return self._completed_without_log(status)
        outcome = read_outcome(self.lines, self.job.job_name)
        final = dataclasses.replace(status, outcome=outcome)
        verdict = classify(status.state, outcome)
        if verdict is not Verdict.RUNNING:
            return JobResult(final, verdict, tuple(self.lines), self.bytes_processed)
        if status.is_gone:
            self.gone_polls += 1
            if self.gone_polls > GONE_GRACE_POLLS:
                # Completed jobs leave the dictionary; failed and stopped ones linger as NOT
                # RUNNING (§5). Gone this long and its log names no end: whether the log could
                # be read at all is what is left to go on (a job without one returned above).
                unknown = dataclasses.replace(status, outcome=LogOutcome(Outcome.UNKNOWN))
                read = bool(self.lines or self.position)
                verdict = gone_verdict(read, gone_means_success=self.gone_means_success)
                return JobResult(unknown, verdict, tuple(self.lines), self.bytes_processed)
        self._check_timeout(now)
        return None

    def _check_timeout(self, now: float) -> None:
        if self.timeout is not None and self.started is not None and now - self.started > self.timeout:
            raise TimeoutError(
                f"Data Pump job {self.job.owner}.{self.job.job_name} still running after {self.timeout} s"
            )

    def _completed_without_log(self, status: JobStatus) -> JobResult:
        if self.error_count:
            outcome = LogOutcome(Outcome.COMPLETED_WITH_ERRORS, self.error_count)
        else:
            outcome = LogOutcome(Outcome.SUCCEEDED)
        final = dataclasses.replace(status, outcome=outcome)
        return JobResult(final, Verdict.SUCCEEDED, tuple(self.lines), self.bytes_processed)
