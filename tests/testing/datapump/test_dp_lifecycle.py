"""Job lifecycle: START_JOB, STOP_JOB, DETACH, session end, handles, WAIT_FOR_JOB, faults
(§1, §2.11-§2.14, §5)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import (
    add_dump,
    add_log,
    attach,
    call,
    connect,
    detach,
    finish,
    job_names,
    job_status,
    open_job,
    ora,
    outcome,
    read_file,
    schema_list,
    start,
)

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle

STATES = "SELECT job_name, state, attached_sessions FROM dba_datapump_jobs WHERE job_name = :n"
WAIT = """
DECLARE js VARCHAR2(30);
BEGIN
  DBMS_DATAPUMP.WAIT_FOR_JOB(handle => :h, job_state => js);
  :state := js;
END;"""


def _defined_export(cur: oracledb.Cursor, job: str) -> int:
    h = open_job(cur, "EXPORT", "SCHEMA", job)
    add_dump(cur, h, f"{job.lower()}.dmp")
    add_log(cur, h, f"{job.lower()}.log")
    schema_list(cur, h, "HR")
    return h


def _started_export(cur: oracledb.Cursor, job: str) -> int:
    h = _defined_export(cur, job)
    start(cur, h)
    return h


def _wait(cur: oracledb.Cursor, h: int) -> str:
    state = cur.var(str, 30)
    cur.execute(WAIT, h=h, state=state)
    return str(state.getvalue())


def test_start_job_without_a_dump_file_is_invalid_state(cur: oracledb.Cursor) -> None:
    """§2.11: no dump file for an export is an INVALID_STATE (ORA-39004) cause."""
    h = open_job(cur, "EXPORT", "SCHEMA", "NO_DUMP")
    schema_list(cur, h, "HR")
    with pytest.raises(oracledb.DatabaseError) as caught:
        start(cur, h)
    assert ora(caught) == 39004


def test_start_job_moves_defining_to_executing(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.11 / §5: OPEN -> DEFINING, START_JOB -> EXECUTING."""
    db.set_job_rate(16)
    h = _defined_export(cur, "STATES")
    assert job_status(cur, h)["job_state"] == "DEFINING"
    start(cur, h)
    assert job_status(cur, h)["job_state"] == "EXECUTING"
    assert cur.execute(STATES, n="STATES").fetchall() == [("STATES", "EXECUTING", 1)]


def test_percent_done_rises_as_the_clock_advances(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.15: percent_done is bytes processed against the estimate; it rises as the job works."""
    db.set_job_rate(4096)
    h = _started_export(cur, "SLOW")
    db.set_job_speed("SYSTEM", "SLOW", rate=1000, size=100_000)
    seen = [job_status(cur, h)["pct"]]
    for _ in range(8):  # a 19c export unloads the metadata first: percent_done waits for the rows
        db.advance(20)
        seen.append(job_status(cur, h)["pct"])
    assert seen == sorted(seen), seen
    assert 0 <= seen[0] < seen[-1] < 100, seen


def test_completed_job_is_gone_and_its_log_says_so(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.3 / §5 / §6.1: after completion the job leaves DBA_DATAPUMP_JOBS, ATTACH raises
    ORA-31626, and the log's last line matches the tolerant pattern: "successfully completed"."""
    h = _started_export(cur, "DONE")
    detach(cur, h)
    finish(db)
    assert "DONE" not in job_names(db)
    with pytest.raises(oracledb.DatabaseError) as caught:
        attach(cur, "DONE")
    assert ora(caught) == 31626
    last = outcome(db, "done.log")
    assert (last["owner"], last["job"], last["outcome"]) == ("SYSTEM", "DONE", "successfully completed")


def test_stop_job_keep_master_leaves_a_not_running_job(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.12 / §5 / §6.1: STOP_JOB(immediate 1, keep_master 1) keeps the master table; the view
    shows 'NOT RUNNING' (with a space) and ATTACHED_SESSIONS 0."""
    db.set_job_rate(16)
    h = _started_export(cur, "PAUSED")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 1)", h=h)
    assert cur.execute(STATES, n="PAUSED").fetchall() == [("PAUSED", "NOT RUNNING", 0)]


def test_attach_to_a_stopped_job_idles_and_start_job_restarts_it(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.3 / §2.11 / §5: ATTACH to a NOT RUNNING job -> IDLING; START_JOB -> EXECUTING; the
    restarted job completes."""
    db.set_job_rate(16)
    h = _started_export(cur, "RESTART")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 1)", h=h)
    h = attach(cur, "RESTART")
    assert job_status(cur, h)["job_state"] == "IDLING"
    assert cur.execute(STATES, n="RESTART").fetchone()[1] == "IDLING"
    start(cur, h)
    assert job_status(cur, h)["job_state"] == "EXECUTING"
    detach(cur, h)
    db.set_job_rate(10_000_000)
    finish(db)
    assert "RESTART" not in job_names(db)
    assert outcome(db, "restart.log")["outcome"] == "successfully completed"


def test_kill_drops_the_job(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.12 / §11.3: STOP_JOB(immediate 1, keep_master 0) drops the master table: the job is
    gone (ATTACH -> ORA-31626)."""
    db.set_job_rate(16)
    h = _started_export(cur, "KILLED")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 0)", h=h)
    assert "KILLED" not in job_names(db)
    assert cur.execute("SELECT COUNT(*) FROM user_tables WHERE table_name = 'KILLED'").fetchone() == (0,)
    with pytest.raises(oracledb.DatabaseError) as caught:
        attach(cur, "KILLED")
    assert ora(caught) == 31626


def test_stop_job_detaches_the_caller(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.12: STOP_JOB always detaches the caller; DETACH on the handle afterwards fails with
    INVALID_HANDLE (ORA-31623)."""
    db.set_job_rate(16)
    h = _started_export(cur, "DETACHED_BY_STOP")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 1)", h=h)
    with pytest.raises(oracledb.DatabaseError) as caught:
        detach(cur, h)
    assert ora(caught) == 31623


def test_defining_job_vanishes_when_its_only_session_detaches(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.13 / §5: if every client detaches while the job is DEFINING, the job is removed."""
    h = _defined_export(cur, "NEVER_STARTED")
    detach(cur, h)
    assert "NEVER_STARTED" not in job_names(db)
    assert cur.execute("SELECT COUNT(*) FROM user_tables WHERE table_name = 'NEVER_STARTED'").fetchone() == (
        0,
    )


def test_defining_job_vanishes_when_its_session_disconnects(
    oracle: EmulatedOracle, db: DatabaseHandle
) -> None:
    """§2.13: a session that ends detaches implicitly; a DEFINING job is then removed."""
    with connect(oracle) as other:
        _defined_export(other.cursor(), "ABANDONED")
    assert "ABANDONED" not in job_names(db)


def test_started_job_keeps_running_after_the_client_disconnects(
    oracle: EmulatedOracle, db: DatabaseHandle
) -> None:
    """§1 / §2.13: when a client disconnects it is detached and the job keeps running."""
    db.set_job_rate(4096)
    with connect(oracle) as other:
        _started_export(other.cursor(), "ORPHANED")
    assert {j["name"]: j["state"] for j in db.jobs()}["ORPHANED"] == "EXECUTING"
    db.set_job_rate(10_000_000)
    finish(db)
    assert "ORPHANED" not in job_names(db)
    assert outcome(db, "orphaned.log")["outcome"] == "successfully completed"


def test_handle_from_another_session_is_invalid(oracle: EmulatedOracle, cur: oracledb.Cursor) -> None:
    """§1 / §2.19: a handle is valid only in the session that got it: INVALID_HANDLE (ORA-31623)."""
    h = _defined_export(cur, "MINE")
    with connect(oracle) as other, pytest.raises(oracledb.DatabaseError) as caught:
        job_status(other.cursor(), h)
    assert ora(caught) == 31623


def test_a_session_attaches_to_a_job_only_once(
    oracle: EmulatedOracle, db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§1: a session can attach to a given job only once; a second one needs another session.
    [U: the code; we expect an error from the second ATTACH, and success from a new session.]"""
    db.set_job_rate(16)
    detach(cur, _started_export(cur, "ONCE"))
    attach(cur, "ONCE")
    with pytest.raises(oracledb.DatabaseError):
        attach(cur, "ONCE")
    with connect(oracle) as other:
        attach(other.cursor(), "ONCE")


def test_wait_for_job_returns_completed(cur: oracledb.Cursor, db: DatabaseHandle) -> None:
    """§2.14: WAIT_FOR_JOB blocks until the job completes and returns 'COMPLETED'."""
    h = _started_export(cur, "WAITED")
    assert _wait(cur, h) == "COMPLETED"
    assert outcome(db, "waited.log")["outcome"] == "successfully completed"


def test_wait_for_job_returns_completed_for_completed_with_errors(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.14 [P/U] / §2.13: "completed with N error(s)" still returns COMPLETED; error_count > 0
    (read while still attached: resources are released only after all clients detach)."""
    db.next_job_completes_with_errors(
        [['ORA-39082: Object type VIEW:"HR"."V" created with compilation warnings']]
    )
    db.set_job_rate(4096)
    h = _started_export(cur, "WITH_ERRORS")
    finish(db)
    status = job_status(cur, h)
    assert status["errs"] > 0
    assert _wait(cur, h) == "COMPLETED"
    last = outcome(db, "with_errors.log")
    assert last["outcome"] == "completed with 1 error(s)"
    assert "ORA-39082" in read_file(db, "with_errors.log")


def test_wait_for_job_returns_stopped(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.14: WAIT_FOR_JOB returns 'STOPPED' when the job stops (here: a fatal error)."""
    db.fail_next_job(at_percent=50)
    h = _started_export(cur, "WILL_STOP")
    assert _wait(cur, h) == "STOPPED"


def test_fatal_error_leaves_a_restartable_not_running_job(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§5: an abnormal end while EXECUTING -> NOT RUNNING, log ends "stopped due to fatal error";
    ATTACH + START_JOB restarts it to completion."""
    db.fail_next_job(at_percent=50, lines=["ORA-39126: Worker unexpected fatal error"])
    detach(cur, _started_export(cur, "FATAL"))
    finish(db)
    assert {j["name"]: (j["state"], j["attached_sessions"]) for j in db.jobs()}["FATAL"] == ("NOT RUNNING", 0)
    assert outcome(db, "fatal.log")["outcome"] == "stopped due to fatal error"
    assert "ORA-39126" in read_file(db, "fatal.log")
    h = attach(cur, "FATAL")
    assert job_status(cur, h)["job_state"] == "IDLING"
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert "FATAL" not in job_names(db)
    assert outcome(db, "fatal.log")["outcome"] == "successfully completed"
