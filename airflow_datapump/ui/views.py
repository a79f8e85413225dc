"""What the Data Pump page shows, as plain JSON-ready values: no Airflow, no I/O.

The page's API is a thin layer over :class:`~airflow_datapump.hooks.datapump.DatapumpHook`; the
shaping of its answers lives here so it is tested without a web server, and so every value the
browser receives passes through one place that decides what leaves the server. Nothing here
reads a connection, so no password can reach a response through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_datapump.core import stamp
from airflow_datapump.core.calls import JobRow
from airflow_datapump.core.cleanup import EVERY_OWNER, CleanupReport
from airflow_datapump.core.names import MAX_IDENTIFIER_BYTES, encoded_length
from airflow_datapump.core.status import JobState, JobStatus
from airflow_datapump.exceptions import SpecError

#: States in which a job can be asked to stop, and in which ATTACH + START_JOB restarts it.
STOPPABLE = frozenset({JobState.EXECUTING, JobState.IDLING, JobState.DEFINING})
RESTARTABLE = frozenset({JobState.NOT_RUNNING, JobState.STOPPED, JobState.IDLING})

#: Orphans are jobs idle at least this long (minutes) unless the page asks otherwise; a job
#: stopped on purpose a moment ago, to be restarted, must not look like one.
DEFAULT_IDLE_MINUTES = 60
#: The page cleans up every owner's jobs it may see; the auth manager decided it may.
CLEANUP_OWNER = EVERY_OWNER

#: Where "started" comes from, as the page says it.
STARTED_SOURCE = "master table created (DBA_OBJECTS.CREATED, database clock)"

#: How many log lines the page asks for first, and the most one request may return.
LOG_PAGE_LINES = 200
LOG_MAX_LINES = 5000


@dataclass(frozen=True)
class JobKey:
    """A job as the page names it: connection, owner and job name as Oracle stores them.

    The names come back from the jobs list exactly as the dictionary holds them (case kept), and
    reach the database only as binds; they are checked for what no stored name can contain.
    """

    connection_id: str
    owner: str
    job_name: str

    @classmethod
    def parse(cls, connection_id: str, owner: str, job_name: str) -> JobKey:
        return cls(connection_id, stored_name(owner, "owner"), stored_name(job_name, "job_name"))


def stored_name(value: str, field: str) -> str:
    """A name as the dictionary stores it, or a :class:`SpecError` naming the field."""
    length = encoded_length(value)
    if not value or length is None or length > MAX_IDENTIFIER_BYTES or '"' in value or "\x00" in value:
        raise SpecError(
            field, value, f'a stored Oracle name: 1 to {MAX_IDENTIFIER_BYTES} bytes, without " or NUL'
        )
    return value


def job_row(row: JobRow, status: JobStatus | None = None) -> dict[str, Any]:
    """One line of the jobs table; progress comes from a status look when the job is live."""
    return {
        "owner": row.owner,
        "job_name": row.job_name,
        "operation": row.operation,
        "job_mode": row.job_mode,
        "state": row.state.value,
        "degree": row.degree,
        "attached_sessions": row.attached_sessions,
        "datapump_sessions": row.datapump_sessions,
        "percent_done": status.percent_done if status else None,
        "bytes_processed": status.bytes_processed if status else None,
        "can_stop": row.state in STOPPABLE,
        "can_restart": row.state in RESTARTABLE,
        **started(row),
    }


def started(row: JobRow | None) -> dict[str, Any]:
    """When the job was defined: its master table's creation, by the database's clock.

    DBA_DATAPUMP_JOBS has no start time; the master table is created when the job is, and
    outlives a stop, so its CREATED time is the job's first start, not a restart's.
    """
    when = row.created if row is not None else None
    return {
        "started": when.isoformat(sep=" ", timespec="seconds") if when else None,
        "started_source": STARTED_SOURCE if when else None,
    }


def job_detail(
    status: JobStatus,
    started_by: dict[str, Any] | None,
    row: JobRow | None = None,
    *,
    ended: str | None = None,
) -> dict[str, Any]:
    """The job page's header: state, progress, workers, errors, when and by which run it started,
    and for a job that has left the dictionary (no state of its own) its log's final line."""
    return {
        "ended": ended,
        **started(row),
        "owner": status.owner,
        "job_name": status.job_name,
        "state": status.state.value,
        "phase": status.phase,
        "percent_done": status.percent_done,
        "bytes_processed": status.bytes_processed,
        "total_bytes": status.total_bytes,
        "degree": status.degree,
        "error_count": status.error_count,
        "attached_sessions": status.attached_sessions,
        "workers": [
            {"state": w.state, "schema": w.schema, "name": w.name, "object_type": w.object_type}
            for w in status.workers
        ],
        "error_lines": list(status.error_lines),
        "can_stop": status.state in STOPPABLE,
        "can_restart": status.state in RESTARTABLE,
        "started_by": started_by,
    }


def started_by(log_text: str) -> dict[str, Any] | None:
    """The task run that started the job, from the start mark in its log; None if none.

    The mark is the one the operators write at submit (:mod:`airflow_datapump.core.stamp`),
    so the page names a DAG run only when the job's own log says so.
    """
    mark = stamp.started_by(log_text.splitlines())
    if mark is None or mark.run is None:
        return None
    return {**mark.run.to_dict(), "try": mark.try_number, "at": mark.at}


def orphan_report(report: CleanupReport) -> dict[str, Any]:
    """What a clean-up would drop (dry run) or did drop, and what it left alone and why."""
    return {
        "dry_run": report.dry_run,
        "orphans": [job_row(row) for row in report.orphans],
        "dropped": [] if report.dry_run else [f"{row.owner}.{row.job_name}" for row in report.orphans],
        "skipped": [{**job_row(s.job), "reason": s.reason} for s in report.skipped],
    }
