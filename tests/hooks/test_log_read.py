"""Reading a job's log: the hook's one chunked file read (hooks/files.py chunked_read), run
sync and async over the whole log; only a submit's start-token check reads its first chunk."""

from __future__ import annotations

import asyncio
from functools import partial

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core import calls, stamp
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import TransientConnectionError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle

JOB = JobRef("EXP_X", "SYSTEM", "EXPORT", "DATA_PUMP_DIR", log_directory="DATA_PUMP_DIR", log_file="x.log")
TEXT = 'Starting "SYSTEM"."EXP_X":\nmore\nand the end\n'


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_whole_log_is_read_chunk_by_chunk_from_where_the_last_ended(
    hook: DatapumpHook, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """The sync and the async read take the same chunks, each from where the last ended."""
    (db.directory_path() / "x.log").write_text(TEXT)
    positions: list[int] = []
    small = calls.read_file

    def seven_bytes(directory: str, file_name: str, *, position: int = 0) -> calls.Call[calls.FileChunk]:
        positions.append(position)
        return small(directory, file_name, position=position, max_bytes=7)

    monkeypatch.setattr(calls, "read_file", seven_bytes)
    read = hook.read_job_log(JOB) if mode == "sync" else asyncio.run(hook.aread_job_log(JOB))
    assert read == (TEXT, len(TEXT))
    assert positions == list(range(0, len(TEXT), 7))


def test_a_submits_start_token_is_looked_for_in_the_first_chunk_only(
    hook: DatapumpHook, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    (db.directory_path() / "x.log").write_text(TEXT)
    monkeypatch.setattr(calls, "read_file", partial(calls.read_file, max_bytes=7))
    assert asyncio.run(hook._aread_log_start(JOB)) == TEXT[:7]


def test_an_old_tries_async_kill_sees_a_claim_written_past_the_first_chunk(
    hook: DatapumpHook, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Try 2 took the job over; try 1's trigger on_kill must not stop it, however long the log."""
    run = RunStamp("nightly", "export_hr", "manual__a")
    ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"]), run=run, try_number=1)
    claim = stamp.new_mark("claim", run, 2)
    assert hook.mark(ref, claim) is True
    log = (db.directory_path() / str(ref.log_file)).read_bytes()
    chunk = log.index(claim.line().encode())  # the first chunk ends where the claim begins
    assert stamp.started_by(log[:chunk].decode().splitlines()) is not None
    monkeypatch.setattr(calls, "read_file", partial(calls.read_file, max_bytes=chunk))
    assert asyncio.run(hook.async_mark(ref, stamp.new_mark("kill", run, 1))) is False
    assert hook.mark(ref, stamp.new_mark("kill", run, 1)) is False  # both sides decide alike
    assert [j["state"] for j in db.jobs()] == ["EXECUTING"]


def test_no_log_location_or_an_unreadable_log_is_none_but_a_lost_connection_is_raised(
    hook: DatapumpHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = JobRef("EXP_X", "SYSTEM", "EXPORT", "DATA_PUMP_DIR")
    assert hook.read_job_log(bare) is None
    assert asyncio.run(hook._aread_log_start(bare)) is None
    assert asyncio.run(hook.aread_job_log(bare)) is None
    gone = JobRef("EXP_Y", "SYSTEM", "EXPORT", "D", log_directory="DATA_PUMP_DIR", log_file="none.log")
    assert hook.read_job_log(gone) is None
    assert asyncio.run(hook._aread_log_start(gone)) is None
    assert asyncio.run(hook.aread_job_log(gone)) is None

    def lost(*args: object, **kwargs: object) -> None:
        raise TransientConnectionError("lost", code="DPY-4011")

    monkeypatch.setattr(hook, "read_file", lost)
    with pytest.raises(TransientConnectionError):
        hook.read_job_log(JOB)


def test_sync_and_async_read_the_same_log(hook: DatapumpHook, db: DatabaseHandle) -> None:
    (db.directory_path() / "x.log").write_text(TEXT)
    whole = hook.read_job_log(JOB)
    assert whole == (TEXT, len(TEXT.encode()))
    assert asyncio.run(hook.aread_job_log(JOB)) == whole
