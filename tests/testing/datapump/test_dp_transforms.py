"""SEGMENT_ATTRIBUTES and STORAGE transforms seen in a SQL_FILE job's DDL (Utilities guide,
impdp TRANSFORM: STORAGE:N drops the STORAGE clause, SEGMENT_ATTRIBUTES:N physical attributes,
storage, tablespace and logging; §2.7)."""

from __future__ import annotations

import oracledb
from dp_helpers import add_dump, call, detach, finish, open_job, read_file, start

from airflow_datapump.testing import DatabaseHandle


def _sql_file(
    db: DatabaseHandle, cur: oracledb.Cursor, dump: str, name: str, *transforms: str, table: str = "REGIONS"
) -> str:
    """The CREATE TABLE statement for HR's ``table`` a SQL_FILE job writes, after ``transforms``."""
    h = open_job(cur, "SQL_FILE", "SCHEMA", name.upper())
    add_dump(cur, h, dump)
    call(
        cur,
        f"DBMS_DATAPUMP.ADD_FILE(:h, '{name}.sql', 'DATA_PUMP_DIR', "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_SQL_FILE)",
        h=h,
    )
    for transform in transforms:
        call(cur, transform, h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    script = read_file(db, f"{name}.sql")
    start_at = script.index(f'CREATE TABLE "HR"."{table}"')
    return script[start_at : script.index(";", start_at) + 1]


def test_a_table_with_rows_has_segment_attributes_and_a_storage_clause(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    ddl = _sql_file(db, cur, hr_dump, "plain")
    assert "SEGMENT CREATION IMMEDIATE" in ddl
    assert "PCTFREE 10 PCTUSED 40 INITRANS 1 MAXTRANS 255" in ddl
    assert "STORAGE(INITIAL 65536 NEXT 1048576 MINEXTENTS 1 MAXEXTENTS 2147483645" in ddl
    assert ddl.endswith('TABLESPACE "USERS" ;')


def test_storage_n_drops_only_the_storage_clause(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    ddl = _sql_file(db, cur, hr_dump, "nostorage", "DBMS_DATAPUMP.METADATA_TRANSFORM(:h, 'STORAGE', 0)")
    assert "STORAGE(" not in ddl
    assert "SEGMENT CREATION IMMEDIATE" in ddl
    assert ddl.endswith('TABLESPACE "USERS" ;')


def test_storage_n_for_indexes_leaves_the_tables_clause(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    ddl = _sql_file(
        db, cur, hr_dump, "idxonly", "DBMS_DATAPUMP.METADATA_TRANSFORM(:h, 'STORAGE', 0, 'INDEX')"
    )
    assert "STORAGE(INITIAL 65536" in ddl


def test_segment_attributes_n_drops_all_of_them(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    ddl = _sql_file(
        db, cur, hr_dump, "noseg", "DBMS_DATAPUMP.METADATA_TRANSFORM(:h, 'SEGMENT_ATTRIBUTES', 0)"
    )
    for part in ("SEGMENT CREATION", "PCTFREE", "STORAGE(", "TABLESPACE"):
        assert part not in ddl
    assert ddl.endswith("   ) ;")


def test_a_table_without_rows_is_deferred_and_has_no_storage_clause(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    cur.execute("CREATE TABLE hr.no_rows (id NUMBER PRIMARY KEY)")
    h = open_job(cur, "EXPORT", "SCHEMA", "EXP_EMPTY")
    add_dump(cur, h, "empty.dmp")
    call(cur, "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_EXPR', 'IN (''HR'')')", h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    ddl = _sql_file(db, cur, "empty.dmp", "empty", table="NO_ROWS")
    assert "SEGMENT CREATION DEFERRED" in ddl
    assert "STORAGE(" not in ddl
    assert ddl.endswith('TABLESPACE "USERS" ;')
