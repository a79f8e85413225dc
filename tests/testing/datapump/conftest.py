"""Fixtures for the black-box DBMS_DATAPUMP conformance tests (helpers live in dp_helpers.py;
the ``oracle`` fixture, a database with HR, is tests/testing/conftest.py's).

The tests are derived from Oracle's documentation only; section numbers in their docstrings
are those of docs/oracle-sources.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import oracledb
import pytest
from dp_helpers import DIR, connect, export_schemas, outcome

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    return oracle.database("FREEPDB1")


@pytest.fixture
def conn(oracle: EmulatedOracle) -> Iterator[oracledb.Connection]:
    with connect(oracle) as connection:
        yield connection


@pytest.fixture
def cur(conn: oracledb.Connection) -> Iterator[oracledb.Cursor]:
    with conn.cursor() as cursor:
        yield cursor


@pytest.fixture
def hr_dump(db: DatabaseHandle, cur: oracledb.Cursor) -> str:
    """HR exported to hr.dmp in DATA_PUMP_DIR (job EXP_HR, log exp_hr.log)."""
    export_schemas(db, cur, "EXP_HR", "hr.dmp", "HR")
    assert outcome(db, "exp_hr.log")["outcome"] == "successfully completed"
    return "hr.dmp"


@pytest.fixture
def dump_dir(db: DatabaseHandle) -> Path:
    return db.directory_path(DIR)
