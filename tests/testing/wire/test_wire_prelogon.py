"""Before logon: the listener refuses what it cannot serve with a REFUSE naming the listener's
error (python-oracledb reads the number after ``(ERR=``, messages/connect.pyx), and a call made
before logging on is ORA-01012, instead of the connection ending unanswered."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import oracledb
import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle
from airflow_datapump.testing._net import packets, requests

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "fuzz_wire_decoder.py"


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    with EmulatedOracle() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_wire_decoder", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _address(oracle: EmulatedOracle) -> tuple[str, int]:
    assert oracle.server is not None
    return oracle.server.host, oracle.server.port


def _no_service(oracle: EmulatedOracle) -> str:
    host, port = _address(oracle)
    return (
        f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={host})(PORT={port}))(CONNECT_DATA=(SERVER=DEDICATED)))"
    )


def _answer(oracle: EmulatedOracle, sent: bytes) -> bytes:
    """All the server sends back to ``sent`` before it closes the connection."""
    received = bytearray()
    with socket.create_connection(_address(oracle), timeout=10) as sock:
        sock.sendall(sent)
        while chunk := sock.recv(65536):
            received += chunk
    return bytes(received)


def _connect(version: int, descriptor: bytes) -> bytes:
    fields = struct.pack(">HHHHHHHHHH", version, 300, 1, 8192, 65535, 0x4F98, 0, 1, len(descriptor), 74)
    payload = fields + bytes(74 - 8 - len(fields)) + descriptor
    return packets.frame(packets.CONNECT, payload, large=False)


def test_a_connect_naming_no_service_is_tns_12504(oracle: EmulatedOracle) -> None:
    with pytest.raises(oracledb.OperationalError, match=r"DPY-6000: .*ORA-12504"):
        oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=_no_service(oracle))


def test_a_connect_naming_no_service_is_tns_12504_on_asyncio(oracle: EmulatedOracle) -> None:
    async def connect() -> None:
        await oracledb.connect_async(user="system", password=ADMIN_PASSWORD, dsn=_no_service(oracle))

    with pytest.raises(oracledb.OperationalError, match=r"DPY-6000: .*ORA-12504"):
        asyncio.run(connect())


def test_a_connect_that_does_not_decode_is_refused(oracle: EmulatedOracle) -> None:
    cut = packets.frame(packets.CONNECT, bytes(12), large=False)  # ends inside the fixed fields
    answer = _answer(oracle, cut)
    assert answer[4] == packets.REFUSE
    assert b"(ERR=12504)" in answer


def test_protocol_versions_the_server_cannot_speak_are_refused(oracle: EmulatedOracle) -> None:
    descriptor = b"(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))"
    answer = _answer(oracle, _connect(314, descriptor))
    assert answer[4] == packets.REFUSE
    assert b"(ERR=12618)" in answer
    with socket.create_connection(_address(oracle), timeout=10) as sock:  # a version it speaks
        sock.sendall(_connect(319, descriptor))
        assert packets.read_packet(sock, large=False).type == packets.ACCEPT


def test_a_call_before_logon_is_ora_01012_and_logon_still_works(
    oracle: EmulatedOracle, fuzz: ModuleType
) -> None:
    connect, protocol, data_types, phase_one, _ = fuzz.recorded_logon(oracle.dsn())
    commit = bytes([requests.MSG_FUNCTION, requests.FN_COMMIT, 1])  # a COMMIT has no body
    with socket.create_connection(_address(oracle), timeout=10) as sock:
        for index, packet in enumerate((connect, protocol, data_types)):
            sock.sendall(packet)
            packets.read_packet(sock, large=index > 0)
        sock.sendall(packets.data_packets(commit)[0])
        reply = packets.read_packet(sock, large=True)
        assert b"ORA-01012: not logged on" in reply.data
        sock.sendall(phase_one)
        assert b"AUTH_SESSKEY" in packets.read_packet(sock, large=True).data


def test_no_mutated_logon_raises_inside_the_server_and_it_serves_on(
    oracle: EmulatedOracle, fuzz: ModuleType
) -> None:
    """Mutations of each packet a logon sends (CONNECT, protocol and data-types negotiation,
    both logon phases): the server answers, waits for the bytes a header promises, or closes
    the connection on packets no client sends (a type or length no TNS packet has), always
    with its reason in the log and never with an exception it did not expect."""
    seeds = fuzz.recorded_logon(oracle.dsn())
    outcomes = fuzz.fuzz_logon(_address(oracle), seeds, 120, quiet=0.5)
    assert outcomes["traceback"] == 0
    assert sum(t for o, t in outcomes.items() if o.endswith("answered")) > 80
    with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn:
        assert conn.cursor().execute("select 1 from dual").fetchone() == (1,)


def _connect_promising(length: int) -> bytes:
    """A CONNECT whose fixed fields promise ``length`` bytes of connect data it does not carry."""
    fields = struct.pack(">HHHHHHHHHH", 319, 300, 1, 8192, 65535, 0x4F98, 0, 1, length, 74)
    return packets.frame(packets.CONNECT, fields + bytes(74 - 8 - len(fields)), large=False)


@pytest.mark.parametrize("sent", [_connect_promising(300), b""], ids=["data-never-follows", "nothing-sent"])
def test_a_connect_request_not_completed_in_time_is_cut_off_and_logged(
    sent: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    """The listener's INBOUND_CONNECT_TIMEOUT (Net Services Reference): the connection ends
    and ORA-12525 is logged with the client's address; later clients are served."""
    with EmulatedOracle(inbound_connect_timeout=0.3) as emulator, caplog.at_level("WARNING"):
        with socket.create_connection(_address(emulator), timeout=10) as sock:
            sock.sendall(sent)
            assert sock.recv(65536) == b""  # closed unanswered, well before the client's 10 s
            port = sock.getsockname()[1]
        with oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=emulator.dsn()) as conn:
            assert conn.cursor().execute("select 1 from dual").fetchone() == (1,)
    cut_off = [r.getMessage() for r in caplog.records if "ORA-12525" in r.getMessage()]
    assert len(cut_off) == 1
    assert str(port) in cut_off[0]
    assert "TNS:listener has not received client's request in time allowed" in cut_off[0]
