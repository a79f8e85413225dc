"""The run stamp goes into a job's log while the job is DEFINING (issue 9, items 1 and 3):
if it cannot be written, no job has started, so no job ever runs unstamped."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core import stamp
from airflow_datapump.exceptions import DatapumpError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ImportOperator
from airflow_datapump.testing import DatabaseHandle


def context(run_id: str, try_number: int = 1) -> dict[str, Any]:
    return {"ti": SimpleNamespace(map_index=-1, try_number=try_number, start_date=None), "run_id": run_id}


def exported_hr(db: DatabaseHandle) -> None:
    """A dump of HR.NOTES, a table with no key (so an APPEND run twice doubles its rows)."""
    db.set_clock("wall")
    db.create_table("HR", "NOTES", ["N NUMBER"], [(n,) for n in range(20)])
    hook = DatapumpHook()
    spec = JobSpec("EXPORT", "TABLE", tables=["HR.NOTES"], dump_files=["hr.dmp"])
    hook.wait(hook.submit(spec), poll_interval=0)
    hook.close()
    db.execute('DELETE FROM "HR"."NOTES"')


def append_import() -> ImportOperator:
    return ImportOperator(
        task_id="import_hr",
        dump_files=["hr.dmp"],
        mode="TABLE",
        tables=["HR.NOTES"],
        parameters={"TABLE_EXISTS_ACTION": "APPEND"},
        allowed_errors=["ORA-39152"],
        deferrable=False,
        poll_interval=0.001,
    )


def test_a_start_mark_that_cannot_be_written_leaves_no_job_behind(db: DatabaseHandle) -> None:
    """The start mark goes in while the job is DEFINING: if writing it fails, nothing ran,
    so the retry's import is the only one (no doubled rows, no unprovable job)."""
    exported_hr(db)
    db.set_job_rate(1e15)  # so small it is done before the submit block ends, as on Oracle
    db.fail_subprogram("DBMS_DATAPUMP.LOG_ENTRY", "ORA-31623")
    with pytest.raises(DatapumpError):
        append_import().execute(context("manual__a"))
    assert db.jobs() == []
    assert len(db.rows("HR", "NOTES")) == 0  # the failed submit imported nothing
    append_import().execute(context("manual__a", try_number=2))
    assert len(db.rows("HR", "NOTES")) == 20


def test_the_start_mark_is_in_the_log_before_the_job_writes_anything(db: DatabaseHandle) -> None:
    exported_hr(db)
    hook = DatapumpHook()
    ref = hook.submit(
        JobSpec(
            "IMPORT",
            "TABLE",
            tables=["HR.NOTES"],
            dump_files=["hr.dmp"],
            job_name="IMP_ONE",
            parameters={"TABLE_EXISTS_ACTION": "APPEND"},
        ),
        run=stamp.RunStamp("d", "t", "r"),
        try_number=1,
    )
    db.advance(3600)
    text, _ = hook.read_file(str(ref.log_directory), str(ref.log_file))
    hook.close()
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "airflow-datapump start" in line)
    assert all("Starting" not in line for line in lines[:first])
