"""How an import loads table data into a table with keys (reference §2.9, §5.1).

Rows are checked in order as they load: a row a key rejects is skipped with
SKIP_CONSTRAINT_ERRORS (DATA_OPTIONS=1) and counted in the log, and without it one bad row
loads nothing of that table.
"""

from __future__ import annotations

import re

import oracledb
import pytest
from dp_helpers import (
    export_schemas,
    run_job,
    set_parameter,
)

from airflow_datapump.core.events import rows_moved
from airflow_datapump.testing import DatabaseHandle


def _append(
    db: DatabaseHandle, cur: oracledb.Cursor, job: str, *, skip_errors: bool, action: str = "APPEND"
) -> str:
    def parameters(h: int) -> None:
        set_parameter(cur, h, "TABLE_EXISTS_ACTION", action)
        if skip_errors:
            set_parameter(cur, h, "DATA_OPTIONS", 1)

    remap = "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HR2')"
    return run_job(db, cur, ("IMPORT", "SCHEMA"), job, "keyed.dmp", remap, parameters)


def _keyed_export(db: DatabaseHandle, cur: oracledb.Cursor, rows: int) -> None:
    db.create_table("HR", "KEYED", ["ID NUMBER PRIMARY KEY", "CODE VARCHAR2(10) UNIQUE", "NOTE CLOB"])
    values = [(i, f"c{i}", f"note {i}\nsecond line") for i in range(rows)]
    cur.executemany('INSERT INTO "HR"."KEYED" VALUES (:1, :2, :3)', values)
    cur.connection.commit()
    export_schemas(db, cur, "EXP_KEYED", "keyed.dmp", "HR")
    db.create_user("HR2", "hr2")
    db.create_table("HR2", "KEYED", ["ID NUMBER PRIMARY KEY", "CODE VARCHAR2(10) UNIQUE", "NOTE CLOB"])


def test_skip_constraint_errors_loads_the_rows_no_key_rejects(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _keyed_export(db, cur, 2200)
    db.insert("HR2", "KEYED", [(5, "other", None), (7.0, "x7", None), (3000, "c2199", None)])
    log = _append(db, cur, "IMP_SKIP", skip_errors=True)
    loaded = db.rows("HR2", "KEYED")
    assert len(loaded) == 3 + 2197  # 5 and 7 (the same key as 7.0) by ID, 2199 by CODE
    assert {row[0] for row in loaded} == set(range(2199)) | {3000}
    assert re.search(r'imported "HR2"\."KEYED" .* 2197 out of 2200 rows\n3 row\(s\) were rejected', log)
    assert "3 row(s) were rejected with the following error:" in log
    assert rows_moved(log.splitlines())["HR2.KEYED"] == 2197  # the provider reads what loaded
    assert "ORA-00001: unique constraint" in log
    assert db.rows("HR2", "KEYED", "1")[1][2].data == "note 1\nsecond line"  # a CLOB, whole


def test_without_skipping_one_bad_row_loads_nothing_of_the_table(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _keyed_export(db, cur, 2200)
    db.insert("HR2", "KEYED", [(2100, "late", None)])  # rejected after a batch went in
    log = _append(db, cur, "IMP_STRICT", skip_errors=False)
    assert db.rows("HR2", "KEYED") == [(2100, "late", None)]
    assert 'ORA-31693: Table data object "HR2"."KEYED" failed to load/unload' in log
    assert "ORA-00001: unique constraint" in log


def test_a_null_in_a_not_null_column_is_rejected_first(db: DatabaseHandle, cur: oracledb.Cursor) -> None:
    db.create_table("HR", "LOOSE", ["ID NUMBER", "NAME VARCHAR2(10)"], [(1, "a"), (None, "b"), (1, "c")])
    export_schemas(db, cur, "EXP_LOOSE", "keyed.dmp", "HR")
    db.create_user("HR2", "hr2")
    db.create_table("HR2", "LOOSE", ["ID NUMBER NOT NULL UNIQUE", "NAME VARCHAR2(10)"])
    log = _append(db, cur, "IMP_LOOSE", skip_errors=True)
    assert db.rows("HR2", "LOOSE") == [(1, "a")]
    assert "2 row(s) were rejected with the following error:" in log
    assert 'ORA-01400: cannot insert NULL into ("HR2"."LOOSE"."ID")' in log


def _checked_export(db: DatabaseHandle, cur: oracledb.Cursor, *, check: bool) -> None:
    """HR.ITEMS (quantities 1, -2, 3; parents 1, 2, 9) exported; HR2 with PARENTS 1 and 2 and
    an ITEMS that keeps a foreign key, and with ``check`` a CHECK, the exported table lacks."""
    db.create_table(
        "HR", "ITEMS", ["ID NUMBER", "QTY NUMBER", "P NUMBER"], [(1, 1, 1), (2, -2, 2), (3, 3, 9)]
    )
    export_schemas(db, cur, "EXP_ITEMS", "keyed.dmp", "HR")
    db.create_user("HR2", "hr2")
    db.create_table("HR2", "PARENTS", ["ID NUMBER PRIMARY KEY"], [(1,), (2,)])
    columns = ["ID NUMBER", "QTY NUMBER", "P NUMBER", "CONSTRAINT ITEMS_P FOREIGN KEY (P) REFERENCES PARENTS"]
    db.create_table("HR2", "ITEMS", [*columns, *(["CONSTRAINT ITEMS_QTY CHECK (QTY > 0)"] if check else [])])


def test_skip_constraint_errors_skips_rows_a_check_or_foreign_key_refuses(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _checked_export(db, cur, check=True)
    log = _append(db, cur, "IMP_CHECKED", skip_errors=True)
    assert db.rows("HR2", "ITEMS") == [(1, 1, 1)]
    assert "2 row(s) were rejected with the following error:" in log
    assert "ORA-02290: check constraint (HR2.ITEMS_QTY) violated" in log  # the first rejection


def test_a_foreign_key_the_rows_break_loads_nothing_without_skipping(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    _checked_export(db, cur, check=False)
    log = _append(db, cur, "IMP_ORPHAN", skip_errors=False)
    assert db.rows("HR2", "ITEMS") == []
    assert 'ORA-31693: Table data object "HR2"."ITEMS" failed to load/unload' in log
    assert "ORA-02291: integrity constraint (HR2.ITEMS_P) violated - parent key not found" in log


def test_truncate_into_a_parent_of_foreign_keys_skips_its_data(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    db.create_table("HR", "PARENTS", ["ID NUMBER"], [(5,)])
    export_schemas(db, cur, "EXP_PARENTS", "keyed.dmp", "HR")
    db.create_user("HR2", "hr2")
    db.create_table("HR2", "PARENTS", ["ID NUMBER PRIMARY KEY"], [(1,)])
    db.create_table(
        "HR2", "ITEMS", ["P NUMBER", "CONSTRAINT ITEMS_P FOREIGN KEY (P) REFERENCES PARENTS"], [(1,)]
    )
    log = _append(db, cur, "IMP_TRUNCATE", skip_errors=False, action="TRUNCATE")
    assert db.rows("HR2", "PARENTS") == [(1,)]
    assert (
        'ORA-39120: Table "HR2"."PARENTS" can\'t be truncated, data will be skipped. Failing error is:\n'
        "ORA-02266: unique/primary keys in table referenced by enabled foreign keys"
    ) in log
    assert 'imported "HR2"."PARENTS"' not in log
    assert log.count("ORA-39120") == 1  # one of the job's errors (the other: user HR2 exists)


def test_a_refresh_disables_the_foreign_keys_around_a_truncate_import(
    db: DatabaseHandle, cur: oracledb.Cursor
) -> None:
    """What DBAs run: disable the foreign keys into the table, import it with
    TABLE_EXISTS_ACTION=TRUNCATE, enable them again; the rows the import left are validated."""
    db.create_table("HR", "PARENTS", ["ID NUMBER"], [(5,)])
    export_schemas(db, cur, "EXP_PARENTS", "keyed.dmp", "HR")
    db.create_user("HR2", "hr2")
    db.create_table("HR2", "PARENTS", ["ID NUMBER PRIMARY KEY"], [(1,)])
    db.create_table(
        "HR2", "ITEMS", ["P NUMBER", "CONSTRAINT ITEMS_P FOREIGN KEY (P) REFERENCES PARENTS"], [(1,)]
    )
    cur.execute('ALTER TABLE "HR2"."ITEMS" DISABLE CONSTRAINT ITEMS_P')
    log = _append(db, cur, "IMP_REFRESH", skip_errors=False, action="TRUNCATE")
    assert "ORA-39120" not in log
    assert db.rows("HR2", "PARENTS") == [(5,)]
    with pytest.raises(oracledb.DatabaseError, match=r"ORA-02298: cannot validate \(HR2.ITEMS_P\)"):
        cur.execute('ALTER TABLE "HR2"."ITEMS" ENABLE CONSTRAINT ITEMS_P')  # ITEMS still refers to 1
    cur.execute('ALTER TABLE "HR2"."ITEMS" ENABLE NOVALIDATE CONSTRAINT ITEMS_P')
    cur.execute("SELECT status, validated FROM dba_constraints WHERE constraint_name = 'ITEMS_P'")
    assert cur.fetchone() == ("ENABLED", "NOT VALIDATED")
