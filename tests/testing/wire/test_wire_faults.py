"""The emulator's fault controls, felt by the real driver on the wire."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle
from tests.driver_features import NOTICES_A_DROPPED_CONNECTION


@pytest.fixture
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        yield emulator


def _connect(oracle: EmulatedOracle) -> oracledb.Connection:
    return oracledb.connect(user="system", password="oracle", dsn=oracle.dsn())


def test_latency_beyond_call_timeout_is_dpy_4024_and_the_work_stands(oracle: EmulatedOracle) -> None:
    conn = _connect(oracle)
    cursor = conn.cursor()
    cursor.execute("create table f (n number)")
    conn.call_timeout = 300
    oracle.database().add_latency(1.0)
    with pytest.raises(oracledb.DatabaseError) as raised:
        cursor.execute("insert into f values (1)")
    assert raised.value.args[0].full_code == "DPY-4024"
    oracle.database().clear_faults()
    conn.call_timeout = 0
    assert cursor.execute("select count(*) from f").fetchone() == (1,)
    conn.close()


def test_cancel_interrupts_a_running_call_with_ora_01013(oracle: EmulatedOracle) -> None:
    conn = _connect(oracle)
    oracle.database().add_latency(1.0)
    threading.Timer(0.2, conn.cancel).start()
    with pytest.raises(oracledb.DatabaseError) as raised:
        conn.cursor().execute("select 1 from dual")
    assert raised.value.args[0].code == 1013
    oracle.database().clear_faults()
    assert conn.cursor().execute("select 2 from dual").fetchone() == (2,)
    conn.close()


def test_lost_reply_does_the_work_then_drops_the_connection(oracle: EmulatedOracle) -> None:
    conn = _connect(oracle)
    conn.cursor().execute("create table f (n number)")
    oracle.database().lose_reply(call="execute")
    with pytest.raises(oracledb.DatabaseError) as raised:
        conn.cursor().execute("insert into f values (7)")
    assert raised.value.args[0].full_code == "DPY-4011"
    if NOTICES_A_DROPPED_CONNECTION:
        with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):
            conn.ping()
    else:  # the driver's own bug before 3.3, the same against Oracle
        with pytest.raises(AttributeError):
            conn.ping()
    other = _connect(oracle)
    assert other.cursor().execute("select count(*) from f").fetchone() == (0,)  # never committed
    other.close()


def test_killed_session_and_database_down(oracle: EmulatedOracle) -> None:
    conn = _connect(oracle)
    database = oracle.database()
    ((sid, _user),) = database.sessions()
    database.kill_session(sid)
    with pytest.raises(oracledb.DatabaseError) as raised:
        conn.ping()
    assert raised.value.args[0].full_code == "DPY-4011"  # the driver's word for ORA-00028
    database.go_down()
    with pytest.raises(oracledb.OperationalError, match="DPY-6005"):  # the listener refuses
        _connect(oracle)
    database.come_back()
    _connect(oracle).close()


def test_a_cancel_between_calls_is_answered_not_left_hanging(oracle: EmulatedOracle) -> None:
    import asyncio

    conn = _connect(oracle)
    conn.cancel()  # nothing is running: the break is answered on the next call
    with pytest.raises(oracledb.DatabaseError, match="ORA-01013"):
        conn.cursor().execute("select 1 from dual")
    assert conn.cursor().execute("select 2 from dual").fetchone() == (2,)
    conn.close()

    async def run() -> object:
        aconn = await oracledb.connect_async(user="system", password="oracle", dsn=oracle.dsn())
        aconn.cancel()
        with pytest.raises(oracledb.DatabaseError, match="ORA-01013"):
            await asyncio.wait_for(aconn.fetchone("select 3 from dual"), 10)
        value = await asyncio.wait_for(aconn.fetchone("select 4 from dual"), 10)
        await aconn.close()
        return value

    assert asyncio.run(run()) == (4,)
