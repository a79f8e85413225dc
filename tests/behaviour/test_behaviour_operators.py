"""Behaviour of ExportOperator and ImportOperator, written once for every backend."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any

import pytest
from behaviour_backends import SAMPLE, Backend

from airflow_datapump._compat import TaskDeferred
from airflow_datapump.core import stamp
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import JobExistsError, JobNotFoundError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator, ImportOperator


def context(run_id: str, try_number: int = 1) -> dict[str, Any]:
    return {"ti": SimpleNamespace(map_index=-1, try_number=try_number, start_date=None), "run_id": run_id}


def wait_until_gone(backend: Backend, name: str) -> None:
    """Let a job finish; one that already has is fine."""
    hook = DatapumpHook(oracle_conn_id=backend.conn_id)
    with contextlib.suppress(JobNotFoundError):
        backend.run_to_end(hook, hook.attach(name))
    hook.close()


def test_export_then_import_with_remap(backend: Backend) -> None:
    where: dict[str, Any] = {"oracle_conn_id": backend.conn_id, "directory": backend.directory}
    export = ExportOperator(
        task_id="export",
        schemas=[backend.schema],
        job_name=f"{backend.prefix}_EXP",
        dump_files=[f"{backend.prefix}_EXP_%U.dmp"],
        reuse_dump_files=True,
        deferrable=True,
        **where,
    )
    with pytest.raises(TaskDeferred):
        export.execute(context("run1"))
    wait_until_gone(backend, f"{backend.prefix}_EXP")
    summary = export.execute(context("run1", try_number=2))  # a retry accepts the finished job
    assert summary["outcome"] == "successfully completed"
    target = f"{backend.prefix}_DST"
    imported = ImportOperator(
        task_id="import",
        schemas=[backend.schema],
        remap_schemas={backend.schema: target},
        dump_files=summary["dump_files"],
        job_name=f"{backend.prefix}_IMP",
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
        poll_interval=1,
        deferrable=False,
        **where,
    )
    if backend.name == "emulator":
        imported.poll_interval = 0
        backend.db.set_clock("wall")  # type: ignore[attr-defined]
    result = imported.execute(context("run1"))
    assert result["outcome"] == "successfully completed"
    for table in SAMPLE:
        assert backend.rows(target, table) == backend.rows(backend.schema, table)


def test_a_retry_never_starts_a_second_job(backend: Backend) -> None:
    export = ExportOperator(
        task_id="export",
        oracle_conn_id=backend.conn_id,
        schemas=[backend.schema],
        directory=backend.directory,
        job_name=f"{backend.prefix}_EXP",
        dump_files=[f"{backend.prefix}_EXP_%U.dmp"],
        reuse_dump_files=True,
        deferrable=True,
    )
    with pytest.raises(TaskDeferred) as first:
        export.execute(context("run2"))
    watched = None
    try:
        export.execute(context("run2", try_number=2))
    except TaskDeferred as retry:  # still running: the retry must watch the same job
        watched = retry.trigger.job  # type: ignore[attr-defined]
    if watched is not None:
        # The same job and files; only the SCN recorded at submit is not known to a retry.
        submitted = {k: v for k, v in first.value.trigger.job.items() if k != "flashback_scn"}  # type: ignore[attr-defined]
        assert {k: v for k, v in watched.items() if k != "flashback_scn"} == submitted
    hook = DatapumpHook(oracle_conn_id=backend.conn_id)
    # Any job of this run counts: a second one under another name would be the bug.
    ours = [j.job_name for j in hook.list_jobs() if j.job_name.startswith(backend.prefix)]
    assert ours in ([], [f"{backend.prefix}_EXP"])
    hook.close()
    wait_until_gone(backend, f"{backend.prefix}_EXP")


def test_another_run_with_the_same_job_name_never_adopts_the_first_runs_job(backend: Backend) -> None:
    """Run B either is refused (run A's job still runs) or runs a job of its own, never A's."""

    def export() -> ExportOperator:
        return ExportOperator(
            task_id="export",
            oracle_conn_id=backend.conn_id,
            schemas=[backend.schema],
            directory=backend.directory,
            job_name=f"{backend.prefix}_NIGHTLY",
            dump_files=[f"{backend.prefix}_NIGHTLY_%U.dmp"],
            reuse_dump_files=True,
            deferrable=True,
        )

    for made in ("_NIGHTLY.log", "_NIGHTLY_01.dmp"):
        backend.remember_file(backend.directory, backend.prefix + made)
    with pytest.raises(TaskDeferred):
        export().execute(context("runA"))
    watched: JobRef | None = None
    refusal = ""
    try:
        export().execute(context("runB"))
    except JobExistsError as refused:
        refusal = str(refused)
    except TaskDeferred as deferred:  # run A's job had already finished: B runs its own
        watched = JobRef.from_dict(deferred.trigger.job)  # type: ignore[attr-defined]
    assert watched is not None or "run runA" in refusal
    hook = DatapumpHook(oracle_conn_id=backend.conn_id)
    if watched is not None:
        read = hook.read_job_log(watched)
        assert read is not None
        start = stamp.started_by(read[0].splitlines())
        assert start is not None
        assert start.run is not None
        assert start.run.run == "runB"
    hook.close()
    wait_until_gone(backend, f"{backend.prefix}_NIGHTLY")
