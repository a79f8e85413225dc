"""An export's dump files while it runs and after it fails, stops or is killed.

Utilities guide: DUMPFILE (each file specification is created as the job starts), STOP_JOB
(a stopped job restarts "if the master table and dump file set are not disturbed"), Export's
KILL_JOB ("the master table and dump files are deleted. Log files are not deleted"); the
PL/SQL Packages reference's STOP_JOB says nothing of dump files, hence the reading
KILLED_DUMP_FILES.
"""

from __future__ import annotations

from pathlib import Path

import oracledb
import pytest
from dp_helpers import (
    add_dump,
    add_log,
    attach,
    call,
    detach,
    error_lines,
    finish,
    job_status,
    open_job,
    ora,
    outcome,
    schema_list,
    start,
)

from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.testing._dumpfile import FILETYPE_DATAPUMP, dumpfile_info, read_member

IMPORT_ONE = "BEGIN DBMS_DATAPUMP.ADD_FILE(handle => :h, filename => :f, directory => 'DATA_PUMP_DIR'); END;"


def _export(cur: oracledb.Cursor, job: str, dump: str, *, degree: int = 1) -> int:
    h = open_job(cur, "EXPORT", "SCHEMA", job)
    add_dump(cur, h, dump)
    add_log(cur, h, f"{job.lower()}.log")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.SET_PARALLEL(handle => :h, degree => :d)", h=h, d=degree)
    start(cur, h)
    return h


def test_start_job_creates_the_dump_file_and_it_grows(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """The file exists from START_JOB, with the job's header and no master; it grows as the job
    moves; the status lists it with its size; the finished set replaces it."""
    db.set_job_rate(4096)
    h = _export(cur, "GROWS", "grows.dmp")
    path = dump_dir / "grows.dmp"
    assert path.is_file()
    first = path.stat().st_size
    header = read_member(path)
    assert (header.contents.job_name, header.master_present) == ("GROWS", False)
    assert dumpfile_info(path)[0] == FILETYPE_DATAPUMP
    db.advance(60)
    assert path.stat().st_size > first
    assert job_status(cur, h)["files"].strip() == str(path)
    detach(cur, h)
    db.set_job_rate(10_000_000)
    finish(db)
    assert outcome(db, "grows.log")["outcome"] == "successfully completed"
    done = read_member(path)
    assert done.master_present
    assert done.contents.guid == header.contents.guid


def test_parallel_export_opens_one_file_per_worker(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    db.set_job_rate(16)
    _export(cur, "PAR", "par%U.dmp", degree=2)
    assert sorted(p.name for p in dump_dir.glob("par*.dmp")) == ["par01.dmp", "par02.dmp"]


def test_a_failed_export_leaves_its_files_and_a_restart_finishes_them(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """A fatal error keeps the files (no master: an import of them fails with ORA-39246); the
    restarted job completes into the same files."""
    db.fail_next_job(at_percent=50, lines=["ORA-39126: Worker unexpected fatal error"])
    detach(cur, _export(cur, "BROKE", "broke.dmp"))
    finish(db)
    assert outcome(db, "broke.log")["outcome"] == "stopped due to fatal error"
    path = dump_dir / "broke.dmp"
    guid = read_member(path).contents.guid
    assert not read_member(path).master_present
    imp = open_job(cur, "IMPORT", "FULL", "IMP_BROKE")
    cur.execute(IMPORT_ONE, h=imp, f="broke.dmp")
    with pytest.raises(oracledb.DatabaseError) as caught:
        start(cur, imp)
    assert ora(caught) == 39002
    assert "ORA-39246" in error_lines(cur, imp)
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 0)", h=imp)
    h = attach(cur, "BROKE")
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert outcome(db, "broke.log")["outcome"] == "successfully completed"
    member = read_member(path)
    assert member.master_present
    assert member.contents.guid == guid


def test_a_stopped_export_keeps_its_files(db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path) -> None:
    db.set_job_rate(16)
    h = _export(cur, "PAUSE", "pause.dmp")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 1)", h=h)
    assert (dump_dir / "pause.dmp").is_file()


@pytest.mark.parametrize(("reading", "kept"), [("DELETED", False), ("KEPT", True)])
def test_a_kill_deletes_or_keeps_the_files_by_the_reading(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path, reading: str, kept: bool
) -> None:
    """KILL_JOB deletes the dump files (Utilities guide); STOP_JOB's keep_master 0 may not."""
    db.set_reading("KILLED_DUMP_FILES", reading)
    db.set_job_rate(16)
    h = _export(cur, "GONE", "gone%U.dmp", degree=2)
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 0)", h=h)
    assert sorted(p.name for p in dump_dir.glob("gone*.dmp")) == (
        ["gone01.dmp", "gone02.dmp"] if kept else []
    )
    assert (dump_dir / "gone.log").is_file()  # log files are never deleted


def test_a_kill_deletes_only_the_jobs_own_files(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """A file a user put in place of a member (reused name, another GUID) is not the job's."""
    db.set_job_rate(16)
    h = _export(cur, "OTHER", "other.dmp")
    (dump_dir / "other.dmp").write_bytes(b"a user's file")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 0)", h=h)
    assert (dump_dir / "other.dmp").read_bytes() == b"a user's file"


def test_reuse_overwrites_an_existing_file_at_start(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    (dump_dir / "old.dmp").write_bytes(b"x" * 10)
    db.set_job_rate(16)
    h = open_job(cur, "EXPORT", "SCHEMA", "REUSED")
    add_dump(cur, h, "old.dmp", reusefile=1)
    schema_list(cur, h, "HR")
    start(cur, h)
    assert read_member(dump_dir / "old.dmp").contents.job_name == "REUSED"


def test_killing_a_failed_export_after_attaching_deletes_its_files(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """The orphan clean-up's way: ATTACH (IDLING), then STOP_JOB with keep_master 0."""
    db.fail_next_job(at_percent=1)
    detach(cur, _export(cur, "ORPHAN", "orphan.dmp"))
    finish(db)
    assert (dump_dir / "orphan.dmp").is_file()
    h = attach(cur, "ORPHAN")
    call(cur, "DBMS_DATAPUMP.STOP_JOB(handle => :h, immediate => 1, keep_master => 0)", h=h)
    assert not (dump_dir / "orphan.dmp").exists()


def test_a_running_uri_export_takes_another_uri_file(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """ADD_FILE of a filetype 5 file while the export runs, as for filetype 1 [U]."""
    folder = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/acme/b/dumps/o/more"
    db.enable_package("DBMS_CLOUD")
    db.execute("BEGIN DBMS_CLOUD.CREATE_CREDENTIAL('OCI_CRED', 'user', 'token'); END;")
    db.set_job_rate(16)
    h = open_job(cur, "EXPORT", "SCHEMA", "MORE")
    add = (
        "BEGIN DBMS_DATAPUMP.ADD_FILE(handle => :h, filename => :f, directory => 'OCI_CRED', "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_URIDUMP_FILE); END;"
    )
    cur.execute(add, h=h, f=f"{folder}/a.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    cur.execute(add, h=h, f=f"{folder}/b%U.dmp")
    assert (db.object_store / "dumps" / "more" / "a.dmp").is_file()  # opened at START_JOB
    detach(cur, h)
    db.set_job_rate(10_000_000)
    finish(db)
    assert read_member(db.object_store / "dumps" / "more" / "a.dmp").master_present
