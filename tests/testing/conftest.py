"""Fixtures for the emulator's SQL-level tests: a database with HR, and a cursor as a DBA or HR."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle, emulated_oracle


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        active.database("FREEPDB1").load_sample_hr()
        yield active


@pytest.fixture
def dba(oracle: EmulatedOracle) -> Iterator[oracledb.Cursor]:
    """A cursor of SYSTEM, a DBA."""
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        yield conn.cursor()


@pytest.fixture
def hr(oracle: EmulatedOracle) -> Iterator[oracledb.Cursor]:
    """A cursor of HR, an ordinary schema owner (CREATE SESSION, CREATE TABLE, UNLIMITED TABLESPACE)."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        yield conn.cursor()
