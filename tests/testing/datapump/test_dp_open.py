"""DBMS_DATAPUMP.OPEN: job names, name clashes, the master table, error details (§1, §2.1)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import DIR, add_dump, call, error_lines, open_job, ora, schema_list, start

from airflow_datapump.testing import DatabaseHandle

USER_JOB_NAMES = "SELECT job_name FROM user_datapump_jobs ORDER BY job_name"


def test_default_job_names_follow_sys_op_mode_nn(cur: oracledb.Cursor) -> None:
    """§1 / §2.1: default names are SYS_<OP>_<MODE>_NN, NN from 01, per operation and mode."""
    open_job(cur, "EXPORT", "SCHEMA")
    open_job(cur, "EXPORT", "SCHEMA")
    open_job(cur, "IMPORT", "TABLE")
    open_job(cur, "EXPORT", "FULL")
    names = [r[0] for r in cur.execute(USER_JOB_NAMES)]
    assert names == [
        "SYS_EXPORT_FULL_01",
        "SYS_EXPORT_SCHEMA_01",
        "SYS_EXPORT_SCHEMA_02",
        "SYS_IMPORT_TABLE_01",
    ]


def test_duplicate_job_name_is_ora_31634(cur: oracledb.Cursor) -> None:
    """§2.1 / §2.19: OPEN with the name of an existing job raises JOB_EXISTS (ORA-31634)."""
    open_job(cur, job_name="DUP_JOB")
    with pytest.raises(oracledb.DatabaseError) as caught:
        open_job(cur, job_name="DUP_JOB")
    assert ora(caught) == 31634


def test_job_exists_is_catchable_by_name_in_plsql(cur: oracledb.Cursor) -> None:
    """§2.19: the exception is catchable as DBMS_DATAPUMP.JOB_EXISTS in PL/SQL."""
    block = """
    DECLARE h1 NUMBER; h2 NUMBER;
    BEGIN
      :caught := 0;
      h1 := DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA', job_name => 'TWICE');
      BEGIN
        h2 := DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA', job_name => 'TWICE');
      EXCEPTION WHEN DBMS_DATAPUMP.JOB_EXISTS THEN :caught := 1;
      END;
    END;"""
    caught = cur.var(int)
    cur.execute(block, caught=caught)
    assert caught.getvalue() == 1


def test_a_table_with_the_jobs_name_blocks_the_job(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§1: the name becomes the master table's name, so an existing table with that name in the
    owner's schema makes OPEN fail (ORA-31633 / ORA-31634)."""
    db.execute('CREATE TABLE "SYSTEM"."BLOCKER" (x NUMBER)')
    with pytest.raises(oracledb.DatabaseError) as caught:
        open_job(cur, job_name="BLOCKER")
    assert ora(caught) in (31633, 31634)


def test_master_table_appears_in_user_tables(cur: oracledb.Cursor) -> None:
    """§1: the master table is created in the job owner's schema, named after the job."""
    open_job(cur, job_name="MASTER_SEEN")
    rows = cur.execute("SELECT table_name FROM user_tables WHERE table_name = 'MASTER_SEEN'").fetchall()
    assert rows == [("MASTER_SEEN",)]


def test_open_failure_details_via_get_status_with_null_handle(cur: oracledb.Cursor) -> None:
    """§2.1 / §2.15: when OPEN fails, GET_STATUS with a NULL handle (mask 8, timeout 0) returns
    the error details. [U which lines exactly: we expect the ORA-31634 itself among them.]"""
    open_job(cur, job_name="DETAILS")
    with pytest.raises(oracledb.DatabaseError) as caught:
        open_job(cur, job_name="DETAILS")
    assert ora(caught) == 31634
    assert "ORA-31634" in error_lines(cur, None)


def test_99_leftover_default_named_jobs_make_the_next_default_open_fail(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§1 [P]: leftover jobs use up the NN numbers 01-99; with 99 of them a new default-named
    job fails with ORA-31626."""
    leave_99 = """
    DECLARE h NUMBER;
    BEGIN
      FOR i IN 1 .. 99 LOOP
        h := DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA');
        DBMS_DATAPUMP.ADD_FILE(handle => h, filename => 'left_' || i || '.dmp', directory => :d);
        DBMS_DATAPUMP.METADATA_FILTER(handle => h, name => 'SCHEMA_LIST', value => '''HR''');
        DBMS_DATAPUMP.START_JOB(handle => h);
        DBMS_DATAPUMP.STOP_JOB(handle => h, immediate => 1, keep_master => 1);
      END LOOP;
    END;"""
    cur.execute(leave_99, d=DIR)
    jobs = db.jobs()
    assert len(jobs) == 99
    assert {j["state"] for j in jobs} == {"NOT RUNNING"}
    with pytest.raises(oracledb.DatabaseError) as caught:
        open_job(cur, "EXPORT", "SCHEMA")
    assert ora(caught) == 31626
    # An explicit name still works.
    h = open_job(cur, "EXPORT", "SCHEMA", job_name="EXPLICIT_100")
    add_dump(cur, h, "explicit.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    call(cur, "DBMS_DATAPUMP.DETACH(:h)", h=h)
