"""What the Data Pump page shows, shaped without a server (issue: UI)."""

from __future__ import annotations

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
    assert views.started_by(log) == {**run.to_dict(), "try": 2}


def test_a_job_without_a_stamp_was_not_started_by_airflow() -> None:
    assert views.started_by('Starting "HR"."EXP":  hr/********\nJob successfully completed\n') is None


def test_the_log_pages_from_the_end_backwards() -> None:
    text = "\n".join(f"line {n}" for n in range(10))
    last = views.log_page(text, lines=3, before=None)
    assert last == {"lines": ["line 7", "line 8", "line 9"], "first": 7, "total": 10}
    earlier = views.log_page(text, lines=5, before=last["first"])
    assert earlier["lines"] == [f"line {n}" for n in range(2, 7)]
    assert views.log_page(text, lines=5, before=2)["lines"] == ["line 0", "line 1"]


@pytest.mark.parametrize("lines", [0, -1, views.LOG_MAX_LINES + 1])
def test_a_log_page_size_out_of_range_is_refused(lines: int) -> None:
    with pytest.raises(ValueError, match="lines"):
        views.log_page("x", lines=lines, before=None)


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
