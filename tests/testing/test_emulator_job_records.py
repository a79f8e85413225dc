"""What the store keeps per job, and when: the cost of a call must not grow with rows or jobs.

A job's record holds its definition and progress, never its rows (they are staged beside it
and gone when it completes); a call reads and rewrites only the jobs that are due, so a job
that is between two item completions is left alone until someone asks about it.
"""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, DatabaseHandle, EmulatedOracle, emulated_oracle

START = """
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, :job);
  DBMS_DATAPUMP.ADD_FILE(h, :job || '.dmp', 'DATA_PUMP_DIR');
  DBMS_DATAPUMP.METADATA_FILTER(h, 'SCHEMA_LIST', '''APP''');
  DBMS_DATAPUMP.START_JOB(h);
  DBMS_DATAPUMP.DETACH(h);
END;"""


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        yield active


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.create_user("APP", "app")
    return handle


def _record(db: DatabaseHandle, job: str) -> str:
    with db._database.store.read() as conn:
        row = conn.execute("SELECT data FROM jobs WHERE name = ?", (job,)).fetchone()
    return str(row[0]) if row else ""


def _staged(db: DatabaseHandle) -> int:
    with db._database.store.read() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM job_rows").fetchone()[0])


def test_a_job_record_does_not_grow_with_the_rows_it_moves(
    oracle: EmulatedOracle, db: DatabaseHandle
) -> None:
    db.create_table("APP", "T", ["ID NUMBER", "NAME VARCHAR2(20)"], [(1, "one")])
    db.set_job_rate(1000)  # slow: both jobs stay EXECUTING
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        conn.cursor().execute(START, job="SMALL")
        rows = [(i, f"row {i}") for i in range(2, 3002)]
        conn.cursor().executemany("insert into app.t values (:1, :2)", rows)
        conn.commit()
        conn.cursor().execute(START, job="LARGE")
    small, large = _record(db, "SMALL"), _record(db, "LARGE")
    assert len(large) < len(small) + 200  # the size estimate's digits, not 3,000 rows
    assert _staged(db) > 0
    db.set_job_rate(100_000_000)
    db.advance(60)
    assert [j["name"] for j in db.jobs()] == []  # both completed and went
    assert _staged(db) == 0  # their staged rows with them


def test_a_call_leaves_jobs_that_are_not_due_alone(oracle: EmulatedOracle, db: DatabaseHandle) -> None:
    db.create_table("APP", "T", ["ID NUMBER"], [(1,)])
    db.set_job_rate(1)  # a byte a second: the first item takes hours
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        conn.cursor().execute(START, job="IDLE")
        before = _record(db, "IDLE")
        db.advance(30)
        conn.cursor().execute(START, job="OTHER")  # several DBMS_DATAPUMP calls
        assert _record(db, "IDLE") == before  # not re-saved: nothing about it changed
        assert db.jobs()[0]["state"] == "EXECUTING"
        db.set_job_rate(10_000_000)  # a new rate makes every job due again
        db.advance(1)
        assert db.jobs() == []
