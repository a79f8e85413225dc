"""GET_STATUS forms and masks, LOG_ENTRY, and the reference's §11.1 / §11.2 blocks unchanged
(§2.15, §2.16, §4, §11)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import (
    DIR,
    add_dump,
    add_log,
    attach,
    call,
    connect,
    detach,
    finish,
    job_status,
    open_job,
    outcome,
    read_file,
    schema_list,
    start,
    wip_lines,
)

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle

# §11.1, copied unchanged from the reference.
START_EXPORT = """
DECLARE
  h     NUMBER;
  l_err VARCHAR2(32767);
  PROCEDURE add_status_errors(p_h NUMBER) IS
    st ku$_Status; js VARCHAR2(30);
  BEGIN
    DBMS_DATAPUMP.GET_STATUS(p_h, DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR, 0, js, st);
    IF st IS NOT NULL AND st.error IS NOT NULL THEN
      FOR i IN 1 .. st.error.COUNT LOOP
        l_err := SUBSTR(l_err || CHR(10) || st.error(i).LogText, 1, 30000);
      END LOOP;
    END IF;
  EXCEPTION WHEN OTHERS THEN NULL;
  END;
BEGIN
  h := DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA',
                          job_name => :job_name, version => :version);
  DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :dump_file, directory => :dump_dir,
                         filesize => :filesize,
                         filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_DUMP_FILE, reusefile => :reuse);
  DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :log_file, directory => :log_dir,
                         filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);
  DBMS_DATAPUMP.METADATA_FILTER(handle => h, name => 'SCHEMA_LIST', value => :schema_list);
  DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'METRICS', value => 1);
  DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'LOGTIME', value => 'ALL');
  DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'CLIENT_COMMAND', value => :client_cmd);
  DBMS_DATAPUMP.SET_PARALLEL(handle => h, degree => :degree);
  BEGIN
    DBMS_DATAPUMP.START_JOB(handle => h);
  EXCEPTION
    WHEN DBMS_DATAPUMP.SUCCESS_WITH_INFO THEN NULL;   -- ORA-31627: job did start
  END;
  DBMS_DATAPUMP.DETACH(handle => h);                  -- job keeps running in the DB
EXCEPTION
  WHEN OTHERS THEN
    l_err := DBMS_UTILITY.FORMAT_ERROR_STACK;
    add_status_errors(h);                              -- h may be NULL: that is allowed
    IF h IS NOT NULL THEN                              -- a DEFINING job is removed on detach
      BEGIN DBMS_DATAPUMP.DETACH(h); EXCEPTION WHEN OTHERS THEN NULL; END;
    END IF;
    RAISE_APPLICATION_ERROR(-20001, SUBSTR(l_err, 1, 2000));
END;
"""

# §11.2, copied unchanged from the reference.
POLL = """
DECLARE
  h  NUMBER;
  st ku$_Status;
  js VARCHAR2(30);
BEGIN
  h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner);
  DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :state := js;
  IF st.job_status IS NOT NULL THEN
    :pct     := st.job_status.percent_done;
    :done    := st.job_status.bytes_processed;
    :total   := st.job_status.total_bytes;
    :errs    := st.job_status.error_count;
    :degree  := st.job_status.degree;
    :phase   := st.job_status.phase;
  END IF;
  DBMS_DATAPUMP.DETACH(h);
END;
"""

FUNCTION_FORM = """
DECLARE st ku$_Status;
BEGIN
  st := DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0);
  :state := st.job_status.state;
  :job_name := st.job_status.job_name;
END;"""

VERSIONED_TYPE = """
DECLARE st ku$_Status1120; js VARCHAR2(30);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :state := js;
  :job_name := st.job_status.job_name;
END;"""


def _start_export(cur: oracledb.Cursor, job: str, dump: str | None = None) -> int:
    h = open_job(cur, "EXPORT", "SCHEMA", job)
    add_dump(cur, h, dump or f"{job.lower()}.dmp")
    add_log(cur, h, f"{job.lower()}.log")
    schema_list(cur, h, "HR")
    start(cur, h)
    return h


def _two_strings(cur: oracledb.Cursor, block: str, h: int) -> tuple[str, str]:
    state, name = cur.var(str, 30), cur.var(str, 128)
    cur.execute(block, h=h, state=state, job_name=name)
    return state.getvalue(), name.getvalue()


def test_get_status_function_form(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.15: the function form GET_STATUS(handle, mask, timeout) RETURN ku$_Status."""
    db.set_job_rate(16)
    h = _start_export(cur, "FUNC_FORM")
    assert _two_strings(cur, FUNCTION_FORM, h) == ("EXECUTING", "FUNC_FORM")


def test_get_status_procedure_with_a_versioned_status_type(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.15 / §4: the procedure overloads take versioned types too (ku$_Status1120)."""
    db.set_job_rate(16)
    h = _start_export(cur, "VERSIONED")
    assert _two_strings(cur, VERSIONED_TYPE, h) == ("EXECUTING", "VERSIONED")


def test_mask_4_gives_the_job_status_fields(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§4 / §7.1: ku$_JobStatus gives job_name, state, percent_done, degree, error_count and the
    files with %U expanded."""
    db.set_job_rate(16)
    h = open_job(cur, "EXPORT", "SCHEMA", "FIELDS")
    add_dump(cur, h, "fields_%U.dmp")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.SET_PARALLEL(handle => :h, degree => 2)", h=h)
    start(cur, h)
    status = job_status(cur, h)
    assert status["job_name"] == "FIELDS"
    assert status["state"] == "EXECUTING"
    assert 0 <= status["pct"] <= 100
    assert status["degree"] == 2
    assert status["errs"] == 0
    files = status["files"].splitlines()
    assert any(f.endswith("fields_01.dmp") for f in files), files
    assert not any("%U" in f for f in files), files


def test_wip_lines_start_at_attach_and_are_not_repeated(
    oracle: EmulatedOracle, db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.3 / §2.15 / §2.16: WIP (mask 1) returns messages since the previous call; messages from
    before the attach are not replayed; LOG_ENTRY (log_file_only 0) reaches attached clients."""
    db.set_job_rate(16)
    h = _start_export(cur, "WIP")
    call(cur, "DBMS_DATAPUMP.LOG_ENTRY(handle => :h, message => 'marker one')", h=h)
    detach(cur, h)
    with connect(oracle) as other:
        watcher = other.cursor()
        hw = attach(watcher, "WIP")
        first = wip_lines(watcher, hw)
        assert "marker one" not in first
        assert "Starting" not in first
        call(watcher, "DBMS_DATAPUMP.LOG_ENTRY(handle => :h, message => 'marker two')", h=hw)
        assert "marker two" in wip_lines(watcher, hw)
        assert "marker two" not in wip_lines(watcher, hw)
        detach(watcher, hw)
    finish(db)
    log = read_file(db, "wip.log")
    assert "marker one" in log
    assert "marker two" in log


def test_log_entry_writes_into_the_log(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.16: LOG_ENTRY writes a message to the log file."""
    h = _start_export(cur, "STAMPED")
    call(
        cur,
        "DBMS_DATAPUMP.LOG_ENTRY(handle => :h, message => :m, log_file_only => 1)",
        h=h,
        m="started by airflow dag=x task=y",
    )
    detach(cur, h)
    finish(db)
    assert "started by airflow dag=x task=y" in read_file(db, "stamped.log")


def test_reference_start_block_runs_unchanged(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§11.1: the define + start + detach block runs as printed; the job completes."""
    cur.execute(
        START_EXPORT,
        dict(  # noqa: C408 - as in the reference
            job_name="EXP_HR_20240131_1012",
            version="COMPATIBLE",
            dump_file="exp_hr_%U.dmp",
            dump_dir=DIR,
            filesize=None,
            reuse=1,
            log_file="exp_hr.log",
            log_dir=DIR,
            schema_list="'HR'",
            client_cmd="airflow dag=x task=y",
            degree=2,
        ),
    )
    finish(db)
    last = outcome(db, "exp_hr.log")
    assert (last["job"], last["outcome"]) == ("EXP_HR_20240131_1012", "successfully completed")


def test_reference_start_block_reports_errors_in_its_message(cur: oracledb.Cursor) -> None:
    """§11.1 / §11 "Errors": a failing define step surfaces as ORA-20001 whose message carries
    the error stack (here: a path in the file name, ORA-39001)."""
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(
            START_EXPORT,
            dict(  # noqa: C408
                job_name="EXP_BAD",
                version="COMPATIBLE",
                dump_file="/tmp/x.dmp",
                dump_dir=DIR,
                filesize=None,
                reuse=1,
                log_file="exp_bad.log",
                log_dir=DIR,
                schema_list="'HR'",
                client_cmd="x",
                degree=1,
            ),
        )
    assert caught.value.args[0].code == 20001
    assert "ORA-39001" in caught.value.args[0].message


def test_reference_poll_block_runs_unchanged(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§11.2: the short-attach poll block runs as printed and returns the status scalars."""
    db.set_job_rate(16)
    detach(cur, _start_export(cur, "POLLED"))
    out = {k: cur.var(oracledb.DB_TYPE_NUMBER) for k in ("pct", "done", "total", "errs", "degree", "phase")}
    out["state"] = cur.var(str, 30)
    cur.execute(POLL, job_name="POLLED", owner="SYSTEM", **out)
    status = {k: v.getvalue() for k, v in out.items()}
    assert status["state"] == "EXECUTING"
    assert status["degree"] == 1
    assert status["errs"] == 0
    assert 0 <= status["pct"] <= 100
    assert status["total"] > 0


FILE_LIST = """
DECLARE
  st  ku$_Status;
  js  VARCHAR2(30);
  buf VARCHAR2(32767);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  FOR i IN 1 .. st.job_status.files.COUNT LOOP
    buf := buf || st.job_status.files(i).file_type || '|' || st.job_status.files(i).file_name || CHR(10);
  END LOOP;
  :files := buf;
END;
"""


def test_the_file_list_is_the_dump_file_set_on_disk(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§4: ku$_DumpFileSet is "Dump file info": fully-qualified dump file names with their
    device type (ku$_DumpFile.file_type 0 = disk); the log file is not a dump file."""
    h = open_job(cur, "EXPORT", "SCHEMA", "FILELIST")
    add_dump(cur, h, "filelist_%U.dmp")
    add_log(cur, h, "filelist.log")
    schema_list(cur, h, "HR")
    start(cur, h)
    files = cur.var(str, 32767)
    cur.execute(FILE_LIST, h=h, files=files)
    entries = [line.split("|", 1) for line in (files.getvalue() or "").splitlines()]
    folder = str(db.directory_path(DIR))
    assert entries == [["0", f"{folder}/filelist_01.dmp"]]


HEARTBEAT = """
DECLARE
  st  ku$_Status{version};
  js  VARCHAR2(30);
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, js, st);
  :beat := st.job_status.heartbeat;
END;
"""


def test_the_newest_status_type_reports_a_heartbeat_and_1120_has_none(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§4: versions after 1120 add a heartbeat to ku$_JobStatus [P]; 1120's type has none, so
    reading it does not compile (PLS-00302)."""
    db.set_job_rate(1)
    h = open_job(cur, "EXPORT", "SCHEMA", "BEAT")
    add_dump(cur, h, "beat.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    db.advance(5)
    beat = cur.var(oracledb.DB_TYPE_NUMBER)
    cur.execute(HEARTBEAT.format(version="1220"), h=h, beat=beat)
    assert beat.getvalue() >= 5
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(HEARTBEAT.format(version="1120"), h=h, beat=beat)
    assert "PLS-00302" in str(caught.value)


def test_job_description_1020_keeps_oracles_attribute_order(cur: oracledb.Cursor) -> None:
    """The 11.2 definition of ku$_JobDesc1020 interleaves the attributes it adds."""
    cur.execute("select attr_name from all_type_attrs where type_name = 'KU$_JOBDESC1020' order by attr_no")
    names = [r[0] for r in cur.fetchall()]
    assert names[:8] == ["JOB_NAME", "GUID", "OPERATION", "JOB_MODE", "REMOTE_LINK", "OWNER", "PLATFORM",
                         "EXP_PLATFORM"]  # fmt: skip
    assert names[-1] == "PARAMS"
