"""Airflow's OracleHook.get_conn() reaches the emulator unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest
from driver_fake_engine import FakeEngine

from airflow_datapump.testing._driver import EmulatorPatch


def _hook_conn(monkeypatch: pytest.MonkeyPatch, **fields: Any) -> Any:
    from airflow.models import Connection
    from airflow.providers.oracle.hooks.oracle import OracleHook

    extra = fields.pop("extra", {})
    airflow_conn = Connection(
        conn_id="oracle_test",
        conn_type="oracle",
        login="scott",
        password="tiger",
        extra=json.dumps(extra),
        **fields,
    )
    monkeypatch.setattr(OracleHook, "get_connection", classmethod(lambda cls, _id: airflow_conn))
    return OracleHook(oracle_conn_id="oracle_test").get_conn()


@pytest.mark.parametrize(
    ("fields", "via_sid"),
    [
        ({"host": "dbhost", "port": 1521, "schema": "orclpdb1"}, False),
        ({"host": "dbhost", "extra": {"service_name": "ORCLPDB1"}}, False),
        ({"host": "dbhost", "port": 1521, "extra": {"sid": "orclpdb1"}}, True),
        ({"extra": {"dsn": "dbhost:1521/orclpdb1"}}, False),
        ({"host": "dbhost", "schema": "orclpdb1", "extra": {"thick_mode": True}}, False),
        (
            {
                "host": "dbhost",
                "extra": {
                    "service_name": "orclpdb1",
                    "mode": "sysdba",
                    "purity": "self",
                    "events": True,
                },
            },
            False,
        ),
    ],
)
def test_oracle_hook_get_conn(
    patch: EmulatorPatch,
    engine: FakeEngine,
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, Any],
    via_sid: bool,
) -> None:
    conn = _hook_conn(monkeypatch, **fields)
    request = engine.sessions[-1].request
    assert (request.service_name, request.user, request.password) == ("ORCLPDB1", "scott", "tiger")
    assert request.via_sid is via_sid
    thick = bool(fields.get("extra", {}).get("thick_mode"))
    assert conn.thin is not thick
    assert bool(patch.init_oracle_client_calls) is thick
    if fields.get("extra", {}).get("mode") == "sysdba":
        assert request.mode == 2
    conn.close()


def test_oracle_hook_sets_schema_when_service_is_explicit(
    patch: EmulatorPatch, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = _hook_conn(monkeypatch, host="dbhost", schema="HR", extra={"service_name": "orclpdb1"})
    assert conn.current_schema == "HR"
    conn.ping()
    assert engine.sessions[-1].updates[0].attributes["CURRENT_SCHEMA"] == "HR"
