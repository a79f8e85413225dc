"""A job is this task run's only when its log proves it (issue 9, items 1 and 2)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import JobSpec
from airflow_datapump._compat import TaskDeferred
from airflow_datapump.core import stamp
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import JobExistsError
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator, ImportOperator
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers.datapump import JobTrigger
from tests.operators.test_datapump_operators import _TaskLog


def context(run_id: str, try_number: int = 1) -> dict[str, Any]:
    return {"ti": SimpleNamespace(map_index=-1, try_number=try_number, start_date=None), "run_id": run_id}


def nightly_export(**kwargs: Any) -> ExportOperator:
    defaults: dict[str, Any] = {
        "task_id": "export_hr",
        "schemas": ["HR"],
        "job_name": "NIGHTLY_EXP",
        "reuse_dump_files": True,
        "deferrable": True,
        "poll_interval": 0.001,
    }
    return ExportOperator(**{**defaults, **kwargs})


def deferred(op: ExportOperator, ctx: dict[str, Any]) -> JobTrigger:
    with pytest.raises(TaskDeferred) as caught:
        op.execute(ctx)
    trigger = caught.value.trigger
    assert isinstance(trigger, JobTrigger)
    return trigger


def kill_from_trigger(trigger: JobTrigger) -> None:
    async def kill() -> None:
        try:
            await trigger.on_kill()
        finally:
            await _pool.close_pools()

    asyncio.run(kill())


def test_a_fixed_job_name_run_again_the_next_day_imports_again(db: DatabaseHandle) -> None:
    db.set_clock("wall")
    hook = DatapumpHook()
    hook.wait(
        hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["hr.dmp"])), poll_interval=0
    )
    hook.close()

    def nightly_import() -> ImportOperator:
        return ImportOperator(
            task_id="import_hr",
            job_name="NIGHTLY_IMP",
            dump_files=["hr.dmp"],
            remap_schemas={"HR": "HR2"},
            parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
            allowed_errors=["ORA-31684"],
            deferrable=False,
            poll_interval=0.001,
        )

    first = nightly_import().execute(context("scheduled__day1"))
    assert first["rows"]["HR2.EMPLOYEES"] == 20
    db.execute('DELETE FROM "HR2"."EMPLOYEES"')
    second = nightly_import().execute(context("scheduled__day2"))
    assert second["rows"]["HR2.EMPLOYEES"] == 20  # imported again, not day 1's log re-read
    assert len(db.rows("HR2", "EMPLOYEES")) == 20


def test_another_run_with_the_same_job_name_is_refused_and_told_whose_it_is(db: DatabaseHandle) -> None:
    first = deferred(nightly_export(), context("manual__a"))
    with pytest.raises(JobExistsError) as caught:
        nightly_export().execute(context("manual__b"))
    message = str(caught.value)
    assert "SYSTEM.NIGHTLY_EXP is EXECUTING" in message
    assert "run manual__a" in message
    assert "run manual__b" in message
    assert [j["name"] for j in db.jobs()] == [first.job["job_name"]]  # untouched, still one


def test_another_task_with_the_same_job_name_is_refused(db: DatabaseHandle) -> None:
    deferred(nightly_export(), context("manual__a"))
    with pytest.raises(JobExistsError, match="task export_hr"):
        nightly_export(task_id="export_hr_again").execute(context("manual__a"))


def test_a_job_whose_log_names_no_task_run_is_not_adopted(db: DatabaseHandle) -> None:
    hook = DatapumpHook()
    hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], job_name="NIGHTLY_EXP"))
    hook.close()
    with pytest.raises(JobExistsError, match="does not say which task run started it") as refused:
        nightly_export().execute(context("manual__a"))
    # Written as LOGFILE= takes it and as every other message and the CLI print it.
    assert "its log DATA_PUMP_DIR:NIGHTLY_EXP.log does not say" in str(refused.value)


def test_a_retry_takes_over_its_own_running_job_and_accepts_its_own_finished_one(db: DatabaseHandle) -> None:
    first = deferred(nightly_export(), context("manual__a"))
    again = deferred(nightly_export(), context("manual__a", try_number=2))
    assert again.job["job_name"] == first.job["job_name"]
    assert len(db.jobs()) == 1
    db.advance(3600)
    summary = nightly_export().execute(context("manual__a", try_number=3))
    assert summary["outcome"] == "successfully completed"


def test_clear_old_on_kill_after_the_new_try_took_over_leaves_the_job(db: DatabaseHandle) -> None:
    old = deferred(nightly_export(), context("manual__a", try_number=1))
    new = deferred(nightly_export(), context("manual__a", try_number=2))
    kill_from_trigger(old)  # Airflow calls the old try's trigger on_kill after the clear
    assert [(j["name"], j["state"]) for j in db.jobs()] == [(new.job["job_name"], "EXECUTING")]
    db.advance(3600)
    assert db.jobs() == []  # and it runs to its end for the new try


def test_clear_old_on_kill_before_the_new_try_looks_means_a_fresh_job(db: DatabaseHandle) -> None:
    old = deferred(nightly_export(), context("manual__a", try_number=1))
    kill_from_trigger(old)
    assert db.jobs() == []
    new = deferred(nightly_export(), context("manual__a", try_number=2))
    assert [(j["name"], j["state"]) for j in db.jobs()] == [(new.job["job_name"], "EXECUTING")]
    log = (db.directory_path() / "NIGHTLY_EXP.log").read_text().splitlines()
    start = stamp.started_by(log)
    assert start is not None
    assert start.try_number == 2


def test_clear_kill_decided_before_the_claim_wins_and_the_new_try_starts_afresh(db: DatabaseHandle) -> None:
    """The old on_kill has marked its kill but not stopped the job yet when the new try claims."""
    old = deferred(nightly_export(), context("manual__a", try_number=1))
    ref = JobRef.from_dict(old.job)
    hook = DatapumpHook()
    run = RunStamp(str(old.run_stamp["dag"]), "export_hr", "manual__a")
    assert hook.mark(ref, stamp.new_mark("kill", run, 1)) is True  # the old kill is honoured
    waits: list[float] = []

    def old_kill_lands(seconds: float) -> None:
        waits.append(seconds)
        hook.kill(ref.job_name, ref.owner)

    with patch("airflow_datapump.operators._identity.time.sleep", old_kill_lands):
        new = deferred(nightly_export(), context("manual__a", try_number=2))
    hook.close()
    assert waits  # the new try waited for the old kill instead of adopting a dying job
    assert [(j["name"], j["state"]) for j in db.jobs()] == [(new.job["job_name"], "EXECUTING")]
    start = stamp.started_by((db.directory_path() / "NIGHTLY_EXP.log").read_text().splitlines())
    assert start is not None
    assert start.try_number == 2


def test_the_sync_on_kill_of_an_old_try_leaves_a_job_a_later_try_took_over(db: DatabaseHandle) -> None:
    old = nightly_export()
    deferred(old, context("manual__a", try_number=1))
    deferred(nightly_export(), context("manual__a", try_number=2))
    old.on_kill()
    assert [j["state"] for j in db.jobs()] == ["EXECUTING"]


@pytest.mark.parametrize(("tail_lines", "shown"), [(None, True), (0, False)])
def test_a_previous_tries_finished_job_has_its_log_read_once(
    db: DatabaseHandle, tail_lines: int | None, shown: bool
) -> None:
    """The log read to find the previous outcome is the one shown at the finish (or not at all)."""
    deferred(nightly_export(), context("manual__a"))
    db.advance(3600)
    reads: list[tuple[str, int]] = []
    original = DatapumpHook.read_file

    def counted(hook: DatapumpHook, directory: str, file_name: str, *, position: int = 0) -> tuple[str, int]:
        reads.append((file_name, position))
        return original(hook, directory, file_name, position=position)

    op = nightly_export(log_tail_lines=tail_lines)
    task_log = _TaskLog()
    op._cached_logger = task_log  # type: ignore[assignment]
    with patch.object(DatapumpHook, "read_file", counted):
        summary = op.execute(context("manual__a", try_number=2))
    assert summary["outcome"] == "successfully completed"
    assert reads == [("NIGHTLY_EXP.log", 0)]
    assert ('Starting "SYSTEM"."NIGHTLY_EXP"' in task_log.text) is shown
