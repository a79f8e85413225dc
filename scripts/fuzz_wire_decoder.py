"""Fuzz the Oracle Net server: its decoders, a logged-on session, and the steps before logon.

Usage: ``python scripts/fuzz_wire_decoder.py [COUNT] [SESSION_COUNT]`` (defaults 100000, 5000).

Part one feeds random bytes and single-byte mutations of real requests and of pickled object
images to the decoders; any exception but ProtocolError is a bug. Part two hands mutated
requests to a logged-on session exactly as the server does and counts the inputs that would
end in a dropped connection (the session raising instead of answering), which the client can
only report as DPY-4011: Oracle answers a request it cannot take with an error (ORA-03137 for
a malformed one), so the target is 0. The seeds of both parts include requests recorded from
the real python-oracledb (a query with binds, object and collection columns, an object bind,
a REF CURSOR handed out, fetched and passed back IN, a CLOB read, commit, rollback, ping, and
the close-cursor piggybacks riding before them), so most inputs reach deep into the server.

Part three (SESSION_COUNT inputs) logs on over real sockets with one packet of the driver's
recorded logon mutated (CONNECT, protocol and data-types negotiation, logon phases one and
two), the packets before it sent verbatim, and counts per phase whether the server answered,
waited for bytes the packet's header promised, or closed the connection; an exception the
server did not expect (logged with a traceback) is a bug, so the target is 0.
"""

from __future__ import annotations

import logging
import random
import socket
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._datapump import types
from airflow_datapump.testing._net import objects, requests
from airflow_datapump.testing._net.buffer import ProtocolError
from airflow_datapump.testing._net.packets import parse_connect, parse_header_and_body

if TYPE_CHECKING:
    from airflow_datapump.testing._net.session import WireSession

SEEDS = [
    bytes.fromhex("035e0101" + "0" * 8),
    # an execute of "select :a from dual" binding 'text', recorded from python-oracledb 26.1
    bytes.fromhex(
        "035e030280690001011301010d0000000102047fffffff0101010000000000000000000100000000000000"
        "00000000000000001373656c656374203a612066726f6d206475616c010100000000000001010002800000"
        "000001010000011000000000020369010000070474657874"
    ),
    # a PL/SQL execute with a KU$_LOGLINE1010 object IN bind and a REF CURSOR OUT bind
    bytes.fromhex(
        "035e050204290001015301010d0000000101047fffffff0101020000000000000000000100000000000000"
        "0000000000000000536465636c617265206c206b75245f6c6f676c696e6531303130203a3d203a6c3b2062"
        "6567696e206f70656e203a6320666f722073656c656374206c2e6c6f67746578742066726f6d206475616c"
        "3b20656e643b01010101000000000000000280000000006d0100000000000110101d4d1dd439da589b7143"
        "2ba38e63575e010100000000660100000104000000000000000007012424002202081d4d1dd439da589b71"
        "432ba38e63575e00000000000000000000000000010001000000010d01010d8401fe0000000d02c104ff01"
        "780100"
    ),
    bytes([requests.MSG_ONEWAY, requests.FN_SESSION_RELEASE, 1, 0, 0]),
]
STATUS_TYPE = types.TYPES["KU$_STATUS1220"]
assert isinstance(STATUS_TYPE, v.ObjectType)


def _status_image() -> bytes:
    """A full ku$_Status1220 image: embedded objects, collections of objects, NULLs."""
    line = types.TYPES["KU$_LOGLINE1010"]
    entry = types.TYPES["KU$_LOGENTRY1010"]
    assert isinstance(line, v.ObjectType)
    assert isinstance(entry, v.CollectionType)
    lines = {
        i: v.ObjectValue(line, {"LOGLINENUMBER": v.normalize(i), "LOGTEXT": f"line {i}"}) for i in (1, 2)
    }
    job_status = STATUS_TYPE.attribute("JOB_STATUS")
    assert isinstance(job_status, v.ObjectType)
    status = v.ObjectValue(
        STATUS_TYPE,
        {"MASK": v.normalize(15), "WIP": v.CollectionValue(entry, dict(lines)),
         "JOB_STATUS": v.ObjectValue(job_status, {"STATE": "EXECUTING", "PERCENT_DONE": v.normalize(50)})},
    )  # fmt: skip
    return objects.encode(status, STATUS_TYPE)


IMAGES = [_status_image()]


def _mutate(rng: random.Random, seed: bytes) -> bytes:
    """One to three bytes changed, then cut at a random length (often the whole)."""
    data = bytearray(seed)
    for _ in range(rng.randrange(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data[: len(data) if rng.random() < 0.7 else rng.randrange(len(data) + 1)])


def fuzz_decoders(count: int, seeds: list[bytes]) -> int:
    """Feed ``count`` inputs to the decoders; return how many raised anything but ProtocolError."""
    rng = random.Random(20261202)
    failures = 0
    for index in range(count):
        if index % 3 == 2:
            data = _mutate(rng, rng.choice(IMAGES))
        elif index % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        else:
            data = _mutate(rng, rng.choice(seeds))
        for decode in (_request, _packet, _image):
            try:
                decode(data)
            except ProtocolError:
                pass
            except Exception as exc:
                failures += 1
                print(f"{decode.__name__} {data.hex()}: {type(exc).__name__}: {exc}")
    return failures


def _request(data: bytes) -> None:
    requests.parse(data)


def _image(data: bytes) -> None:
    objects.decode(data, STATUS_TYPE)


def _packet(data: bytes) -> None:
    header = data[:8].ljust(8, b"\0")
    packet = parse_header_and_body(header, lambda n: data[8 : 8 + n].ljust(n, b"\0"), large=False)
    if packet.type == 1:
        parse_connect(packet)


# -- requests recorded from the real driver, and a session to answer them ---------------------


@contextmanager
def recording() -> Iterator[list[bytes]]:
    """Every request payload the server's sessions answer while this is active."""
    from airflow_datapump.testing._net.session import WireSession

    recorded: list[bytes] = []
    original = WireSession.handle

    def handle(self: WireSession, data: bytes) -> bytes:
        recorded.append(data)
        return original(self, data)

    WireSession.handle = handle  # type: ignore[method-assign]
    try:
        yield recorded
    finally:
        WireSession.handle = original  # type: ignore[method-assign]


def _workload(dsn: str) -> None:
    """What a client does that reaches every message kind the server answers after logon."""
    import oracledb

    with oracledb.connect(user="system", password="oracle", dsn=dsn) as conn:
        cursor = conn.cursor()
        cursor.execute("select :a from dual", a="text")
        cursor.execute(
            "select sys.ku$_logline1010(1, null, 'x'), sys.ku$_logentry1010() from dual"
        ).fetchall()
        line = conn.gettype("SYS.KU$_LOGLINE1010").newobject()
        line.LOGTEXT = "bound"
        cursor.execute("declare l sys.ku$_logline1010 := :l; begin null; end;", l=line)
        handed = cursor.var(oracledb.DB_TYPE_CURSOR)
        cursor.execute("begin open :c for select username from all_users order by 1; end;", c=handed)
        opened = handed.getvalue()
        opened.arraysize = 1
        opened.fetchone()
        cursor.execute("begin :o := :i; end;", o=cursor.var(oracledb.DB_TYPE_CURSOR), i=opened)
        cursor.execute("select to_clob('text') from dual")
        cursor.fetchone()[0].read()
        conn.commit()
        conn.rollback()
        conn.ping()


def recorded_requests(dsn: str) -> list[bytes]:
    """The requests :func:`_workload` sends, as the server received them (logon excluded)."""
    with recording() as recorded:
        _workload(dsn)
    auth = (requests.FN_AUTH_ONE, requests.FN_AUTH_TWO)
    return [r for r in recorded if len(r) > 1 and not (r[0] == requests.MSG_FUNCTION and r[1] in auth)]


def fuzz_session(engine: object, seeds: list[bytes], count: int, seed: int = 20261202) -> Counter[str]:
    """Hand ``count`` mutations of recorded requests to a logged-on session; count the outcomes:
    ``answered``, or ``dropped: <exception>`` for each input that would end the connection.
    A dropped connection, or a mutated LOGOFF, is followed by a fresh logged-on session."""
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    session = _logged_on(engine, seeds)
    for _ in range(count):
        outcome = _answer(session.handle, _mutate(rng, rng.choice(seeds)))
        outcomes[outcome] += 1
        if outcome != "answered" or session.session is None:
            session = _logged_on(engine, seeds)
    return outcomes


def _logged_on(engine: object, seeds: list[bytes]) -> WireSession:
    """A session as the server has it after logon, with the recorded session's cursors (the
    same statements under the same ids) so that mutated fetches and re-executes find them."""
    from airflow_datapump.testing._engine import ConnectRequest
    from airflow_datapump.testing._net.session import WireSession

    session = WireSession(engine, "FREEPDB1", lambda service, user: None)  # type: ignore[arg-type]
    session.session = session.engine.connect(ConnectRequest("FREEPDB1", "SYSTEM", "oracle"))
    for data in seeds:
        if requests.parse(data).function != requests.FN_LOGOFF:
            _answer(session.handle, data)
    return session


def _answer(handle: Callable[[bytes], bytes], data: bytes) -> str:
    try:
        handle(data)
    except Exception as exc:
        return f"dropped: {type(exc).__name__}: {str(exc)[:80]}"
    return "answered"


# -- before logon: the listener step, negotiation and both logon phases, over sockets -------


@contextmanager
def recording_packets() -> Iterator[list[bytes]]:
    """Every packet the server reads while this is active, framed again as the client sent it."""
    from airflow_datapump.testing._net import packets

    recorded: list[bytes] = []
    original = packets.read_packet

    def read(sock: socket.socket, *, large: bool) -> packets.Packet:
        packet = original(sock, large=large)
        recorded.append(packets.frame(packet.type, packet.payload, large=large, flags=packet.flags))
        return packet

    packets.read_packet = read  # type: ignore[assignment]
    try:
        yield recorded
    finally:
        packets.read_packet = original


def recorded_logon(dsn: str) -> list[bytes]:
    """What the real driver sends to log on: CONNECT, protocol and data-types negotiation,
    logon phases one and two."""
    import oracledb

    with recording_packets() as recorded:
        oracledb.connect(user="system", password="oracle", dsn=dsn).close()
    if b"(DESCRIPTION=" not in recorded[0] and b"(DESCRIPTION=" in recorded[1]:
        # Older drivers (2.x) send a connect descriptor too long for the CONNECT packet in the
        # packet after it; the two are the connect request, sent as one.
        recorded[:2] = [recorded[0] + recorded[1]]
    return recorded[:5]


class _Tracebacks(logging.Handler):
    """Counts what the server logs with a traceback: an exception it did not expect."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.count += 1
            print(f"traceback: {record.getMessage()}")


def fuzz_logon(
    address: tuple[str, int], seeds: list[bytes], count: int, seed: int = 20261202, quiet: float = 1.0
) -> Counter[str]:
    """Send ``count`` logons cut short by a mutated packet: the recorded ones before it
    verbatim, then the mutation. Counts the outcomes per phase mutated (see :func:`_exchange`);
    ``traceback`` counts the exceptions the server did not expect."""
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    watcher = _Tracebacks()
    server_log = logging.getLogger("airflow_datapump.testing._net")
    server_log.addHandler(watcher)
    phases = ("connect", "protocol", "data types", "logon one", "logon two")
    try:
        for _ in range(count):
            stage = rng.randrange(len(seeds))
            data = _mutate(rng, seeds[stage])
            if rng.random() < 0.9:  # mostly a length that fits, so a cut packet is read, not awaited
                data = _length_fitted(data, large=stage > 0)
            outcome = _exchange(address, [*seeds[:stage], data], quiet)
            outcomes[f"{phases[stage]}: {outcome}"] += 1
    finally:
        server_log.removeHandler(watcher)
    outcomes["traceback"] = watcher.count
    return outcomes


def _length_fitted(packet: bytes, *, large: bool) -> bytes:
    """The packet with its header's length field set to the bytes it has."""
    if len(packet) < 8:
        return packet
    length = len(packet).to_bytes(4 if large else 2, "big")
    return length + packet[len(length) :]


def _exchange(address: tuple[str, int], sent: list[bytes], quiet: float) -> str:
    """Send the packets one by one, each after the answer to the one before, as a client does:
    ``answered`` when every answer came (or a REFUSE), ``closed`` when the server ended the
    connection instead, ``waiting`` when it fell silent for ``quiet`` seconds (a packet whose
    header promises more bytes than were sent: it waits for them, as any server would). Each
    answer fits one packet (replies are smaller than the SDU); lengths are 2 bytes wide until
    ACCEPT, 4 after."""
    from airflow_datapump.testing._net import packets

    with socket.create_connection(address, timeout=quiet) as sock:
        try:
            for index, packet in enumerate(sent):
                sock.sendall(packet)
                answer = packets.read_packet(sock, large=index > 0)
                if answer.type == packets.REFUSE:
                    return "answered"
        except packets.PeerClosedError as exc:
            return "waiting" if isinstance(exc.__cause__, TimeoutError) else "closed"
        except OSError:
            return "closed"
    return "answered"


def main(count: int, session_count: int) -> int:
    from airflow_datapump.testing import EmulatedOracle

    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("airflow_datapump.testing._net").setLevel(logging.ERROR)  # refusals are expected
    with EmulatedOracle() as oracle:
        recorded = recorded_requests(oracle.dsn())
        seeds = SEEDS + recorded
        failures = fuzz_decoders(count, seeds)
        print(f"decoders: {count} inputs, {failures} unexpected exceptions")
        outcomes = fuzz_session(oracle.backend, recorded, session_count)
        assert oracle.server is not None
        address = (oracle.server.host, oracle.server.port)
        logon = fuzz_logon(address, recorded_logon(oracle.dsn()), session_count)
    drops = session_count - outcomes["answered"]
    print(f"session: {session_count} inputs, {drops} end in a dropped connection")
    for outcome, times in outcomes.most_common():
        if outcome != "answered":
            print(f"  {times:6d}  {outcome}")
    print(f"before logon: {session_count} inputs, {logon['traceback']} unexpected exceptions")
    for outcome, times in sorted(logon.items()):
        if outcome != "traceback":
            print(f"  {times:6d}  {outcome}")
    return 1 if failures or drops or logon["traceback"] else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    sys.exit(main(*(args + [100_000, 5_000][len(args) :])))
