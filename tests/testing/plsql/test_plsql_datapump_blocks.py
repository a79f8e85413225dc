"""Blocks shaped like the reference's python-oracledb patterns (§11), against a fake package."""

from decimal import Decimal

from fake_runtime import FakeRuntime, error_of, run_block

from airflow_datapump.testing._plsql.engine import parse
from airflow_datapump.testing._values import Bind

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
  DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'METRICS', value => 1);
  DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'LOGTIME', value => 'ALL');
  DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'CLIENT_COMMAND', value => :client_cmd);
  BEGIN
    DBMS_DATAPUMP.START_JOB(handle => :start_handle);
  EXCEPTION
    WHEN DBMS_DATAPUMP.SUCCESS_WITH_INFO THEN NULL;
  END;
  h := DBMS_DATAPUMP.ATTACH(:attach_to);
  DBMS_DATAPUMP.DETACH(handle => h);
EXCEPTION
  WHEN OTHERS THEN
    l_err := DBMS_UTILITY.FORMAT_ERROR_STACK;
    add_status_errors(h);
    IF h IS NOT NULL THEN
      BEGIN DBMS_DATAPUMP.DETACH(h); EXCEPTION WHEN OTHERS THEN NULL; END;
    END IF;
    RAISE_APPLICATION_ERROR(-20001, SUBSTR(l_err, 1, 2000));
END;"""


def start_binds(attach_to: str) -> dict[str, Bind]:
    return {
        "JOB_NAME": Bind("EXP_HR"), "VERSION": Bind("COMPATIBLE"), "DUMP_FILE": Bind("e_%U.dmp"),
        "DUMP_DIR": Bind("DATA_PUMP_DIR"), "FILESIZE": Bind(None), "REUSE": Bind(Decimal(1)),
        "CLIENT_CMD": Bind("airflow"), "START_HANDLE": Bind(Decimal(99)),
        "ATTACH_TO": Bind(attach_to),
    }  # fmt: skip


def test_start_export_happy_path_selects_overloads_and_defaults() -> None:
    rt = FakeRuntime()
    run_block(rt, START_EXPORT, **start_binds("J"))
    names = [name for name, _ in rt.calls]
    assert names == ["OPEN", "ADD_FILE", "SET_PARAMETER", "SET_PARAMETER", "SET_PARAMETER",
                     "START_JOB", "ATTACH", "DETACH"]  # fmt: skip
    open_args = rt.calls[0][1]
    assert open_args == {"OPERATION": "EXPORT", "JOB_MODE": "SCHEMA", "REMOTE_LINK": None,
                         "JOB_NAME": "EXP_HR", "VERSION": "COMPATIBLE"}  # fmt: skip
    assert rt.calls[1][1]["FILETYPE"] == Decimal(1)
    values = [args["VALUE"] for name, args in rt.calls if name == "SET_PARAMETER"]
    assert values == [Decimal(1), "ALL", "airflow"]


def test_start_export_failure_reports_the_whole_stack() -> None:
    rt = FakeRuntime()
    err = error_of(rt, START_EXPORT, **start_binds("GONE"))
    assert err.code == 20001
    assert err.message.splitlines() == [
        "ORA-20001: ORA-31626: job does not exist",
        'ORA-06512: at "SYS.DBMS_DATAPUMP", line 4929',
        "",
        "ORA-39001: bad",
        "ORA-06512: at line 39",
    ]
    assert [name for name, _ in rt.calls][-3:] == ["ATTACH", "GET_STATUS", "DETACH"]


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
    :pct := st.job_status.percent_done;
    :file := st.job_status.files(1).file_name;
  END IF;
  DBMS_DATAPUMP.DETACH(h);
END;"""


def test_poll_status_copies_object_attributes_to_binds() -> None:
    from airflow_datapump.testing._values import NUMBER

    rt = FakeRuntime()
    binds = run_block(
        rt, POLL, JOB_NAME=Bind("J"), OWNER=Bind("HR"), STATE=Bind(None, size=30),
        PCT=Bind(None, type=NUMBER), FILE=Bind(None, size=100),
    )  # fmt: skip
    assert (binds["STATE"].value, binds["PCT"].value, binds["FILE"].value) == (
        "EXECUTING", Decimal(50), "a.dmp",
    )  # fmt: skip


def test_vanished_job_surfaces_code_31626_with_package_lines() -> None:
    rt = FakeRuntime()
    err = error_of(
        rt, POLL, JOB_NAME=Bind("GONE"), OWNER=Bind("HR"), STATE=Bind(None),
        PCT=Bind(None), FILE=Bind(None),
    )  # fmt: skip
    assert err.code == 31626
    assert err.message.splitlines() == [
        "ORA-31626: job does not exist",
        'ORA-06512: at "SYS.DBMS_DATAPUMP", line 4929',
        "ORA-06512: at line 7",
    ]


def test_package_exception_caught_by_code_in_user_exception() -> None:
    text = """DECLARE
  gone EXCEPTION;
  PRAGMA EXCEPTION_INIT(gone, -31626);
  h NUMBER;
BEGIN
  h := SYS.DBMS_DATAPUMP.ATTACH('GONE');
EXCEPTION
  WHEN gone THEN :r := 'gone ' || SQLCODE;
END;"""
    assert run_block(FakeRuntime(), text, R=Bind(None))["R"].value == "gone -31626"


def test_parse_is_cached() -> None:
    assert parse(POLL) is parse(POLL)
