"""The emulated job lifecycle: states, the clock, stop, restart, kill, faults (reference §1, §2, §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, DatabaseHandle, EmulatedOracle, emulated_oracle

OUTCOME = re.compile(
    r'Job "(?P<owner>[^"]+)"\."(?P<job>[^"]+)" '
    r"(?P<outcome>successfully completed|completed with (?P<n>\d+) error\(s\)"
    r"|stopped due to fatal error|stopped)"
)
START_EXPORT = """
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA', job_name => :job_name);
  DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :job_name || '_%U.dmp', directory => 'DATA_PUMP_DIR',
                         reusefile => 1);
  DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :job_name || '.log', directory => 'DATA_PUMP_DIR',
                         filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);
  DBMS_DATAPUMP.METADATA_FILTER(handle => h, name => 'SCHEMA_LIST', value => '''HR''');
  DBMS_DATAPUMP.START_JOB(handle => h);
  DBMS_DATAPUMP.DETACH(handle => h);
END;"""
CONTROL = """
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => 'SYSTEM');
  IF :action = 'STOP' THEN
    DBMS_DATAPUMP.STOP_JOB(h, immediate => 1, keep_master => 1);
  ELSIF :action = 'KILL' THEN
    DBMS_DATAPUMP.STOP_JOB(h, immediate => 1, keep_master => 0);
  ELSIF :action = 'RESTART' THEN
    DBMS_DATAPUMP.START_JOB(h);
    DBMS_DATAPUMP.DETACH(h);
  END IF;
END;"""
STATUS = """
DECLARE
  h NUMBER; st ku$_Status; js VARCHAR2(30);
BEGIN
  h := DBMS_DATAPUMP.ATTACH(:job_name, 'SYSTEM');
  DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :state := js;
  :pct := st.job_status.percent_done;
  DBMS_DATAPUMP.DETACH(h);
END;"""


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        yield active


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(1024)  # slow enough to watch: about a minute for HR
    return handle


@pytest.fixture
def cur(oracle: EmulatedOracle, db: DatabaseHandle) -> Iterator[oracledb.Cursor]:
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        yield conn.cursor()


def status(cur: oracledb.Cursor, job: str) -> tuple[str, int]:
    state, pct = cur.var(str, 30), cur.var(int)
    cur.execute(STATUS, job_name=job, state=state, pct=pct)
    return state.getvalue(), pct.getvalue()


def log(db: DatabaseHandle, job: str) -> str:
    return (db.directory_path() / f"{job}.log").read_text()


def test_a_job_progresses_only_as_the_clock_moves(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.15: percent_done rises with the data moved; §5: EXECUTING until the work is done."""
    cur.execute(START_EXPORT, job_name="EXP1")
    db.set_job_speed("SYSTEM", "EXP1", size=1_000_000, rate=100_000)  # about 10 s of data
    assert status(cur, "EXP1") == ("EXECUTING", 0)
    seen = []
    for _ in range(4):
        db.advance(2)
        seen.append(status(cur, "EXP1"))
    assert [state for state, _ in seen] == ["EXECUTING"] * 4
    percents = [pct for _, pct in seen]
    assert percents == sorted(percents)
    assert 0 < percents[0] < percents[-1] < 100
    db.advance(3600)
    with pytest.raises(oracledb.DatabaseError) as gone:
        status(cur, "EXP1")
    assert gone.value.args[0].code == 31626  # §2.3: a completed job's master table is gone
    assert OUTCOME.search(log(db, "EXP1").splitlines()[-1]).group("outcome") == "successfully completed"


def test_stop_keeps_the_master_table_and_restart_finishes_the_job(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.12 immediate keep-master stop; §5 NOT RUNNING, then ATTACH -> IDLING -> START_JOB."""
    cur.execute(START_EXPORT, job_name="EXP2")
    db.advance(10)
    cur.execute(CONTROL, job_name="EXP2", action="STOP")
    assert [(j["name"], j["state"], j["attached_sessions"]) for j in db.jobs()] == [
        ("EXP2", "NOT RUNNING", 0)
    ]
    assert "stopped" in log(db, "EXP2").splitlines()[-1]
    assert ("EXP2",) in cur.execute("select table_name from user_tables").fetchall()  # master table kept
    cur.execute(CONTROL, job_name="EXP2", action="RESTART")
    db.advance(3600)
    assert db.jobs() == []
    assert log(db, "EXP2").splitlines()[-1].startswith('Job "SYSTEM"."EXP2" successfully completed')


def test_kill_drops_the_master_table(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.12: STOP_JOB(immediate => 1, keep_master => 0) is a kill; the job cannot restart."""
    cur.execute(START_EXPORT, job_name="EXP3")
    cur.execute(CONTROL, job_name="EXP3", action="KILL")
    assert db.jobs() == []
    with pytest.raises(oracledb.DatabaseError) as gone:
        cur.execute(CONTROL, job_name="EXP3", action="RESTART")
    assert gone.value.args[0].code == 31626


def test_a_defining_job_vanishes_when_its_session_ends(oracle: EmulatedOracle, db: DatabaseHandle) -> None:
    """§2.13: if every client detaches while the job is DEFINING, the job is removed."""
    conn = oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn())
    conn.cursor().execute(
        "DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, 'HALF'); END;"
    )
    assert [j["state"] for j in db.jobs()] == ["DEFINING"]
    conn.close()
    assert db.jobs() == []


def test_a_started_job_outlives_its_client(oracle: EmulatedOracle, db: DatabaseHandle) -> None:
    """§1: a client that disconnects is detached; the job keeps running."""
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        conn.cursor().execute(START_EXPORT, job_name="EXP4")
    db.advance(5)
    assert [(j["name"], j["state"]) for j in db.jobs()] == [("EXP4", "EXECUTING")]


def test_injected_fatal_error_stops_the_job_restartably(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§5: an abnormal end leaves the job NOT RUNNING with its master table; the log says why."""
    db.fail_next_job(at_percent=40, lines=["ORA-39126: Worker unexpected fatal error in KUPW$WORKER.MAIN"])
    cur.execute(START_EXPORT, job_name="EXP5")
    db.advance(3600)
    assert [(j["name"], j["state"]) for j in db.jobs()] == [("EXP5", "NOT RUNNING")]
    lines = log(db, "EXP5").splitlines()
    assert "ORA-39126: Worker unexpected fatal error in KUPW$WORKER.MAIN" in lines
    assert OUTCOME.search(lines[-1]).group("outcome") == "stopped due to fatal error"


def test_completed_with_errors_counts_them(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§5: "completed with N error(s)" counts non-fatal object errors."""
    db.next_job_completes_with_errors([['ORA-31684: Object type USER:"HR" already exists']] * 2)
    cur.execute(START_EXPORT, job_name="EXP6")
    db.advance(3600)
    match = OUTCOME.search(log(db, "EXP6").splitlines()[-1])
    assert match.group("outcome") == "completed with 2 error(s)"


def test_job_speed_can_be_set_per_job(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """A test can make one job big and slow to watch it (emulator control, not Oracle's)."""
    cur.execute(START_EXPORT, job_name="EXP7")
    db.set_job_speed("SYSTEM", "EXP7", size=100 * 1024 * 1024, rate=1024 * 1024)
    db.advance(50)
    state, pct = status(cur, "EXP7")
    assert state == "EXECUTING"
    assert 40 <= pct <= 55
    rows = cur.execute(
        "select sofar, totalwork, units from v$session_longops where opname = 'EXP7'"
    ).fetchall()
    assert [(total, units) for _, total, units in rows] == [(100, "MB")]


def test_wait_for_job_moves_the_manual_clock(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.14: WAIT_FOR_JOB blocks until the job completes and returns COMPLETED."""
    before = db.now()
    state = cur.var(str, 30)
    cur.execute(
        "DECLARE h NUMBER; js VARCHAR2(30); BEGIN h := DBMS_DATAPUMP.ATTACH(:j, 'SYSTEM'); "
        "DBMS_DATAPUMP.WAIT_FOR_JOB(h, js); :s := js; END;",
        j=_started(cur, "EXP8"),
        s=state,
    )
    assert state.getvalue() == "COMPLETED"
    assert db.now() > before


def _started(cur: oracledb.Cursor, name: str) -> str:
    cur.execute(START_EXPORT, job_name=name)
    return name


IMPORT_REMAPPED = """
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.OPEN(operation => 'IMPORT', job_mode => 'SCHEMA', job_name => :job_name);
  DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :dump, directory => 'DATA_PUMP_DIR');
  DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :job_name || '.log', directory => 'DATA_PUMP_DIR',
                         filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);
  DBMS_DATAPUMP.METADATA_REMAP(handle => h, name => 'REMAP_SCHEMA', old_value => 'HR', value => 'HR_COPY');
  DBMS_DATAPUMP.START_JOB(handle => h);
  DBMS_DATAPUMP.DETACH(handle => h);
END;"""


def test_a_job_finishes_its_work_even_when_the_call_that_saw_it_finish_fails(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """A job's work belongs to its own processes (§1): no client call's error can undo it.

    Time passes with nobody watching (as on a wall clock), then an ATTACH is the first to
    look: the job completes, its master table goes, and the ATTACH fails with ORA-31626.
    The rows it loaded and its single completion line must stay.
    """
    cur.execute(START_EXPORT, job_name="EXP9")
    db.advance(3600)
    cur.execute(IMPORT_REMAPPED, job_name="IMP9", dump="EXP9_01.dmp")
    db._database.advance(3600)  # the clock moves without anyone bringing jobs up to date
    with pytest.raises(oracledb.DatabaseError) as gone:
        status(cur, "IMP9")
    assert gone.value.args[0].code == 31626
    assert db.rows("HR_COPY", "REGIONS") == db.rows("HR", "REGIONS") != []
    assert db.jobs() == []
    assert log(db, "IMP9").count("successfully completed") == 1
