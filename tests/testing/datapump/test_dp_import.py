"""Export/import round trips, TABLE_EXISTS_ACTION, dump file sets, GET_DUMPFILE_INFO and
SQL_FILE (§2.2, §2.9, §2.17, §5.1, §7.1, §11.7)."""

from __future__ import annotations

import re
from pathlib import Path

import oracledb
import pytest
from dp_helpers import (
    DIR,
    HR_TABLE_NAMES,
    add_dump,
    add_log,
    call,
    connect,
    detach,
    export_schemas,
    finish,
    import_dump,
    message,
    open_job,
    ora,
    outcome,
    read_file,
    schema_list,
    start,
)

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from airflow_datapump.testing._datapump.rules import READINGS

# §11.7, copied unchanged from the reference.
DUMPFILE_INFO = """
DECLARE
  info ku$_dumpfile_info;
  ft   NUMBER;
  buf  VARCHAR2(32767);
BEGIN
  DBMS_DATAPUMP.GET_DUMPFILE_INFO(:fname, :dir, info, ft);
  :ftype := ft;                                  -- 1 = Data Pump, 2 = legacy exp, 0 = unknown
  FOR i IN 1 .. info.COUNT LOOP
    buf := buf || info(i).item_code || '=' || info(i).value || CHR(10);
  END LOOP;
  :items := buf;                                 -- parse "code=value" lines in Python
END;
"""


def _dumpfile_info(cur: oracledb.Cursor, name: str) -> tuple[int, dict[int, str]]:
    ftype, items = cur.var(oracledb.DB_TYPE_NUMBER), cur.var(str, 32767)
    cur.execute(DUMPFILE_INFO, fname=name, dir=DIR, ftype=ftype, items=items)
    parsed = {}
    for line in (items.getvalue() or "").splitlines():
        code, _, value = line.partition("=")
        parsed[int(code)] = value
    return int(ftype.getvalue()), parsed


def _add_and_start(cur: oracledb.Cursor, h: int, dump: str) -> None:
    """ADD_FILE then START_JOB: a bad dump file set may be refused by either (§2.19)."""
    add_dump(cur, h, dump)
    start(cur, h)


def _same_tables(db: DatabaseHandle, source: str, target: str) -> None:
    for table in HR_TABLE_NAMES:
        assert db.rows(target, table) == db.rows(source, table), table


def test_round_trip_with_remap_schema_and_replace(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    """§2.6 / §2.9: importing HR's dump with REMAP_SCHEMA HR->HR2 and TABLE_EXISTS_ACTION=REPLACE
    gives HR2 exactly HR's rows; the import succeeds."""
    import_dump(db, cur, "IMP_HR2", hr_dump)
    _same_tables(db, "HR", "HR2")
    assert outcome(db, "imp_hr2.log")["outcome"] == "successfully completed"


@pytest.mark.parametrize("reading", READINGS["TABLE_EXISTS_LINE"])
def test_reimport_with_skip_logs_ora_39151(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str, reading: str
) -> None:
    """§2.9 / §5.1: TABLE_EXISTS_ACTION=SKIP leaves existing tables alone and logs ORA-39151's
    text for each; 11.2 logs (COUNTED) print its code and count it, a 12c+ log (PLAIN, the
    default) prints the text alone and does not. HR2 existing (ORA-31684) counts under both."""
    db.set_reading("TABLE_EXISTS_LINE", reading)
    import_dump(db, cur, "IMP_FIRST", hr_dump)
    db.execute("DELETE FROM hr2.regions WHERE region_id = 4")
    import_dump(db, cur, "IMP_SKIP", hr_dump, action="SKIP")
    log = read_file(db, "imp_skip.log").splitlines()
    skipped = [line for line in log if "exists. All dependent metadata and data will be skipped" in line]
    prefix = "ORA-39151: " if reading == "COUNTED" else ""
    assert skipped == [
        f'{prefix}Table "HR2"."{name}" exists. All dependent metadata and data will be skipped due '
        "to table_exists_action of skip"
        for name in HR_TABLE_NAMES
    ]
    last = outcome(db, "imp_skip.log")
    assert last["outcome"].startswith("completed with")
    assert int(last["n"]) == 1 + (len(HR_TABLE_NAMES) if reading == "COUNTED" else 0)
    assert len(db.rows("HR2", "REGIONS")) == 3  # untouched


def test_append_adds_rows_unless_constraints_reject_them(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.9 / §5.1: APPEND adds rows (a table without keys gets them twice); a table whose
    primary key rejects them logs ORA-31693 followed by ORA-00001."""
    db.create_table("HR", "NOTES", ["NOTE VARCHAR2(30)"], [("a",), ("b",)])
    export_schemas(db, cur, "EXP_NOTES", "notes.dmp", "HR")
    import_dump(db, cur, "IMP_NOTES", "notes.dmp")
    import_dump(db, cur, "IMP_APPEND", "notes.dmp", action="APPEND")
    assert sorted(db.rows("HR2", "NOTES")) == [("a",), ("a",), ("b",), ("b",)]
    assert db.rows("HR2", "REGIONS") == db.rows("HR", "REGIONS")
    log = read_file(db, "imp_append.log")
    assert "ORA-31693" in log
    assert "ORA-00001" in log
    assert outcome(db, "imp_append.log")["outcome"].startswith("completed with")


def test_truncate_reloads(db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str) -> None:
    """§2.9: TRUNCATE deletes the rows, then loads."""
    import_dump(db, cur, "IMP_BASE", hr_dump)
    db.execute("DELETE FROM hr2.employees WHERE employee_id > 105")
    db.execute("INSERT INTO hr2.regions VALUES (9, 'Extra')")
    import_dump(db, cur, "IMP_TRUNC", hr_dump, action="TRUNCATE")
    _same_tables(db, "HR", "HR2")


def test_import_into_an_existing_user_counts_ora_31684(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    """§5.1 / §8 (b): importing into an existing user logs ORA-31684 ("already exists"), counted
    in "completed with N error(s)"; the tables are still loaded."""
    db.create_user("HR3", "x")
    import_dump(db, cur, "IMP_HR3", hr_dump, remap=("HR", "HR3"))
    log = read_file(db, "imp_hr3.log")
    assert "ORA-31684" in log
    last = outcome(db, "imp_hr3.log")
    assert last["outcome"].startswith("completed with")
    assert int(last["n"]) == len(re.findall(r"^(?:.*: )?ORA-31684", log, re.MULTILINE))
    _same_tables(db, "HR", "HR3")


def test_percent_u_with_parallel_4_writes_several_files(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """§2.10 / §7.1: with SET_PARALLEL(4) and %U, the export writes several numbered files; the
    set imports back."""
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_PAR")
    add_dump(cur, h, "par_%U.dmp")
    add_log(cur, h, "exp_par.log")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.SET_PARALLEL(handle => :h, degree => 4)", h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    files = sorted(p.name for p in dump_dir.glob("par_*.dmp"))
    assert len(files) >= 2, files
    assert all(re.fullmatch(r"par_\d\d\.dmp", f) for f in files), files
    import_dump(db, cur, "IMP_PAR", "par_%U.dmp")
    _same_tables(db, "HR", "HR2")


def test_filesize_too_small_fails_the_job_with_ora_39095(
    oracle: EmulatedOracle, db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.2 / §7.1: a single dump file (no %U) limited by FILESIZE below the data's size: the
    dump file space is exhausted (ORA-39095) and the job stops."""
    db.execute("CREATE TABLE hr.big (id NUMBER, pad VARCHAR2(4000))")
    with connect(oracle, "hr", "hr") as hr:
        hr.cursor().executemany("INSERT INTO big VALUES (:1, :2)", [(i, "x" * 2000) for i in range(300)])
        hr.commit()
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_SMALL")
    add_dump(cur, h, "small.dmp", filesize="100K")
    add_log(cur, h, "exp_small.log")
    schema_list(cur, h, "HR")
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert "ORA-39095" in read_file(db, "exp_small.log")
    assert outcome(db, "exp_small.log")["outcome"] != "successfully completed"


def test_import_with_a_missing_percent_u_member_is_refused(
    db: DatabaseHandle, cur: oracledb.Cursor, dump_dir: Path
) -> None:
    """§7.1 / §2.19: a dump file set missing a %U member is refused (ORA-39001/39000 family)."""
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_GAP")
    add_dump(cur, h, "gap_%U.dmp")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.SET_PARALLEL(handle => :h, degree => 4)", h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    members = sorted(dump_dir.glob("gap_*.dmp"))
    assert len(members) >= 2
    members[-1].unlink()
    h = open_job(cur, "IMPORT", "SCHEMA", "IMP_GAP")
    with pytest.raises(oracledb.DatabaseError) as caught:
        _add_and_start(cur, h, "gap_%U.dmp")
    assert ora(caught) in (39000, 39001, 39002), message(caught)


def test_import_of_a_non_dump_file_is_refused(cur: oracledb.Cursor, dump_dir: Path) -> None:
    """§2.17 / §2.19: a file that is not a Data Pump dump is refused on import (ORA-39001/39000
    family)."""
    (dump_dir / "notes.dmp").write_text("just some text\n")
    h = open_job(cur, "IMPORT", "SCHEMA", "IMP_TEXT")
    with pytest.raises(oracledb.DatabaseError) as caught:
        _add_and_start(cur, h, "notes.dmp")
    assert ora(caught) in (39000, 39001, 39002), message(caught)


def test_get_dumpfile_info_on_a_dump(cur: oracledb.Cursor, hr_dump: str) -> None:
    """§2.17 / §11.7: the block runs unchanged; filetype 1 for a Data Pump dump; the items carry
    the job name (code 8) and the file version (code 1)."""
    ftype, items = _dumpfile_info(cur, hr_dump)
    assert ftype == 1
    assert "EXP_HR" in items[8]  # the reference does not fix the form (plain or "OWNER"."JOB")
    assert items.get(1)


def test_get_dumpfile_info_on_a_text_file_is_filetype_0(cur: oracledb.Cursor, dump_dir: Path) -> None:
    """§2.17: filetype 0 = unknown for a file that is not a dump."""
    (dump_dir / "readme.txt").write_text("not a dump\n" * 100)
    assert _dumpfile_info(cur, "readme.txt")[0] == 0


def test_get_dumpfile_info_on_a_missing_file_is_ora_39211(cur: oracledb.Cursor) -> None:
    """§2.17 / §2.19: a file that cannot be read raises NO_DUMPFILE_INFO (ORA-39211)."""
    with pytest.raises(oracledb.DatabaseError) as caught:
        _dumpfile_info(cur, "nowhere.dmp")
    assert ora(caught) == 39211


def test_sql_file_writes_remapped_create_table_ddl(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    """§2.1 / §2.6: a SQL_FILE job writes the DDL it would run (CREATE TABLE for each table),
    with REMAP_SCHEMA applied, into the SQL file (filetype 4), and creates nothing."""
    h = open_job(cur, "SQL_FILE", "SCHEMA", "PREVIEW")
    add_dump(cur, h, hr_dump)
    call(
        cur,
        "DBMS_DATAPUMP.ADD_FILE(handle => :h, filename => 'preview.sql', directory => :d, "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_SQL_FILE)",
        h=h,
        d=DIR,
    )
    call(cur, "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HRX')", h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    sql = read_file(db, "preview.sql")
    for table in HR_TABLE_NAMES:
        assert re.search(rf'CREATE TABLE "HRX"\."{table}"', sql), table
    assert '"HR".' not in sql
    assert db.execute("SELECT COUNT(*) FROM dba_users WHERE username = 'HRX'") == [(0,)]
