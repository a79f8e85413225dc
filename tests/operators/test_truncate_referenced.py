"""TABLE_EXISTS_ACTION=TRUNCATE into tables that foreign keys refer to: the import's failure
says what happened to the rows and what to change, not only which codes it saw."""

from __future__ import annotations

import pytest

from airflow_datapump.exceptions import JobFailedError
from airflow_datapump.operators import ImportOperator
from airflow_datapump.testing import DatabaseHandle
from tests.operators.test_datapump_operators import context, export

SCHEMA = [
    "CREATE USER app IDENTIFIED BY app_pw QUOTA UNLIMITED ON users",
    "GRANT CREATE SESSION, CREATE TABLE TO app",
    "CREATE TABLE app.parent (id NUMBER CONSTRAINT parent_pk PRIMARY KEY,"
    " name VARCHAR2(20) CONSTRAINT parent_name_ck CHECK (name IS NOT NULL))",
    "CREATE TABLE app.child (id NUMBER CONSTRAINT child_pk PRIMARY KEY,"
    " parent_id NUMBER CONSTRAINT child_parent_fk REFERENCES app.parent (id))",
    "INSERT INTO app.parent VALUES (1, 'one')",
    "INSERT INTO app.parent VALUES (2, 'two')",
    "INSERT INTO app.child VALUES (10, 1)",
    "INSERT INTO app.child VALUES (20, 2)",
]


def refresh(dump_files: list[str], action: str) -> ImportOperator:
    return ImportOperator(
        task_id="import_app",
        dump_files=dump_files,
        schemas=["APP"],
        remap_schemas={"APP": "APP_TEST"},
        parameters={"TABLE_EXISTS_ACTION": action},
        allowed_errors=["ORA-31684"],
        deferrable=False,
        poll_interval=0.001,
    )


def test_truncate_into_referenced_tables_fails_saying_what_to_do(db: DatabaseHandle) -> None:
    db.set_clock("wall")
    for statement in SCHEMA:
        db.execute(statement)
    files = export(task_id="export_app", schemas=["APP"], dump_files=["app_%U.dmp"]).execute(context())[
        "dump_files"
    ]
    refresh(files, "REPLACE").execute(context("first_night"))  # APP_TEST now exists, with its keys
    with pytest.raises(JobFailedError) as failed:
        refresh(files, "TRUNCATE").execute(context("second_night"))
    message = str(failed.value)
    assert "ORA-39120" in message
    assert '"APP_TEST"."PARENT"' in message  # which table kept its old rows
    assert "TABLE_EXISTS_ACTION=REPLACE" in message  # what to change
    assert "disable" in message


def test_the_advice_names_a_few_tables_not_hundreds() -> None:
    from airflow_datapump.core.submission import JobRef
    from airflow_datapump.operators._report import check_outcome

    lines = [
        f'ORA-39120: Table "APP_TEST"."T{n}" can\'t be truncated, data will be skipped.' for n in range(40)
    ]
    event = {"status": "success", "error_count": 40, "error_lines": lines}
    with pytest.raises(JobFailedError) as failed:
        check_outcome(JobRef("IMP", "SYSTEM", "IMPORT", "SCHEMA"), event, ())
    message = str(failed.value)
    assert '"APP_TEST"."T4" and 35 more)' in message
    assert '"APP_TEST"."T5"' not in message
