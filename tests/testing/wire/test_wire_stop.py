"""Stopping the emulator while connections are open ends them all, boundedly, before the
databases' stores close (a full-suite run once hung in a teardown racing the two)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle
from airflow_datapump.testing._net import server as wire_server

# Stop waits CALL_WAIT for a call in progress, then proceeds: what it does besides is allowed
# this much more, enough for a busy machine, far less than a call it must not wait for.
STOP_BEYOND_THE_WAIT = 6.0


def _wire_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("oracle-wire")]


def test_stop_ends_idle_and_busy_connections_then_closes_the_stores(
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = set(_wire_threads())
    oracle = EmulatedOracle().start()
    dsn = oracle.dsn("FREEPDB1")
    idle = [oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=dsn) for _ in range(3)]
    busy = oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=dsn)
    oracle.database("FREEPDB1").add_latency(1.5)
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(busy.cursor().execute("select 1 from dual").fetchone())
        except oracledb.Error as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.4)  # the call is now sleeping in the engine
    server = oracle.server
    assert server is not None
    assert len(server.threads()) == 5  # the listener and four connections

    caplog.set_level(logging.DEBUG, logger="airflow_datapump.testing._net.server")
    started = time.monotonic()
    oracle.stop()
    took = time.monotonic() - started

    assert took < wire_server.CALL_WAIT + STOP_BEYOND_THE_WAIT
    assert server.threads() == []
    assert set(_wire_threads()) <= before  # the calls' workers ended too
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    caller.join(timeout=10)
    assert not caller.is_alive()
    assert len(outcome) == 1  # the driver got a reply or an error, not a hang
    for conn in (*idle, busy):
        with contextlib.suppress(oracledb.Error):
            conn.close()


def test_a_call_that_outlives_the_wait_does_not_hold_stop() -> None:
    oracle = EmulatedOracle().start()
    busy = oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn("FREEPDB1"))
    oracle.database("FREEPDB1").add_latency(wire_server.CALL_WAIT + STOP_BEYOND_THE_WAIT + 2.0)

    def call() -> None:
        with contextlib.suppress(oracledb.Error):
            busy.cursor().execute("select 1 from dual")

    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    time.sleep(0.4)
    server = oracle.server
    assert server is not None
    started = time.monotonic()
    oracle.stop()
    assert time.monotonic() - started < wire_server.CALL_WAIT + STOP_BEYOND_THE_WAIT
    assert server.threads() == []  # the connection's thread ended; only its call's worker waits
    caller.join(timeout=30)
    assert not caller.is_alive()
