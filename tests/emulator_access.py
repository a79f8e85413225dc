"""Reaching the emulated database the way a deployment does: its server's real address, and
a real password (tests that check a secret never leaks choose a recognisable one)."""

from __future__ import annotations

from airflow_datapump.testing import EmulatedOracle


def admin_uri(oracle: EmulatedOracle, password: str, service: str = "FREEPDB1") -> str:
    """Give SYSTEM ``password`` on ``service`` and return an Airflow connection URI with it."""
    oracle.database(service).execute(f'ALTER USER system IDENTIFIED BY "{password}"')
    return oracle.connection_uri(service, "system", password)
