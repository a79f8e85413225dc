"""Reaching the emulated database the way a deployment does: its server's real address, and
a real password (tests that check a secret never leaks choose a recognisable one).

``admin_oracle`` is the fixture ``oracle`` for modules that import it: an emulator whose SYSTEM password is in
the default Airflow connection, so hooks reach it exactly as a deployment's would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import EmulatedOracle, emulated_oracle

PASSWORD = "system-secret"


def admin_uri(oracle: EmulatedOracle, password: str, service: str = "FREEPDB1") -> str:
    """Give SYSTEM ``password`` on ``service`` and return an Airflow connection URI with it."""
    oracle.database(service).execute(f'ALTER USER system IDENTIFIED BY "{password}"')
    return oracle.connection_uri(service, "system", password)


@pytest.fixture(name="oracle")
def admin_oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", admin_uri(active, PASSWORD))
        yield active


def hook_without_retries() -> closing[DatapumpHook]:
    """A hook on the default connection that never retries: a test sees the first error."""
    return closing(DatapumpHook(retry=RetryPolicy(initial=0)))
