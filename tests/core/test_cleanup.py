"""Which leftover jobs a clean-up may drop: only those every sign says are abandoned."""

from __future__ import annotations

import datetime as dt

import pytest

from airflow_datapump.core.calls import JobRow
from airflow_datapump.core.cleanup import EVERY_OWNER, Candidate, judge
from airflow_datapump.core.status import JobState

NOW = dt.datetime(2026, 5, 1, 12, 0)
HOUR = dt.timedelta(hours=1)


def candidate(
    owner: str = "SYSTEM",
    state: JobState = JobState.NOT_RUNNING,
    attached: int = 0,
    sessions: int = 0,
    idle: dt.timedelta | None = 2 * HOUR,
    known: bool = True,
) -> Candidate:
    job = JobRow(owner, "J", "EXPORT", "SCHEMA", state, 1, attached, sessions)
    return Candidate(job, None if idle is None else NOW - idle, NOW, known)


@pytest.mark.parametrize(
    ("found", "reason"),
    [
        (candidate(owner="HR"), "owned by HR, not SYSTEM"),
        (candidate(state=JobState.EXECUTING), "EXECUTING, not NOT RUNNING"),
        (candidate(attached=1), "1 attached and 0 Data Pump session(s)"),
        (candidate(sessions=2), "0 attached and 2 Data Pump session(s)"),
        (candidate(known=False), "cannot be read"),
        (candidate(idle=None), "no master table"),
        (candidate(idle=HOUR - dt.timedelta(seconds=1)), "active 3599 s ago, within the 3600 s threshold"),
    ],
)
def test_a_job_that_is_not_provably_orphaned_is_skipped_with_its_reason(
    found: Candidate, reason: str
) -> None:
    report = judge([found], owner="SYSTEM", older_than=HOUR, dry_run=False)
    assert report.orphans == []
    assert [s.job for s in report.skipped] == [found.job]
    assert reason in report.skipped[0].reason


def test_a_provable_orphan_of_any_owner_when_every_owner_is_asked_for() -> None:
    found = [candidate(owner="HR", idle=HOUR), candidate(owner="SCOTT")]
    report = judge(found, owner=EVERY_OWNER, older_than=HOUR, dry_run=True)
    assert [j.owner for j in report.orphans] == ["HR", "SCOTT"]
    assert report.skipped == []
