"""REMAP_TABLESPACE, SEGMENT_ATTRIBUTES and tablespace filters act on segments, as the
Utilities guide ("REMAP_TABLESPACE", "TRANSFORM") and §2.6-§2.7 say."""

from __future__ import annotations

import re

import oracledb
from dp_helpers import (
    add_dump,
    add_log,
    call,
    detach,
    finish,
    open_job,
    outcome,
    read_file,
    run_job,
    schema_list,
    set_parameter,
    start,
)

from airflow_datapump.testing import DatabaseHandle

# HR's SYSTEM_GRANT objects (UNLIMITED TABLESPACE among them) are imported onto an existing
# user too, as in Oracle; tests of quotas leave them out.
NO_SYSTEM_GRANTS = "DBMS_DATAPUMP.METADATA_FILTER(:h, 'EXCLUDE_PATH_EXPR', 'IN (''SYSTEM_GRANT'')')"
TO_NOSUCH = "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_TABLESPACE', 'USERS', 'NOSUCH')"


def _import(db: DatabaseHandle, cur: oracledb.Cursor, dump: str, job: str, *calls: str) -> str:
    """A schema import of HR into HR2 with extra definition calls; returns its log text."""
    remap = "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HR2')"
    return run_job(db, cur, ("IMPORT", "SCHEMA"), job, dump, remap, *calls)


def _segment_tablespaces(cur: oracledb.Cursor, owner: str) -> set[str]:
    cur.execute("select distinct tablespace_name from dba_segments where owner = :o", o=owner)
    return {r[0] for r in cur.fetchall()}


def test_remap_tablespace_moves_the_imported_tables_segments(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    cur.execute(
        "CREATE TABLESPACE users2 DATAFILE '/u02/users2.dbf' SIZE 50M AUTOEXTEND ON MAXSIZE UNLIMITED"
    )
    log = _import(
        db, cur, hr_dump, "IMP_TS", "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_TABLESPACE', 'USERS', 'USERS2')"
    )
    assert outcome(db, "imp_ts.log")["outcome"] == "successfully completed", log
    assert _segment_tablespaces(cur, "HR2") == {"USERS2"}
    cur.execute("select distinct tablespace_name from dba_tables where owner = 'HR2'")
    assert cur.fetchall() == [("USERS2",)]
    cur.execute("select default_tablespace from dba_users where username = 'HR2'")
    assert cur.fetchone() == ("USERS2",)


def test_remap_tablespace_to_a_missing_one_completes_with_errors(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    cur.execute("CREATE USER hr2 IDENTIFIED BY pw QUOTA UNLIMITED ON users")
    log = _import(
        db,
        cur,
        hr_dump,
        "IMP_NOTS",
        "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_TABLESPACE', 'USERS', 'NOSUCH')",
    )
    result = outcome(db, "imp_nots.log")
    assert result["outcome"].startswith("completed with")
    assert re.search(r'ORA-39083: Object type TABLE:"HR2"\."EMPLOYEES" failed to create with error:\n'
                     r"ORA-00959: tablespace 'NOSUCH' does not exist", log)  # fmt: skip
    assert "Failing sql is:" in log
    assert 'TABLESPACE "NOSUCH"' in log
    assert ". . imported" not in log  # no table was created, so no data was loaded
    cur.execute("select count(*) from dba_tables where owner = 'HR2'")
    assert cur.fetchone() == (0,)


def test_segment_attributes_0_puts_tables_in_the_target_users_default(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    cur.execute("CREATE TABLESPACE data2 DATAFILE '/u02/data2.dbf' SIZE 50M")
    cur.execute("CREATE USER hr2 IDENTIFIED BY pw DEFAULT TABLESPACE data2 QUOTA UNLIMITED ON data2")
    _import(db, cur, hr_dump, "IMP_SEG", "DBMS_DATAPUMP.METADATA_TRANSFORM(:h, 'SEGMENT_ATTRIBUTES', 0)")
    assert _segment_tablespaces(cur, "HR2") == {"DATA2"}


def test_tables_keep_their_tablespace_without_transforms(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    cur.execute("CREATE TABLESPACE data2 DATAFILE '/u02/data2.dbf' SIZE 50M")
    cur.execute(
        "CREATE USER hr2 IDENTIFIED BY pw DEFAULT TABLESPACE data2 "
        "QUOTA UNLIMITED ON data2 QUOTA UNLIMITED ON users"
    )
    _import(db, cur, hr_dump, "IMP_KEEP")
    assert _segment_tablespaces(cur, "HR2") == {"USERS"}


def test_tablespace_filter_selects_tables_by_their_segments_tablespace(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    cur.execute("CREATE TABLESPACE data2 DATAFILE '/u02/data2.dbf' SIZE 50M")
    cur.execute("CREATE TABLE hr.moved (id NUMBER) TABLESPACE data2")
    cur.execute("INSERT INTO hr.moved VALUES (1)")
    cur.connection.commit()
    h = open_job(cur, "EXPORT", "TABLESPACE", "EXP_TSF")
    add_dump(cur, h, "tsf.dmp")
    add_log(cur, h, "exp_tsf.log")
    call(cur, "DBMS_DATAPUMP.METADATA_FILTER(:h, 'TABLESPACE_LIST', '''DATA2''')", h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    log = read_file(db, "exp_tsf.log")
    assert re.findall(r'exported "([^"]+)"\."([^"]+)"', log) == [("HR", "MOVED")]


def test_the_blocks_estimate_is_the_segments_size(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    cur.execute("select sum(bytes) from dba_segments where owner = 'HR' and segment_type = 'TABLE'")
    (table_bytes,) = cur.fetchone()
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_EST")
    add_dump(cur, h, "est.dmp")
    add_log(cur, h, "exp_est.log")
    schema_list(cur, h, "HR")
    set_parameter(cur, h, "ESTIMATE", "BLOCKS")  # 19c estimates only when asked to
    start(cur, h)
    detach(cur, h)
    finish(db)
    log = read_file(db, "exp_est.log")
    assert f"Total estimation using BLOCKS method: {table_bytes // 1024} KB" in log


def test_a_user_whose_default_tablespace_is_remapped_to_a_missing_one_fails_to_create(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    log = _import(db, cur, hr_dump, "IMP_NOU", TO_NOSUCH)
    assert 'ORA-39083: Object type USER:"HR2" failed to create with error:\nORA-00959: tablespace' in log
    assert "ORA-01918: user 'HR2' does not exist" in log  # its tables then fail as Oracle's do
    assert outcome(db, "imp_nou.log")["outcome"].startswith("completed with")


def test_an_import_into_a_user_without_quota_logs_ora_31693_with_ora_01950(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    # The tables are created (no segment is allocated yet), then each table's data fails to
    # load, as the Utilities guide's ORA-31693 lines show, with the quota error beneath.
    cur.execute("CREATE USER hr2 IDENTIFIED BY pw")
    log = _import(db, cur, hr_dump, "IMP_NOQ", NO_SYSTEM_GRANTS)
    assert re.search(
        r'ORA-31693: Table data object "HR2"\."EMPLOYEES" failed to load/unload and is being skipped '
        r"due to error:\nORA-01950: no privileges on tablespace 'USERS'",
        log,
    ), log
    assert ". . imported" not in log
    assert outcome(db, "imp_noq.log")["outcome"].startswith("completed with")
    cur.execute("select count(*) from dba_segments where owner = 'HR2'")
    assert cur.fetchone() == (0,)


def test_an_import_past_the_users_quota_logs_ora_01536(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    cur.execute("CREATE USER hr2 IDENTIFIED BY pw QUOTA 64K ON users")  # one extent: one table
    log = _import(db, cur, hr_dump, "IMP_Q64", NO_SYSTEM_GRANTS)
    assert len(re.findall(r"\. \. imported", log)) == 1, log
    assert "ORA-01536: space quota exceeded for tablespace 'USERS'" in log


def _export_app(db: DatabaseHandle, cur: oracledb.Cursor, quotas: str) -> None:
    """A user APP with ``quotas`` (QUOTA clauses) and a one-row table, exported to app.dmp."""
    cur.execute(f"CREATE USER app IDENTIFIED BY pw {quotas}")
    cur.execute("GRANT CREATE SESSION, CREATE TABLE TO app")
    cur.execute("CREATE TABLE app.t (id NUMBER)")
    cur.execute("INSERT INTO app.t VALUES (1)")
    cur.connection.commit()
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_APP")
    add_dump(cur, h, "app.dmp")
    schema_list(cur, h, "APP")
    start(cur, h)
    detach(cur, h)
    finish(db)


def test_a_users_quotas_travel_with_it(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _export_app(db, cur, "QUOTA 10M ON users")
    log = _import(
        db, cur, "app.dmp", "IMP_APP", "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'APP', 'APP2')"
    )
    assert '. . imported "APP2"."T"' in log, log
    cur.execute("select tablespace_name, max_bytes from dba_ts_quotas where username = 'APP2'")
    assert cur.fetchall() == [("USERS", 10 * 1024**2)]


def test_remap_tablespace_remaps_the_users_quota_too(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    # TABLESPACE_QUOTA is an object with tablespace references; REMAP_TABLESPACE rewrites them,
    # so the remapped user can load its rows into the new tablespace.
    cur.execute("CREATE TABLESPACE app_copy DATAFILE 'app_copy01.dbf' SIZE 20M")
    _export_app(db, cur, "QUOTA UNLIMITED ON users")
    log = _import(
        db,
        cur,
        "app.dmp",
        "IMP_APP",
        "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'APP', 'APP2')",
        "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_TABLESPACE', 'USERS', 'APP_COPY')",
    )
    assert '. . imported "APP2"."T"' in log, log
    cur.execute("select tablespace_name, max_bytes from dba_ts_quotas where username = 'APP2'")
    assert cur.fetchall() == [("APP_COPY", -1)]
    assert _segment_tablespaces(cur, "APP2") == {"APP_COPY"}


def test_a_quota_on_a_missing_tablespace_fails_to_create_and_counts_as_an_error(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    # The quota is a TABLESPACE_QUOTA object of its own: its DDL fails with ORA-00959 under
    # ORA-39083 like any other object's, and the job completes with errors, rather than the
    # quota silently vanishing.
    cur.execute("CREATE TABLESPACE app_gone DATAFILE 'app_gone01.dbf' SIZE 20M")
    _export_app(db, cur, "QUOTA UNLIMITED ON users QUOTA 5M ON app_gone")
    cur.execute("DROP TABLESPACE app_gone INCLUDING CONTENTS AND DATAFILES")
    log = _import(
        db, cur, "app.dmp", "IMP_APPQ", "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'APP', 'APP2')"
    )
    assert re.search(r'ORA-39083: Object type TABLESPACE_QUOTA:"APP2" failed to create with error:\n'
                     r"ORA-00959: tablespace 'APP_GONE' does not exist\n\nFailing sql is:\n"
                     r'.*ALTER USER "APP2" QUOTA 5242880 ON "APP_GONE"', log)  # fmt: skip
    # The failing SQL is the block DBMS_METADATA writes for a quota (the one SQL_FILE output of
    # 12c-19c schema imports shows), its lines joined as the log prints them.
    failing = log.split("Failing sql is:\n", 1)[1].split("\n", 1)[0]
    assert failing == (
        "DECLARE   TEMP_COUNT NUMBER;   SQLSTR VARCHAR2(200); BEGIN   "
        'SQLSTR := \'ALTER USER "APP2" QUOTA 5242880 ON "APP_GONE"\';  EXECUTE IMMEDIATE SQLSTR;'
        "EXCEPTION   WHEN OTHERS THEN    IF SQLCODE = -30041 THEN       "
        "SQLSTR := 'SELECT COUNT(*) FROM USER_TABLESPACES               "
        "WHERE TABLESPACE_NAME = ''APP_GONE'' AND CONTENTS = ''TEMPORARY''';      "
        "EXECUTE IMMEDIATE SQLSTR INTO TEMP_COUNT;      IF TEMP_COUNT = 1 THEN RETURN;       "
        "ELSE RAISE;       END IF;    ELSE      RAISE;    END IF;END;"
    )
    assert outcome(db, "imp_appq.log")["outcome"] == "completed with 1 error(s)"
    cur.execute("select tablespace_name, max_bytes from dba_ts_quotas where username = 'APP2'")
    assert cur.fetchall() == [("USERS", -1)]
