"""Metadata and data filters select what an export writes (§2.4, §2.5)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import (
    HR_TABLE_NAMES,
    add_dump,
    add_log,
    call,
    detach,
    exported_tables,
    finish,
    import_dump,
    open_job,
    read_file,
    start,
)

from airflow_datapump.testing import DatabaseHandle

HR = {f"HR.{t}" for t in HR_TABLE_NAMES}
OE = {f"OE.{t}" for t in HR_TABLE_NAMES}


def _export(db: DatabaseHandle, cur: oracledb.Cursor, job: str, *filters: str, schemas: str = "'HR'") -> str:
    """Export with SCHEMA_LIST ``schemas`` (unless empty) plus the given filter calls; the log."""
    h = open_job(cur, "EXPORT", "SCHEMA", job)
    add_dump(cur, h, f"{job.lower()}.dmp")
    add_log(cur, h, f"{job.lower()}.log")
    if schemas:
        call(
            cur,
            "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'SCHEMA_LIST', value => :v)",
            h=h,
            v=schemas,
        )
    for statement in filters:
        call(cur, statement, h=h)
    start(cur, h)
    detach(cur, h)
    finish(db)
    return f"{job.lower()}.log"


@pytest.fixture
def with_oe(db: DatabaseHandle) -> None:
    db.load_sample_hr(schema="OE", password="oe")


@pytest.mark.usefixtures("with_oe")
def test_one_schema_list_filter_with_two_schemas_exports_both(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """§2.4: SCHEMA_LIST takes several comma-separated quoted names: both schemas are exported."""
    log = _export(db, cur, "TWO_SCHEMAS", schemas="'HR','OE'")
    assert exported_tables(db, log) == HR | OE


@pytest.mark.usefixtures("with_oe")
def test_two_schema_expr_filters_are_anded(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.4: filters are ANDed, so IN ('HR') and IN ('OE') together select nothing."""
    log = _export(
        db,
        cur,
        "ANDED",
        "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'SCHEMA_EXPR', value => 'IN (''HR'')')",
        "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'SCHEMA_EXPR', value => 'IN (''OE'')')",
        schemas="",
    )
    assert exported_tables(db, log) == set()


def test_name_expr_with_object_path_table_restricts_tables(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.4: NAME_EXPR restricted with object_path 'TABLE' selects only the matching tables."""
    log = _export(
        db,
        cur,
        "SOME_TABLES",
        "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'NAME_EXPR', "
        "value => 'IN (''EMPLOYEES'', ''REGIONS'')', object_path => 'TABLE')",
    )
    assert exported_tables(db, log) == {"HR.EMPLOYEES", "HR.REGIONS"}


def test_exclude_path_expr_table_excludes_tables(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.4: EXCLUDE_PATH_EXPR IN ('TABLE') excludes the tables (and so their data)."""
    log = _export(
        db,
        cur,
        "NO_TABLES",
        "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'EXCLUDE_PATH_EXPR', value => 'IN (''TABLE'')')",
    )
    assert exported_tables(db, log) == set()


def test_include_rows_0_gives_a_metadata_only_job(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.5: DATA_FILTER INCLUDE_ROWS = 0 gives a metadata-only job: importing it creates the
    tables, empty."""
    _export(
        db, cur, "META_ONLY", "DBMS_DATAPUMP.DATA_FILTER(handle => :h, name => 'INCLUDE_ROWS', value => 0)"
    )
    import_dump(db, cur, "IMP_META_ONLY", "meta_only.dmp")
    for table in HR_TABLE_NAMES:
        assert db.rows("HR2", table) == [], table


def test_subquery_filters_rows(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.5: DATA_FILTER SUBQUERY appends a WHERE clause to one table's row query."""
    _export(
        db,
        cur,
        "RICH_ONLY",
        "DBMS_DATAPUMP.DATA_FILTER(handle => :h, name => 'SUBQUERY', value => 'WHERE salary > 6000', "
        "table_name => 'EMPLOYEES', schema_name => 'HR')",
    )
    import_dump(db, cur, "IMP_RICH_ONLY", "rich_only.dmp")
    expected = db.execute("SELECT * FROM hr.employees WHERE salary > 6000 ORDER BY 1")
    assert 0 < len(expected) < 20
    assert db.rows("HR2", "EMPLOYEES") == expected
    assert db.rows("HR2", "REGIONS") == db.rows("HR", "REGIONS")  # other tables unfiltered


def test_name_list_entry_that_does_not_exist_is_an_error(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """§2.4: a name missing from a *_LIST raises an error (ORA-39166 "object was not found"),
    while an *_EXPR that matches nothing does not. [U: where the error surfaces; we accept
    the raised call or the job log.]"""
    missing = (
        "DBMS_DATAPUMP.METADATA_FILTER(handle => :h, name => 'NAME_LIST', value => '''NOPE''', "
        "object_path => 'TABLE')"
    )
    try:
        log = _export(db, cur, "MISSING_NAME", missing)
    except oracledb.DatabaseError as error:
        raised = f"{error.args[0].code} {error.args[0].message}"
    else:
        raised = read_file(db, log)
    assert "ORA-39166" in raised or raised.startswith(("39001", "39002")), raised
