"""NOLOGFILE=YES end to end on the emulator: the job gets no log file, and the task reads its
progress and its end from the job's status instead, saying so once in the task log."""

from __future__ import annotations

import logging
import time
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.exceptions import JobFailedError
from airflow_datapump.hooks import datapump as hook_module
from airflow_datapump.operators import ExportOperator
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle


@pytest.fixture
def db(wire_oracle: EmulatedOracle) -> DatabaseHandle:
    return wire_oracle.database("FREEPDB1")


def _context() -> dict[str, Any]:
    return {"ti": SimpleNamespace(map_index=-1, try_number=1, start_date=None), "run_id": "manual__1"}


def _export(expdp_args: str) -> ExportOperator:
    return ExportOperator(task_id="export_hr", expdp_args=expdp_args, deferrable=False, poll_interval=0.001)


def test_nologfile_is_read_written_back_and_adds_no_log_file() -> None:
    spec = JobSpec.from_expdp("SCHEMAS=HR DUMPFILE=hr.dmp NOLOGFILE=YES")
    assert spec.no_log_file
    assert spec.to_expdp().endswith("NOLOGFILE=YES")
    assert JobSpec.from_json(spec.to_json()) == spec
    with pytest.raises(Exception, match="NOLOGFILE"):
        JobSpec.from_expdp("SCHEMAS=HR NOLOGFILE=YES LOGFILE=hr.log")


class _Waits:
    """``time`` as the hook sees it: a wait between polls moves the emulator's clock instead."""

    def __init__(self, db: DatabaseHandle, step: float) -> None:
        self.db, self.step, self.waits = db, step, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def sleep(self, seconds: float) -> None:
        self.waits += 1
        self.db.advance(self.step)


def test_a_job_without_a_log_reports_progress_from_its_status(
    db: DatabaseHandle, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    db.set_job_rate(200_000)  # on the manual clock, which each wait between polls moves on:
    clock = _Waits(db, step=0.1)  # several polls see it working, whatever the machine's load
    with caplog.at_level(logging.INFO), patch.object(hook_module, "time", clock):
        summary = _export("SCHEMAS=HR DUMPFILE=hr.dmp NOLOGFILE=YES").execute(_context())
    assert clock.waits >= 3
    assert summary["outcome"] == "successfully completed"
    assert summary["log_file"] is None
    assert (db.folder / "dpdump" / "hr.dmp").exists()
    assert not list((db.folder / "dpdump").glob("*.log"))
    captured = capfd.readouterr()
    # The task logger writes to the console or to logging, depending on Airflow's set-up.
    task_log = captured.out + captured.err or caplog.text
    assert task_log.count("writes no log file (NOLOGFILE=YES)") == 1
    assert "% done, TABLE_DATA HR." in task_log


def test_a_job_without_a_log_that_is_stopped_still_fails_the_task(db: DatabaseHandle) -> None:
    db.set_job_rate(1)  # manual clock: the job stays EXECUTING until stopped
    op = _export("SCHEMAS=HR DUMPFILE=hr.dmp NOLOGFILE=YES JOB_NAME=NOLOG_STOP")
    stop = (
        "DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.ATTACH('NOLOG_STOP', 'SYSTEM'); "
        "DBMS_DATAPUMP.STOP_JOB(h, 1, 1); END;"
    )

    original = op.hook

    def hook() -> Any:
        created = original()
        wait = created.wait

        def stopped_wait(job: Any, **kwargs: Any) -> Any:
            db.execute(stop)
            return wait(job, **kwargs)

        created.wait = stopped_wait  # type: ignore[method-assign]
        return created

    op.hook = hook  # type: ignore[method-assign]
    with pytest.raises(JobFailedError, match="NOLOG_STOP"):
        op.execute(_context())
    assert [job["state"] for job in db.jobs()] == ["NOT RUNNING"]


def test_a_job_without_a_log_that_completes_with_errors_fails_the_task(db: DatabaseHandle) -> None:
    """Without a log the errors' codes cannot be read, so allowed_errors cannot excuse them."""
    db.set_job_rate(200_000)
    op = _export(
        """SCHEMAS=HR DUMPFILE=hr.dmp NOLOGFILE=YES 'QUERY=HR.EMPLOYEES:"WHERE no_such_column = 1"'"""
    )
    _advance_on_each_poll(op, db, seconds=0.01)  # every poll sees the job a little further on
    with pytest.raises(JobFailedError, match=r"completed with 1 error\(s\).*wrote no log file"):
        op.execute(_context())


def _advance_on_each_poll(op: ExportOperator, db: DatabaseHandle, *, seconds: float) -> None:
    original = op.hook

    def hook() -> Any:
        created = original()
        status = created.status

        def advancing(*args: Any, **kwargs: Any) -> Any:
            db.advance(seconds)
            return status(*args, **kwargs)

        created.status = advancing  # type: ignore[method-assign]
        return created

    op.hook = hook  # type: ignore[method-assign]
