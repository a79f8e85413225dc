"""The triggers' database: the emulator behind its Oracle Net server, reached as SYSTEM with a
recognisable password (a test that checks no secret leaks looks for it), HR loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from tests.emulator_access import admin_uri

PASSWORD = "trigger-secret"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    with emulated_oracle() as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", admin_uri(oracle, PASSWORD))
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        yield handle
