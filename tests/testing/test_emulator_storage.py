"""Tablespaces, data files, quotas and segments answer as Oracle's Database Reference says.

Each test is written from Oracle's documentation (SQL Language Reference for the DDL,
Database Reference for the views, Database Error Messages for the codes), not from the
emulator's source.
"""

from __future__ import annotations

import oracledb
import pytest
from emulator_sql import code_of

from airflow_datapump.testing import EmulatedOracle


def test_a_new_database_has_the_standard_tablespaces(dba: oracledb.Cursor) -> None:
    dba.execute("select tablespace_name, contents, status from dba_tablespaces order by 1")
    assert dba.fetchall() == [
        ("SYSAUX", "PERMANENT", "ONLINE"),
        ("SYSTEM", "PERMANENT", "ONLINE"),
        ("TEMP", "TEMPORARY", "ONLINE"),
        ("UNDOTBS1", "UNDO", "ONLINE"),
        ("USERS", "PERMANENT", "ONLINE"),
    ]
    dba.execute("select tablespace_name from dba_temp_files")
    assert dba.fetchall() == [("TEMP",)]


def test_create_tablespace_with_autoextend_unlimited(dba: oracledb.Cursor) -> None:
    dba.execute(
        "CREATE TABLESPACE users2 DATAFILE '/u02/oradata/users2_01.dbf' SIZE 100M "
        "AUTOEXTEND ON NEXT 10M MAXSIZE UNLIMITED"
    )
    dba.execute(
        "select file_name, bytes, blocks, autoextensible, maxbytes, increment_by "
        "from dba_data_files where tablespace_name = 'USERS2'"
    )
    ((name, size, blocks, auto, maxbytes, increment),) = dba.fetchall()
    assert (name, size, blocks, auto) == ("/u02/oradata/users2_01.dbf", 100 * 1024**2, 12800, "YES")
    assert maxbytes == 4194302 * 8192  # UNLIMITED: a smallfile's limit in blocks
    assert increment == 1280  # INCREMENT_BY is in blocks
    dba.execute("select contents, bigfile from dba_tablespaces where tablespace_name = 'USERS2'")
    assert dba.fetchone() == ("PERMANENT", "NO")


def test_temporary_and_undo_tablespaces(dba: oracledb.Cursor) -> None:
    dba.execute("CREATE TEMPORARY TABLESPACE temp2 TEMPFILE '/u02/temp2.dbf' SIZE 20M")
    dba.execute("CREATE UNDO TABLESPACE undo2 DATAFILE '/u02/undo2.dbf' SIZE 20M AUTOEXTEND OFF")
    dba.execute(
        "select tablespace_name, contents from dba_tablespaces where tablespace_name in ('TEMP2', 'UNDO2')"
    )
    assert sorted(dba.fetchall()) == [("TEMP2", "TEMPORARY"), ("UNDO2", "UNDO")]
    dba.execute("select autoextensible, maxbytes from dba_data_files where tablespace_name = 'UNDO2'")
    assert dba.fetchone() == ("NO", 0)


def test_tablespace_ddl_errors(dba: oracledb.Cursor) -> None:
    dba.execute("CREATE TABLESPACE data1 DATAFILE '/u02/data1.dbf' SIZE 10M")
    assert code_of(dba, "CREATE TABLESPACE data1 DATAFILE '/u02/other.dbf' SIZE 10M") == "ORA-01543"
    assert code_of(dba, "CREATE TABLESPACE data2 DATAFILE '/u02/data1.dbf' SIZE 10M") == "ORA-01537"
    assert code_of(dba, "CREATE TABLESPACE data3") == "ORA-02199"
    assert code_of(dba, "CREATE TABLESPACE data4 DATAFILE '/u02/d4.dbf' SIZE 10M COMPRESS") == "ORA-02180"
    assert code_of(dba, "DROP TABLESPACE nosuch") == "ORA-00959"
    assert code_of(dba, "DROP TABLESPACE users") == "ORA-12919"
    assert code_of(dba, "DROP TABLESPACE temp") == "ORA-12906"


def test_statements_naming_a_missing_tablespace_get_ora_00959(dba: oracledb.Cursor) -> None:
    assert code_of(dba, "CREATE USER u1 IDENTIFIED BY pw DEFAULT TABLESPACE nosuch") == "ORA-00959"
    assert code_of(dba, "CREATE USER u1 IDENTIFIED BY pw QUOTA 10M ON nosuch") == "ORA-00959"
    assert code_of(dba, "CREATE TABLE hr.t1 (id NUMBER) TABLESPACE nosuch") == "ORA-00959"
    assert code_of(dba, "ALTER USER hr DEFAULT TABLESPACE nosuch") == "ORA-00959"
    assert code_of(dba, "CREATE USER u1 IDENTIFIED BY pw DEFAULT TABLESPACE temp") == "ORA-12910"
    assert code_of(dba, "CREATE USER u1 IDENTIFIED BY pw TEMPORARY TABLESPACE users") == "ORA-12911"
    dba.execute("select count(*) from dba_users where username = 'U1'")
    assert dba.fetchone() == (0,)


def test_quotas_and_temporary_tablespace_are_recorded(dba: oracledb.Cursor) -> None:
    dba.execute("CREATE TABLESPACE data1 DATAFILE '/u02/data1.dbf' SIZE 10M")
    dba.execute(
        "CREATE USER app IDENTIFIED BY pw DEFAULT TABLESPACE data1 TEMPORARY TABLESPACE temp "
        "QUOTA 5M ON data1 QUOTA UNLIMITED ON users"
    )
    dba.execute(
        "select tablespace_name, max_bytes, dropped from dba_ts_quotas where username = 'APP' order by 1"
    )
    assert dba.fetchall() == [("DATA1", 5 * 1024**2, "NO"), ("USERS", -1, "NO")]
    dba.execute("ALTER USER app QUOTA 0 ON data1")
    dba.execute("select count(*) from dba_ts_quotas where username = 'APP'")
    assert dba.fetchone() == (1,)
    dba.execute("select default_tablespace, temporary_tablespace from dba_users where username = 'APP'")
    assert dba.fetchone() == ("DATA1", "TEMP")


def test_segments_appear_with_the_first_row_in_the_tables_tablespace(dba: oracledb.Cursor) -> None:
    dba.execute("CREATE TABLESPACE data1 DATAFILE '/u02/data1.dbf' SIZE 10M")
    dba.execute("CREATE TABLE hr.t1 (id NUMBER PRIMARY KEY, doc CLOB) TABLESPACE data1")
    dba.execute("select count(*) from dba_segments where owner = 'HR' and tablespace_name = 'DATA1'")
    assert dba.fetchone() == (0,)  # deferred segment creation
    dba.execute("INSERT INTO hr.t1 VALUES (1, NULL)")
    dba.connection.commit()
    dba.execute(
        "select segment_type, bytes, blocks, extents from dba_segments "
        "where owner = 'HR' and tablespace_name = 'DATA1' order by segment_type"
    )
    rows = dba.fetchall()
    assert [r[0] for r in rows] == ["INDEX", "LOBINDEX", "LOBSEGMENT", "TABLE"]
    assert all(r[1] == 65536 and r[2] == 8 and r[3] == 1 for r in rows)  # one 64 KB extent each
    dba.execute("select tablespace_name from dba_tables where owner = 'HR' and table_name = 'T1'")
    assert dba.fetchone() == ("DATA1",)


def test_a_table_without_a_tablespace_clause_goes_to_the_owners_default(dba: oracledb.Cursor) -> None:
    dba.execute("select distinct tablespace_name from dba_segments where owner = 'HR'")
    assert dba.fetchall() == [("USERS",)]
    dba.execute("select sum(bytes) from dba_segments where owner = 'HR' and segment_type = 'TABLE'")
    assert dba.fetchone()[0] % 65536 == 0


def test_user_views_show_only_the_users_own_storage(oracle: EmulatedOracle) -> None:
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        cur = conn.cursor()
        cur.execute("select distinct tablespace_name from user_segments")
        assert cur.fetchall() == [("USERS",)]
        cur.execute("select tablespace_name from user_tablespaces order by 1")
        names = [r[0] for r in cur.fetchall()]
        assert "USERS" in names  # HR holds UNLIMITED TABLESPACE
        for view in ("dba_segments", "dba_data_files", "all_segments", "user_data_files"):
            assert code_of(cur, f"select count(*) from {view}") == "ORA-00942"


def test_drop_tablespace_refuses_contents_unless_told(dba: oracledb.Cursor) -> None:
    dba.execute("CREATE TABLESPACE data1 DATAFILE '/u02/data1.dbf' SIZE 10M")
    dba.execute("CREATE TABLE hr.t1 (id NUMBER) TABLESPACE data1")
    assert code_of(dba, "DROP TABLESPACE data1") == "ORA-01549"
    dba.execute("DROP TABLESPACE data1 INCLUDING CONTENTS AND DATAFILES")
    assert code_of(dba, "select * from hr.t1") == "ORA-00942"
    dba.execute("select count(*) from dba_data_files where tablespace_name = 'DATA1'")
    assert dba.fetchone() == (0,)


def _owner_without_unlimited_tablespace(dba: oracledb.Cursor, quota: str) -> oracledb.Cursor:
    """APP owns APP.T in USERS with ``quota``; returns a cursor of APP's own session."""
    dba.execute(f"CREATE USER app IDENTIFIED BY pw {quota}")
    dba.execute("GRANT CREATE SESSION, CREATE TABLE TO app")
    dba.execute("CREATE TABLE app.t (id NUMBER, pad VARCHAR2(4000))")
    return oracledb.connect(user="app", password="pw", dsn=dba.connection.dsn).cursor()


def test_an_insert_without_quota_gets_ora_01950(dba: oracledb.Cursor) -> None:
    # Database Error Messages, ORA-01950: the owner may not allocate an extent. CREATE TABLE
    # itself succeeds: deferred segment creation allocates nothing until the first row.
    cur = _owner_without_unlimited_tablespace(dba, "")
    assert code_of(cur, "INSERT INTO t VALUES (1, 'x')") == "ORA-01950"
    with pytest.raises(oracledb.DatabaseError, match="no privileges on tablespace 'USERS'"):
        dba.execute("INSERT INTO app.t VALUES (1, 'x')")  # space is charged to the owner
    dba.execute("ALTER USER app QUOTA 1M ON users")
    cur.execute("INSERT INTO t VALUES (1, 'x')")
    cur.connection.commit()
    cur.execute("select count(*) from t")
    assert cur.fetchone() == (1,)


def test_growing_past_the_quota_gets_ora_01536(dba: oracledb.Cursor) -> None:
    cur = _owner_without_unlimited_tablespace(dba, "QUOTA 256K ON users")
    pad = "x" * 3000
    inserted = 0
    refused = None
    for n in range(200):  # about 600 KB: more than the quota
        try:
            cur.execute("INSERT INTO t VALUES (:n, :p)", n=n, p=pad)
        except oracledb.DatabaseError as err:
            refused = str(err)
            break
        inserted += 1
    assert refused is not None
    assert "ORA-01536: space quota exceeded for tablespace 'USERS'" in refused
    assert 60 < inserted < 100  # the rows that fit 256 KB of extents went in
    cur.connection.commit()
    dba.execute("select bytes, max_bytes from dba_ts_quotas where username = 'APP'")
    used, limit = dba.fetchone()
    assert used <= limit == 256 * 1024


def test_unlimited_tablespace_or_quota_unlimited_lifts_the_limit(dba: oracledb.Cursor) -> None:
    cur = _owner_without_unlimited_tablespace(dba, "QUOTA UNLIMITED ON users")
    cur.execute("INSERT INTO t VALUES (1, 'x')")
    dba.execute("CREATE USER app2 IDENTIFIED BY pw")
    dba.execute("GRANT UNLIMITED TABLESPACE TO app2")
    dba.execute("CREATE TABLE app2.t (id NUMBER)")
    dba.execute("INSERT INTO app2.t VALUES (1)")
    dba.connection.commit()


def _segment_bytes(dba: oracledb.Cursor, table: str) -> list[int]:
    dba.execute(
        "select bytes from dba_segments where owner = 'HR' and segment_name = :t and segment_type = 'TABLE'",
        t=table,
    )
    return [r[0] for r in dba.fetchall()]


def test_deleting_every_row_keeps_the_segment_and_truncate_keeps_one_extent(dba: oracledb.Cursor) -> None:
    # Deleted rows free no extents; TRUNCATE (DROP STORAGE by default) keeps the initial
    # extent (SQL Language Reference, DELETE and TRUNCATE TABLE); DROP removes the segment.
    dba.execute("CREATE TABLE hr.big (id NUMBER, pad VARCHAR2(4000))")
    for n in range(200):
        dba.execute("INSERT INTO hr.big VALUES (:n, :p)", n=n, p="x" * 3000)
    dba.connection.commit()
    (full,) = _segment_bytes(dba, "BIG")
    assert full > 65536
    dba.execute("DELETE FROM hr.big")
    dba.connection.commit()
    assert _segment_bytes(dba, "BIG") == [full]
    dba.execute("INSERT INTO hr.big VALUES (1, 'x')")
    dba.connection.commit()
    assert _segment_bytes(dba, "BIG") == [full]
    dba.execute("TRUNCATE TABLE hr.big")
    assert _segment_bytes(dba, "BIG") == [65536]
    dba.execute("DROP TABLE hr.big")
    dba.execute("CREATE TABLE hr.big (id NUMBER)")
    assert _segment_bytes(dba, "BIG") == []
