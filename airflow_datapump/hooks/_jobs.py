"""Which Data Pump jobs a database has: the list, one found by name, and orphans dropped.

The jobs as the database lists them (DBA_DATAPUMP_JOBS, or the user's own where that view is
not readable), apart from the lifecycle of one job in hooks/datapump.py, which finds a job
here before a kill or a restart decides what to do with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from airflow_datapump.core import calls, cleanup
from airflow_datapump.core.calls import Call, JobRow
from airflow_datapump.core.cleanup import CleanupReport
from airflow_datapump.core.names import identifier
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatabaseCallError, JobNotFoundError, PrivilegeError, SpecError

log = logging.getLogger(__name__)
T = TypeVar("T")


class JobsMixin:
    """The job-list operations of :class:`~airflow_datapump.hooks.datapump.DatapumpHook`."""

    run_call: Callable[[Call[Any]], Any]
    _retrying: Callable[[Callable[[], Any]], Any]
    _user: Callable[[], str]
    kill: Callable[[str, str], bool]

    def list_jobs(self) -> list[JobRow]:
        """Every job with a master table; the user's own when DBA_DATAPUMP_JOBS is not readable."""
        return self._everyone_or_own(calls.list_jobs)

    def _everyone_or_own(self, query: Callable[..., Call[T]]) -> T:
        """``query`` over every owner's jobs (DBA_DATAPUMP_JOBS), or over the user's own
        (USER_DATAPUMP_JOBS) when the user may not read the DBA view (ORA-00942)."""
        rows: T
        try:
            rows = self._retrying(lambda: self.run_call(query(everyone=True)))
        except DatabaseCallError as error:
            if error.code != "ORA-00942":
                raise
            rows = self._retrying(lambda: self.run_call(query(everyone=False)))
        return rows

    def attach(
        self,
        job_name: str,
        owner: str | None = None,
        *,
        log_directory: str | None = None,
        log_file: str | None = None,
    ) -> JobRef:
        """A reference to an existing job found by name (one started elsewhere, say)."""
        found = self.find_job(job_name, owner)
        if found is None:
            raise JobNotFoundError(
                f"ORA-31626: job {owner or self._user()}.{job_name} does not exist",
                code="ORA-31626",
                job_name=job_name,
            )
        return JobRef(
            job_name, found.owner, found.operation, "", log_directory=log_directory, log_file=log_file
        )

    def find_job(self, job_name: str, owner: str | None = None) -> JobRow | None:
        owner = owner or self._user()
        return next((j for j in self.list_jobs() if j.job_name == job_name and j.owner == owner), None)

    def cleanup_orphans(
        self,
        *,
        dry_run: bool = True,
        owner: str | None = None,
        older_than: float | dt.timedelta | None = None,
    ) -> CleanupReport:
        """Drop leftover master tables of jobs that are provably orphaned (§5 "Orphans").

        Only NOT RUNNING jobs with no session attached, idle for longer than ``older_than``
        by the database's clock, are orphans; see :mod:`airflow_datapump.core.cleanup` for
        what counts as activity. Every other job is left alone and reported with the reason.

        :param dry_run: only report (default True); otherwise each orphan is killed (see
            :meth:`kill`), and one the user may not drop moves to ``skipped`` with the reason.
        :param owner: whose jobs; default the connection's own user, ``"*"`` for every owner.
        :param older_than: how long (seconds or timedelta) a job must have been idle; required
            to drop anything, since a job stopped on purpose to be restarted looks the same.
        """
        if not dry_run and older_than is None:
            raise SpecError("older_than", None, "a threshold in seconds or a timedelta, to drop anything")
        idle = _threshold(older_than)
        scope = owner if owner == cleanup.EVERY_OWNER else identifier(owner or self._user(), "owner")
        found = self._everyone_or_own(cleanup.candidates)
        report = cleanup.judge(found, owner=scope, older_than=idle, dry_run=dry_run)
        for skipped in report.skipped:
            log.info(
                "Leaving Data Pump job %s.%s: %s", skipped.job.owner, skipped.job.job_name, skipped.reason
            )
        for job in list(report.orphans):
            log.info(
                "%s orphaned Data Pump job %s.%s", "Found" if dry_run else "Dropping", job.owner, job.job_name
            )
            if dry_run:
                continue
            try:
                self.kill(job.job_name, job.owner)
            except PrivilegeError as refused:  # one job this user may not drop leaves the rest to do
                log.warning("Could not drop Data Pump job %s.%s: %s", job.owner, job.job_name, refused)
                report.orphans.remove(job)
                report.skipped.append(cleanup.Skipped(job, f"could not be dropped: {refused}"))
        return report


def _threshold(value: float | dt.timedelta | None) -> dt.timedelta:
    if value is None:
        return dt.timedelta(0)
    if isinstance(value, dt.timedelta) and value >= dt.timedelta(0):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < float("inf"):
        return dt.timedelta(seconds=value)
    raise SpecError("older_than", value, "a number of seconds >= 0 or a timedelta")
