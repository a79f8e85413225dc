"""Which leftover Data Pump jobs may be dropped: only those provably orphaned.

A job that failed and a job a DBA stopped on purpose to restart tomorrow look the same in
DBA_DATAPUMP_JOBS: ``NOT RUNNING``, nobody attached (reference §5 "Orphans", which says to
confirm the job was not stopped on purpose before dropping it). So a job is dropped only
when everything that can be seen says it is abandoned:

- it is ``NOT RUNNING`` with no attached session and no Data Pump session;
- it belongs to the owner asked for (by default the connection's own user: another user's
  job is never dropped unless that owner, or every owner, is asked for);
- nothing has happened to it for longer than the caller's threshold: its master table's
  creation and last DDL (DBA_OBJECTS) and its last progress report (V$SESSION_LONGOPS)
  are all older than that, measured by the database's own clock.

V$SESSION_LONGOPS lives in memory: after an instance restart, and for small jobs that never
reported progress, a job's last activity is unknown beyond its master table's times. A
session that cannot read V$SESSION_LONGOPS or DBA_OBJECTS cannot prove anything, so its jobs
are all skipped. Everything skipped is returned with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from airflow_datapump.core import plsql
from airflow_datapump.core.calls import Call, JobRow, Rows, Values
from airflow_datapump.core.status import JobState

EVERY_OWNER = "*"


@dataclass(frozen=True)
class Candidate:
    """A job row with what is known of its activity, times by the database's clock."""

    job: JobRow
    last_activity: dt.datetime | None
    now: dt.datetime
    activity_known: bool


@dataclass(frozen=True)
class Skipped:
    job: JobRow
    reason: str


@dataclass(frozen=True)
class CleanupReport:
    """What a clean-up found: ``orphans`` (dropped unless ``dry_run``) and what it left alone."""

    orphans: list[JobRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    dry_run: bool = True


def candidates(*, everyone: bool) -> Call[list[Candidate]]:
    """Every NOT RUNNING job with its master table's times and its last progress report."""

    def parse(values: Values, rows: Rows) -> list[Candidate]:
        found = []
        for owner, name, op, mode, state, degree, attached, sessions, ddl, created, progress, now in rows:
            job = JobRow(
                str(owner), str(name), str(op), str(mode), JobState.parse(state),
                int(degree or 0), int(attached or 0), int(sessions or 0),
            )  # fmt: skip
            times = [t for t in (ddl, created, progress) if t is not None]
            found.append(Candidate(job, max(times) if times else None, now, everyone))
        return found

    statement = plsql.CLEANUP_CANDIDATES_ALL if everyone else plsql.CLEANUP_CANDIDATES_OWN
    return Call(statement, {}, parse, query=True)


def judge(found: list[Candidate], *, owner: str, older_than: dt.timedelta, dry_run: bool) -> CleanupReport:
    """Split the candidates into provable orphans and the rest, each with its reason."""
    report = CleanupReport(dry_run=dry_run)
    for candidate in found:
        reason = _reason_to_keep(candidate, owner, older_than)
        if reason is None:
            report.orphans.append(candidate.job)
        else:
            report.skipped.append(Skipped(candidate.job, reason))
    return report


def _reason_to_keep(candidate: Candidate, owner: str, older_than: dt.timedelta) -> str | None:
    job = candidate.job
    if owner != EVERY_OWNER and job.owner != owner:
        return f"owned by {job.owner}, not {owner}; pass owner={job.owner!r} to include it"
    if job.state is not JobState.NOT_RUNNING:
        return f"{job.state.value}, not NOT RUNNING"
    if job.attached_sessions or job.datapump_sessions:
        return f"{job.attached_sessions} attached and {job.datapump_sessions} Data Pump session(s)"
    if not candidate.activity_known:
        return "its last activity cannot be read (needs DBA_OBJECTS and V$SESSION_LONGOPS)"
    if candidate.last_activity is None:
        return "no master table found for it"
    idle = candidate.now - candidate.last_activity
    if idle < older_than:
        seconds, limit = idle.total_seconds(), older_than.total_seconds()
        return f"active {seconds:.0f} s ago, within the {limit:.0f} s threshold"
    return None
