"""One test per row of docs/emulator.md's "Situations and the codes Oracle gives them".

Each case is a situation Oracle's documentation names a code for (PL/SQL Packages and
Types Reference, DBMS_DATAPUMP exceptions; Database Error Messages for the detail codes;
reference §2 and §5.1). The call raises the package exception, and GET_STATUS with mask
KU$_STATUS_JOB_ERROR (on the handle, or on a NULL handle after OPEN or ATTACH) returns the
detail line, as §2.15 says a client finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import oracledb
import pytest
from dp_helpers import DIR, add_dump, call, error_lines, open_job, ora, start

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle

Step = Callable[[oracledb.Cursor, int], None]


@dataclass(frozen=True)
class Case:
    """``setup`` runs on a fresh job's handle; ``failing`` is the call that must raise."""

    op: str
    mode: str
    setup: tuple[str, ...]
    failing: str
    code: int
    detail: str


def _calls(*statements: str) -> tuple[str, ...]:
    return statements


CASES = {
    "add_file_null_name": Case(
        "EXPORT", "SCHEMA", (), "DBMS_DATAPUMP.ADD_FILE(:h, NULL, 'DATA_PUMP_DIR')", 39001, "ORA-39144"
    ),
    "add_file_path_in_name": Case(
        "EXPORT",
        "SCHEMA",
        (),
        "DBMS_DATAPUMP.ADD_FILE(:h, '/tmp/x.dmp', 'DATA_PUMP_DIR')",
        39001,
        "ORA-39088",
    ),
    "add_file_missing_directory": Case(
        "EXPORT", "SCHEMA", (), "DBMS_DATAPUMP.ADD_FILE(:h, 'x.dmp', 'NO_SUCH_DIR')", 39001, "ORA-39087"
    ),
    "add_file_bad_substitution": Case(
        "EXPORT", "SCHEMA", (), "DBMS_DATAPUMP.ADD_FILE(:h, 'x_%Q.dmp', 'DATA_PUMP_DIR')", 39001, "ORA-39124"
    ),
    "add_dump_file_to_network_import": Case(
        "IMPORT", "SCHEMA", (), "DBMS_DATAPUMP.ADD_FILE(:h, 'x.dmp', 'DATA_PUMP_DIR')", 39002, "ORA-39002"
    ),
    "metadata_filter_unknown_name": Case(
        "EXPORT", "SCHEMA", (), "DBMS_DATAPUMP.METADATA_FILTER(:h, 'NO_SUCH_FILTER', 'x')", 39001, "ORA-39036"
    ),
    "metadata_filter_no_object_type": Case(
        "EXPORT",
        "SCHEMA",
        (),
        "DBMS_DATAPUMP.METADATA_FILTER(:h, 'EXCLUDE_PATH_EXPR', 'IN (''STATISTIC'')')",
        39001,
        "ORA-39041",
    ),
    "data_filter_given_twice": Case(
        "EXPORT",
        "SCHEMA",
        _calls("DBMS_DATAPUMP.DATA_FILTER(:h, 'SUBQUERY', 'WHERE 1 = 1', 'EMPLOYEES', 'HR')"),
        "DBMS_DATAPUMP.DATA_FILTER(:h, 'SUBQUERY', 'WHERE 2 = 2', 'EMPLOYEES', 'HR')",
        39001,
        "ORA-39035",
    ),
    "remap_unknown_name": Case(
        "IMPORT",
        "SCHEMA",
        (),
        "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_NOTHING', 'A', 'B')",
        39001,
        "ORA-39045",
    ),
    "remap_given_twice": Case(
        "IMPORT",
        "SCHEMA",
        _calls("DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_TABLESPACE', 'USERS', 'U2')"),
        "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_TABLESPACE', 'USERS', 'U3')",
        39001,
        "ORA-39046",
    ),
    "transform_unknown_name": Case(
        "IMPORT",
        "SCHEMA",
        (),
        "DBMS_DATAPUMP.METADATA_TRANSFORM(:h, 'NO_SUCH_TRANSFORM', 0)",
        39001,
        "ORA-39042",
    ),
    "parameter_for_another_operation": Case(
        "EXPORT",
        "SCHEMA",
        (),
        "DBMS_DATAPUMP.SET_PARAMETER(:h, 'TABLE_EXISTS_ACTION', 'SKIP')",
        39002,
        "ORA-39208",
    ),
    "parameters_that_exclude_each_other": Case(
        "EXPORT",
        "SCHEMA",
        _calls("DBMS_DATAPUMP.SET_PARAMETER(:h, 'FLASHBACK_SCN', 1000000)"),
        "DBMS_DATAPUMP.SET_PARAMETER(:h, 'FLASHBACK_TIME', 'SYSTIMESTAMP')",
        39005,
        "ORA-39050",
    ),
    "bad_parameter_value": Case(
        "EXPORT",
        "SCHEMA",
        (),
        "DBMS_DATAPUMP.SET_PARAMETER(:h, 'COMPRESSION', 'MAXIMAL')",
        39001,
        "ORA-39207",
    ),
    "transform_in_transportable_job": Case(
        "IMPORT",
        "TRANSPORTABLE",
        (),
        "DBMS_DATAPUMP.METADATA_TRANSFORM(:h, 'SEGMENT_ATTRIBUTES', 0)",
        39002,
        "ORA-39205",
    ),
    "definition_call_after_start": Case(
        "EXPORT",
        "SCHEMA",
        _calls(
            "DBMS_DATAPUMP.ADD_FILE(:h, 'started.dmp', 'DATA_PUMP_DIR')",
            "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_LIST', '''HR''')",
            "DBMS_DATAPUMP.START_JOB(:h)",
        ),
        "DBMS_DATAPUMP.METADATA_FILTER(:h, 'NAME_LIST', '''EMPLOYEES''')",
        39004,
        "ORA-39004",
    ),
    "no_metadata_with_skip": Case(
        "IMPORT",
        "SCHEMA",
        _calls(
            "DBMS_DATAPUMP.ADD_FILE(:h, 'hr.dmp', 'DATA_PUMP_DIR')",
            "DBMS_DATAPUMP.SET_PARAMETER(:h, 'INCLUDE_METADATA', 0)",
            "DBMS_DATAPUMP.SET_PARAMETER(:h, 'TABLE_EXISTS_ACTION', 'SKIP')",
        ),
        "DBMS_DATAPUMP.START_JOB(:h)",
        39002,
        "ORA-39137",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_definition_and_control_calls_raise_the_documented_code(
    name: str, db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    case = CASES[name]
    link = "SRC" if name == "add_dump_file_to_network_import" else None
    if link:
        cur.execute("CREATE DATABASE LINK src CONNECT TO hr IDENTIFIED BY hr USING 'localhost/FREEPDB1'")
    h = open_job(cur, case.op, case.mode, f"CODES_{abs(hash(name)) % 10000}", link=link)
    for statement in case.setup:
        call(cur, statement, h=h)
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, case.failing, h=h)
    assert ora(caught) == case.code
    assert case.detail in error_lines(cur, h)


def _open_fails(cur: oracledb.Cursor, op: str, mode: str | None, job: str | None = None) -> tuple[int, str]:
    binds = {"h": cur.var(int), "op": op, "mode": mode, "job": job}
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute("BEGIN :h := DBMS_DATAPUMP.OPEN(:op, :mode, NULL, :job); END;", binds)
    return ora(caught), error_lines(cur, None)


def test_open_with_an_unknown_operation(cur: oracledb.Cursor) -> None:
    code, lines = _open_fails(cur, "BACKUP", "SCHEMA")
    assert (code, "ORA-39019: invalid operation type BACKUP" in lines) == (39001, True)


def test_open_with_a_version_before_9_2(cur: oracledb.Cursor) -> None:
    binds = {"h": cur.var(int)}
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute("BEGIN :h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, NULL, '8.1'); END;", binds)
    lines = error_lines(cur, None)
    assert (ora(caught), "ORA-39023: Version 8.1 is not supported." in lines) == (39001, True)


def test_open_with_version_9_2_is_accepted(cur: oracledb.Cursor) -> None:
    h = cur.var(int)
    cur.execute("BEGIN :h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, 'OLD_FORMAT', '9.2'); END;", h=h)
    assert h.getvalue() is not None


def test_open_an_export_without_a_mode(cur: oracledb.Cursor) -> None:
    code, lines = _open_fails(cur, "EXPORT", None)
    assert (code, "ORA-31665" in lines) == (39001, True)


def test_open_with_a_name_in_use(cur: oracledb.Cursor) -> None:
    open_job(cur, "EXPORT", "SCHEMA", "TAKEN")
    code, lines = _open_fails(cur, "EXPORT", "SCHEMA", "TAKEN")
    assert (code, "ORA-31634" in lines) == (31634, True)


def test_open_full_without_the_export_role(oracle: EmulatedOracle, db: DatabaseHandle) -> None:
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        code, lines = _open_fails(conn.cursor(), "EXPORT", "FULL")
    assert (code, "ORA-39161" in lines) == (31631, True)


def test_attach_to_a_job_that_does_not_exist(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute("BEGIN :h := DBMS_DATAPUMP.ATTACH('NO_SUCH_JOB', 'SYSTEM'); END;", h=cur.var(int))
    assert ora(caught) == 31626
    assert "ORA-31626" in error_lines(cur, None)


def test_attach_to_another_users_job_without_the_roles(
    oracle: EmulatedOracle, db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    db.set_job_rate(1)
    h = open_job(cur, "EXPORT", "SCHEMA", "RUNNING_JOB")
    add_dump(cur, h, "running.dmp")
    call(cur, "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_LIST', '''HR''')", h=h)
    start(cur, h)
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        other = conn.cursor()
        with pytest.raises(oracledb.DatabaseError) as caught:
            other.execute("BEGIN :h := DBMS_DATAPUMP.ATTACH('RUNNING_JOB', 'SYSTEM'); END;", h=other.var(int))
        assert ora(caught) == 31631
        assert "ORA-31631" in error_lines(other, None)


def test_a_handle_this_session_does_not_hold(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        call(cur, "DBMS_DATAPUMP.START_JOB(:h)", h=987)
    assert ora(caught) == 31623


def test_an_export_over_an_existing_dump_file(db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str) -> None:
    h = open_job(cur, "EXPORT", "SCHEMA", "OVERWRITE")
    with pytest.raises(oracledb.DatabaseError) as caught:
        add_dump(cur, h, hr_dump)
    assert ora(caught) == 39001
    lines = error_lines(cur, h)
    assert "ORA-39000: bad dump file specification" in lines
    assert "ORA-31641" in lines


def test_a_dump_file_that_cannot_be_read(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(
            "DECLARE i ku$_dumpfile_info; t NUMBER; "
            "BEGIN DBMS_DATAPUMP.GET_DUMPFILE_INFO('nofile.dmp', :d, i, t); END;",
            d=DIR,
        )
    assert ora(caught) == 39211


def test_start_after_start(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    h = open_job(cur, "EXPORT", "SCHEMA", "TWICE")
    add_dump(cur, h, "twice.dmp")
    call(cur, "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_LIST', '''HR''')", h=h)
    db.set_job_rate(1)
    start(cur, h)
    with pytest.raises(oracledb.DatabaseError) as caught:
        start(cur, h)
    assert ora(caught) == 39004
