"""DBMS_DATAPUMP.ADD_FILE: file names, directories, reuse, job kind and state (§2.2, §2.19)."""

from __future__ import annotations

from pathlib import Path

import oracledb
import pytest
from dp_helpers import (
    add_dump,
    add_log,
    detach,
    error_lines,
    finish,
    open_job,
    ora,
    outcome,
    schema_list,
    start,
)

from airflow_datapump.testing import DatabaseHandle


def test_path_in_filename_is_ora_39001_with_ora_39088_detail(cur: oracledb.Cursor) -> None:
    """§2.2: a path in the filename gives ORA-39088, raised as INVALID_ARGVAL (ORA-39001);
    the detail comes from GET_STATUS(h, 8, 0) (§2.15)."""
    h = open_job(cur, job_name="PATHY")
    with pytest.raises(oracledb.DatabaseError) as caught:
        add_dump(cur, h, "/tmp/hr.dmp")
    assert ora(caught) == 39001
    assert "ORA-39088" in error_lines(cur, h)


def test_invalid_directory_gives_ora_39087_detail(cur: oracledb.Cursor) -> None:
    """§2.2 / §2.19: an invalid directory gives ORA-39087 (INVALID_ARGVAL: "bad directory")."""
    h = open_job(cur, job_name="NODIR")
    call_add = "DBMS_DATAPUMP.ADD_FILE(handle => :h, filename => 'x.dmp', directory => 'NO_SUCH_DIR')"
    with pytest.raises(oracledb.DatabaseError) as caught:
        cur.execute(f"BEGIN {call_add}; END;", h=h)
    assert ora(caught) == 39001
    assert "ORA-39087" in error_lines(cur, h)


def test_existing_dump_file_without_reusefile_is_refused(cur: oracledb.Cursor, dump_dir: Path) -> None:
    """§2.2 / §2.19: reusefile NULL means dump files are not overwritten: INVALID_ARGVAL
    (ORA-39001, "file exists without reusefile")."""
    (dump_dir / "exists.dmp").write_text("old contents\n")
    h = open_job(cur, job_name="NO_REUSE")
    with pytest.raises(oracledb.DatabaseError) as caught:
        add_dump(cur, h, "exists.dmp")
    assert ora(caught) == 39001
    assert (dump_dir / "exists.dmp").read_text() == "old contents\n"


def test_existing_dump_file_with_reusefile_1_is_overwritten(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """§2.2: reusefile => 1 overwrites an existing dump file; the export succeeds."""
    (dump_dir / "exists.dmp").write_text("old contents\n")
    h = open_job(cur, job_name="REUSE")
    add_dump(cur, h, "exists.dmp", reusefile=1)
    add_log(cur, h, "reuse.log")
    schema_list(cur, h, "HR")
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert outcome(db, "reuse.log")["outcome"] == "successfully completed"
    assert (dump_dir / "exists.dmp").read_bytes() != b"old contents\n"


def test_log_file_added_after_start_job_is_invalid_state(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.2: INVALID_STATE (ORA-39004) when a log file is added after the job left DEFINING."""
    db.set_job_rate(16)  # keep it EXECUTING
    h = open_job(cur, job_name="LATE_LOG")
    add_dump(cur, h, "late.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    with pytest.raises(oracledb.DatabaseError) as caught:
        add_log(cur, h, "late.log")
    assert ora(caught) == 39004


def test_dump_file_may_be_added_to_a_running_export(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§1 / §2.2: ADD_FILE for dump files is allowed while an export runs."""
    db.set_job_rate(16)
    h = open_job(cur, job_name="MORE_FILES")
    add_dump(cur, h, "more_01.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    add_dump(cur, h, "more_02.dmp")
    detach(cur, h)
