"""The marks in a job's log, and the one rule that settles a clear (core/stamp.py)."""

from __future__ import annotations

from airflow_datapump.core import stamp
from airflow_datapump.core.stamp import Mark, RunStamp

RUN = RunStamp("refresh", "export_hr", "manual__1", 3)


def log(*written: Mark) -> list[str]:
    return ['Starting "SYSTEM"."J":', *(f"02-DEC-26 01:00:00.000: {m.line()}" for m in written)]


def test_a_mark_survives_a_logtime_prefix_and_names_its_run() -> None:
    start = stamp.new_mark("start", RUN, 1)
    found = stamp.started_by(log(start))
    assert found == start
    assert found.run is not None
    assert found.run.describe() == "DAG refresh, task export_hr, run manual__1, map index 3"
    assert stamp.submitted_with(log(start), str(start.token))
    assert not stamp.submitted_with(log(start), "another-token")


def test_a_claim_before_the_old_kill_keeps_the_job_for_the_new_try() -> None:
    start, claim, kill = (
        stamp.new_mark("start", RUN, 1),
        stamp.new_mark("claim", RUN, 2),
        stamp.new_mark("kill", RUN, 1),
    )
    lines = log(start, claim, kill)
    assert stamp.settle(lines, claim) is True
    assert stamp.settle(lines, kill) is False


def test_an_old_kill_before_the_claim_wins_and_the_claim_is_refused() -> None:
    start, claim, kill = (
        stamp.new_mark("start", RUN, 1),
        stamp.new_mark("claim", RUN, 2),
        stamp.new_mark("kill", RUN, 1),
    )
    lines = log(start, kill, claim)
    assert stamp.settle(lines, kill) is True
    assert stamp.settle(lines, claim) is False


def test_a_restart_after_a_kill_belongs_to_the_restarting_try() -> None:
    marks = [stamp.new_mark("start", RUN, 1), stamp.new_mark("kill", RUN, 1), stamp.new_mark("start", RUN, 2)]
    late_kill = stamp.new_mark("kill", RUN, 1)
    assert stamp.settle(log(*marks, late_kill), late_kill) is False
    assert stamp.settle(log(*marks), stamp.new_mark("kill", RUN, 2)) is True


def test_a_mark_not_yet_in_the_log_is_judged_as_its_last_line() -> None:
    start, claim = stamp.new_mark("start", RUN, 1), stamp.new_mark("claim", RUN, 2)
    kill = stamp.new_mark("kill", RUN, 1)
    assert stamp.settle(log(start, claim), kill) is False
    assert stamp.settle(log(start), kill) is True
