"""Connection lifecycle, DSN forms, piggy-backed settings and patch activation."""

from __future__ import annotations

import oracledb
import pytest
from driver_fake_engine import FakeEngine

from airflow_datapump.testing._driver import Connection, EmulatorPatch


def test_connect_reaches_engine_with_parsed_request(conn: Connection, engine: FakeEngine) -> None:
    request = engine.sessions[0].request
    assert (request.service_name, request.user, request.password) == ("ORCLPDB1", "scott", "tiger")
    assert (request.host, request.port, request.thin) == ("dbhost", 1521, True)
    assert "tiger" not in repr(request)
    assert conn.username == "scott"
    assert conn.thin is True
    assert engine.round_trips == 1


@pytest.mark.parametrize(
    ("args", "service", "via_sid"),
    [
        ({"dsn": "scott/tiger@dbhost/orclpdb1"}, "ORCLPDB1", False),
        (
            {"dsn": "tcps://dbhost:2484/OrclPdb1?wallet_location=/tmp", "user": "scott"},
            "ORCLPDB1",
            False,
        ),
        (
            {"dsn": oracledb.makedsn("h", 1521, service_name="orclpdb1"), "user": "scott"},
            "ORCLPDB1",
            False,
        ),
        ({"dsn": oracledb.makedsn("h", 1521, "orclpdb1"), "user": "scott"}, "ORCLPDB1", True),
        (
            {"host": "h", "port": 1521, "service_name": "orclpdb1", "user": "scott"},
            "ORCLPDB1",
            False,
        ),
        ({"host": "h", "sid": "orclpdb1", "user": "scott"}, "ORCLPDB1", True),
        ({"user": "scott/tiger@h:1521/orclpdb1"}, "ORCLPDB1", False),
        (
            {
                "dsn": "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1521))"
                "(CONNECT_DATA=(SERVICE_NAME=orclpdb1)))",
                "user": "scott",
            },
            "ORCLPDB1",
            False,
        ),
    ],
)
def test_dsn_forms(
    patch: EmulatorPatch, engine: FakeEngine, args: dict[str, object], service: str, via_sid: bool
) -> None:
    args = dict(args)
    if "/" not in str(args.get("user", "")) and "tiger@" not in str(args.get("dsn", "")):
        args["password"] = "tiger"
    with oracledb.connect(**args):  # type: ignore[arg-type]
        pass
    request = engine.sessions[-1].request
    assert (request.service_name, request.via_sid, request.password) == (service, via_sid, "tiger")


def test_connect_params_object_carries_password(patch: EmulatorPatch, engine: FakeEngine) -> None:
    params = oracledb.ConnectParams(user="scott", password="tiger", host="h", service_name="x")
    params.set(service_name="orclpdb1")
    oracledb.connect(params=params).close()
    assert engine.sessions[-1].request.password == "tiger"


def test_descriptor_without_service_is_refused_like_thin_mode(patch: EmulatorPatch) -> None:
    dsn = "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1521)))"
    with pytest.raises(oracledb.OperationalError, match="DPY-6005") as info:
        oracledb.connect(user="scott", password="tiger", dsn=dsn)
    assert "DPY-6000: Listener refused connection. (Similar to ORA-12504)" in str(info.value)


def test_bad_keyword_is_rejected_like_the_real_signature(patch: EmulatorPatch) -> None:
    with pytest.raises(TypeError):
        oracledb.connect(user="scott", password="tiger", dsn="h/orclpdb1", nonsense=1)


def test_logon_denied(patch: EmulatorPatch) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01017") as info:
        oracledb.connect(user="scott", password="wrong-secret", dsn="h/orclpdb1")
    assert "wrong-secret" not in str(info.value)


def test_closed_connection_raises_dpy_1001(conn: Connection, engine: FakeEngine) -> None:
    cursor = conn.cursor()
    conn.close()
    assert engine.count("close") == 1
    assert not conn.is_healthy()
    for action in (conn.commit, conn.ping, conn.cursor, lambda: cursor.execute("x")):
        with pytest.raises(oracledb.InterfaceError, match="DPY-1001: not connected to database"):
            action()
    assert "disconnected" in repr(conn)


def test_context_manager_closes(patch: EmulatorPatch, engine: FakeEngine) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn="h/orclpdb1") as conn:
        conn.ping()
    assert engine.count("close") == 1


def test_each_round_trip_method_is_one_engine_call(conn: Connection, engine: FakeEngine) -> None:
    before = engine.round_trips
    conn.commit()
    conn.rollback()
    conn.ping()
    conn.cancel()
    conn.gettype("SYS.KU$_STATUS")
    assert engine.round_trips - before == 5
    conn.cursor()
    assert conn.is_healthy()
    assert conn.version == "19.3.0.0.0"
    assert engine.round_trips - before == 5


def test_session_settings_ride_on_the_next_round_trip(conn: Connection, engine: FakeEngine) -> None:
    conn.module = "airflow"
    conn.current_schema = "HR"
    conn.call_timeout = 500
    conn.autocommit = True
    assert engine.sessions[0].updates == []
    assert (conn.module, conn.current_schema, conn.call_timeout) == ("airflow", "HR", 500)
    conn.ping()
    (update,) = engine.sessions[0].updates
    assert update.attributes == {"MODULE": "airflow", "CURRENT_SCHEMA": "HR"}
    assert (update.call_timeout, update.autocommit) == (500, True)
    conn.ping()
    assert len(engine.sessions[0].updates) == 1
    assert engine.local_calls == ["session_update"]


def test_lost_session_makes_connection_unusable(conn: Connection) -> None:
    with pytest.raises(oracledb.DatabaseError, match="DPY-4011"):
        conn.cursor().execute("raise ORA 3113 end-of-file on communication channel")
    assert not conn.is_healthy()
    with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):
        conn.ping()


def test_patch_restores_originals_and_nests(engine: FakeEngine) -> None:
    originals = (oracledb.connect, oracledb.create_pool, oracledb.connect_async)
    internal = oracledb.init_oracle_client
    emulator = EmulatorPatch(engine)
    with emulator, emulator:
        assert oracledb.connect is not originals[0]
        oracledb.init_oracle_client(lib_dir="/opt/oracle")
        conn = oracledb.connect(user="scott", password="tiger", dsn="h/orclpdb1")
        assert conn.thin is False
        assert emulator.init_oracle_client_calls[0]["lib_dir"] == "/opt/oracle"
    assert (oracledb.connect, oracledb.create_pool, oracledb.connect_async) == originals
    assert oracledb.init_oracle_client is internal
    assert oracledb.is_thin_mode()
    with pytest.raises(RuntimeError):
        emulator.stop()


def test_out_of_order_stop_is_refused(engine: FakeEngine) -> None:
    outer, inner = EmulatorPatch(engine), EmulatorPatch(FakeEngine())
    outer.start()
    inner.start()
    with pytest.raises(RuntimeError):
        outer.stop()
    inner.stop()
    outer.stop()
