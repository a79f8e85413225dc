"""The server answers with data or an Oracle error where Oracle would; it never just drops
the connection (which the driver can only report as DPY-4011, a crash to whoever reads it)."""

from __future__ import annotations

import asyncio
import hashlib

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle
from airflow_datapump.testing._backend import type_dictionary


@pytest.fixture
def conn(dba: oracledb.Cursor) -> oracledb.Connection:
    """SYSTEM's connection to a database of its own (the emulator tests' ``dba`` fixture)."""
    connection: oracledb.Connection = dba.connection
    return connection


def _still_serves(conn: oracledb.Connection) -> None:
    assert conn.cursor().execute("select 1 from dual").fetchone() == (1,)


# -- objects in a SELECT list ----------------------------------------------------------------


def test_an_object_column_is_fetched_as_the_drivers_db_object(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("select sys.ku$_logline1010(1, null, 'first') line, 5 n from dual")
    assert [d[1] for d in cursor.description] == [oracledb.DB_TYPE_OBJECT, oracledb.DB_TYPE_NUMBER]
    line, number = cursor.fetchone()
    assert type(line) is oracledb.DbObject
    assert (line.type.schema, line.type.name) == ("SYS", "KU$_LOGLINE1010")
    assert (line.LOGLINENUMBER, line.ERRORNUMBER, line.LOGTEXT, number) == (1, None, "first", 5)
    _still_serves(conn)


def test_a_collection_column_holds_its_objects(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute(
        "select sys.ku$_logentry1010(sys.ku$_logline1010(1, null, 'a'), "
        "sys.ku$_logline1010(2, 39001, 'b')) from dual"
    )
    (entry,) = cursor.fetchone()
    assert entry.type.iscollection
    assert entry.type.name == "KU$_LOGENTRY1010"
    assert [(e.LOGLINENUMBER, e.ERRORNUMBER, e.LOGTEXT) for e in entry.aslist()] == [
        (1, None, "a"),
        (2, 39001, "b"),
    ]


def test_a_null_object_column_is_none(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("select case when 1 = 0 then sys.ku$_logline1010(1, null, 'x') end from dual")
    assert cursor.fetchone() == (None,)


def test_objects_fetch_in_batches_and_through_a_ref_cursor(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.arraysize = 2
    cursor.execute(
        "select sys.ku$_logline1010(user_id, null, username) from all_users "
        "where username like 'SYS%' order by username"
    )
    assert [row[0].LOGTEXT for row in cursor.fetchall()] == ["SYS", "SYSTEM"]
    out = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute("begin open :c for select sys.ku$_logline1010(7, null, 'rc') from dual; end;", c=out)
    (line,) = out.getvalue().fetchone()
    assert type(line) is oracledb.DbObject


def test_an_object_column_fetches_on_asyncio_too(oracle: EmulatedOracle) -> None:
    async def fetch() -> tuple[str, int]:
        conn = await oracledb.connect_async(user="system", password="oracle", dsn=oracle.dsn("FREEPDB1"))
        try:
            cursor = conn.cursor()
            await cursor.execute("select sys.ku$_logline1010(3, 39002, 'async') from dual")
            (line,) = await cursor.fetchone()
            return line.LOGTEXT, line.ERRORNUMBER
        finally:
            await conn.close()

    assert asyncio.run(fetch()) == ("async", 39002)


# -- REF CURSORs bound IN --------------------------------------------------------------------


def test_a_cursor_handed_out_comes_back_in_with_its_remaining_rows(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    first = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute(
        "begin open :c for select username from all_users where username like 'SYS%' "
        "or username = 'OUTLN' order by username; end;",
        c=first,
    )
    opened = first.getvalue()
    opened.arraysize = 1
    assert opened.fetchone() == ("OUTLN",)
    again = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute("begin :o := :i; end;", o=again, i=opened)
    assert again.getvalue().fetchall() == [("SYS",), ("SYSTEM",)]


def test_a_cursor_comes_back_in_on_asyncio_too(oracle: EmulatedOracle) -> None:
    async def round_trip() -> list[tuple[str]]:
        conn = await oracledb.connect_async(user="system", password="oracle", dsn=oracle.dsn("FREEPDB1"))
        try:
            cursor = conn.cursor()
            first = cursor.var(oracledb.DB_TYPE_CURSOR)
            await cursor.execute(
                "begin open :c for select username from all_users where username like 'SYS%' "
                "order by username; end;",
                c=first,
            )
            opened = first.getvalue()
            opened.arraysize = 1
            await opened.fetchone()
            again = cursor.var(oracledb.DB_TYPE_CURSOR)
            await cursor.execute("begin :o := :i; end;", o=again, i=opened)
            rows: list[tuple[str]] = await again.getvalue().fetchall()
            return rows
        finally:
            await conn.close()

    assert asyncio.run(round_trip()) == [("SYSTEM",)]


def test_a_cursor_bound_in_reaches_a_sys_refcursor_parameter(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    handed = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute("begin open :c for select 1 from dual; end;", c=handed)
    given = cursor.var(int)
    cursor.execute(
        """
        declare
            procedure take(c in sys_refcursor, given out number) is
            begin
                given := case when c is null then 0 else 1 end;
            end;
        begin
            take(:c, :given);
        end;""",
        c=handed.getvalue(),
        given=given,
    )
    assert given.getvalue() == 1


def test_a_cursor_that_is_no_query_bound_in_is_ora_01001(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    plsql = conn.cursor()
    plsql.execute("begin null; end;")
    with pytest.raises(oracledb.DatabaseError) as raised:
        cursor.execute("begin :o := :i; end;", o=cursor.var(oracledb.DB_TYPE_CURSOR), i=plsql)
    assert raised.value.args[0].full_code == "ORA-01001"
    _still_serves(conn)


# -- object binds of a type the database no longer has ---------------------------------------


def test_an_object_bound_with_a_type_oid_the_database_lacks_is_ora_21700(
    conn: oracledb.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    line_type = conn.gettype("SYS.KU$_LOGLINE1010")
    line = line_type.newobject()
    line.LOGTEXT = "kept"
    # Recreating a type gives it a new OID; the client still holds the old description.
    monkeypatch.setattr(
        type_dictionary,
        "type_oid",
        lambda owner, package, name: hashlib.sha256(f"{owner}.{package}.{name}".encode()).digest()[:16],
    )
    cursor = conn.cursor()
    with pytest.raises(oracledb.DatabaseError) as raised:
        cursor.execute("declare l sys.ku$_logline1010 := :l; begin null; end;", l=line)
    assert raised.value.args[0].full_code == "ORA-21700"
    monkeypatch.undo()
    _still_serves(conn)
