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
def bare_oracle() -> Iterator[EmulatedOracle]:
    """An emulator without the sample schema (quicker to start) and APP, an ordinary schema
    owner (password app), for tests that make their own tables."""
    with emulated_oracle() as active:
        active.database("FREEPDB1").create_user("APP", "app")
        yield active


@pytest.fixture
def app(bare_oracle: EmulatedOracle) -> Iterator[oracledb.Cursor]:
    """A cursor of APP in ``bare_oracle``."""
    with oracledb.connect(user="app", password="app", dsn=bare_oracle.dsn()) as conn:
        yield conn.cursor()


@pytest.fixture
def parent_child(app: oracledb.Cursor) -> oracledb.Cursor:
    """APP's PARENT (1 'a', 2 'b'; key PARENT_PK) and CHILD (10 -> 1 with qty 5; no key,
    CHILD_FK to PARENT, CHILD_QTY a check qty > 0), committed: the constraint tests' tables.
    Hands back ``app``."""
    app.execute("CREATE TABLE parent (id NUMBER CONSTRAINT parent_pk PRIMARY KEY, code VARCHAR2(5))")
    app.execute(
        "CREATE TABLE child (id NUMBER, p NUMBER CONSTRAINT child_fk REFERENCES parent (id), "
        "qty NUMBER CONSTRAINT child_qty CHECK (qty > 0))"
    )
    app.executemany("INSERT INTO parent VALUES (:1, :2)", [(1, "a"), (2, "b")])
    app.execute("INSERT INTO child VALUES (10, 1, 5)")
    app.connection.commit()
    return app


@pytest.fixture
def hr(oracle: EmulatedOracle) -> Iterator[oracledb.Cursor]:
    """A cursor of HR, an ordinary schema owner (CREATE SESSION, CREATE TABLE, UNLIMITED TABLESPACE)."""
    with oracledb.connect(user="hr", password="hr", dsn=oracle.dsn()) as conn:
        yield conn.cursor()
