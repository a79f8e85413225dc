"""An emulated Oracle database under python-oracledb, for testing Data Pump DAGs offline.

Like moto for AWS: while the emulator is active, ``oracledb.connect``, ``connect_async`` and
the pool constructors return emulated connections, so unchanged code (Airflow's
``OracleHook.get_conn`` included) talks to it::

    from airflow_datapump.testing import emulated_oracle

    with emulated_oracle() as oracle:
        hr = oracle.database("FREEPDB1")
        hr.load_sample_hr()
        ...  # run the code under test against dsn "localhost/FREEPDB1"
        hr.advance(60)  # move the emulated clock; running jobs progress

It works as a decorator (``@emulated_oracle()``) and as the pytest fixture ``emulated_oracle``
this package registers. The DSN's service name picks a database, created on first use.
SYSTEM logs on with any password and is a DBA; other users must be created first.

State lives on disk, so other processes can share a database: :meth:`EmulatedOracle.env`
gives the environment variables that activate the same emulator in a child process (for an
Airflow worker or triggerer); ``airflow_datapump`` activates it on import when
``AIRFLOW_DATAPUMP_EMULATOR`` names a state folder.

See ``docs/emulator.md`` for what is emulated, what is not, and every known difference.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from airflow_datapump.testing._backend.engine import DEFAULT_ADMIN_PASSWORD, Backend
from airflow_datapump.testing._driver.patching import EmulatorPatch
from airflow_datapump.testing._net.server import WireServer
from airflow_datapump.testing._wire_route import DsnRoute
from airflow_datapump.testing.handle import DatabaseHandle

ENV_STATE = "AIRFLOW_DATAPUMP_EMULATOR"
ENV_CLOCK = "AIRFLOW_DATAPUMP_EMULATOR_CLOCK"
ENV_TRANSPORT = "AIRFLOW_DATAPUMP_EMULATOR_TRANSPORT"
TRANSPORTS = ("patch", "wire")

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "ENV_CLOCK",
    "ENV_STATE",
    "ENV_TRANSPORT",
    "DatabaseHandle",
    "EmulatedOracle",
    "emulated_oracle",
]


class EmulatedOracle:
    """One emulator: a state folder with its databases, and the patch that routes the driver.

    :param state_dir: where the databases live; a new temporary folder (removed on stop)
        when None.
    :param clock: ``manual`` (default): time stands still until a test advances it;
        ``wall``: time follows the real clock, for several processes sharing a database.
    :param transport: ``patch`` (default; the environment variable
        ``AIRFLOW_DATAPUMP_EMULATOR_TRANSPORT`` can change the default): python-oracledb's entry
        points return emulated objects. ``wire``: an Oracle Net server on ``host``:``port``
        (port 0, the default, picks a free one) serves the real, unmodified driver; while
        started, DSNs given to ``oracledb.connect`` and friends in this process are routed to
        it unless ``route_dsns`` is False.
    """

    def __init__(
        self,
        state_dir: str | Path | None = None,
        *,
        clock: str = "manual",
        transport: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        route_dsns: bool = True,
    ) -> None:
        chosen = transport or os.environ.get(ENV_TRANSPORT) or "patch"
        if chosen not in TRANSPORTS:
            raise ValueError(f"transport {chosen!r}: expected one of {', '.join(TRANSPORTS)}")
        self.transport = chosen
        self._owned = state_dir is None
        self.state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="oracle-emulator-"))
        self.backend = Backend(self.state_dir, clock=clock)
        self._patch = EmulatorPatch(self.backend)
        self._address = (host, port)
        self._route_dsns = route_dsns
        self.server: WireServer | None = None
        self._route: DsnRoute | None = None
        _register_packages()

    def start(self) -> EmulatedOracle:
        if self.transport == "patch":
            self._patch.start()
            return self
        if self.server is None:
            self.server = WireServer(
                self.backend,
                self.backend.logon_verifier,
                host=self._address[0],
                port=self._address[1],
                known_service=self.backend.offers,
            )
            self.server.start()
            # Connections still open when the interpreter exits close themselves during
            # finalisation, when the server's threads can no longer answer: stop it first.
            atexit.register(self.server.stop)
            if self._route_dsns:
                self._route = DsnRoute(self.server.host, self.server.port, DEFAULT_ADMIN_PASSWORD)
                self._route.start()
        return self

    def stop(self) -> None:
        if self.transport == "wire":
            if self._route is not None:
                self._route.stop()
            if self.server is not None:
                self.server.stop()
                atexit.unregister(self.server.stop)
            self.server, self._route = None, None
        else:
            self._patch.stop()
        if not self._patch.active:
            self.backend.shutdown()
            if self._owned:
                shutil.rmtree(self.state_dir, ignore_errors=True)

    @property
    def host(self) -> str:
        """The server's address (wire transport, once started)."""
        return str(self._server().host)

    @property
    def port(self) -> int:
        return int(self._server().port)

    def dsn(self, service: str = "FREEPDB1") -> str:
        """An Easy Connect string that reaches ``service`` on the server (wire transport)."""
        return self._server().dsn(service.upper())

    def connection_uri(
        self, service: str = "FREEPDB1", user: str = "system", password: str = "oracle"
    ) -> str:
        """An Airflow ``oracle://`` connection URI for ``user`` on ``service`` (wire transport)."""
        from urllib.parse import quote

        server = self._server()
        return (
            f"oracle://{quote(user, safe='')}:{quote(password, safe='')}@{server.host}:{server.port}"
            f"?service_name={quote(service.upper(), safe='')}"
        )

    def _server(self) -> WireServer:
        if self.server is None:
            raise RuntimeError("the Oracle Net server runs only with transport='wire', once started")
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

    def env(self) -> dict[str, str]:
        """Environment variables that activate this emulator in a child process."""
        return {ENV_STATE: str(self.state_dir), ENV_CLOCK: self.backend.clock}

    def reset(self) -> None:
        """Forget every database: the next connection starts from a new one."""
        self.backend.shutdown()
        for child in self.state_dir.iterdir():
            shutil.rmtree(child, ignore_errors=True)


def emulated_oracle(state_dir: str | Path | None = None, *, clock: str = "manual") -> _Activation:
    """Activate an emulator: ``with emulated_oracle() as oracle:`` or ``@emulated_oracle()``."""
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
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with EmulatedOracle(self._args[0], clock=self._args[1]):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def activate_from_environment() -> EmulatedOracle | None:
    """Start the emulator a parent process described in the environment, if any."""
    state = os.environ.get(ENV_STATE)
    if not state:
        return None
    global _FROM_ENVIRONMENT
    if _FROM_ENVIRONMENT is None:
        _FROM_ENVIRONMENT = EmulatedOracle(state, clock=os.environ.get(ENV_CLOCK, "wall")).start()
    return _FROM_ENVIRONMENT


_FROM_ENVIRONMENT: EmulatedOracle | None = None


def _register_packages() -> None:
    """Import the modules that register packages, types and views with the backend."""
    import airflow_datapump.testing._packages_registry  # noqa: F401
