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
Such a job's log speaks for it only through a final line dated no earlier than ``not_before``:
a job name and log name used every day leave yesterday's log in place, and its final line is
not this run's. Its times are the database host's clock without a zone; the status's
``utc_offset`` (SYSTIMESTAMP's) places them (README, JobSensor; docs/emulator.md, Time).

What a waiter knows between polls (:meth:`Waiter.state`) is plain JSON, so a caller that
lives only one poll (a sensor in reschedule mode) carries it to the next. Of the lines read it
keeps only the error lines: a completion "with N error(s)" is judged by every code its log
showed, including those read by earlier polls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from airflow_datapump.core.status import (
    JobState,
    JobStatus,
    LogOutcome,
    Outcome,
    Verdict,
    classify,
    ended_at,
    error_codes,
    error_lines,
    read_outcome,
)
from airflow_datapump.core.submission import JobRef

GONE_GRACE_POLLS = 3
# The error lines a waiter's state and an event keep beyond those showing a code not among them.
KEPT_ERROR_LINES = 100


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


def kept_error_lines(lines: list[str] | tuple[str, ...]) -> list[str]:
    """The error lines of ``lines`` a waiter's state and an event carry: the first ``KEPT_ERROR_LINES``,
    then each that shows a code none before it did, so that every code is kept however many
    lines repeat one (a table per ORA-31684 line)."""
    kept: list[str] = []
    codes: set[str] = set()
    for line in error_lines(lines):
        new = set(error_codes([line])) - codes
        if new or len(kept) < KEPT_ERROR_LINES:
            kept.append(line)
            codes |= new
    return kept


def stale_note(job: JobRef, line: str) -> str:
    """What a wait says, once, on finding only an earlier run's log for a never-listed job."""
    return (
        f"Job {job.owner}.{job.job_name}: its log ends before not_before, an earlier run's "
        f"({line.strip()}); waiting for this run's job"
    )


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
    # POSIX time before which a never-listed job's final line belongs to an earlier run.
    not_before: float | None = None
    # The last observation: the final line found too old, and whether what was read so far
    # was dropped (a new log replaced it), so callers show neither as this run's.
    stale: str | None = None
    restarted: bool = False

    _KEPT = ("position", "gone_polls", "error_count", "seen")

    def state(self) -> dict[str, Any]:
        """What the next poll needs from this one; of the lines read, only the error lines."""
        return {name: getattr(self, name) for name in self._KEPT} | {
            "error_lines": kept_error_lines(self.lines)
        }

    def resume(self, state: dict[str, Any]) -> None:
        for name in self._KEPT:
            if isinstance(state.get(name), type(getattr(self, name))):
                setattr(self, name, state[name])
        lines = state.get("error_lines")
        if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
            self.lines = list(lines)

    def observe(self, status: JobStatus, *, now: float) -> JobResult | None:
        """Take in one status; return the result when the job has ended, else None."""
        if self.started is None:
            self.started = now
        self.stale, self.restarted = None, False
        first_listed = not status.is_gone and not self.seen
        if status.log_position < self.position or (first_listed and self.position):
            # A log shorter than what was read of it was replaced by a new run's; one read
            # before the job was ever listed is an earlier run's. Read the job's anew.
            self.lines.clear()
            self.position, self.gone_polls, self.restarted = 0, 0, True
            self.seen = self.seen or first_listed
            self._check_timeout(now)
            return None
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
        if not self.seen:
            # Never listed: only a final line of this run's speaks for the job (see above).
            if verdict is not Verdict.RUNNING and self._current(outcome.line, status.utc_offset):
                return JobResult(final, verdict, tuple(self.lines), self.bytes_processed)
            if verdict is not Verdict.RUNNING:
                self._reread_final_line(outcome.line)
            self._check_timeout(now)
            return None
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

    def _current(self, line: str | None, utc_offset: int | None) -> bool:
        """Whether a final line is dated no earlier than ``not_before`` (always, without one).

        A line without a date, or a database that did not say its offset, cannot show it.
        """
        if self.not_before is None:
            return True
        ended = ended_at(line)
        if ended is None or utc_offset is None:
            return False
        zone = dt.timezone(dt.timedelta(minutes=utc_offset))
        # The line is to the second: one written in not_before's own second may follow it.
        return ended.replace(tzinfo=zone).timestamp() >= self.not_before // 1

    def _reread_final_line(self, line: str | None) -> None:
        """Keep an earlier run's final line as the next read's start, not behind it: a new run
        that rewrites the log to the same length would otherwise go unread."""
        self.stale = line
        if line is not None and line in self.lines:
            after = self.lines[len(self.lines) - 1 - self.lines[::-1].index(line) :]
            self.position = max(0, self.position - sum(len(text.encode()) + 1 for text in after))
            del self.lines[-len(after) :]

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
