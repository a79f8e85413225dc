"""REMAP_DATA end to end on the emulator: DBMS_DATAPUMP.DATA_REMAP calls the user's own PL/SQL
function on each row's column, when an export unloads it and when an import loads it."""

from __future__ import annotations

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.status import Outcome, Verdict
from airflow_datapump.exceptions import DatapumpError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.hooks.conftest import run_to_end

PACKAGE = (
    """CREATE OR REPLACE PACKAGE hr.mask_pkg AS
  FUNCTION mask(p_text IN VARCHAR2) RETURN VARCHAR2;
  FUNCTION bump(p_value IN NUMBER) RETURN NUMBER;
END mask_pkg;""",
    """CREATE OR REPLACE PACKAGE BODY hr.mask_pkg AS
  FUNCTION mask(p_text IN VARCHAR2) RETURN VARCHAR2 IS
  BEGIN
    RETURN SUBSTR(p_text, 1, 1) || RPAD('*', LENGTH(p_text) - 1, '*');
  END;
  FUNCTION bump(p_value IN NUMBER) RETURN NUMBER IS
  BEGIN
    RETURN p_value + 1000;
  END;
END mask_pkg;""",
)


@pytest.fixture
def db(wire_oracle: EmulatedOracle) -> DatabaseHandle:
    handle = wire_oracle.database("FREEPDB1")
    handle.set_job_rate(10_000)
    handle.create_table("HR", "CARDS", ["ID NUMBER", "HOLDER VARCHAR2(30)"], [(1, "Alice"), (2, "Bob")])
    for statement in PACKAGE:
        handle.execute(statement)
    return handle


def test_an_export_masks_a_column_and_the_import_loads_the_masked_rows(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    export = JobSpec.from_expdp(
        "TABLES=HR.CARDS DUMPFILE=cards.dmp REMAP_DATA=HR.CARDS.HOLDER:HR.MASK_PKG.MASK"
    )
    assert run_to_end(db, hook, export) is Verdict.SUCCEEDED
    assert db.rows("HR", "CARDS") == [(1, "Alice"), (2, "Bob")]  # the source is untouched
    db.create_user("HR2", "hr2")
    imported = JobSpec.from_impdp("TABLES=HR.CARDS DUMPFILE=cards.dmp REMAP_SCHEMA=HR:HR2")
    assert run_to_end(db, hook, imported) is Verdict.SUCCEEDED
    assert db.rows("HR2", "CARDS") == [(1, "A****"), (2, "B**")]


def test_an_import_remaps_a_column_as_it_loads(db: DatabaseHandle, hook: DatapumpHook) -> None:
    assert run_to_end(db, hook, JobSpec.from_expdp("TABLES=HR.CARDS DUMPFILE=plain.dmp")) is Verdict.SUCCEEDED
    db.execute("DROP TABLE hr.cards")
    imported = JobSpec.from_impdp(
        "DUMPFILE=plain.dmp TABLES=HR.CARDS REMAP_DATA=HR.CARDS.ID:HR.MASK_PKG.BUMP"
    )
    assert run_to_end(db, hook, imported) is Verdict.SUCCEEDED
    assert db.rows("HR", "CARDS") == [(1001, "Alice"), (1002, "Bob")]


def test_a_function_that_does_not_exist_fails_the_submission(db: DatabaseHandle, hook: DatapumpHook) -> None:
    export = JobSpec.from_expdp("TABLES=HR.CARDS DUMPFILE=c.dmp REMAP_DATA=HR.CARDS.HOLDER:HR.MASK_PKG.NOPE")
    with pytest.raises(DatapumpError) as caught:
        hook.submit(export)
    assert "ORA-39001" in str(caught.value)
    assert "ORA-39232" in str(caught.value)
    assert db.jobs() == []


def test_a_function_of_the_wrong_type_skips_the_table_data(db: DatabaseHandle, hook: DatapumpHook) -> None:
    export = JobSpec.from_expdp("TABLES=HR.CARDS DUMPFILE=c.dmp REMAP_DATA=HR.CARDS.HOLDER:HR.MASK_PKG.BUMP")
    ref = hook.submit(export)
    db.advance(3600)
    result = hook.wait(ref, poll_interval=0)
    log = hook.read_log(ref)
    assert 'ORA-31693: Table data object "HR"."CARDS" failed to load/unload' in log
    assert "ORA-39232: invalid remap function: HR.MASK_PKG.BUMP" in log
    assert result.status.outcome is not None
    assert result.status.outcome.outcome is Outcome.COMPLETED_WITH_ERRORS
