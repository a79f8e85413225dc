"""What a job's state means, read from Oracle's words and the job's log.

A finished job leaves no trace but its log (reference §5): once it completes, its master
table is dropped and ATTACH says ORA-31626. So the outcome of a job that is gone is read from
the log's last ``Job "OWNER"."NAME" ...`` line, never assumed: a status error is not a job
failure. :func:`classify` turns a state and that outcome into the one answer the wait loop,
the trigger and the sensor all need.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class JobState(StrEnum):
    """Job states exactly as Oracle spells them (§5); UNDEFINED also means "gone"."""

    UNDEFINED = "UNDEFINED"
    DEFINING = "DEFINING"
    EXECUTING = "EXECUTING"
    COMPLETING = "COMPLETING"
    COMPLETED = "COMPLETED"
    STOP_PENDING = "STOP PENDING"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    IDLING = "IDLING"
    NOT_RUNNING = "NOT RUNNING"

    @classmethod
    def parse(cls, text: str | None) -> JobState:
        """Read a state from any source; underscores and case vary between them (§5)."""
        if not text:
            return cls.UNDEFINED
        return cls(text.strip().upper().replace("_", " "))

    @property
    def is_active(self) -> bool:
        """The job is doing or about to do work."""
        return self in (
            JobState.DEFINING,
            JobState.EXECUTING,
            JobState.COMPLETING,
            JobState.STOP_PENDING,
            JobState.STOPPING,
        )


class Outcome(StrEnum):
    """How a job ended, from its log's last line."""

    SUCCEEDED = "successfully completed"
    COMPLETED_WITH_ERRORS = "completed with errors"
    FAILED = "stopped due to fatal error"
    STOPPED = "stopped"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STOPPED = "stopped"


_FINAL = re.compile(
    r'Job "(?P<owner>[^"]+)"\."(?P<job>[^"]+)" '
    r"(?:(?P<ok>successfully completed)|completed with (?P<errors>\d+) error\(s\)"
    r"|(?P<fatal>stopped due to fatal error)|(?P<stopped>stopped))"
)
_ORA = re.compile(r"\b(ORA-\d{5})\b")
# "... completed at Sun Nov 22 10:00:00 2026 elapsed ...": the day may be padded with a space.
_ENDED_AT = re.compile(
    r" at [A-Za-z]{3} (?P<month>[A-Za-z]{3}) +(?P<day>\d{1,2}) (?P<clock>\d{2}:\d{2}:\d{2}) (?P<year>\d{4})\b"
)
# LOGTIME=LOGFILE's prefix: "22-NOV-26 10:01:00.000: ".
_STAMPED = re.compile(
    r"^(?P<day>\d{2})-(?P<month>[A-Za-z]{3})-(?P<year>\d{2}) (?P<clock>\d{2}:\d{2}:\d{2})(?:\.\d+)?: "
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class LogOutcome:
    outcome: Outcome
    error_count: int = 0
    line: str | None = None


def read_outcome(lines: list[str], job_name: str | None = None) -> LogOutcome:
    """The outcome the last ``Job "..."."..." ...`` line states; a LOGTIME prefix is allowed."""
    for line in reversed(lines):
        match = _FINAL.search(line)
        if match is None or (job_name is not None and match.group("job") != job_name):
            continue
        if match.group("ok"):
            return LogOutcome(Outcome.SUCCEEDED, 0, line)
        if match.group("errors"):
            return LogOutcome(Outcome.COMPLETED_WITH_ERRORS, int(match.group("errors")), line)
        return LogOutcome(Outcome.FAILED if match.group("fatal") else Outcome.STOPPED, 0, line)
    return LogOutcome(Outcome.UNKNOWN)


def ended_at(line: str | None) -> dt.datetime | None:
    """When a final line says its job ended, as the database host's clock read (no zone).

    Data Pump writes ``... completed at Sun Nov 22 10:00:00 2026 elapsed 0 00:01:00`` (12.1
    and later; 11g wrote the time alone); a LOGTIME prefix is read when the date is not there.
    English month names are assumed. None when the line carries no date.
    """
    if not line:
        return None
    for pattern, century in ((_ENDED_AT, 0), (_STAMPED, 2000)):
        match = pattern.search(line)
        if match is None or match.group("month").upper() not in _MONTHS:
            continue
        hours, minutes, seconds = (int(part) for part in match.group("clock").split(":"))
        try:
            return dt.datetime(
                century + int(match.group("year")),
                _MONTHS.index(match.group("month").upper()) + 1,
                int(match.group("day")),
                hours,
                minutes,
                seconds,
            )
        except ValueError:
            continue
    return None


def utc_offset_minutes(text: str | None) -> int | None:
    """``TO_CHAR(SYSTIMESTAMP, 'TZH:TZM')`` (``+05:30``, ``-03:00``) in minutes; None if unread."""
    match = re.fullmatch(r"\s*([+-])?(\d{1,2}):(\d{2})\s*", text or "")
    if match is None:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    return -minutes if match.group(1) == "-" else minutes


def error_lines(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The lines that carry an Oracle error: what a status, a result and an event report."""
    return tuple(line for line in lines if "ORA-" in line)


def error_codes(lines: list[str]) -> list[str]:
    """Every ORA code mentioned in the lines, in order: what an "allowed errors" list checks."""
    return [code for line in lines for code in _ORA.findall(line)]


def disallowed_codes(lines: list[str], allowed: tuple[str, ...]) -> list[str]:
    """The ORA codes of the lines that ``allowed`` does not list, sorted, each once."""
    return sorted({code for code in error_codes(lines) if code not in allowed})


# Codes whose lines alone do not say what went wrong or what to change, and that allowing would
# pass a job that did not do its work.
ADVICE = {
    "ORA-39120": "TABLE_EXISTS_ACTION=TRUNCATE cannot truncate a table that enabled foreign keys "
    "refer to, so it kept its old rows and the dump's were skipped (a child truncated beside it "
    "may then fail to load and stay empty); use TABLE_EXISTS_ACTION=REPLACE, or disable those "
    "foreign keys before the import and enable them after. Allowing ORA-39120 would pass a "
    "refresh that did not happen",
}
_NAMED = 5  # tables named in an error; the task log has every line
_TABLE = re.compile(r'Table ("[^"]+"\."[^"]+")')


def advice_for(codes: list[str], lines: tuple[str, ...] | list[str]) -> str:
    """``. ORA-39120 ("S"."T", ...): what it means and what to change`` for each of ``codes``
    that has advice; empty when none has. Shared by the operators and the command line."""
    return "".join(_advice(code, lines) for code in codes if code in ADVICE)


def _advice(code: str, lines: tuple[str, ...] | list[str]) -> str:
    tables = list(dict.fromkeys(t for line in lines if code in line for t in _TABLE.findall(line)))
    more = f" and {len(tables) - _NAMED} more" if len(tables) > _NAMED else ""
    about = f" ({', '.join(tables[:_NAMED])}{more})" if tables else ""
    return f". {code}{about}: {ADVICE[code]}"


@dataclass(frozen=True)
class Worker:
    number: int
    state: str | None
    schema: str | None = None
    name: str | None = None
    object_type: str | None = None
    percent_done: int | None = None


@dataclass(frozen=True)
class JobStatus:
    """One look at a job: its state and progress, and what its log said since last time."""

    job_name: str
    owner: str
    state: JobState
    phase: int | None = None
    percent_done: int | None = None
    bytes_processed: int | None = None
    total_bytes: int | None = None
    degree: int | None = None
    error_count: int | None = None
    attached_sessions: int | None = None
    workers: tuple[Worker, ...] = ()
    error_lines: tuple[str, ...] = ()
    log_lines: tuple[str, ...] = ()
    log_position: int = 0
    outcome: LogOutcome = field(default_factory=lambda: LogOutcome(Outcome.UNKNOWN))
    # The offset of the database host's clock from UTC, in which its log times are written.
    utc_offset: int | None = None

    @property
    def is_gone(self) -> bool:
        return self.state is JobState.UNDEFINED

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["outcome"] = {**asdict(self.outcome), "outcome": self.outcome.outcome.value}
        return data


def classify(state: JobState, outcome: LogOutcome) -> Verdict:
    """Running, succeeded, failed or stopped, from the state or (when gone) the log.

    A NOT RUNNING job whose log says it completed is a success: a job kept by KEEP_MASTER=1
    leaves its master table behind, which the dictionary shows as NOT RUNNING.

    A job that is gone and whose log has no final line is reported as FAILED with an unknown
    outcome only by the caller's choice; here it is still RUNNING if the log is silent, since
    a job whose row vanished may be completing its last line (§5 COMPLETING).
    """
    completed = outcome.outcome in (Outcome.SUCCEEDED, Outcome.COMPLETED_WITH_ERRORS)
    if state is JobState.NOT_RUNNING and completed:
        return Verdict.SUCCEEDED  # its master table kept by KEEP_MASTER=1 (docs/emulator.md)
    if state in (JobState.NOT_RUNNING, JobState.STOPPED, JobState.IDLING):
        return Verdict.FAILED if outcome.outcome is Outcome.FAILED else Verdict.STOPPED
    if state is JobState.COMPLETED or state is JobState.UNDEFINED:
        if completed:
            return Verdict.SUCCEEDED
        if outcome.outcome is Outcome.FAILED:
            return Verdict.FAILED
        if outcome.outcome is Outcome.STOPPED:
            return Verdict.STOPPED
        return Verdict.SUCCEEDED if state is JobState.COMPLETED else Verdict.RUNNING
    return Verdict.RUNNING
