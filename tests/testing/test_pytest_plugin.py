"""The package registers an ``emulated_oracle`` fixture for any project's tests (like moto)."""

from __future__ import annotations

import oracledb

from airflow_datapump.testing import EmulatedOracle


def test_fixture_activates_a_fresh_emulator(emulated_oracle: EmulatedOracle) -> None:
    emulated_oracle.database("FREEPDB1").create_user("APP", "pw")
    with oracledb.connect(user="app", password="pw", dsn=emulated_oracle.dsn()) as conn:
        assert conn.cursor().execute("select user from dual").fetchone() == ("APP",)


def test_each_test_gets_its_own_state(emulated_oracle: EmulatedOracle) -> None:
    rows = emulated_oracle.database("FREEPDB1").execute(
        "select count(*) from dba_users where username = 'APP'"
    )
    assert rows == [(0,)]
