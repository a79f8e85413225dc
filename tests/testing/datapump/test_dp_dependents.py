"""A table's indexes and constraints are object types of their own, as in Oracle's logs:
TABLE/INDEX/INDEX, TABLE/CONSTRAINT/CONSTRAINT (primary, unique, check) and
TABLE/CONSTRAINT/REF_CONSTRAINT (foreign keys), after the table and its rows, each filtered
by EXCLUDE/INCLUDE on its own path and created on its own at import (docs/emulator.md
"Object paths and their order")."""

from __future__ import annotations

import re

import oracledb
import pytest
from dp_helpers import (
    export_schemas,
    import_dump,
    object_types,
    outcome,
    read_file,
    run_job,
)

from airflow_datapump.testing import DatabaseHandle

SCHEMA_ORDER = [
    "USER",
    "SYSTEM_GRANT",
    "ROLE_GRANT",
    "DEFAULT_ROLE",
    "TABLESPACE_QUOTA",
    "PRE_SCHEMA/PROCACT_SCHEMA",
    "TABLE/TABLE",
    "TABLE/TABLE_DATA",
    "TABLE/GRANT/OWNER_GRANT/OBJECT_GRANT",
    "TABLE/INDEX/INDEX",
    "TABLE/CONSTRAINT/CONSTRAINT",
    "TABLE/CONSTRAINT/REF_CONSTRAINT",
]
# A 19c export (the default LOG_LAYOUT): TABLE_DATA first, then the rest, the rows last.
EXPORT_ORDER = [
    "TABLE/TABLE_DATA",
    *[t for t in SCHEMA_ORDER if t != "TABLE/TABLE_DATA"],
]


def _shop(cur: oracledb.Cursor) -> None:
    cur.execute("CREATE ROLE shop_reader")
    cur.execute("CREATE USER shop IDENTIFIED BY pw QUOTA UNLIMITED ON users")
    cur.execute("GRANT CREATE SESSION, shop_reader TO shop")
    cur.execute(
        "CREATE TABLE shop.parent (id NUMBER, name VARCHAR2(20), CONSTRAINT parent_pk PRIMARY KEY (id))"
    )
    cur.execute(
        "CREATE TABLE shop.child (id NUMBER, parent_id NUMBER, qty NUMBER, "
        "CONSTRAINT child_pk PRIMARY KEY (id), CONSTRAINT child_qty CHECK (qty > 0), "
        "CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES shop.parent (id))"
    )
    cur.execute("CREATE INDEX shop.child_parent_ix ON shop.child (parent_id)")
    cur.execute("GRANT SELECT ON shop.parent TO shop_reader")
    cur.execute("INSERT INTO shop.parent VALUES (1, 'one')")
    cur.execute("INSERT INTO shop.child VALUES (10, 1, 5)")
    cur.connection.commit()


def _export(db: DatabaseHandle, cur: oracledb.Cursor, job: str, *filters: str) -> str:
    log = run_job(db, cur, ("EXPORT", "SCHEMA"), job, f"{job.lower()}.dmp", SHOP_ONLY, *filters)
    assert outcome(db, f"{job.lower()}.log")["outcome"] == "successfully completed"
    return log


def _import(db: DatabaseHandle, cur: oracledb.Cursor, job: str, dump: str, target: str, *calls: str) -> str:
    remap = f"DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'SHOP', '{target}')"
    return run_job(db, cur, ("IMPORT", "SCHEMA"), job, dump, remap, *calls)


SHOP_ONLY = "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_EXPR', 'IN (''SHOP'')')"
CHILD_ONLY = "DBMS_DATAPUMP.METADATA_FILTER(:h, 'NAME_EXPR', '= ''CHILD''', 'TABLE')"


def _exclude(path: str) -> str:
    return f"DBMS_DATAPUMP.METADATA_FILTER(:h, 'EXCLUDE_PATH_EXPR', 'IN (''{path}'')')"


def _constraints(cur: oracledb.Cursor, owner: str) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT constraint_name, constraint_type FROM dba_constraints "
        "WHERE owner = :o AND constraint_type IN ('P', 'C', 'R') AND generated = 'USER NAME' ORDER BY 1",
        o=owner,
    )
    return cur.fetchall()


def _indexes(cur: oracledb.Cursor, owner: str) -> list[tuple[str, str]]:
    cur.execute("SELECT index_name, uniqueness FROM dba_indexes WHERE owner = :o ORDER BY 1", o=owner)
    return cur.fetchall()


def test_a_schema_export_logs_each_object_type_in_oracles_order(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _shop(cur)
    log = _export(db, cur, "EXP_ORDER")
    assert object_types(log) == EXPORT_ORDER
    # every ". . exported" line after the last object type, as 19c logs them
    assert log.index(". . exported") > log.index("Processing object type SCHEMA_EXPORT/TABLE/CONSTRAINT/REF")
    db.set_reading("LOG_LAYOUT", "12.1")
    log = _export(db, cur, "EXP_ORDER12")
    assert object_types(log) == SCHEMA_ORDER
    assert log.index("Estimate in progress using BLOCKS method...") < log.index("Processing object type")
    assert log.index(". . exported") < log.index("Processing object type SCHEMA_EXPORT/TABLE/GRANT")


def test_import_creates_indexes_and_constraints_after_the_rows(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _shop(cur)
    _export(db, cur, "EXP_DEP")
    import_dump(db, cur, "IMP_DEP", "exp_dep.dmp", remap=("SHOP", "SHOP2"), action=None)
    log = read_file(db, "imp_dep.log")
    assert outcome(db, "imp_dep.log")["outcome"] == "successfully completed", log
    types = object_types(log)
    assert types == SCHEMA_ORDER
    assert log.index('. . imported "SHOP2"."CHILD"') < log.index("TABLE/INDEX/INDEX")
    assert _constraints(cur, "SHOP2") == [
        ("CHILD_PARENT_FK", "R"),
        ("CHILD_PK", "P"),
        ("CHILD_QTY", "C"),
        ("PARENT_PK", "P"),
    ]
    assert _indexes(cur, "SHOP2") == [
        ("CHILD_PARENT_IX", "NONUNIQUE"),
        ("CHILD_PK", "UNIQUE"),
        ("PARENT_PK", "UNIQUE"),
    ]
    # The primary key is back: a duplicate is refused again.
    cur.execute("INSERT INTO shop2.parent VALUES (2, 'two')")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00001"):
        cur.execute("INSERT INTO shop2.parent VALUES (2, 'again')")


def test_exclude_acts_on_each_dependent_path(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _shop(cur)
    types = object_types(_export(db, cur, "EXP_NOIX", _exclude("INDEX")))
    assert "TABLE/INDEX/INDEX" not in types
    assert "TABLE/CONSTRAINT/CONSTRAINT" in types
    types = object_types(_export(db, cur, "EXP_NOREF", _exclude("REF_CONSTRAINT")))
    assert "TABLE/CONSTRAINT/REF_CONSTRAINT" not in types
    assert "TABLE/CONSTRAINT/CONSTRAINT" in types
    # CONSTRAINT covers referential constraints too (SCHEMA_EXPORT_OBJECTS' comment).
    types = object_types(_export(db, cur, "EXP_NOCON", _exclude("CONSTRAINT")))
    assert not [t for t in types if "CONSTRAINT" in t]
    assert "TABLE/INDEX/INDEX" in types
    types = object_types(_export(db, cur, "EXP_NOTAB", _exclude("TABLE")))
    assert not [t for t in types if t.startswith("TABLE/")]


def test_include_and_name_filters_pick_dependents_by_their_own_names(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _shop(cur)
    only = "DBMS_DATAPUMP.METADATA_FILTER(:h, 'INCLUDE_PATH_EXPR', 'IN (''TABLE'')')"
    types = object_types(_export(db, cur, "EXP_INC", only))
    assert types == [t for t in EXPORT_ORDER if t.startswith("TABLE/")]
    named = (
        "DBMS_DATAPUMP.METADATA_FILTER(:h, 'EXCLUDE_NAME_EXPR', '= ''CHILD_QTY''', "
        "'SCHEMA_EXPORT/TABLE/CONSTRAINT')"
    )
    _export(db, cur, "EXP_NOQTY", named)
    import_dump(db, cur, "IMP_NOQTY", "exp_noqty.dmp", remap=("SHOP", "SHOP3"), action=None)
    assert ("CHILD_QTY", "C") not in _constraints(cur, "SHOP3")
    assert ("CHILD_PK", "P") in _constraints(cur, "SHOP3")


def test_import_excluding_constraints_leaves_the_table_without_keys(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _shop(cur)
    _export(db, cur, "EXP_ALL")
    _import(db, cur, "IMP_NOCON", "exp_all.dmp", "SHOP4", _exclude("CONSTRAINT"))
    assert "CONSTRAINT" not in read_file(db, "imp_nocon.log")
    assert _constraints(cur, "SHOP4") == []
    assert _indexes(cur, "SHOP4") == [("CHILD_PARENT_IX", "NONUNIQUE")]


def test_a_foreign_key_to_a_table_not_imported_fails_as_oracle_logs_it(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _shop(cur)
    _export(db, cur, "EXP_FK")
    log = _import(db, cur, "IMP_FK", "exp_fk.dmp", "SHOP5", CHILD_ONLY)
    expected = (
        'ORA-39083: Object type REF_CONSTRAINT:"SHOP5"."CHILD_PARENT_FK" failed to create with error:\n'
        "ORA-00942: table or view does not exist\n\nFailing sql is:\n"
        'ALTER TABLE "SHOP5"."CHILD" ADD CONSTRAINT "CHILD_PARENT_FK" FOREIGN KEY ("PARENT_ID") '
        'REFERENCES "SHOP5"."PARENT" ("ID") ENABLE\n'
    )
    assert expected in log, log
    assert outcome(db, "imp_fk.log")["outcome"] == "completed with 1 error(s)"
    assert ("CHILD_PK", "P") in _constraints(cur, "SHOP5")


def test_a_sql_file_holds_each_dependents_ddl(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _shop(cur)
    _export(db, cur, "EXP_SQL")
    sql_file = (
        "DBMS_DATAPUMP.ADD_FILE(:h, 'dep.sql', 'DATA_PUMP_DIR', "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_SQL_FILE)"
    )
    run_job(db, cur, ("SQL_FILE", "SCHEMA"), "SQL_DEP", "exp_sql.dmp", sql_file)
    sql = read_file(db, "dep.sql")
    paths = re.findall(r"^-- new object type path: SCHEMA_EXPORT/(\S+)$", sql, re.MULTILINE)
    assert paths == [p for p in SCHEMA_ORDER if p != "TABLE/TABLE_DATA"]
    table = sql[sql.index('CREATE TABLE "SHOP"."CHILD"') :]
    assert "PRIMARY KEY" not in table[: table.index(";")]  # keys come as their own objects
    assert 'CREATE INDEX "SHOP"."CHILD_PARENT_IX" ON "SHOP"."CHILD" ("PARENT_ID")' in sql
    assert 'ALTER TABLE "SHOP"."CHILD" ADD CONSTRAINT "CHILD_QTY" CHECK (qty > 0) ENABLE;' in sql
    assert 'ALTER TABLE "SHOP"."CHILD" ADD CONSTRAINT "CHILD_PK" PRIMARY KEY ("ID")' in sql
    assert 'ALTER USER "SHOP" DEFAULT ROLE ALL;' in sql


def test_hr_round_trip_keeps_its_keys(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    export_schemas(db, cur, "EXP_HRK", "hrk.dmp", "HR")
    import_dump(db, cur, "IMP_HRK", "hrk.dmp")
    assert outcome(db, "imp_hrk.log")["outcome"] == "successfully completed", read_file(db, "imp_hrk.log")
    cur.execute("SELECT count(*) FROM dba_constraints WHERE owner = 'HR2' AND constraint_type = 'P'")
    assert cur.fetchone() == (4,)


def test_a_foreign_key_whose_parent_rows_are_missing_fails_validation(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _shop(cur)
    _export(db, cur, "EXP_ORPHAN")
    cur.execute("CREATE USER shop6 IDENTIFIED BY pw QUOTA UNLIMITED ON users")
    cur.execute("CREATE TABLE shop6.parent (id NUMBER, name VARCHAR2(20), CONSTRAINT p6_pk PRIMARY KEY (id))")
    log = _import(db, cur, "IMP_ORPHAN", "exp_orphan.dmp", "SHOP6", CHILD_ONLY)
    assert (
        'ORA-39083: Object type REF_CONSTRAINT:"SHOP6"."CHILD_PARENT_FK" failed to create with error:\n'
        "ORA-02298: cannot validate (SHOP6.CHILD_PARENT_FK) - parent keys not found\n"
    ) in log, log
    assert 'ORA-31684: Object type USER:"SHOP6" already exists' in log  # the other error
    assert outcome(db, "imp_orphan.log")["outcome"] == "completed with 2 error(s)"


STATISTICS_ORDER = [
    "TABLE/TABLE",
    "TABLE/TABLE_DATA",
    "TABLE/GRANT/OWNER_GRANT/OBJECT_GRANT",
    "TABLE/INDEX/INDEX",
    "TABLE/CONSTRAINT/CONSTRAINT",
    "TABLE/INDEX/STATISTICS/INDEX_STATISTICS",
    "TABLE/CONSTRAINT/REF_CONSTRAINT",
    "TABLE/STATISTICS/TABLE_STATISTICS",
    "STATISTICS/MARKER",
]
# The same objects as a 19c export logs them: the rows' line and the statistics first.
STATISTICS_EXPORT_ORDER = [
    "TABLE/TABLE_DATA",
    "TABLE/INDEX/STATISTICS/INDEX_STATISTICS",
    "TABLE/STATISTICS/TABLE_STATISTICS",
    "STATISTICS/MARKER",
    "TABLE/TABLE",
    "TABLE/GRANT/OWNER_GRANT/OBJECT_GRANT",
    "TABLE/INDEX/INDEX",
    "TABLE/CONSTRAINT/CONSTRAINT",
    "TABLE/CONSTRAINT/REF_CONSTRAINT",
]


def _stats(cur: oracledb.Cursor, owner: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    cur.execute("SELECT table_name, num_rows FROM dba_tables WHERE owner = :o ORDER BY 1", o=owner)
    found_tables = cur.fetchall()
    cur.execute(
        "SELECT index_name, num_rows, distinct_keys FROM dba_indexes WHERE owner = :o ORDER BY 1", o=owner
    )
    return found_tables, cur.fetchall()


def test_statistics_travel_only_once_gathered(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _shop(cur)
    assert not [t for t in object_types(_export(db, cur, "EXP_NOSTATS")) if "STATISTICS" in t]
    assert _stats(cur, "SHOP")[0] == [("CHILD", None), ("PARENT", None)]
    cur.execute("BEGIN DBMS_STATS.GATHER_SCHEMA_STATS('SHOP'); END;")
    gathered = _stats(cur, "SHOP")
    assert gathered == (
        [("CHILD", 1), ("PARENT", 1)],
        [("CHILD_PARENT_IX", 1, 1), ("CHILD_PK", 1, 1), ("PARENT_PK", 1, 1)],
    )
    log = _export(db, cur, "EXP_STATS")
    assert [t for t in object_types(log) if t.startswith(("TABLE/", "STATISTICS"))] == STATISTICS_EXPORT_ORDER
    import_dump(db, cur, "IMP_STATS", "exp_stats.dmp", remap=("SHOP", "SHOP7"), action=None)
    assert outcome(db, "imp_stats.log")["outcome"] == "successfully completed"
    imported = object_types(read_file(db, "imp_stats.log"))
    assert [t for t in imported if t.startswith(("TABLE/", "STATISTICS"))] == STATISTICS_ORDER
    assert _stats(cur, "SHOP7") == gathered  # restored, not gathered again
    types = object_types(_export(db, cur, "EXP_NOSTAT", _exclude("STATISTICS")))
    assert not [t for t in types if "STATISTICS" in t]
    assert "TABLE/INDEX/INDEX" in types


def test_gathering_statistics_of_what_does_not_exist_fails_as_oracle_does(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match=r'ORA-20000: Unable to analyze TABLE "HR"."NOSUCH"'):
        cur.execute("BEGIN DBMS_STATS.GATHER_TABLE_STATS('HR', 'NOSUCH'); END;")
    with pytest.raises(oracledb.DatabaseError, match=r'ORA-20000: Schema "NOSUCH" does not exist'):
        cur.execute("BEGIN DBMS_STATS.GATHER_SCHEMA_STATS(ownname => 'nosuch'); END;")


def test_table_and_full_modes_use_their_own_prefixes(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    _shop(cur)
    cur.execute("BEGIN DBMS_STATS.GATHER_TABLE_STATS('SHOP', 'CHILD'); END;")
    child = "DBMS_DATAPUMP.METADATA_FILTER(:h, 'NAME_EXPR', '= ''CHILD''')"
    log = run_job(db, cur, ("EXPORT", "TABLE"), "EXP_TAB", "exp_tab.dmp", SHOP_ONLY, child)
    types = re.findall(r"^Processing object type (\S+)$", log, re.MULTILINE)
    assert types == [
        "TABLE_EXPORT/TABLE/TABLE_DATA",
        "TABLE_EXPORT/TABLE/INDEX/STATISTICS/INDEX_STATISTICS",
        "TABLE_EXPORT/TABLE/STATISTICS/TABLE_STATISTICS",
        "TABLE_EXPORT/TABLE/STATISTICS/MARKER",
        "TABLE_EXPORT/TABLE/TABLE",
        "TABLE_EXPORT/TABLE/INDEX/INDEX",
        "TABLE_EXPORT/TABLE/CONSTRAINT/CONSTRAINT",
        "TABLE_EXPORT/TABLE/CONSTRAINT/REF_CONSTRAINT",
    ], log
    log = run_job(db, cur, ("EXPORT", "FULL"), "EXP_FULL_DEP", "exp_full_dep.dmp")
    for path in (
        "DATABASE_EXPORT/SCHEMA/PROCACT_SCHEMA",
        "DATABASE_EXPORT/SCHEMA/DEFAULT_ROLE",
        "DATABASE_EXPORT/SCHEMA/TABLE/CONSTRAINT/REF_CONSTRAINT",
        "DATABASE_EXPORT/STATISTICS/MARKER",
    ):
        assert f"Processing object type {path}\n" in log, log


def test_a_constraints_state_travels_with_it(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    """DBMS_METADATA ends a constraint's DDL with its state; an import creates it so."""
    _shop(cur)
    cur.execute("ALTER TABLE shop.child DISABLE CONSTRAINT child_parent_fk")
    cur.execute("ALTER TABLE shop.child MODIFY CONSTRAINT child_qty ENABLE NOVALIDATE")
    cur.execute("INSERT INTO shop.child VALUES (11, 9, 1)")  # an orphan the disabled key lets in
    cur.connection.commit()
    _export(db, cur, "EXP_STATE")
    sql_file = (
        "DBMS_DATAPUMP.ADD_FILE(:h, 'state.sql', 'DATA_PUMP_DIR', "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_SQL_FILE)"
    )
    run_job(db, cur, ("SQL_FILE", "SCHEMA"), "SQL_STATE", "exp_state.dmp", sql_file)
    sql = read_file(db, "state.sql")
    table = sql[sql.index('CREATE TABLE "SHOP"."PARENT"') :]
    assert "NOT NULL" not in table[: table.index(";")]  # ID is keyed, not declared NOT NULL
    assert 'ADD CONSTRAINT "CHILD_QTY" CHECK (qty > 0) ENABLE NOVALIDATE;' in sql
    assert 'REFERENCES "SHOP"."PARENT" ("ID") DISABLE;' in sql
    log = _import(db, cur, "IMP_STATE", "exp_state.dmp", "SHOP7")
    assert "ORA-39083" not in log
    cur.execute(
        "SELECT constraint_name, status, validated FROM dba_constraints WHERE owner = 'SHOP7' "
        "AND constraint_name IN ('CHILD_QTY', 'CHILD_PARENT_FK') ORDER BY 1"
    )
    assert cur.fetchall() == [
        ("CHILD_PARENT_FK", "DISABLED", "NOT VALIDATED"),
        ("CHILD_QTY", "ENABLED", "NOT VALIDATED"),
    ]


def test_a_not_null_constraints_name_and_state_travel_with_its_table(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """DBMS_METADATA writes a named NOT NULL as CONSTRAINT "name" NOT NULL, with its state; a
    SYS_C name is the source database's own, so the import names that one afresh."""
    _shop(cur)
    cur.execute("ALTER TABLE shop.parent MODIFY (name CONSTRAINT parent_name_nn NOT NULL)")
    cur.execute("ALTER TABLE shop.child MODIFY qty NOT NULL")
    cur.execute("ALTER TABLE shop.parent DISABLE CONSTRAINT parent_name_nn")
    _export(db, cur, "EXP_NN")
    sql_file = (
        "DBMS_DATAPUMP.ADD_FILE(:h, 'nn.sql', 'DATA_PUMP_DIR', "
        "filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_SQL_FILE)"
    )
    run_job(db, cur, ("SQL_FILE", "SCHEMA"), "SQL_NN", "exp_nn.dmp", sql_file)
    sql = read_file(db, "nn.sql")
    assert '"NAME" VARCHAR2(20 BYTE) CONSTRAINT "PARENT_NAME_NN" NOT NULL DISABLE' in sql
    assert '"QTY" NUMBER NOT NULL ENABLE' in sql
    assert "ORA-39083" not in _import(db, cur, "IMP_NN", "exp_nn.dmp", "SHOP7")
    cur.execute(
        "SELECT table_name, constraint_name, status FROM dba_constraints WHERE owner = :o "
        "AND search_condition LIKE '%IS NOT NULL' ORDER BY 1",
        o="SHOP7",
    )
    (child, child_name, child_status), parent = cur.fetchall()
    assert (child, child_status) == ("CHILD", "ENABLED")
    assert child_name.startswith("SYS_C")
    assert parent == ("PARENT", "PARENT_NAME_NN", "DISABLED")
