"""An emulated Oracle database served over Oracle Net, for testing Data Pump DAGs offline.

Like moto for AWS, but at the wire: :class:`EmulatedOracle` starts an Oracle Net server on an
ephemeral loopback port, and the real, unmodified python-oracledb (thin mode) and Airflow's
``OracleHook`` connect to it with an ordinary DSN, user and password::

    from airflow_datapump.testing import emulated_oracle

    with emulated_oracle() as oracle:
        hr = oracle.database("FREEPDB1")
        hr.load_sample_hr()
        conn = oracledb.connect(user="hr", password="hr", dsn=oracle.dsn("FREEPDB1"))
        ...
        hr.advance(60)  # move the emulated clock; running jobs progress

It works as a decorator (``@emulated_oracle()``, the function gets the emulator as its
``oracle`` keyword argument) and as the pytest fixture ``emulated_oracle`` this package
registers. The DSN's service name picks a database, created on first use. SYS and SYSTEM log
on with :data:`ADMIN_PASSWORD` until a statement changes it; other users must be created first.

State lives on disk and every process reaches the server by connecting to it:
:meth:`EmulatedOracle.env` gives an ``AIRFLOW_CONN_...`` variable for an Airflow worker,
triggerer or CLI started as a child process. ``python -m airflow_datapump.testing serve`` runs
the same server on its own.

See ``docs/emulator.md`` for what is emulated, what is not, and every known difference.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

from airflow_datapump.testing._backend.engine import Backend
from airflow_datapump.testing._backend.logon import DEFAULT_ADMIN_PASSWORD
from airflow_datapump.testing._net.server import INBOUND_CONNECT_TIMEOUT, WireServer
from airflow_datapump.testing.handle import DatabaseHandle

#: The password of SYS and SYSTEM in a new emulated database.
ADMIN_PASSWORD = DEFAULT_ADMIN_PASSWORD

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "ADMIN_PASSWORD",
    "DatabaseHandle",
    "EmulatedOracle",
    "emulated_oracle",
]


class EmulatedOracle:
    """One emulator: a state folder with its databases, and the Oracle Net server serving them.

    :param state_dir: where the databases live; a new temporary folder (removed on stop)
        when None.
    :param clock: ``manual`` (default): time stands still until a test advances it;
        ``wall``: time follows the real clock, for several processes sharing a database.
    :param host: the address the server listens on (default ``127.0.0.1``, loopback only).
    :param port: the port (default 0: a free one, see :attr:`port` once started).
    :param inbound_connect_timeout: seconds a client has to complete its connect request
        before the listener cuts it off (default 60, Oracle's listener's default).
    """

    def __init__(
        self,
        state_dir: str | Path | None = None,
        *,
        clock: str = "manual",
        host: str = "127.0.0.1",
        port: int = 0,
        inbound_connect_timeout: float = INBOUND_CONNECT_TIMEOUT,
    ) -> None:
        self._inbound_connect_timeout = inbound_connect_timeout
        self._owned = state_dir is None
        self.state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="oracle-emulator-"))
        self.backend = Backend(self.state_dir, clock=clock)
        self._address = (host, port)
        self.server: WireServer | None = None
        _register_packages()

    def start(self) -> EmulatedOracle:
        if self.server is None:
            self.server = WireServer(
                self.backend,
                self.backend.logon_verifier,
                host=self._address[0],
                port=self._address[1],
                known_service=self.backend.offers,
                inbound_connect_timeout=self._inbound_connect_timeout,
            )
            self.server.start()
            # Connections still open when the interpreter exits close themselves during
            # finalisation, when the server's threads can no longer answer: stop it first.
            atexit.register(self.server.stop)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            atexit.unregister(self.server.stop)
            self.server = None
        self.backend.shutdown()
        if self._owned:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    @property
    def host(self) -> str:
        """The server's address (once started)."""
        return str(self._server().host)

    @property
    def port(self) -> int:
        """The server's port (once started; the one picked when 0 was asked for)."""
        return int(self._server().port)

    def dsn(self, service: str = "FREEPDB1") -> str:
        """An Easy Connect string, ``host:port/SERVICE``, that reaches ``service``."""
        return self._server().dsn(service.upper())

    def connection_uri(
        self, service: str = "FREEPDB1", user: str = "system", password: str = ADMIN_PASSWORD
    ) -> str:
        """An Airflow ``oracle://`` connection URI for ``user`` on ``service``."""
        server = self._server()
        return (
            f"oracle://{quote(user, safe='')}:{quote(password, safe='')}@{server.host}:{server.port}"
            f"?service_name={quote(service.upper(), safe='')}"
        )

    def env(
        self,
        conn_id: str = "oracle_default",
        *,
        service: str = "FREEPDB1",
        user: str = "system",
        password: str = ADMIN_PASSWORD,
    ) -> dict[str, str]:
        """The environment variable that gives a child process an Airflow connection to the
        server (``AIRFLOW_CONN_<CONN_ID>``): the child needs nothing else to share the database."""
        return {f"AIRFLOW_CONN_{conn_id.upper()}": self.connection_uri(service, user, password)}

    def _server(self) -> WireServer:
        if self.server is None:
            raise RuntimeError("the emulator's Oracle Net server is not running: call start() first")
        return self.server

    def __enter__(self) -> EmulatedOracle:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def database(self, service: str = "FREEPDB1") -> DatabaseHandle:
        """The emulated database a DSN naming ``service`` reaches (created on first use)."""
        return DatabaseHandle(self.backend, self.backend.database(service.upper()))

    def reset(self) -> None:
        """Forget every database: the next connection starts from a new one."""
        self.backend.shutdown()
        for child in self.state_dir.iterdir():
            shutil.rmtree(child, ignore_errors=True)


def emulated_oracle(state_dir: str | Path | None = None, *, clock: str = "manual") -> _Activation:
    """Start an emulator: ``with emulated_oracle() as oracle:`` or ``@emulated_oracle()``."""
    return _Activation(state_dir, clock)


class _Activation:
    def __init__(self, state_dir: str | Path | None, clock: str) -> None:
        self._args = (state_dir, clock)
        self._oracle: EmulatedOracle | None = None

    def __enter__(self) -> EmulatedOracle:
        self._oracle = EmulatedOracle(self._args[0], clock=self._args[1]).start()
        return self._oracle

    def __exit__(self, *exc: object) -> None:
        assert self._oracle is not None
        self._oracle.stop()
        self._oracle = None

    def __call__(self, func: F) -> F:
        """The decorated function runs with a started emulator as its ``oracle`` argument."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with EmulatedOracle(self._args[0], clock=self._args[1]) as oracle:
                return func(*args, oracle=oracle, **kwargs)

        return wrapper  # type: ignore[return-value]


def _register_packages() -> None:
    """Import the modules that register packages, types and views with the backend."""
    import airflow_datapump.testing._packages_registry  # noqa: F401
