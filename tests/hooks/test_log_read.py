"""Reading a job's log: one I/O-free logic (hooks/_marks.LogRead) behind the sync and async reads."""

from __future__ import annotations

import asyncio

import pytest

from airflow_datapump.core.calls import FileChunk
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import DatabaseCallError, TransientConnectionError
from airflow_datapump.hooks._marks import LogRead
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle

JOB = JobRef("EXP_X", "SYSTEM", "EXPORT", "DATA_PUMP_DIR", log_directory="DATA_PUMP_DIR", log_file="x.log")


def test_the_whole_log_is_read_chunk_by_chunk_from_where_the_last_ended() -> None:
    read = LogRead(JOB)
    first = read.next_call()
    assert first is not None
    assert first.binds["position"] == 0
    read.took(FileChunk("one\n", 4, 8))
    second = read.next_call()
    assert second is not None
    assert second.binds["position"] == 4
    read.took(FileChunk("two\n", 8, 8))
    assert read.next_call() is None
    assert read.result() == ("one\ntwo\n", 8)


def test_the_start_of_the_log_is_its_first_chunk() -> None:
    read = LogRead(JOB, whole=False)
    read.took(FileChunk("start mark\n", 11, 99))
    assert read.next_call() is None
    assert read.result() == ("start mark\n", 11)


def test_no_log_location_or_an_unreadable_log_is_none_but_a_lost_connection_is_raised() -> None:
    bare = LogRead(JobRef("EXP_X", "SYSTEM", "EXPORT", "DATA_PUMP_DIR"))
    assert bare.next_call() is None
    assert bare.result() is None
    gone = LogRead(JOB)
    gone.failed(DatabaseCallError("no such file", code="ORA-29283"))
    assert gone.next_call() is None
    assert gone.result() is None
    with pytest.raises(TransientConnectionError):
        LogRead(JOB).failed(TransientConnectionError("lost", code="DPY-4011"))


def test_sync_and_async_read_the_same_log(hook: DatapumpHook, db: DatabaseHandle) -> None:
    text = 'Starting "SYSTEM"."EXP_X":\nmore\n'
    (db.directory_path() / "x.log").write_text(text)
    whole = hook.read_job_log(JOB)
    assert whole == (text, len(text.encode()))
    assert asyncio.run(hook._aread_log_start(JOB)) == whole[0]
    assert (
        hook.read_job_log(
            JobRef("EXP_Y", "SYSTEM", "EXPORT", "D", log_directory="DATA_PUMP_DIR", log_file="none.log")
        )
        is None
    )
