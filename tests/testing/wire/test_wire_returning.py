"""DML RETURNING INTO over the real driver: the driver sends no values for the returning
binds and reads, per execution, an array of every touched row's value per bind."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle


@pytest.fixture
def conn() -> Iterator[oracledb.Connection]:
    with (
        EmulatedOracle() as oracle,
        oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as connection,
    ):
        connection.cursor().execute("create table items (id number, name varchar2(20))")
        yield connection


def test_an_insert_returns_into_binds(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    new_id, shout = cursor.var(int), cursor.var(str)
    cursor.execute(
        "insert into items values (:i, :n) returning id * 10, upper(name) into :o, :s",
        i=4, n="bolt", o=new_id, s=shout,
    )  # fmt: skip
    assert (new_id.getvalue(), shout.getvalue(), cursor.rowcount) == ([40], ["BOLT"], 1)
    cursor.execute(None, i=5, n="nut", o=new_id, s=shout)  # the same statement again
    assert (new_id.getvalue(), shout.getvalue()) == ([50], ["NUT"])


def test_an_update_returns_every_row_it_touched_and_a_delete_its_last_values(
    conn: oracledb.Connection,
) -> None:
    cursor = conn.cursor()
    cursor.executemany("insert into items values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    ids = cursor.var(int)
    cursor.execute("update items set id = id + 100 where id < :top returning id into :ids", top=3, ids=ids)
    assert sorted(ids.getvalue()) == [101, 102]
    names = cursor.var(str)
    cursor.execute("delete from items where id = 3 returning name into :n", n=names)
    assert names.getvalue() == ["c"]
    cursor.execute("delete from items where id = 3 returning name into :n", n=names)
    assert names.getvalue() == []


def test_only_returning_binds_and_executemany(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    count = cursor.var(int)
    cursor.execute("insert into items values (7, 'seven') returning id into :o", o=count)
    assert count.getvalue() == [7]
    out = cursor.var(int, arraysize=3)
    cursor.setinputsizes(None, None, out)
    cursor.executemany(
        "insert into items values (:1, :2) returning id + 1 into :3", [(1, "x"), (2, "y"), (3, "z")]
    )
    assert [out.getvalue(i) for i in range(3)] == [[2], [3], [4]]


def test_returning_on_asyncio(conn: oracledb.Connection) -> None:
    dsn = conn.dsn

    async def insert() -> list[object]:
        aconn = await oracledb.connect_async(user="system", password=ADMIN_PASSWORD, dsn=dsn)
        try:
            cursor = aconn.cursor()
            out = cursor.var(str)
            await cursor.execute("insert into items values (9, 'nine') returning name into :o", o=out)
            value: list[object] = out.getvalue()
            return value
        finally:
            await aconn.close()

    assert asyncio.run(insert()) == ["nine"]
