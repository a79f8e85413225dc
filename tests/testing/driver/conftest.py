"""Fixtures for the driver tests: a fake engine and the patch that routes oracledb to it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

# Airflow reads these at import time; the OracleHook test imports it lazily, after this runs.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="datapump-driver-tests-"))
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

import oracledb
import pytest
from driver_fake_engine import FakeEngine

from airflow_datapump.testing._driver import Connection, EmulatorPatch


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def patch(engine: FakeEngine) -> Iterator[EmulatorPatch]:
    emulator = EmulatorPatch(engine)
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def conn(patch: EmulatorPatch) -> Iterator[Connection]:
    connection = oracledb.connect(user="scott", password="tiger", dsn="dbhost:1521/orclpdb1")
    assert isinstance(connection, Connection)
    yield connection
    if connection.is_healthy():
        connection.close()
