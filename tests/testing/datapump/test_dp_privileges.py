"""Privileges: unprivileged users, other schemas, other users' jobs (§2.3, §6.2)."""

from __future__ import annotations

import oracledb
import pytest
from dp_helpers import (
    DIR,
    add_dump,
    add_log,
    attach,
    connect,
    detach,
    error_lines,
    exported_tables,
    finish,
    message,
    open_job,
    ora,
    outcome,
    schema_list,
    start,
)

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle


@pytest.fixture
def scott(oracle: EmulatedOracle, db: DatabaseHandle) -> oracledb.Cursor:
    """SCOTT: CREATE SESSION, CREATE TABLE, quota, READ/WRITE on DATA_PUMP_DIR, no DATAPUMP role."""
    db.create_user("SCOTT", "tiger")
    db.execute(f'GRANT READ, WRITE ON DIRECTORY "{DIR}" TO "SCOTT"')
    db.create_table("SCOTT", "BONUS", ["ENAME VARCHAR2(10)", "SAL NUMBER"], [("KING", 100)])
    with connect(oracle, "scott", "tiger") as conn:
        yield conn.cursor()


def _filter_and_start(cur: oracledb.Cursor, h: int) -> None:
    schema_list(cur, h, "HR")
    start(cur, h)


def test_unprivileged_user_cannot_export_another_schema(scott: oracledb.Cursor) -> None:
    """§6.2 / §2.19: working on other schemas needs the DATAPUMP_* roles: PRIVILEGE_ERROR
    (ORA-31631) [U: whether at METADATA_FILTER or START_JOB, raised directly or as a detail]."""
    h = open_job(scott, "EXPORT", "SCHEMA", "SCOTT_TAKES_HR")
    add_dump(scott, h, "scott_hr.dmp")
    with pytest.raises(oracledb.DatabaseError) as caught:
        _filter_and_start(scott, h)
    assert ora(caught) == 31631 or "ORA-31631" in message(caught) + error_lines(scott, h)


def test_unprivileged_user_can_export_its_own_schema(db: DatabaseHandle, scott: oracledb.Cursor) -> None:
    """§6.2: the base grants suffice for one's own schema."""
    h = open_job(scott, "EXPORT", "SCHEMA", "SCOTT_OWN")
    add_dump(scott, h, "scott.dmp")
    add_log(scott, h, "scott.log")
    start(scott, h)
    detach(scott, h)
    finish(db)
    assert outcome(db, "scott.log")["outcome"] == "successfully completed"
    assert exported_tables(db, "scott.log") == {"SCOTT.BONUS"}


def test_unprivileged_user_cannot_attach_to_another_users_job(
    db: DatabaseHandle, cur: oracledb.Cursor, scott: oracledb.Cursor
) -> None:
    """§2.3 / §6.2: attaching to another user's job needs DATAPUMP_EXP/IMP_FULL_DATABASE:
    PRIVILEGE_ERROR (ORA-31631)."""
    db.set_job_rate(16)
    h = open_job(cur, "EXPORT", "SCHEMA", "SYSTEMS_JOB")
    add_dump(cur, h, "systems.dmp")
    schema_list(cur, h, "HR")
    start(cur, h)
    detach(cur, h)
    with pytest.raises(oracledb.DatabaseError) as caught:
        attach(scott, "SYSTEMS_JOB", owner="SYSTEM")
    assert ora(caught) == 31631
