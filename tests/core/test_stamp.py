"""The marks in a job's log, and the one rule that settles a clear (core/stamp.py)."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    ("claim_first", "new_try_keeps_it"),
    [(True, True), (False, False)],
    ids=["claim-then-kill: the new try keeps the job", "kill-then-claim: the kill goes ahead"],
)
def test_the_order_of_claim_and_kill_in_the_log_decides(claim_first: bool, new_try_keeps_it: bool) -> None:
    start, claim, kill = (
        stamp.new_mark("start", RUN, 1),
        stamp.new_mark("claim", RUN, 2),
        stamp.new_mark("kill", RUN, 1),
    )
    lines = log(start, claim, kill) if claim_first else log(start, kill, claim)
    assert stamp.settle(lines, claim) is new_try_keeps_it  # what the new try reads
    assert stamp.settle(lines, kill) is not new_try_keeps_it  # what the old on_kill reads


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
