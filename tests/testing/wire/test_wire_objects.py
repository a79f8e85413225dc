"""Named object types, PL/SQL records and REF CURSORs through the real driver over the wire."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle
from airflow_datapump.testing._datapump import types
from airflow_datapump.testing._values import CollectionType, ObjectType
from tests.driver_features import HAS_ATTRIBUTE_MAX_SIZE


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        yield emulator


@pytest.fixture
def conn(oracle: EmulatedOracle) -> Iterator[oracledb.Connection]:
    connection = oracledb.connect(user="system", password="oracle", dsn=oracle.dsn("FREEPDB1"))
    yield connection
    connection.close()


# -- REF CURSOR ------------------------------------------------------------------------------


def test_open_for_gives_the_client_a_cursor_it_fetches_from(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    out = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute(
        "begin open :c for select username, user_id from all_users where username like 'SYS%' "
        "order by username; end;",
        c=out,
    )
    opened = out.getvalue()
    assert type(opened) is oracledb.Cursor
    assert [d[0] for d in opened.description] == ["USERNAME", "USER_ID"]
    rows = opened.fetchall()
    assert [r[0] for r in rows] == ["SYS", "SYSTEM"]
    assert all(isinstance(r[1], int) for r in rows)


def test_a_sys_refcursor_function_result_is_a_cursor(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    out = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute(
        """
        declare
            function numbers(p_upto pls_integer) return sys_refcursor is
                c sys_refcursor;
            begin
                open c for select level_no from (select 1 level_no from dual union all
                    select 2 from dual union all select 3 from dual) where level_no <= p_upto;
                return c;
            end;
        begin
            :c := numbers(2);
        end;""",
        c=out,
    )
    opened = out.getvalue()
    opened.arraysize = 1  # one row per FETCH round trip
    assert opened.fetchone() == (1,)
    assert opened.fetchall() == [(2,)]


def test_a_ref_cursor_with_lob_columns_fetches_through_define_calls(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    out = cursor.var(oracledb.DB_TYPE_CURSOR)
    cursor.execute(
        "begin open :c for select to_clob(username) body, user_id from all_users order by username; end;",
        c=out,
    )
    rows = out.getvalue().fetchall()
    expected = cursor.execute("select username, user_id from all_users order by username").fetchall()
    assert len(expected) > 2  # more rows than one define call's prefetch of two
    assert all(type(body) is oracledb.LOB for body, _ in rows)
    assert [(body.read(), number) for body, number in rows] == expected


def test_open_for_needs_a_cursor_variable(conn: oracledb.Connection) -> None:
    with pytest.raises(oracledb.DatabaseError, match="PLS-00382"):
        conn.cursor().execute("declare n number; begin open n for select 1 from dual; end;")


# -- the type dictionary and gettype -----------------------------------------------------------

_STATUS_FAMILY = [
    name
    for name, data_type in types.TYPES.items()
    if isinstance(data_type, ObjectType | CollectionType) and data_type.name == name
]


@pytest.mark.parametrize("name", _STATUS_FAMILY)
def test_gettype_describes_every_ku_type_as_the_engine_holds_it(conn: oracledb.Connection, name: str) -> None:
    found = conn.gettype(f"SYS.{name}")
    held = types.TYPES[name]
    assert type(found) is oracledb.DbObjectType
    assert (found.schema, found.name, found.package_name) == ("SYS", name, None)
    if isinstance(held, CollectionType):
        assert found.iscollection
        element = found.element_type
        assert isinstance(element, oracledb.DbObjectType)
        assert element.name == held.element.name  # type: ignore[union-attr]
        return
    assert isinstance(held, ObjectType)
    assert not found.iscollection
    assert [a.name for a in found.attributes] == [n for n, _ in held.attributes]
    for attribute, (_, attr_type) in zip(found.attributes, held.attributes, strict=True):
        if isinstance(attr_type, ObjectType | CollectionType):
            assert isinstance(attribute.type, oracledb.DbObjectType)
            assert attribute.type.name == attr_type.name


def _attribute(found: oracledb.DbObjectType, name: str) -> oracledb.DbObjectAttr:
    return next(a for a in found.attributes if a.name == name)


def test_gettype_gives_attribute_types_and_sizes(conn: oracledb.Connection) -> None:
    status = conn.gettype("SYS.KU$_STATUS1020")
    job_status = _attribute(status, "JOB_STATUS").type
    assert job_status.name == "KU$_JOBSTATUS1020"
    files = _attribute(job_status, "FILES").type
    assert files.iscollection
    assert files.element_type.name == "KU$_DUMPFILE1010"
    line = conn.gettype("SYS.KU$_LOGLINE1010")
    text = _attribute(line, "LOGTEXT")
    assert text.type is oracledb.DB_TYPE_VARCHAR
    if HAS_ATTRIBUTE_MAX_SIZE:
        assert text.max_size == 2000
    assert _attribute(line, "LOGLINENUMBER").type is oracledb.DB_TYPE_NUMBER
    assert conn.gettype("KU$_STATUS").name == "KU$_STATUS1220"  # the public synonym's type


def test_an_unknown_type_is_the_drivers_own_error(conn: oracledb.Connection) -> None:
    with pytest.raises(oracledb.ProgrammingError, match="DPY-2035"):
        conn.gettype("SYS.KU$_NO_SUCH_TYPE")


def test_the_dictionary_views_answer_any_query(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute(
        "select typecode, attributes from all_types where owner = 'SYS' and type_name = :n",
        n="KU$_STATUS1020",
    )
    assert cursor.fetchall() == [("OBJECT", 5)]
    cursor.execute(
        "select coll_type, elem_type_owner, elem_type_name from all_coll_types "
        "where type_name = 'KU$_LOGENTRY1010'"
    )
    assert cursor.fetchall() == [("TABLE", "SYS", "KU$_LOGLINE1010")]
    cursor.execute("select type_name, typecode from all_plsql_types where package_name = 'UTL_FILE'")
    assert ("FILE_TYPE", "PL/SQL RECORD") in cursor.fetchall()
    oid = cursor.execute("select type_oid from all_types where type_name = 'KU$_LOGLINE1010'").fetchone()[0]
    assert isinstance(oid, bytes)
    assert len(oid) == 16


# -- object values ----------------------------------------------------------------------------


def _export_job(conn: oracledb.Connection, name: str) -> int:
    cursor = conn.cursor()
    handle = cursor.var(int)
    cursor.execute(
        "begin :h := dbms_datapump.open('EXPORT', 'SCHEMA', job_name => :j); end;", h=handle, j=name
    )
    cursor.execute(
        "begin dbms_datapump.add_file(:h, :f, 'DATA_PUMP_DIR'); end;", h=handle.getvalue(), f=f"{name}.dmp"
    )
    return int(handle.getvalue())


def test_get_status_returns_a_ku_status_the_engine_holds(conn: oracledb.Connection) -> None:
    handle = _export_job(conn, "OBJ_STATUS")
    cursor = conn.cursor()
    status_var = cursor.var(conn.gettype("SYS.KU$_STATUS1020"))
    state = cursor.var(str)
    cursor.execute("begin dbms_datapump.start_job(:h); end;", h=handle)
    cursor.execute(
        "begin dbms_datapump.get_status(:h, 15, 0, :js, :st); end;", h=handle, js=state, st=status_var
    )
    status = status_var.getvalue()
    assert type(status) is oracledb.DbObject
    # What PL/SQL sees in the same status, read through scalars.
    held = [cursor.var(str), cursor.var(int), cursor.var(str)]
    cursor.execute(
        """
        declare st ku$_status1020; js varchar2(30);
        begin
            dbms_datapump.get_status(:h, 15, 0, js, st);
            :state := st.job_status.state; :pct := st.job_status.percent_done;
            :file := st.job_status.files(1).file_name;
        end;""",
        h=handle, state=held[0], pct=held[1], file=held[2],
    )  # fmt: skip
    assert status.MASK == 15
    assert status.JOB_STATUS.STATE == state.getvalue() == held[0].getvalue() == "EXECUTING"
    assert held[1].getvalue() == status.JOB_STATUS.PERCENT_DONE
    files = status.JOB_STATUS.FILES
    assert type(files) is oracledb.DbObject
    assert files.type.iscollection
    assert held[2].getvalue() == files.aslist()[0].FILE_NAME
    assert files.aslist()[0].FILE_NAME.endswith("OBJ_STATUS.dmp")
    assert status.JOB_DESCRIPTION.OPERATION == "EXPORT"
    lines = status.WIP.aslist()  # the work-in-progress lines since the job started
    assert any('"SYSTEM"."OBJ_STATUS"' in line.LOGTEXT for line in lines)
    assert status.ERROR is None


def test_objects_and_collections_bind_in(conn: oracledb.Connection) -> None:
    files_type = conn.gettype("SYS.KU$_DUMPFILESET1010")
    file_type = conn.gettype("SYS.KU$_DUMPFILE1010")
    files = files_type.newobject()
    for name, size in (("a.dmp", 10), ("b.dmp", 2**40)):
        item = file_type.newobject()
        item.FILE_NAME, item.FILE_SIZE = name, size
        files.append(item)
    cursor = conn.cursor()
    count, total, last = cursor.var(int), cursor.var(int), cursor.var(str)
    cursor.execute(
        """
        declare f ku$_dumpfileset1010 := :files;
        begin
            :n := f.count; :total := f(1).file_size + f(2).file_size; :last := f(f.last).file_name;
        end;""",
        files=files, n=count, total=total, last=last,
    )  # fmt: skip
    assert (count.getvalue(), total.getvalue(), last.getvalue()) == (2, 10 + 2**40, "b.dmp")


def test_an_object_bound_in_out_comes_back_changed(conn: oracledb.Connection) -> None:
    line_type = conn.gettype("SYS.KU$_LOGLINE1010")
    line = line_type.newobject()
    line.LOGLINENUMBER, line.LOGTEXT = 7, "é" * 300  # a long, multi-byte attribute
    var = conn.cursor().var(line_type)
    var.setvalue(0, line)
    conn.cursor().execute(
        "declare l ku$_logline1010 := :l; "
        "begin l.loglinenumber := l.loglinenumber + 1; l.errornumber := 39002; :l := l; end;",
        l=var,
    )
    changed = var.getvalue()
    assert (changed.LOGLINENUMBER, changed.ERRORNUMBER, changed.LOGTEXT) == (8, 39002, "é" * 300)


def test_a_null_object_out_bind_is_none(conn: oracledb.Connection) -> None:
    var = conn.cursor().var(conn.gettype("SYS.KU$_LOGLINE1010"))
    conn.cursor().execute("begin :l := null; end;", l=var)
    assert var.getvalue() is None


# -- PL/SQL records of package types ---------------------------------------------------------


def test_utl_file_handles_bind_in_out_across_calls(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    file_type = conn.gettype("UTL_FILE.FILE_TYPE")
    assert (file_type.schema, file_type.package_name, file_type.name) == ("SYS", "UTL_FILE", "FILE_TYPE")
    assert [a.name for a in file_type.attributes] == ["ID", "DATATYPE", "BYTE_MODE"]
    handle = cursor.var(file_type)
    cursor.execute("begin :f := utl_file.fopen('DATA_PUMP_DIR', 'wire-notes.txt', 'w'); end;", f=handle)
    assert handle.getvalue().ID is not None
    cursor.execute("begin utl_file.put_line(:f, 'first'); utl_file.put_line(:f, 'second'); end;", f=handle)
    cursor.execute("begin utl_file.fclose(:f); end;", f=handle)
    assert handle.getvalue().ID is None  # FCLOSE clears the record, as in Oracle
    cursor.execute("begin :f := utl_file.fopen('DATA_PUMP_DIR', 'wire-notes.txt', 'r'); end;", f=handle)
    line = cursor.var(str, 32767)
    read = []
    for _ in range(2):
        cursor.execute("begin utl_file.get_line(:f, :line); end;", f=handle, line=line)
        read.append(line.getvalue())
    assert read == ["first", "second"]
    with pytest.raises(oracledb.DatabaseError, match="ORA-01403"):
        cursor.execute("begin utl_file.get_line(:f, :line); end;", f=handle, line=line)
    cursor.execute("begin utl_file.fclose(:f); end;", f=handle)


# -- the driver's own classes ----------------------------------------------------------------


def test_every_object_is_the_drivers_own_class(oracle: EmulatedOracle, conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    status_type = conn.gettype("SYS.KU$_STATUS1020")
    var = cursor.var(status_type)
    lob = cursor.var(oracledb.DB_TYPE_CLOB)
    cursor.execute("begin :c := to_clob('text'); end;", c=lob)
    pool = oracledb.create_pool(user="system", password="oracle", dsn=oracle.dsn(), min=1, max=1)

    async def run() -> tuple[type, type, type]:
        connection = await oracledb.connect_async(user="system", password="oracle", dsn=oracle.dsn())
        async_type = await connection.gettype("SYS.KU$_LOGLINE1010")
        kinds = type(connection), type(async_type), type(async_type.newobject())
        await connection.close()
        async_pool = oracledb.create_pool_async(
            user="system", password="oracle", dsn=oracle.dsn(), min=1, max=1
        )
        await async_pool.close()
        return (*kinds[:2], type(async_pool))

    try:
        assert type(conn) is oracledb.Connection
        assert type(cursor) is oracledb.Cursor
        assert type(var) is oracledb.Var
        assert type(lob.getvalue()) is oracledb.LOB
        assert type(status_type) is oracledb.DbObjectType
        assert type(status_type.newobject()) is oracledb.DbObject
        assert type(pool) is oracledb.ConnectionPool
        assert asyncio.run(run()) == (
            oracledb.AsyncConnection,
            oracledb.DbObjectType,
            oracledb.AsyncConnectionPool,
        )
    finally:
        pool.close()
