"""The async side connects exactly as OracleHook.get_conn would (issue: hook, item 1)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any
from unittest import mock

import oracledb
import pytest
from airflow.models import Connection
from airflow.providers.oracle.hooks.oracle import OracleHook

from airflow_datapump.hooks._connect import connect_params

SHAPES = [
    {"host": "db", "port": 1521, "schema": "FREEPDB1"},
    {"host": "db", "port": 1522, "extra": {"service_name": "ORCLPDB"}},
    {"host": "db", "extra": {"sid": "ORCL"}},
    {
        "host": "db",
        "extra": {"dsn": "(DESCRIPTION=(ADDRESS=(HOST=x)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=S)))"},
    },
    {"host": "db", "port": 1521, "schema": "APP", "extra": {"service_name": "SVC", "module": "etl"}},
    {"host": "db", "extra": {"service_name": "S", "mode": "sysdba", "purity": "new", "events": True}},
    {
        "host": "db",
        "extra": {
            "service_name": "S",
            "wallet_location": "/w",
            "wallet_password": "wp",
            "ssl_server_dn_match": True,
        },
    },
    {"host": "db", "extra": {"service_name": "S", "expire_time": 5, "cclass": "C", "pool_name": "P"}},
    {"host": "", "extra": {}},
]


class _Recorded:
    """What get_conn set on the connection it opened."""

    module: str | None = None
    current_schema: str | None = None


def _captured(connection: Connection) -> tuple[dict[str, Any], _Recorded]:
    seen: dict[str, Any] = {}
    recorded = _Recorded()

    def fake_connect(**kwargs: Any) -> _Recorded:
        seen.update(kwargs)
        return recorded

    with (
        mock.patch.object(oracledb, "connect", fake_connect),
        mock.patch.object(OracleHook, "get_connection", return_value=connection),
    ):
        OracleHook(oracle_conn_id="x").get_conn()
    return seen, recorded


@pytest.mark.parametrize("shape", SHAPES, ids=[str(i) for i in range(len(SHAPES))])
def test_async_parameters_equal_get_conns(shape: dict[str, Any]) -> None:
    connection = Connection(
        conn_id="x",
        conn_type="oracle",
        host=shape.get("host"),
        port=shape.get("port"),
        schema=shape.get("schema"),
        login="system",
        password="pw",
        extra=json.dumps(shape.get("extra", {})),
    )
    expected, recorded = _captured(connection)
    params = connect_params(connection)
    assert params.kwargs == expected
    assert (params.module, params.current_schema) == (recorded.module, recorded.current_schema)
    assert "pw" not in repr(params)


@pytest.mark.parametrize(("extra", "thick"), [({"thick_mode": True}, True), ({}, False)])
def test_the_async_lookup_says_whether_the_connection_wants_thick_mode(
    extra: dict[str, Any], thick: bool
) -> None:
    """The triggerer learns it from the one async lookup, not from a blocking one per poll."""
    connection = Connection(conn_id="c", conn_type="oracle", host="db", extra=json.dumps(extra))
    assert connect_params(connection).thick is thick


@pytest.mark.parametrize("value", ["0", "-2"])
def test_a_pool_ceiling_below_one_session_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from airflow_datapump.hooks._pool import pool_max_sessions

    monkeypatch.setenv("AIRFLOW__DATAPUMP__POOL_MAX_SESSIONS", value)
    with pytest.raises(
        ValueError, match=rf"\[datapump\] pool_max_sessions: {value} is not allowed; at least 1"
    ):
        pool_max_sessions()


class _LoopAwareConnection:
    """An SDK Connection that records on which thread its extra was read, and how."""

    def __init__(self, extra: dict[str, Any], *, has_async: bool) -> None:
        self.conn_id, self.host, self.port, self.schema = "c", "db", 1521, None
        self.login, self.password, self._extra = "system", "pw", extra
        self.reads: list[tuple[str, int]] = []
        if has_async:
            self.aextra_dejson = self._aextra

    @property
    def extra_dejson(self) -> dict[str, Any]:
        self.reads.append(("sync", threading.get_ident()))
        return dict(self._extra)

    async def _aextra(self) -> dict[str, Any]:
        self.reads.append(("async", threading.get_ident()))
        return dict(self._extra)


@pytest.mark.parametrize("has_async", [True, False])
def test_the_async_side_reads_the_extra_without_a_sync_call_on_the_event_loop(has_async: bool) -> None:
    """``extra_dejson`` masks its values with a synchronous request to the supervisor: never on the loop."""
    from airflow_datapump.hooks._pool import params_of

    connection = _LoopAwareConnection({"service_name": "S", "module": "etl"}, has_async=has_async)

    class Hook:
        def get_conn_id(self) -> str:
            return "c"

        async def aget_connection(self, conn_id: str) -> _LoopAwareConnection:
            return connection

    async def run() -> tuple[Any, int]:
        return await params_of(Hook()), threading.get_ident()

    params, loop_thread = asyncio.run(run())
    assert params.module == "etl"  # the extra was read ...
    assert params.kwargs["dsn"] == oracledb.makedsn("db", 1521, service_name="S")
    assert connection.reads  # ... once, and never with the sync property on the loop's thread
    assert ("sync", loop_thread) not in connection.reads
    assert [how for how, _ in connection.reads] == (["async"] if has_async else ["sync"])
