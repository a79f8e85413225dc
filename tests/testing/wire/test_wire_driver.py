"""The real, unpatched python-oracledb thin driver against the emulator's Oracle Net server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump.testing import EmulatedOracle
from tests.driver_features import HAS_PROGRAM_PARAMETER


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        admin = oracledb.connect(user="system", password="oracle", dsn=emulator.dsn())
        with admin.cursor() as cursor:
            cursor.execute("create user scott identified by tiger")
            cursor.execute("grant create session, create table, unlimited tablespace to scott")
        admin.close()
        yield emulator


@pytest.fixture
def conn(oracle: EmulatedOracle) -> Iterator[oracledb.Connection]:
    connection = oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn("FREEPDB1"))
    yield connection
    connection.close()


def test_logon_gives_the_drivers_own_connection(oracle: EmulatedOracle) -> None:
    connection = oracledb.connect(user="scott", password="tiger", dsn=f"127.0.0.1:{oracle.port}/FREEPDB1")
    assert type(connection) is oracledb.Connection
    assert connection.thin
    assert connection.version.startswith("19.")
    connection.ping()
    connection.close()
    with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):
        connection.ping()


def test_wrong_password_is_ora_01017_from_the_driver(oracle: EmulatedOracle) -> None:
    with pytest.raises(oracledb.DatabaseError) as raised:
        oracledb.connect(user="scott", password="lion", dsn=oracle.dsn())
    assert raised.value.args[0].full_code == "ORA-01017"
    with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
        oracledb.connect(user="nobody", password="tiger", dsn=oracle.dsn())


def test_state_keeps_a_verifier_not_the_password(oracle: EmulatedOracle) -> None:
    verifier = oracle.backend.logon_verifier("FREEPDB1", "SCOTT")
    assert verifier is not None
    assert verifier.startswith("T:")
    assert "tiger" not in verifier
    assert len(verifier) == 2 + 160


def test_unknown_service_is_refused_by_the_listener() -> None:
    with EmulatedOracle() as emulator:
        assert emulator.server is not None
        emulator.server._known = lambda service: service == "FREEPDB1"
        with pytest.raises(oracledb.OperationalError, match="DPY-6001"):
            oracledb.connect(user="system", password="oracle", dsn=emulator.dsn("NOPE"))


def test_query_describe_prefetch_and_fetch(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("create table emp (id number(6), name varchar2(20), hired date, tag raw(4))")
    rows = [(i, f"n{i}", dt.datetime(2024, 1, i % 28 + 1, 8, 30), bytes([i % 256])) for i in range(1, 251)]
    cursor.executemany("insert into emp values (:1, :2, :3, :4)", rows)
    assert cursor.rowcount == 250
    cursor.arraysize = 40
    cursor.execute("select id, name, hired, tag from emp order by id")
    description = [(d.name, d.type_code, d.precision, d.scale, d.null_ok) for d in cursor.description]
    assert description == [
        ("ID", oracledb.DB_TYPE_NUMBER, 6, 0, True),
        ("NAME", oracledb.DB_TYPE_VARCHAR, None, None, True),
        ("HIRED", oracledb.DB_TYPE_DATE, None, None, True),
        ("TAG", oracledb.DB_TYPE_RAW, None, None, True),
    ]
    assert cursor.description[1].internal_size == 20
    assert cursor.fetchall() == rows
    conn.rollback()
    assert cursor.execute("select count(*) from emp").fetchone() == (0,)


def test_dml_row_counts_commit_and_rollback(conn: oracledb.Connection, oracle: EmulatedOracle) -> None:
    cursor = conn.cursor()
    cursor.execute("create table t (n number)")
    cursor.execute("insert into t values (:n)", n=1)
    assert cursor.rowcount == 1
    conn.commit()
    cursor.execute("insert into t values (2)")
    conn.rollback()
    cursor.execute("update t set n = n + 1")
    assert cursor.rowcount == 1
    conn.commit()
    other = oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn())
    assert other.cursor().execute("select n from t").fetchall() == [(2,)]
    other.close()


def test_systimestamp_is_described_and_fetched_as_timestamp_with_time_zone(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("select systimestamp, sysdate from dual")
    assert [d.type_code for d in cursor.description] == [oracledb.DB_TYPE_TIMESTAMP_TZ, oracledb.DB_TYPE_DATE]
    stamp, date = cursor.fetchone()
    assert isinstance(stamp, dt.datetime)
    assert stamp.replace(microsecond=0) == date  # DBTIMEZONE +00:00: the same moment


def test_plsql_in_out_and_in_out_binds(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    text, number, flag = cursor.var(str, 50), cursor.var(int), cursor.var(bool)
    when, doubled = cursor.var(oracledb.DB_TYPE_TIMESTAMP), cursor.var(int)
    doubled.setvalue(0, 21)
    cursor.execute(
        "begin :t := 'hello ' || :who; :n := :a + 1; :f := :a > 1; :w := :stamp; :d := :d * 2; end;",
        t=text,
        who="world",
        n=number,
        a=41,
        f=flag,
        w=when,
        stamp=dt.datetime(2020, 5, 6, 7, 8, 9),
        d=doubled,
    )
    assert text.getvalue() == "hello world"
    assert number.getvalue() == 42
    assert flag.getvalue() is True
    assert when.getvalue() == dt.datetime(2020, 5, 6, 7, 8, 9)
    assert doubled.getvalue() == 42
    assert cursor.callfunc("upper", str, ["abc"]) == "ABC"


def test_errors_are_the_drivers_exceptions_with_codes_and_offsets(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    with pytest.raises(oracledb.DatabaseError) as raised:
        cursor.execute("select * from no_such_table")
    assert raised.value.args[0].code == 942
    with pytest.raises(oracledb.DatabaseError, match="ORA-20001: boom"):
        cursor.execute("begin raise_application_error(-20001, 'boom'); end;")
    with pytest.raises(oracledb.DatabaseError) as missing:
        cursor.execute("select :a from dual")
    assert missing.value.args[0].full_code == "DPY-4010"
    assert cursor.execute("select 1 from dual").fetchone() == (1,)


def test_one_bad_connection_does_not_stop_the_server(oracle: EmulatedOracle) -> None:
    import socket

    for payload in (b"", b"\x00\x08\x00\x00\x01\x00\x00\x00", b"\xff" * 64, b"\x00\x03"):
        with socket.create_connection((oracle.host, oracle.port)) as raw:
            raw.sendall(payload)
    connection = oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn())
    connection.ping()
    connection.close()


def test_fetched_lobs_are_the_drivers_lob_objects(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("create table docs (id number, body clob, pic blob)")
    cursor.execute("insert into docs values (1, :b, :p)", b="hello world " * 1000, p=b"\x00\x01" * 10)
    cursor.execute("insert into docs values (2, null, null)")
    cursor.execute("select body, pic from docs order by id")
    (body, pic), (no_body, no_pic) = cursor.fetchall()
    assert type(body) is oracledb.LOB
    assert (no_body, no_pic) == (None, None)
    assert body.size() == 12000
    assert body.read(1, 11) == "hello world"
    assert pic.read() == b"\x00\x01" * 10
    oracledb.defaults.fetch_lobs = False
    try:
        assert cursor.execute("select body from docs where id = 1").fetchall() == [("hello world " * 1000,)]
    finally:
        oracledb.defaults.fetch_lobs = True
    body.write("HELLO", 1)
    body.trim(11)
    assert (body.read(), body.size()) == ("HELLO world", 11)


def test_temporary_and_out_bind_lobs(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    temporary = conn.createlob(oracledb.DB_TYPE_CLOB, "temp text")
    copied = cursor.var(oracledb.DB_TYPE_CLOB)
    cursor.execute("begin :o := :i; end;", o=copied, i=temporary)
    assert copied.getvalue().read() == "temp text"
    made = cursor.var(oracledb.DB_TYPE_CLOB)
    cursor.execute("begin :o := to_clob('abc'); end;", o=made)
    assert type(made.getvalue()) is oracledb.LOB
    assert made.getvalue().read() == "abc"


def test_bfile_reads_the_directory_objects_file(conn: oracledb.Connection, oracle: EmulatedOracle) -> None:
    folder = oracle.state_dir / "FREEPDB1" / "dpdump"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wire.log").write_bytes(b"log text")
    system = oracledb.connect(user="system", password="oracle", dsn=oracle.dsn())
    cursor = system.cursor()
    cursor.execute("select bfilename('DATA_PUMP_DIR', 'wire.log') from dual")
    (bfile,) = cursor.fetchone()
    assert type(bfile) is oracledb.LOB
    assert bfile.getfilename() == ("DATA_PUMP_DIR", "wire.log")
    assert bfile.read() == b"log text"
    system.close()


def test_async_connections_and_pools_are_the_drivers_own(oracle: EmulatedOracle) -> None:
    import asyncio

    async def run() -> tuple[object, ...]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=oracle.dsn())
        cursor = conn.cursor()
        await cursor.execute("select 1 from dual")
        fetched = await cursor.fetchall()
        await conn.close()
        pool = oracledb.create_pool_async(user="scott", password="tiger", dsn=oracle.dsn(), min=1, max=2)
        async with pool.acquire() as pooled:
            value = await pooled.fetchone("select 2 from dual")
        await pool.close()
        return type(conn), type(cursor), fetched, type(pool), value

    assert asyncio.run(run()) == (
        oracledb.AsyncConnection,
        oracledb.AsyncCursor,
        [(1,)],
        oracledb.AsyncConnectionPool,
        (2,),
    )
    pool = oracledb.create_pool(user="scott", password="tiger", dsn=oracle.dsn(), min=1, max=2)
    with pool.acquire() as pooled:
        cursor = pooled.cursor()
        assert (type(pool), type(cursor)) == (oracledb.ConnectionPool, oracledb.Cursor)
        assert type(cursor.var(int)) is oracledb.Var
        assert cursor.execute("select 3 from dual").fetchone() == (3,)
    pool.close()


def test_airflow_oracle_hook_reaches_the_server(
    oracle: EmulatedOracle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.providers.oracle.hooks.oracle import OracleHook

    monkeypatch.setenv("AIRFLOW_CONN_WIRE_TEST", oracle.connection_uri("FREEPDB1", "scott", "tiger"))
    hook = OracleHook(oracle_conn_id="wire_test")
    assert type(hook.get_conn()) is oracledb.Connection
    assert hook.get_first("select 4 from dual") == (4,)


def test_autocommit_holds_for_re_executed_statements(
    conn: oracledb.Connection, oracle: EmulatedOracle
) -> None:
    cursor = conn.cursor()
    cursor.execute("create table auto (n number)")
    conn.autocommit = True
    for n in (1, 2, 3):  # the second and third arrive as re-executes of the parsed cursor
        cursor.execute("insert into auto values (:n)", n=n)
    other = oracledb.connect(user="scott", password="tiger", dsn=oracle.dsn())
    assert other.cursor().execute("select count(*) from auto").fetchone() == (3,)
    other.close()
    conn.autocommit = False


@pytest.mark.skipif(not HAS_PROGRAM_PARAMETER, reason="python-oracledb added connect(program=) in 2.5")
def test_the_logon_carries_the_program_name(oracle: EmulatedOracle) -> None:
    conn = oracledb.connect(user="system", password="oracle", dsn=oracle.dsn(), program="wire-check")
    programs = [row[0] for row in conn.cursor().execute("select program from v$session")]
    assert "wire-check" in programs
    conn.close()
