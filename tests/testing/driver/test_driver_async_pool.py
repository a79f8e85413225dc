"""Async classes, pools and DbObject, all over the same fake engine."""

from __future__ import annotations

import threading
from decimal import Decimal

import oracledb
import pytest
from driver_fake_engine import FakeEngine, number_rows

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._driver import (
    AsyncConnection,
    Connection,
    EmulatorPatch,
    StatementResult,
)


@pytest.mark.asyncio
async def test_async_connection_and_cursor(patch: EmulatorPatch, engine: FakeEngine) -> None:
    engine.on("select n, name from t", number_rows(3))
    async with oracledb.connect_async(user="scott", password="tiger", dsn="h/orclpdb1") as conn:
        assert isinstance(conn, AsyncConnection)
        cursor = conn.cursor()
        await cursor.execute("select n, name from t")
        assert await cursor.fetchone() == (0.5, "row0")
        assert [row async for row in cursor] == [(1, "row1"), (2, "row2")]
        assert await conn.fetchall("select n, name from t") == [
            (0.5, "row0"),
            (1, "row1"),
            (2, "row2"),
        ]
        await conn.commit()
        await conn.ping()
        status = await conn.gettype("SYS.KU$_STATUS")
        assert status.name == "KU$_STATUS"
    assert engine.count("close") == 1
    assert threading.current_thread().name not in engine.threads


@pytest.mark.asyncio
async def test_async_callfunc_and_errors(patch: EmulatorPatch, engine: FakeEngine) -> None:
    def func(binds: list[v.Bind]) -> StatementResult:  # type: ignore[type-arg]
        binds[0].value = Decimal(7)
        return StatementResult(is_plsql=True)

    engine.on("begin :retval := f(); end;", func)  # type: ignore[arg-type]
    conn = await oracledb.connect_async(user="scott", password="tiger", dsn="h/orclpdb1")
    assert await conn.cursor().callfunc("f", int) == 7
    with pytest.raises(oracledb.DatabaseError, match="ORA-31626"):
        await conn.cursor().execute("raise ORA 31626 job does not exist")
    await conn.close()
    with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):
        await conn.ping()


def test_pool_reuses_sessions(patch: EmulatorPatch, engine: FakeEngine) -> None:
    pool = oracledb.create_pool(user="scott", password="tiger", dsn="h/orclpdb1", min=1, max=2)
    assert engine.count("connect") == 1
    assert pool.opened == 1
    for _ in range(5):
        with pool.acquire() as conn:
            assert pool.busy == 1
            conn.ping()
    assert engine.count("connect") == 1
    assert pool.busy == 0
    first, second = pool.acquire(), pool.acquire()
    assert engine.count("connect") == 2
    assert pool.opened == 2
    pool.release(first)
    with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):
        first.ping()
    with pytest.raises(oracledb.InterfaceError, match="DPY-1005"):
        pool.close()
    pool.drop(second)
    assert pool.opened == 1
    pool.close()
    assert engine.count("close") == 2
    with pytest.raises(oracledb.InterfaceError, match="DPY-1002"):
        pool.acquire()


def test_pool_nowait_and_alias(patch: EmulatorPatch) -> None:
    pool = oracledb.create_pool(
        user="scott",
        password="tiger",
        dsn="h/orclpdb1",
        min=0,
        max=1,
        getmode=oracledb.POOL_GETMODE_NOWAIT,
        pool_alias="main",
    )
    assert oracledb.get_pool("main") is pool
    conn = oracledb.connect(pool_alias="main")
    with pytest.raises(oracledb.DatabaseError, match="DPY-4005"):
        pool.acquire()
    conn.close()
    pool.acquire().close()


@pytest.mark.asyncio
async def test_async_pool_reuses_sessions(patch: EmulatorPatch, engine: FakeEngine) -> None:
    pool = oracledb.create_pool_async(user="scott", password="tiger", dsn="h/orclpdb1", max=1)
    for _ in range(3):
        async with pool.acquire() as conn:
            await conn.ping()
    assert engine.count("connect") == 1
    held = await pool.acquire()
    assert pool.busy == 1
    await pool.release(held)
    await pool.close()


def test_dbobject_collections(conn: Connection) -> None:
    status_type = conn.gettype("SYS.KU$_STATUS")
    assert [a.name for a in status_type.attributes] == ["JOB_NAME", "PERCENT_DONE"]
    assert status_type.attributes[1].type is oracledb.DB_TYPE_NUMBER
    status = status_type.newobject()
    status.JOB_NAME = "EXP"
    assert status.JOB_NAME == "EXP"
    assert status.PERCENT_DONE is None
    assert status.type == status_type
    assert not status_type.iscollection

    list_type = conn.gettype("SYS.KU$_STATUS_LIST")
    assert list_type.iscollection
    assert list_type.element_type == status_type
    numbers = conn.gettype("num_list")([1, 2, 3])
    assert numbers.aslist() == [1, 2, 3]
    assert numbers.size() == 3
    assert (numbers.first(), numbers.last(), numbers.next(0), numbers.prev(0)) == (0, 2, 1, None)
    numbers.delete(1)
    assert numbers.asdict() == {0: 1, 2: 3}
    assert not numbers.exists(1)
    numbers.append(4)
    numbers.setelement(0, 9)
    assert numbers.getelement(0) == 9
    assert list(numbers) == [9, 3, 4]
    numbers.trim(2)
    assert numbers.aslist() == [9]
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2038"):
        numbers.getelement(5)
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2036"):
        status.append(1)
    with pytest.raises(oracledb.DatabaseError, match="ORA-04043"):
        conn.gettype("NO_SUCH_TYPE")
