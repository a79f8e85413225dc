"""The triggers' database: the suite's emulator behind its Oracle Net server, with SYSTEM's
password changed to a recognisable one (a test that checks no secret leaks looks for it)."""

from __future__ import annotations

import pytest

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.emulator_access import admin_uri

PASSWORD = "trigger-secret"


@pytest.fixture
def db(wire_oracle: EmulatedOracle, monkeypatch: pytest.MonkeyPatch) -> DatabaseHandle:
    monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", admin_uri(wire_oracle, PASSWORD))
    return wire_oracle.database("FREEPDB1")
