"""Cursor binds, Vars, callproc/callfunc, fetch batches and conversions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import oracledb
import pytest
from driver_fake_engine import STATUS_TYPE, FakeEngine, number_rows

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._driver import LOB, Connection, StatementResult

Binds = dict[str, v.Bind] | list[v.Bind]


def _echo(binds: Binds) -> StatementResult:
    """A PL/SQL block doubling every NUMBER bind and upper-casing every string, in place."""
    for bind in binds.values() if isinstance(binds, dict) else binds:
        if isinstance(bind.value, Decimal):
            bind.value, bind.assigned = bind.value * 2, True
        elif isinstance(bind.value, str):
            bind.value, bind.assigned = bind.value.upper(), True
    return StatementResult(is_plsql=True)


def _last_binds(engine: FakeEngine) -> Binds:
    _statement, binds, _ = engine.calls[-1][1]  # type: ignore[misc]
    return binds  # type: ignore[no-any-return]


@pytest.mark.parametrize("style", ["dict", "kwargs", "list"])
def test_bind_styles(conn: Connection, engine: FakeEngine, style: str) -> None:
    engine.on("begin p(:a, :b); end;", _echo)
    cursor = conn.cursor()
    if style == "dict":
        cursor.execute("begin p(:a, :b); end;", {"a": 1, "b": ""})
    elif style == "kwargs":
        cursor.execute("begin p(:a, :b); end;", a=1, b="")
    else:
        cursor.execute("begin p(:a, :b); end;", [1, ""])
    binds = _last_binds(engine)
    if style == "list":
        assert isinstance(binds, list)
        assert [b.value for b in binds] == [Decimal(2), None]
    else:
        assert isinstance(binds, dict)
        assert {k: b.value for k, b in binds.items()} == {"A": Decimal(2), "B": None}


def test_positional_and_keyword_together_is_dpy_2005(conn: Connection) -> None:
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2005"):
        conn.cursor().execute("x", [1], a=2)


def test_reexecute_none_keeps_statement_and_binds(conn: Connection, engine: FakeEngine) -> None:
    engine.on("begin p(:a, :b); end;", _echo)
    cursor = conn.cursor()
    cursor.execute("begin p(:a, :b); end;", a=1, b="x")
    cursor.execute(None, a=5)
    assert {k: b.value for k, b in _last_binds(engine).items()} == {  # type: ignore[union-attr]
        "A": Decimal(10),
        "B": "X",
    }
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2001"):
        conn.cursor().execute(None)


def test_var_out_values_follow_python_types(conn: Connection, engine: FakeEngine) -> None:
    def assign(binds: Binds) -> StatementResult:
        assert isinstance(binds, dict)
        binds["I"].value = Decimal("3")
        binds["F"].value = Decimal("3")
        binds["N"].value = Decimal("2.5")
        binds["S"].value = "done"
        binds["D"].value = dt.datetime(2024, 1, 2)
        binds["B"].value = True
        return StatementResult(is_plsql=True)

    engine.on("begin out(:i, :f, :n, :s, :d, :b); end;", assign)
    cursor = conn.cursor()
    i, f, n = cursor.var(int), cursor.var(float), cursor.var(oracledb.DB_TYPE_NUMBER)
    s, d, b = cursor.var(str, 30), cursor.var(oracledb.DB_TYPE_DATE), cursor.var(bool)
    before = engine.round_trips
    cursor.execute("begin out(:i, :f, :n, :s, :d, :b); end;", i=i, f=f, n=n, s=s, d=d, b=b)
    assert engine.round_trips - before == 1
    values = [x.getvalue() for x in (i, f, n, s, d, b)]
    assert values == [3, 3.0, 2.5, "done", dt.datetime(2024, 1, 2), True]
    assert type(values[0]) is int
    assert type(values[1]) is float
    assert s.size == 30
    assert s.type is oracledb.DB_TYPE_VARCHAR
    assert s.values == ["done"]
    assert _last_binds(engine)["S"].size == 30  # type: ignore[call-overload]


def test_var_converters_and_decimals(conn: Connection, engine: FakeEngine) -> None:
    engine.on("begin p(:a); end;", _echo)
    cursor = conn.cursor()
    var = cursor.var(int, inconverter=lambda x: x + 1, outconverter=lambda x: f"<{x}>")
    var.setvalue(0, 1)
    cursor.execute("begin p(:a); end;", a=var)
    assert var.getvalue() == "<4>"
    dec = cursor.var(Decimal)
    dec.setvalue(0, Decimal("1.25"))
    cursor.execute("begin p(:a); end;", a=dec)
    assert dec.getvalue() == Decimal("2.50")


def test_object_var_needs_type_name(conn: Connection) -> None:
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2037"):
        conn.cursor().var(oracledb.DB_TYPE_OBJECT)
    var = conn.cursor().var(oracledb.DB_TYPE_OBJECT, typename="SYS.KU$_STATUS")
    assert var.type.name == "KU$_STATUS"


def test_arrayvar(conn: Connection, engine: FakeEngine) -> None:
    def double(binds: Binds) -> StatementResult:
        assert isinstance(binds, list)
        coll = binds[0].value
        assert isinstance(coll, v.CollectionValue)
        assert binds[0].array_size == 3
        coll.elements = {k: x * 2 for k, x in coll.elements.items()}  # type: ignore[operator]
        return StatementResult(is_plsql=True)

    engine.on("begin p(:1); end;", double)
    cursor = conn.cursor()
    var = cursor.arrayvar(int, [1, 2, 3])
    cursor.execute("begin p(:1); end;", [var])
    assert var.getvalue() == [2, 4, 6]
    assert var.actual_elements == 3
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2028"):
        var.setvalue(0, 5)


def test_callproc_and_callfunc_build_the_real_block(conn: Connection, engine: FakeEngine) -> None:
    engine.on("begin pkg.p(:1,:2,p_name => :3); end;", _echo)
    cursor = conn.cursor()
    result = cursor.callproc("pkg.p", [1, "a"], {"p_name": "b"})
    assert result == [2, "A"]
    assert engine.calls[-1][1][2] == "plsql"  # type: ignore[index]

    def func(binds: Binds) -> StatementResult:
        assert isinstance(binds, list)
        binds[0].value = binds[1].value + Decimal(1)  # type: ignore[operator]
        return StatementResult(is_plsql=True)

    engine.on("begin :retval := pkg.f(:1); end;", func)
    assert cursor.callfunc("pkg.f", int, [41]) == 42


def test_fetch_batches_count_round_trips(conn: Connection, engine: FakeEngine) -> None:
    engine.on("select n, name from t", number_rows(7))
    cursor = conn.cursor()
    cursor.arraysize = 3
    assert cursor.execute("select n, name from t") is cursor
    # prefetchrows=2 came with the execute: no fetch round trip for the first two rows.
    assert cursor.fetchone() == (0.5, "row0")
    assert cursor.fetchone() == (1, "row1")
    assert engine.count("fetch") == 0
    assert cursor.fetchmany(2) == [(2, "row2"), (3, "row3")]
    assert engine.count("fetch") == 1
    assert len(cursor.fetchall()) == 3  # row 4 is buffered; rows 5..6 are a short last batch
    assert engine.count("fetch") == 2
    assert cursor.fetchone() is None
    assert engine.count("fetch") == 2
    assert cursor.rowcount == 7


def test_full_last_batch_needs_one_more_fetch(conn: Connection, engine: FakeEngine) -> None:
    engine.on("select n, name from t", number_rows(8))
    cursor = conn.cursor()
    cursor.arraysize = 3
    cursor.execute("select n, name from t")
    assert len(cursor.fetchall()) == 8  # 2 prefetched, then 3 + 3 (full) + 0
    assert engine.count("fetch") == 3


def test_prefetchrows_zero_fetches_everything_in_batches(conn: Connection, engine: FakeEngine) -> None:
    engine.on("select n, name from t", number_rows(4))
    cursor = conn.cursor()
    cursor.prefetchrows = 0
    cursor.execute("select n, name from t")
    assert engine.count("fetch") == 0
    assert len(cursor.fetchall()) == 4  # arraysize 100: one batch
    assert engine.count("fetch") == 1


def test_small_result_needs_no_fetch_round_trip(conn: Connection, engine: FakeEngine) -> None:
    engine.on("select n, name from t", number_rows(1))
    cursor = conn.cursor()
    cursor.execute("select n, name from t")
    assert list(cursor) == [(0.5, "row0")]
    assert engine.count("fetch") == 0


def test_description_and_decimals(conn: Connection, engine: FakeEngine) -> None:
    engine.on("select n, name from t", number_rows(2))
    cursor = conn.cursor()
    cursor.execute("select n, name from t", fetch_decimals=True)
    assert cursor.description == [
        ("N", oracledb.DB_TYPE_NUMBER, 127, None, None, None, True),
        ("NAME", oracledb.DB_TYPE_VARCHAR, 20, 20, None, None, True),
    ]
    assert cursor.description[0].type_code is oracledb.DB_TYPE_NUMBER  # type: ignore[index]
    assert cursor.fetchone() == (Decimal("0.5"), "row0")


def test_non_query_has_no_description_and_cannot_fetch(conn: Connection, engine: FakeEngine) -> None:
    engine.on("update t set x = 1", lambda b: StatementResult(rowcount=4, transaction_in_progress=True))
    cursor = conn.cursor()
    assert cursor.execute("update t set x = 1") is None
    assert cursor.description is None
    assert cursor.rowcount == 4
    assert conn.transaction_in_progress
    with pytest.raises(oracledb.InterfaceError, match="DPY-1003"):
        cursor.fetchall()
    conn.commit()
    assert not conn.transaction_in_progress


def test_executemany_is_one_round_trip(conn: Connection, engine: FakeEngine) -> None:
    cursor = conn.cursor()
    cursor.executemany("insert into t values (:a, :b)", [{"a": 1, "b": "x"}, {"a": 2, "b": None}])
    _statement, rows = engine.calls[-1][1]  # type: ignore[misc]
    assert [[r["A"].value, r["B"].value] for r in rows] == [[Decimal(1), "x"], [Decimal(2), None]]
    assert cursor.rowcount == 2
    assert engine.count("executemany") == 1
    cursor.executemany("insert into t values (:1)", [(1,), (2,), (3,)])
    assert len(engine.calls[-1][1][1]) == 3  # type: ignore[index]
    before = engine.round_trips
    cursor.executemany("insert into t values (:1)", [])
    assert engine.round_trips == before


def test_closed_cursor(conn: Connection) -> None:
    cursor = conn.cursor()
    cursor.close()
    with pytest.raises(oracledb.InterfaceError, match="DPY-1006"):
        cursor.execute("x")
    assert cursor.rowcount == -1


def test_lobs_fetch_as_objects_or_values(conn: Connection, engine: FakeEngine) -> None:
    def lobs(binds: Binds) -> StatementResult:
        columns = [_col("C", v.CLOB), _col("B", v.BLOB)]
        row = (v.LobValue(v.TypeKind.CLOB, "hello"), v.LobValue(v.TypeKind.BLOB, b"\x01\x02"))
        return StatementResult(columns=columns, rows=[row], is_query=True)

    engine.on("select c, b from t", lobs)
    cursor = conn.cursor()
    cursor.execute("select c, b from t")
    clob, blob = cursor.fetchone()
    assert isinstance(clob, LOB)
    assert clob.type is oracledb.DB_TYPE_CLOB
    before = engine.round_trips
    assert (clob.read(), clob.size(), blob.read(2, 1)) == ("hello", 5, b"\x02")
    assert engine.round_trips - before == 3
    assert clob.getchunksize() > 0
    cursor.execute("select c, b from t", fetch_lobs=False)
    assert cursor.fetchone() == ("hello", b"\x01\x02")


def test_output_type_handler_fetches_clob_as_string(conn: Connection, engine: FakeEngine) -> None:
    engine.on(
        "select c from t",
        lambda b: StatementResult(
            columns=[_col("C", v.CLOB)],
            rows=[(v.LobValue(v.TypeKind.CLOB, "text"),)],
            is_query=True,
        ),
    )

    def handler(cursor: oracledb.Cursor, metadata: oracledb.FetchInfo) -> object:
        if metadata.type_code is oracledb.DB_TYPE_CLOB:
            return cursor.var(oracledb.DB_TYPE_LONG, arraysize=cursor.arraysize)
        return None

    conn.outputtypehandler = handler
    assert conn.cursor().execute("select c from t").fetchall() == [("text",)]  # type: ignore[union-attr]


def test_clob_out_bind_is_a_lob(conn: Connection, engine: FakeEngine) -> None:
    def assign(binds: Binds) -> StatementResult:
        assert isinstance(binds, dict)
        binds["C"].value = v.LobValue(v.TypeKind.CLOB, "log text")
        return StatementResult(is_plsql=True)

    engine.on("begin :c := f(); end;", assign)
    cursor = conn.cursor()
    var = cursor.var(oracledb.DB_TYPE_CLOB)
    cursor.execute("begin :c := f(); end;", c=var)
    assert var.getvalue().read() == "log text"


def test_object_columns_and_binds(conn: Connection, engine: FakeEngine) -> None:
    status = v.ObjectValue(STATUS_TYPE, {"JOB_NAME": "EXP1", "PERCENT_DONE": Decimal(50)})
    engine.on(
        "select s from t",
        lambda b: StatementResult(columns=[_col("S", STATUS_TYPE)], rows=[(status,)], is_query=True),
    )
    cursor = conn.cursor()
    cursor.execute("select s from t")
    assert cursor.description[0].type_code is oracledb.DB_TYPE_OBJECT  # type: ignore[index]
    assert cursor.description[0].type.name == "KU$_STATUS"  # type: ignore[index]
    (obj,) = cursor.fetchone()
    assert (obj.JOB_NAME, obj.PERCENT_DONE) == ("EXP1", 50)
    obj.JOB_NAME = "EXP2"
    assert status.attrs["JOB_NAME"] == "EXP2"
    engine.on("begin p(:o); end;", _echo)
    cursor.execute("begin p(:o); end;", o=obj.copy())
    assert _last_binds(engine)["O"].type is STATUS_TYPE  # type: ignore[call-overload]


def _col(name: str, dtype: v.DataType) -> object:
    from airflow_datapump.testing._driver import ColumnDescription

    return ColumnDescription(name, dtype)
