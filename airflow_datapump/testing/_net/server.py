"""A TCP server that speaks Oracle Net to python-oracledb and serves an :class:`Engine`.

One thread per connection: the engine is blocking and thread-safe, so a slow statement (or a
slow client) holds only its own thread. Each connection runs the listener step (CONNECT ->
ACCEPT or REFUSE), the protocol and data-type negotiation, and then answers one request at a
time. Anything malformed ends that connection alone, with the reason logged.
"""

from __future__ import annotations

import contextlib
import logging
import re
import select
import socket
import threading
import time
from collections.abc import Callable

from airflow_datapump.testing._backend.store import StoreClosedError
from airflow_datapump.testing._engine import Engine
from airflow_datapump.testing._net import packets, replies
from airflow_datapump.testing._net.buffer import ProtocolError
from airflow_datapump.testing._net.logon import DisconnectError, VerifierLookup
from airflow_datapump.testing._net.packets import Packet, PeerClosedError
from airflow_datapump.testing._net.session import WireSession
from airflow_datapump.testing._net.worker import CallWorker
from airflow_datapump.testing._plsql.errors import ora_line

log = logging.getLogger(__name__)

_SERVICE = re.compile(r"\((?:SERVICE_NAME|SID)\s*=\s*([^)]*)\)", re.IGNORECASE)
#: The listener's refusals: no service named, an unknown service, protocol versions this
#: server cannot speak (python-oracledb raises DPY-6000, DPY-6001, DPY-6000).
TNS_NO_SERVICE_NAME, TNS_INVALID_SERVICE, TNS_INCOMPATIBLE = 12504, 12514, 12618
BANNER = "Oracle Database 19c (emulated)"
CANCELLED = ora_line(1013)
#: How long :meth:`WireServer.stop` waits for the connections' threads, and a connection for
#: its running engine call, before leaving them behind (seconds).
STOP_WAIT = 10.0
CALL_WAIT = 3.0
#: How long the listener waits for a client to complete its connect request once the network
#: connection is up (Net Services Reference, INBOUND_CONNECT_TIMEOUT_listener_name; seconds).
INBOUND_CONNECT_TIMEOUT = 60.0
LISTENER_TIMED_OUT = 12525  # what the listener logs when that time runs out


def service_of(descriptor: str) -> str | None:
    """The SERVICE_NAME (or SID) a connect descriptor names, upper-cased."""
    found = _SERVICE.search(descriptor)
    return found.group(1).strip().upper() if found else None


class WireServer:
    """Serves ``engine`` on ``host:port`` (port 0 picks a free one) until :meth:`stop`.

    :param known_service: says whether a service name exists; the listener refuses others
        with TNS-12514 (python-oracledb raises DPY-6001). Every name is known when None.
    :param inbound_connect_timeout: seconds a client has to complete its connect request;
        then the listener ends the connection and logs ORA-12525 with the client's address,
        so a client that claims more connect data than it sends holds no thread for ever.
    """

    def __init__(
        self,
        engine: Engine,
        verifier: VerifierLookup,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        known_service: Callable[[str], bool] | None = None,
        inbound_connect_timeout: float = INBOUND_CONNECT_TIMEOUT,
    ) -> None:
        self.engine = engine
        self.inbound_connect_timeout = inbound_connect_timeout
        self._verifier = verifier
        self._known = known_service
        self._listener = socket.create_server((host, port))
        self.host, self.port = self._listener.getsockname()[:2]
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._lock = threading.Lock()

    def dsn(self, service: str) -> str:
        return f"{self.host}:{self.port}/{service}"

    def start(self) -> WireServer:
        self._thread = threading.Thread(target=self._accept_loop, name="oracle-wire-listener", daemon=True)
        self._thread.start()
        return self

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """Stop accepting, end every connection, and wait (boundedly) for their threads.

        The order matters to whoever closes the databases' stores next: a connection thread
        still running would end its session on a store being closed under it. Shutting the
        sockets down makes every blocked read return, so idle connections end at once; a
        connection in the middle of an engine call waits :data:`CALL_WAIT` for it. Safe to
        call more than once.
        """
        if self._stopping.is_set():
            return
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        if self._thread is not None:
            self._thread.join(timeout=STOP_WAIT)
        with self._lock:
            serving = dict(self._connections)
        for conn in serving:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + STOP_WAIT
        for thread in serving.values():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        left = self.threads()
        if left:
            log.warning("threads still running after the server stopped: %s", [t.name for t in left])

    def threads(self) -> list[threading.Thread]:
        """The server's threads still alive: the listener's and one per open connection."""
        with self._lock:
            found = [t for t in self._connections.values() if t.is_alive()]
        if self._thread is not None and self._thread.is_alive():
            found.append(self._thread)
        return found

    def serve_forever(self) -> None:
        self._accept_loop()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, peer = self._listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread = threading.Thread(
                target=self._serve, args=(conn, peer), name=f"oracle-wire-{peer[1]}", daemon=True
            )
            with self._lock:
                if self._stopping.is_set():
                    _close(conn)
                    return
                self._connections[conn] = thread
            thread.start()

    def _serve(self, conn: socket.socket, peer: object) -> None:
        try:
            Connection(self, conn, peer).run()
        except (ProtocolError, ValueError) as exc:
            log.warning("dropping connection from %s: %s", peer, exc)
        except PeerClosedError as exc:
            log.debug("client %s went away: %s", peer, exc)
        except DisconnectError as exc:
            log.debug("connection from %s ended: %s", peer, exc)
        except (OSError, StoreClosedError) as exc:
            if self._stopping.is_set():
                log.debug("connection from %s ended as the server stopped: %s", peer, exc)
            else:
                log.exception("dropping connection from %s after an internal error", peer)
        except Exception:
            log.exception("dropping connection from %s after an internal error", peer)
        finally:
            _close(conn)
            with self._lock:
                self._connections.pop(conn, None)


class Connection:
    """One client conversation: listener step, negotiation, then request/reply until logoff."""

    def __init__(self, server: WireServer, sock: socket.socket, peer: object = None) -> None:
        self.server = server
        self.sock = sock
        self.peer = peer
        self.deadline = 0.0  # when the connect request must be complete (monotonic clock)
        self.session: WireSession | None = None

    def run(self) -> None:
        service = self._listen()
        if service is None:
            return
        self.session = WireSession(self.server.engine, service, self.server._verifier)
        self.worker = CallWorker(f"{threading.current_thread().name}-calls")
        try:
            self._loop()
        finally:
            self.worker.close(CALL_WAIT if self.server.stopping else 5.0)
            if self.worker.alive:  # its call still runs: ending the session now would race it
                log.warning("a call on %s outlived its connection", threading.current_thread().name)
            else:
                self._release()

    def _listen(self) -> str | None:
        """The listener step, within the server's inbound connect timeout: a client that does
        not complete its connect request in time is cut off with ORA-12525 in the log, as
        Oracle's listener logs it (there is no answer to send: the request is incomplete)."""
        self.deadline = time.monotonic() + self.server.inbound_connect_timeout
        try:
            return self._connect_request()
        except TimeoutError:
            log.warning(
                "listener cut off %s after %ss: %s",
                self.peer,
                self.server.inbound_connect_timeout,
                ora_line(LISTENER_TIMED_OUT),
            )
            return None
        finally:
            self.sock.settimeout(None)

    def _connect_request(self) -> str | None:
        """ACCEPT a CONNECT naming a service this server offers, else REFUSE it with the
        listener's error, as python-oracledb reads one (messages/connect.pyx: the number after
        ``(ERR=``). A first packet that is no CONNECT gets no answer: before the listener
        knows what it talks to there is nothing to answer in."""
        packet = self._connect_packet()
        if packet.type != packets.CONNECT:
            raise ProtocolError(f"expected CONNECT, got packet type {packet.type}")
        try:
            request = packets.parse_connect(packet)
            descriptor = request.descriptor
            if not descriptor and request.descriptor_length > packets.MAX_CONNECT_DATA:
                follow = self._connect_packet()  # a long descriptor follows
                if follow.type != packets.DATA:
                    raise ProtocolError(f"packet type {follow.type} where the connect data was due")
                descriptor = follow.data.decode(errors="replace")
        except ProtocolError as exc:
            return self._refuse(TNS_NO_SERVICE_NAME, f"a CONNECT that does not decode: {exc}")
        service = service_of(descriptor)
        known = self.server._known
        if service is None:
            return self._refuse(TNS_NO_SERVICE_NAME, "no SERVICE_NAME or SID in the connect data")
        if known is not None and not known(service):
            return self._refuse(TNS_INVALID_SERVICE, f"service {service} is not offered")
        version = min(request.version, packets.PROTOCOL_VERSION)
        if version < packets.MIN_PROTOCOL_VERSION:
            return self._refuse(TNS_INCOMPATIBLE, f"client protocol version {request.version} is too old")
        self.sock.sendall(packets.accept(version, packets.SDU))
        return service

    def _connect_packet(self) -> Packet:
        """The next packet of the connect request, in the time the request has left (each
        read waits at most that long)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)
        return packets.read_packet(self.sock, large=False)

    def _refuse(self, error: int, reason: str) -> str | None:
        """REFUSE the connection with the listener's ``error``; None: no service to serve."""
        log.info("listener refused a connection with TNS-%05d: %s", error, reason)
        self.sock.sendall(packets.refuse(error))
        return None

    def _loop(self) -> None:
        assert self.session is not None
        while True:
            packet = self._read_request()
            if packet is None:
                return
            data = packet.data
            if not data:
                continue
            if data[0] == replies.MSG_PROTOCOL:
                reply = replies.protocol_reply(BANNER)
            elif data[0] == replies.MSG_DATA_TYPES:
                reply = replies.data_types_reply()
            else:
                answered = self._call(self.session, data)
                if not answered:  # a break was answered, or a one-way message needs no reply
                    continue
                reply = answered
            self._send(reply)

    def _call(self, session: WireSession, data: bytes) -> bytes | None:
        """Run one call while watching for a break; None when the break was answered."""
        self.worker.submit(lambda: session.handle(data))
        while True:
            readable, _, _ = select.select([self.worker.wake, self.sock], [], [])
            if self.worker.wake in readable:
                reply, failure = self.worker.result()
                if failure is not None:
                    raise failure
                return reply
            packet = packets.read_packet(self.sock, large=True)
            if packet.type != packets.MARKER:
                raise ProtocolError(f"packet type {packet.type} while a call was running")
            if packet.payload[2:3] in (bytes([packets.MARKER_BREAK]), bytes([packets.MARKER_INTERRUPT])):
                self._break_running_call()
                return None

    def _break_running_call(self) -> None:
        """Answer a break during a call as Oracle does: BREAK, wait for the client's RESET,
        RESET, then the call's end with ORA-01013. The engine call cannot be stopped: it
        goes on (its work stands), and the next request waits for it; its reply is dropped."""
        self.sock.sendall(packets.marker(packets.MARKER_BREAK))
        while True:
            packet = packets.read_packet(self.sock, large=True)
            if packet.type == packets.MARKER and packet.payload[2:3] == bytes([packets.MARKER_RESET]):
                break
        self.sock.sendall(packets.marker(packets.MARKER_RESET))
        self._send(replies.call_end(error=1013, message=CANCELLED))

    def _read_request(self) -> Packet | None:
        """Gather one request, which may span several DATA packets; None when the client ends."""
        if self.worker.busy:  # a broken-off call still running: its reply is not wanted
            while not self.worker.finished(0.5):
                if self.server.stopping:
                    raise DisconnectError("the server is stopping")
            self.worker.result()
        chunks: list[bytes] = []
        while True:
            packet = packets.read_packet(self.sock, large=True)
            if packet.type == packets.MARKER:
                kind = packet.payload[2:3]
                if kind == bytes([packets.MARKER_BREAK]):
                    self._answer_break()
                elif kind == bytes([packets.MARKER_INTERRUPT]):
                    # A cancel between calls: the driver still waits for the break's answer.
                    self._break_running_call()
                chunks.clear()  # a RESET needs no answer
                continue
            if packet.type != packets.DATA:
                raise ProtocolError(f"unexpected packet type {packet.type}")
            if packet.data_flags & packets.DATA_FLAG_EOF:
                return None
            chunks.append(packet.data)
            if len(packet.payload) + 8 < packets.SDU:
                return Packet(packets.DATA, 0, b"\x00\x00" + b"".join(chunks))

    def _answer_break(self) -> None:
        """The client broke off reading a reply: a RESET marker, then an error reply it skips."""
        self.sock.sendall(packets.marker(packets.MARKER_RESET))
        self._send(replies.call_end(error=1013, message=CANCELLED))

    def _send(self, reply: bytes) -> None:
        for chunk in packets.data_packets(reply):
            self.sock.sendall(chunk)

    def _release(self) -> None:
        if self.session is not None and self.session.session is not None:
            try:
                self.server.engine.close(self.session.session)
            except Exception:
                log.debug("closing an abandoned session failed", exc_info=True)


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()
