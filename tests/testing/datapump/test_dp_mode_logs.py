"""What each kind of job writes to its log: an ESTIMATE_ONLY export, a metadata-only export,
a SQL_FILE job and a network import (Utilities guide: ESTIMATE_ONLY, CONTENT, SQLFILE,
NETWORK_LINK; reference §5 and §8). Lines a kind of job does not produce must be absent."""

from __future__ import annotations

import re

import oracledb
from dp_helpers import (
    DIR,
    add_dump,
    add_log,
    call,
    detach,
    finish,
    open_job,
    outcome,
    read_file,
    schema_list,
    set_parameter,
    start,
)

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle


def _run(db: DatabaseHandle, cur: oracledb.Cursor, h: int, log: str) -> str:
    start(cur, h)
    detach(cur, h)
    finish(db)
    assert outcome(db, log)["outcome"] == "successfully completed"
    return read_file(db, log)


def test_estimate_only_logs_one_estimate_per_table_and_unloads_nothing(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    h = open_job(cur, "EXPORT", "SCHEMA", "EST_ONLY")
    add_log(cur, h, "est_only.log")
    schema_list(cur, h, "HR")
    set_parameter(cur, h, "ESTIMATE_ONLY", 1)
    log = _run(db, cur, h, "est_only.log")
    estimated = re.findall(r'^\.  estimated "HR"\."(\w+)" +(\d+) KB$', log, re.MULTILINE)
    assert sorted(name for name, _ in estimated) == ["COUNTRIES", "DEPARTMENTS", "EMPLOYEES", "REGIONS"]
    total = int(re.search(r"Total estimation using BLOCKS method: (\d+) KB", log).group(1))  # type: ignore[union-attr]
    assert total == sum(int(kb) for _, kb in estimated)
    assert log.index("estimated") < log.index("Total estimation")
    for absent in (". . exported", "Dump file set", "Master table", "SCHEMA_EXPORT/USER"):
        assert absent not in log
    assert not list(db.directory_path(DIR).glob("*.dmp"))


def test_a_metadata_only_export_has_no_estimate(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    h = open_job(cur, "EXPORT", "SCHEMA", "META_ONLY")
    add_dump(cur, h, "meta_only.dmp")
    add_log(cur, h, "meta_only.log")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.DATA_FILTER(:h, 'INCLUDE_ROWS', 0)", h=h)
    log = _run(db, cur, h, "meta_only.log")
    assert "Estimate in progress" not in log
    assert "TABLE_DATA" not in log
    assert "Dump file set for SYSTEM.META_ONLY is:" in log


def test_a_sql_file_job_processes_no_table_data(
    db: DatabaseHandle, cur: oracledb.Cursor, hr_dump: str
) -> None:
    h = open_job(cur, "SQL_FILE", "SCHEMA", "DDL_ONLY")
    add_dump(cur, h, hr_dump)
    add_log(cur, h, "ddl_only.log")
    call(
        cur,
        "DBMS_DATAPUMP.ADD_FILE(:h, 'ddl_only.sql', 'DATA_PUMP_DIR', "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_SQL_FILE)",
        h=h,
    )
    log = _run(db, cur, h, "ddl_only.log")
    assert log.splitlines()[0] == 'Master table "SYSTEM"."DDL_ONLY" successfully loaded/unloaded'
    assert "Processing object type SCHEMA_EXPORT/TABLE/TABLE" in log
    assert "TABLE_DATA" not in log
    assert ". . imported" not in log
    # The keys are CONSTRAINT objects of their own, processed and written after the tables.
    assert log.index("SCHEMA_EXPORT/TABLE/TABLE\n") < log.index("SCHEMA_EXPORT/TABLE/CONSTRAINT/CONSTRAINT\n")
    sql = read_file(db, "ddl_only.sql")
    assert 'CREATE TABLE "HR"."EMPLOYEES"' in sql
    assert sql.index('CREATE TABLE "HR"."EMPLOYEES"') < sql.index(
        'ALTER TABLE "HR"."EMPLOYEES" ADD CONSTRAINT'
    )


def test_a_network_import_estimates_and_loads_no_master_table(
    oracle: EmulatedOracle, db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    oracle.database("SRCDB").load_sample_hr()
    db.execute(
        "CREATE PUBLIC DATABASE LINK src CONNECT TO system IDENTIFIED BY oracle USING 'localhost/SRCDB'"
    )
    h = open_job(cur, "IMPORT", "SCHEMA", "NET_LOG", link="SRC")
    add_log(cur, h, "net_log.log")
    schema_list(cur, h, "HR")
    call(cur, "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HR_NET')", h=h)
    log = _run(db, cur, h, "net_log.log")
    assert "Master table" not in log  # nothing is read from a dump
    assert log.splitlines()[0].startswith('Starting "SYSTEM"."NET_LOG"')
    assert "Total estimation using BLOCKS method:" in log
    assert re.search(r'^\. \. imported "HR_NET"\."REGIONS" +4 rows$', log, re.MULTILINE), log


def test_a_19c_export_estimates_only_when_asked_to(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """The default LOG_LAYOUT (19c): no estimate lines, TABLE_DATA's line first; with ESTIMATE
    given, the estimate in the method asked for, around that line; the 12.1 reading always
    estimates."""
    logs = {}
    for name, layout, method in (
        ("EST_NONE", "19C", None),
        ("EST_STATS", "19C", "STATISTICS"),
        ("EST_12", "12.1", None),
    ):
        db.set_reading("LOG_LAYOUT", layout)
        h = open_job(cur, "EXPORT", "SCHEMA", name)
        add_dump(cur, h, f"{name.lower()}.dmp")
        add_log(cur, h, f"{name.lower()}.log")
        schema_list(cur, h, "HR")
        if method:
            set_parameter(cur, h, "ESTIMATE", method)
        logs[name] = _run(db, cur, h, f"{name.lower()}.log").splitlines()
    assert not [line for line in logs["EST_NONE"] if "estimat" in line.lower()]
    assert logs["EST_NONE"][1] == "Processing object type SCHEMA_EXPORT/TABLE/TABLE_DATA"
    assert logs["EST_STATS"][1:3] == [
        "Estimate in progress using STATISTICS method...",
        "Processing object type SCHEMA_EXPORT/TABLE/TABLE_DATA",
    ]
    assert logs["EST_STATS"][3].startswith("Total estimation using STATISTICS method: ")
    assert logs["EST_12"][1] == "Estimate in progress using BLOCKS method..."
    assert logs["EST_12"][2].startswith("Total estimation using BLOCKS method: ")
