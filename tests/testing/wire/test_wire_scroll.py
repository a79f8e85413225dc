"""Scrollable cursors over the real driver: each scroll mode lands on the row it names.

The driver moves within its own buffer when it can and asks the server otherwise (an execute
naming a fetch orientation and row, cursor.pyx ``_create_scroll_message``); arraysize 2 and
prefetchrows 0 make every scroll below beyond the buffer, so the server has to answer it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle

QUERY = "select n from ten order by n"

# Thin mode learned to scroll with the asyncio cursor's scroll(); older drivers (2.x) refuse it
# in thin mode themselves (DPY-3001) and never ask the server.
pytestmark = pytest.mark.skipif(
    not hasattr(oracledb.AsyncCursor, "scroll"),
    reason=f"python-oracledb {oracledb.__version__} scrolls only in thick mode (DPY-3001)",
)


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=emulator.dsn()) as conn:
            cursor = conn.cursor()
            cursor.execute("create table ten (n number)")
            cursor.executemany("insert into ten values (:1)", [(n,) for n in range(1, 11)])
            conn.commit()
        yield emulator


@pytest.fixture
def conn(oracle: EmulatedOracle) -> Iterator[oracledb.Connection]:
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as connection:
        yield connection


def _scrollable(conn: oracledb.Connection) -> oracledb.Cursor:
    cursor = conn.cursor(scrollable=True)
    cursor.arraysize, cursor.prefetchrows = 2, 0
    cursor.execute(QUERY)
    return cursor


def test_last_and_first(conn: oracledb.Connection) -> None:
    cursor = _scrollable(conn)
    cursor.scroll(mode="last")
    assert (cursor.fetchone(), cursor.rowcount) == ((10,), 10)
    assert cursor.fetchone() is None
    cursor.scroll(mode="first")
    assert (cursor.fetchone(), cursor.rowcount) == ((1,), 1)
    assert cursor.fetchall() == [(n,) for n in range(2, 11)]  # fetching on after a scroll


def test_absolute_and_relative(conn: oracledb.Connection) -> None:
    cursor = _scrollable(conn)
    cursor.scroll(6, mode="absolute")
    assert (cursor.fetchone(), cursor.rowcount) == ((6,), 6)
    cursor.scroll(3)  # relative to the row last fetched, past the buffer
    assert (cursor.fetchone(), cursor.rowcount) == ((9,), 9)
    cursor.scroll(-7, mode="relative")
    assert (cursor.fetchmany(3), cursor.rowcount) == ([(2,), (3,), (4,)], 4)


def test_beyond_the_result_is_the_drivers_dpy_2063(conn: oracledb.Connection) -> None:
    cursor = _scrollable(conn)
    with pytest.raises(oracledb.DatabaseError, match="DPY-2063"):
        cursor.scroll(11, mode="absolute")
    with pytest.raises(oracledb.DatabaseError, match="DPY-2063"):
        cursor.scroll(15)
    cursor.scroll(mode="first")
    assert cursor.fetchone() == (1,)


def test_an_empty_result_scrolls_to_nothing(conn: oracledb.Connection) -> None:
    cursor = conn.cursor(scrollable=True)
    cursor.execute("select n from ten where n > 99")
    cursor.scroll(mode="last")
    assert cursor.fetchall() == []
    cursor.scroll(mode="first")
    assert cursor.fetchall() == []


def test_a_new_execute_starts_over_with_its_binds(conn: oracledb.Connection) -> None:
    cursor = conn.cursor(scrollable=True)
    cursor.arraysize = 2
    cursor.execute("select n from ten where n > :low order by n", low=4)
    cursor.fetchmany(3)
    cursor.execute(None, low=7)
    assert cursor.fetchall() == [(8,), (9,), (10,)]
    cursor.scroll(mode="last")
    assert cursor.fetchone() == (10,)


def test_scrolling_on_asyncio(oracle: EmulatedOracle) -> None:
    async def scroll() -> list[object]:
        conn = await oracledb.connect_async(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn())
        try:
            cursor = conn.cursor(scrollable=True)
            cursor.arraysize, cursor.prefetchrows = 2, 0
            await cursor.execute(QUERY)
            seen: list[object] = []
            for offset, mode in ((0, "last"), (0, "first"), (7, "absolute"), (-4, "relative")):
                await cursor.scroll(offset, mode=mode)
                seen.append(await cursor.fetchone())
            return seen
        finally:
            await conn.close()

    assert asyncio.run(scroll()) == [(10,), (1,), (7,), (3,)]
