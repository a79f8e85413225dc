"""A retry or a cleared task finds this run's job already completed with errors: it judges
that ending again rather than running the job a second time, and its failure says so and how
to run the job again."""

from __future__ import annotations

import pytest

from airflow_datapump.exceptions import JobFailedError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ImportOperator
from airflow_datapump.testing import DatabaseHandle
from tests.operators.test_datapump_operators import context, export

SKIPPED = ['ORA-31693: Table data object "HR2"."EMPLOYEES" failed to load/unload and is being skipped']


def test_a_cleared_import_whose_job_completed_with_errors_says_it_did_not_run_again(
    db: DatabaseHandle,
) -> None:
    db.set_clock("wall")
    files = export(dump_files=["hr_%U.dmp"]).execute(context())["dump_files"]
    op = ImportOperator(
        task_id="imp",
        dump_files=files,
        remap_schemas={"HR": "HR2"},
        job_name="NIGHTLY_IMP",
        allowed_errors=["ORA-31684", "ORA-39151"],  # the third try finds HR2 there
        deferrable=False,
        poll_interval=0.001,
    )
    db.next_job_completes_with_errors([SKIPPED])
    with pytest.raises(JobFailedError) as first:
        op.execute(context(try_number=1))
    assert "not run again" not in str(first.value)  # this try ran it
    opened = db.counters()["jobs_opened"]
    with pytest.raises(JobFailedError) as again:
        op.execute(context(try_number=2))
    assert db.counters()["jobs_opened"] == opened  # judged again, not run again
    message = str(again.value)
    assert "not run again" in message
    assert "DATA_PUMP_DIR:NIGHTLY_IMP.log" in message  # what to remove to run it again
    DatapumpHook().delete_file("DATA_PUMP_DIR", "NIGHTLY_IMP.log")  # as the message says
    op.execute(context(try_number=3))
    assert db.counters()["jobs_opened"] == opened + 1
