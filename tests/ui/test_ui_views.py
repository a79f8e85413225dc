"""What the Data Pump page shows, shaped without a server (issue: UI)."""

from __future__ import annotations

import datetime as dt

import pytest

from airflow_datapump.core import stamp
from airflow_datapump.core.calls import JobRow
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.status import JobState
from airflow_datapump.exceptions import SpecError
from airflow_datapump.ui import views


def _row(state: JobState, attached: int = 0) -> JobRow:
    return JobRow("HR", "EXP_HR", "EXPORT", "SCHEMA", state, 2, attached, 1)


def test_the_run_that_started_a_job_comes_from_its_start_mark() -> None:
    run = RunStamp("refresh", "export_hr", "scheduled__2026-12-01T00:00:00+00:00", map_index=3)
    log = f"Starting ...\n{stamp.new_mark('start', run, 2).line()}\nmore\n"
    started = views.started_by(log)
    assert started is not None
    assert started == {**run.to_dict(), "try": 2, "at": started["at"]}
    assert dt.datetime.strptime(started["at"], "%Y-%m-%dT%H:%M:%SZ")  # when the task started it, UTC


def test_a_job_without_a_stamp_was_not_started_by_airflow() -> None:
    assert views.started_by('Starting "HR"."EXP":  hr/********\nJob successfully completed\n') is None


@pytest.mark.parametrize(("name", "field"), [('A"B', "job_name"), ("", "job_name"), ("X" * 129, "job_name")])
def test_names_no_dictionary_can_hold_are_refused(name: str, field: str) -> None:
    with pytest.raises(SpecError, match=field):
        views.JobKey.parse("oracle_default", "HR", name)


def test_stored_names_keep_their_case() -> None:
    assert views.JobKey.parse("c", "hr", "Mixed Case").job_name == "Mixed Case"


def test_what_can_be_done_follows_the_state() -> None:
    running = views.job_row(_row(JobState.EXECUTING, attached=1))
    assert (running["can_stop"], running["can_restart"]) == (True, False)
    stopped = views.job_row(_row(JobState.NOT_RUNNING))
    assert (stopped["can_stop"], stopped["can_restart"]) == (False, True)
    assert "orphan" not in stopped  # only the clean-up's dry run, with its threshold, may say so


def test_started_is_when_the_master_table_was_created_and_says_so() -> None:
    created = dt.datetime(2026, 12, 2, 4, 5, 6)
    row = JobRow("HR", "EXP_HR", "EXPORT", "SCHEMA", JobState.EXECUTING, 2, 1, 1, created)
    shown = views.job_row(row)
    assert (shown["started"], shown["started_source"]) == ("2026-12-02 04:05:06", views.STARTED_SOURCE)
    assert "DBA_OBJECTS.CREATED" in views.STARTED_SOURCE
    unknown = views.job_row(_row(JobState.EXECUTING))
    assert (unknown["started"], unknown["started_source"]) == (None, None)
