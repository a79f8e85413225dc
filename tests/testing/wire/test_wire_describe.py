"""Describe information the real driver reads: column nullability, through ``null_ok``."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle


@pytest.fixture(scope="module")
def conn() -> Iterator[oracledb.Connection]:
    with EmulatedOracle() as oracle:
        connection = oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn())
        with connection.cursor() as cursor:
            cursor.execute(
                "create table parts (id number primary key, name varchar2(20) not null, note varchar2(20))"
            )
            cursor.execute(
                "create table bins (code varchar2(5), place varchar2(9) not null, primary key (code))"
            )
            cursor.execute("insert into parts values (1, 'bolt', null)")
            cursor.execute("insert into bins values ('A1', 'left')")
        yield connection
        connection.close()


def _null_ok(conn: oracledb.Connection, sql: str) -> list[tuple[str, bool]]:
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return [(d.name, d.null_ok) for d in cursor.description]


def test_not_null_and_primary_key_columns_are_described_not_nullable(conn: oracledb.Connection) -> None:
    assert _null_ok(conn, "select * from parts") == [("ID", False), ("NAME", False), ("NOTE", True)]
    assert _null_ok(conn, "select code, place from bins") == [("CODE", False), ("PLACE", False)]
    assert _null_ok(conn, "select p.name n, p.note from parts p") == [("N", False), ("NOTE", True)]


def test_expressions_and_outer_joined_columns_are_nullable(conn: oracledb.Connection) -> None:
    assert _null_ok(conn, "select id + 1 plus, upper(name) up, 'x' lit from parts") == [
        ("PLUS", True),
        ("UP", True),
        ("LIT", True),
    ]
    outer = "select p.id, b.code from parts p left join bins b on b.code = p.name"
    assert _null_ok(conn, outer) == [("ID", False), ("CODE", True)]
    assert _null_ok(conn, "select id from (select id from parts)") == [("ID", False)]
    assert _null_ok(conn, "select dummy from dual") == [("DUMMY", True)]


def test_an_out_of_line_primary_key_makes_its_columns_not_null(conn: oracledb.Connection) -> None:
    with conn.cursor() as cursor:
        with pytest.raises(oracledb.DatabaseError, match="ORA-01400"):
            cursor.execute("insert into bins values (null, 'right')")
        cursor.execute("select nullable from user_tab_columns where table_name = 'BINS' order by column_id")
        assert cursor.fetchall() == [("N",), ("N",)]


def test_a_sql_bind_named_twice_is_two_placeholders(conn: oracledb.Connection) -> None:
    """SQL binds by position: the driver repeats a value bound by name, and positional values
    reach each occurrence in turn."""
    with conn.cursor() as cursor:
        assert cursor.execute("select :a, :a from dual", {"a": 7}).fetchone() == (7, 7)
    with conn.cursor() as cursor:  # a new cursor: the driver keeps one kind of binds per cursor
        assert cursor.execute("select :a, :a from dual", [1, 2]).fetchone() == (1, 2)
        found = cursor.execute("select id from parts where name = :w or note = :w", w="bolt").fetchall()
        assert found == [(1,)]


def test_a_plsql_bind_named_twice_is_one_placeholder(conn: oracledb.Connection) -> None:
    with conn.cursor() as cursor:
        total = cursor.var(int)
        cursor.execute("begin :t := :x + :x; :t := :t * 10; end;", t=total, x=2)
        assert total.getvalue() == 40
    with conn.cursor() as cursor:
        total = cursor.var(int)
        cursor.execute("begin :t := :x * 3; :t := :t + :x; end;", [total, 5])
        assert total.getvalue() == 20


def test_dynamic_sql_binds_each_occurrence_by_position(conn: oracledb.Connection) -> None:
    with conn.cursor() as cursor:
        out = cursor.var(str)
        cursor.execute(
            "begin execute immediate 'select :a || :a from dual' into :o using 'x', 'y'; end;", o=out
        )
        assert out.getvalue() == "xy"
        with pytest.raises(oracledb.DatabaseError, match="ORA-01008"):
            cursor.execute(
                "begin execute immediate 'select :a || :a from dual' into :o using 'x'; end;", o=out
            )
