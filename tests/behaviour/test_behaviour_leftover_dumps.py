"""What a retry does with the dump files an earlier try left, written once for every backend.

An export creates its dump files as it starts, and a failed or killed one leaves them (a kill
may delete them: the Utilities guide's KILL_JOB says so, DBMS_DATAPUMP's STOP_JOB does not, so
the emulator is run under both readings). A retry of the same task run must succeed with one
job and no ``reuse_dump_files``; files that are not that run's own are refused and kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from behaviour_backends import Backend, emulator_reading
from test_behaviour_operators import context

from airflow_datapump._compat import TaskDeferred
from airflow_datapump.exceptions import JobFailedError, SpecError
from airflow_datapump.hooks._moving import write_text
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator


def export(backend: Backend, name: str, **extra: Any) -> ExportOperator:
    for made in (f"{name.lower()}.log", f"{name.lower()}_01.dmp", f"{name.lower()}_02.dmp"):
        backend.remember_file(backend.directory, made)
    return ExportOperator(
        task_id="export",
        oracle_conn_id=backend.conn_id,
        schemas=[backend.schema],
        directory=backend.directory,
        job_name=name,
        dump_files=[f"{name.lower()}_%U.dmp"],
        log_file=f"{name.lower()}.log",
        poll_interval=backend.poll_interval,
        **extra,
    )


@contextmanager
def hook_of(backend: Backend) -> Iterator[DatapumpHook]:
    """A hook on the backend's connection, closed even when the test's check fails."""
    hook = DatapumpHook(oracle_conn_id=backend.conn_id)
    try:
        yield hook
    finally:
        hook.close()


def members(backend: Backend, name: str) -> list[str]:
    with hook_of(backend) as hook:
        return hook.dump_file_members(backend.directory, f"{name.lower()}_%U.dmp")


def jobs_named(backend: Backend, prefix: str) -> list[str]:
    with hook_of(backend) as hook:
        return [j.job_name for j in hook.list_jobs() if j.job_name.startswith(prefix)]


def killed_try(backend: Backend, name: str, run_id: str) -> list[str]:
    """A deferrable export's first try, killed while its job runs; the dump files it left."""
    first = export(backend, name, deferrable=True)
    with pytest.raises(TaskDeferred):
        first.execute(context(run_id))
    first.on_kill()  # the task was killed: its job goes (on_kill="kill")
    return members(backend, name)


@pytest.mark.parametrize("reading", ["DELETED", "KEPT"])
def test_a_retry_after_a_killed_export_succeeds_with_one_job(backend: Backend, reading: str) -> None:
    emulator_reading(backend, "KILLED_DUMP_FILES", reading)
    name = f"{backend.prefix}_KILLED"
    left = killed_try(backend, name, "runK")
    if backend.name == "emulator" and reading == "KEPT":
        assert left == [f"{name.lower()}_01.dmp"]  # the killed try's file
    backend.let_jobs_run()
    summary = export(backend, name, deferrable=False).execute(context("runK", try_number=2))
    assert summary["outcome"] == "successfully completed"
    assert jobs_named(backend, name) == []
    assert members(backend, name) == [f"{name.lower()}_01.dmp"]


@pytest.mark.emulator_only(reason="a fatal error is injected")
@pytest.mark.parametrize("if_exists", ["restart", "replace"])
def test_a_retry_after_a_failed_export_succeeds_with_one_job(backend: Backend, if_exists: str) -> None:
    """restart continues the failed job into its files; replace kills it and starts afresh,
    deleting what it left (under the reading that keeps a killed job's files)."""
    emulator_reading(backend, "KILLED_DUMP_FILES", "KEPT")
    backend.db.fail_next_job(at_percent=1)  # type: ignore[attr-defined]
    backend.let_jobs_run()
    name = f"{backend.prefix}_FAILED"
    with pytest.raises(JobFailedError):
        export(backend, name, deferrable=False, if_exists=if_exists).execute(context("runF"))
    assert members(backend, name) == [f"{name.lower()}_01.dmp"]
    retry = export(backend, name, deferrable=False, if_exists=if_exists)
    summary = retry.execute(context("runF", try_number=2))
    assert summary["outcome"] == "successfully completed"
    assert jobs_named(backend, name) == []


def test_a_users_file_of_the_same_name_is_refused_and_kept(backend: Backend) -> None:
    name = f"{backend.prefix}_FOREIGN"
    with hook_of(backend) as hook:
        write_text(hook, backend.directory, f"{name.lower()}_01.dmp", "a user's notes\n")
        with pytest.raises(SpecError) as refused:
            export(backend, name, deferrable=False).execute(context("runU"))
        text = str(refused.value)
        assert f"{name.lower()}_01.dmp" in text
        assert "not a Data Pump dump file" in text
        assert "reuse_dump_files" in text
        assert hook.read_file(backend.directory, f"{name.lower()}_01.dmp")[0] == "a user's notes\n"
        assert jobs_named(backend, name) == []


def test_another_runs_unfinished_files_are_refused_and_kept(backend: Backend) -> None:
    """A fixed job_name: run A's killed export left its files; run B may not take them."""
    emulator_reading(backend, "KILLED_DUMP_FILES", "KEPT")
    name = f"{backend.prefix}_NIGHTLY2"
    left = killed_try(backend, name, "runA")
    if not left:
        pytest.skip("this database deleted the killed job's dump files (KILL_JOB's documented reading)")
    with pytest.raises(SpecError) as refused:
        export(backend, name, deferrable=False).execute(context("runB"))
    assert "run runA" in str(refused.value)
    assert members(backend, name) == left


@pytest.mark.emulator_only(reason="a fatal error is injected")
@pytest.mark.parametrize("reading", ["DELETED", "KEPT"])
def test_a_retry_after_the_cleanup_dropped_the_failed_job_succeeds(backend: Backend, reading: str) -> None:
    """The orphan cleanup (``cleanup`` in the CLI) drops a failed export with keep_master 0: its
    files go with it, or stay (by the reading) and the retry deletes them as its own."""
    emulator_reading(backend, "KILLED_DUMP_FILES", reading)
    backend.db.fail_next_job(at_percent=1)  # type: ignore[attr-defined]
    backend.let_jobs_run()
    name = f"{backend.prefix}_ORPHAN"
    with pytest.raises(JobFailedError):
        export(backend, name, deferrable=False).execute(context("runO"))
    backend.db.advance(120)  # type: ignore[attr-defined]
    with hook_of(backend) as hook:
        report = hook.cleanup_orphans(dry_run=False, older_than=60)
    assert [job.job_name for job in report.orphans] == [name]
    assert members(backend, name) == ([f"{name.lower()}_01.dmp"] if reading == "KEPT" else [])
    summary = export(backend, name, deferrable=False).execute(context("runO", try_number=2))
    assert summary["outcome"] == "successfully completed"
    assert jobs_named(backend, name) == []


@pytest.mark.emulator_only(reason="the killed try must be unfinished: the emulator's clock holds it")
def test_a_retry_deletes_only_the_files_it_checked(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member appearing after the headers were checked is not proved the run's: it stays."""
    from airflow_datapump.operators import _identity

    emulator_reading(backend, "KILLED_DUMP_FILES", "KEPT")
    name = f"{backend.prefix}_CHECKED"
    killed_try(backend, name, "runC")
    late = f"{name.lower()}_02.dmp"  # the next member dump_file_members probes
    checked = _identity.leftover_owner

    def check_then_a_file_appears(*args: Any, **kwargs: Any) -> str | None:
        whose = checked(*args, **kwargs)
        with hook_of(backend) as hook:
            write_text(hook, backend.directory, late, "written after the check\n")
        return whose

    monkeypatch.setattr(_identity, "leftover_owner", check_then_a_file_appears)
    backend.remember_file(backend.directory, late)
    backend.let_jobs_run()
    summary = export(backend, name, deferrable=False).execute(context("runC", try_number=2))
    assert summary["outcome"] == "successfully completed"
    with hook_of(backend) as hook:
        assert hook.read_file(backend.directory, late)[0] == "written after the check\n"


@pytest.mark.emulator_only(reason="the killed try must be unfinished: the emulator's clock holds it")
def test_a_retry_reads_the_earlier_jobs_log_once(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log that says whether the earlier try completed also proves its leftovers this run's."""
    emulator_reading(backend, "KILLED_DUMP_FILES", "KEPT")
    name = f"{backend.prefix}_READS"
    assert killed_try(backend, name, "runR")  # its leftovers: the retry must prove them its own
    reads: list[str] = []
    before_submit: list[int] = []
    read_job_log, submit = DatapumpHook.read_job_log, DatapumpHook.submit

    def counted_read(hook: DatapumpHook, job: Any) -> Any:
        reads.append(job.job_name)
        return read_job_log(hook, job)

    def noted_submit(hook: DatapumpHook, *args: Any, **kwargs: Any) -> Any:
        before_submit.append(len(reads))
        return submit(hook, *args, **kwargs)

    monkeypatch.setattr(DatapumpHook, "read_job_log", counted_read)
    monkeypatch.setattr(DatapumpHook, "submit", noted_submit)
    backend.let_jobs_run()
    summary = export(backend, name, deferrable=False).execute(context("runR", try_number=2))
    assert summary["outcome"] == "successfully completed"
    assert before_submit == [1]  # the leftovers were cleared by the log read once
