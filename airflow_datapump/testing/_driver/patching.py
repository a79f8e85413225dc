"""Activation: python-oracledb's entry points replaced by the emulated driver, moto-style.

While an :class:`EmulatorPatch` is started, ``oracledb.connect``, ``connect_async``,
``create_pool``, ``create_pool_async`` and ``get_pool`` return emulated objects talking to its
engine, both as ``oracledb.X`` and in the submodules that define them
(``oracledb.connection``, ``oracledb.pool``), so code that reaches them either way runs
unchanged. ``oracledb.init_oracle_client`` is recorded and otherwise ignored, so thick-mode
configurations (OracleHook's ``thick_mode=True``) also work; connections opened after it then
report ``thin == False``, while python-oracledb's own ``is_thin_mode()`` is left untouched.

Names bound before ``start()`` (``from oracledb import connect``) are not reached, as with any
patching. ``oracledb.Connection(...)`` and ``oracledb.ConnectionPool(...)`` constructed
directly are not intercepted either: replacing those classes would break ``isinstance``.

``start()`` and ``stop()`` are reference counted per patch, so nested use of one patch is
safe. Several patches nest if stopped in reverse order; stopping one while another installed
later is still active raises ``RuntimeError`` rather than restoring the wrong functions.
"""

from __future__ import annotations

import sys
import types
from typing import Any, TypeVar

import oracledb

from . import errors
from .calls import open_session, run_async
from .connection import AsyncConnection, Connection
from .engine import Engine
from .params import connect_request
from .pool import AsyncConnectionPool, BasePool, ConnectionPool

_P = TypeVar("_P", bound=BasePool)

# The package deletes its submodule attributes, so reach the submodules through sys.modules.
_CONNECTION = sys.modules["oracledb.connection"]
_POOL = sys.modules["oracledb.pool"]
_UTILS = sys.modules["oracledb.utils"]
_TARGETS: dict[str, tuple[types.ModuleType, ...]] = {
    "connect": (oracledb, _CONNECTION),
    "connect_async": (oracledb, _CONNECTION),
    "create_pool": (oracledb, _POOL),
    "create_pool_async": (oracledb, _POOL),
    "get_pool": (oracledb, _POOL),
    "init_oracle_client": (oracledb, _UTILS),
}


class EmulatorPatch:
    """Routes python-oracledb's connection entry points to ``engine`` between start and stop.

    ``init_oracle_client_calls`` records the keyword arguments of each ``init_oracle_client``
    call made while active.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.init_oracle_client_calls: list[dict[str, Any]] = []
        self._saved: list[tuple[types.ModuleType, str, Any]] = []
        self._installed: dict[str, Any] = {}
        self._pools: dict[str, BasePool] = {}
        self._depth = 0

    @property
    def active(self) -> bool:
        return self._depth > 0

    def start(self) -> None:
        self._depth += 1
        if self._depth > 1:
            return
        validators = {
            n: getattr(oracledb, n) for n in ("connect", "connect_async", "create_pool", "create_pool_async")
        }
        self._validators = {n: getattr(f, "__wrapped__", None) for n, f in validators.items()}
        self._installed = {name: getattr(self, name) for name in _TARGETS}
        for name, modules in _TARGETS.items():
            for module in modules:
                self._saved.append((module, name, module.__dict__[name]))
                setattr(module, name, self._installed[name])

    def stop(self) -> None:
        if self._depth == 0:
            raise RuntimeError("EmulatorPatch.stop() called without a matching start()")
        if self._depth == 1:
            for module, name, _ in self._saved:
                if module.__dict__[name] is not self._installed[name]:
                    raise RuntimeError(f"{module.__name__}.{name} was patched again; stop that first")
            for module, name, original in reversed(self._saved):
                setattr(module, name, original)
            self._saved.clear()
            self._pools.clear()
            self.init_oracle_client_calls.clear()
        self._depth -= 1

    def __enter__(self) -> EmulatorPatch:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Replacements ---------------------------------------------------------------------------

    def connect(
        self,
        dsn: str | None = None,
        *,
        pool: Any = None,
        pool_alias: str | None = None,
        conn_class: Any = None,
        params: Any = None,
        **kwargs: Any,
    ) -> Connection:
        """Replaces ``oracledb.connect``: a pool (or pool alias) acquires, else logs on."""
        self._validate("connect", dsn, params, kwargs)
        pool = self._pools.get(pool_alias, pool) if pool_alias is not None else pool
        if isinstance(pool, ConnectionPool):
            return pool.acquire()
        thin = not self.init_oracle_client_calls
        return Connection.open(self.engine, connect_request(dsn, params, kwargs, thin=thin))

    def connect_async(
        self,
        dsn: str | None = None,
        *,
        pool: Any = None,
        pool_alias: str | None = None,
        conn_class: Any = None,
        params: Any = None,
        **kwargs: Any,
    ) -> AsyncConnection:
        """Replaces ``oracledb.connect_async``: returns an awaitable connection."""
        self._validate("connect_async", dsn, params, kwargs)
        pool = self._pools.get(pool_alias, pool) if pool_alias is not None else pool
        if isinstance(pool, AsyncConnectionPool):
            return pool.acquire()
        request = connect_request(dsn, params, kwargs, thin=True)
        return AsyncConnection.pending(lambda: run_async(open_session(self.engine, request)))

    def create_pool(
        self,
        dsn: str | None = None,
        *,
        pool_class: Any = None,
        pool_alias: str | None = None,
        params: Any = None,
        **kwargs: Any,
    ) -> ConnectionPool:
        self._validate("create_pool", dsn, params, kwargs)
        request = connect_request(dsn, params, kwargs, thin=not self.init_oracle_client_calls)
        pool = ConnectionPool(self.engine, request, **kwargs)
        return self._register(pool_alias, pool)

    def create_pool_async(
        self,
        dsn: str | None = None,
        *,
        pool_class: Any = None,
        pool_alias: str | None = None,
        params: Any = None,
        **kwargs: Any,
    ) -> AsyncConnectionPool:
        self._validate("create_pool_async", dsn, params, kwargs)
        request = connect_request(dsn, params, kwargs, thin=True)
        return self._register(pool_alias, AsyncConnectionPool(self.engine, request, **kwargs))

    def get_pool(self, pool_alias: str) -> BasePool | None:
        return self._pools.get(pool_alias)

    def init_oracle_client(
        self,
        lib_dir: str | None = None,
        config_dir: str | None = None,
        error_url: str | None = None,
        driver_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Recorded only: the emulator needs no Oracle Client libraries."""
        call = dict(
            lib_dir=lib_dir,
            config_dir=config_dir,
            error_url=error_url,
            driver_name=driver_name,
            **kwargs,
        )
        self.init_oracle_client_calls.append(call)

    def _register(self, alias: str | None, pool: _P) -> _P:
        if alias is not None:
            if alias in self._pools:
                raise errors.driver_error(errors.NAMED_POOL_EXISTS, name=alias)
            self._pools[alias] = pool
        return pool

    def _validate(self, name: str, dsn: str | None, params: Any, kwargs: dict[str, Any]) -> None:
        """Let python-oracledb's own signature reject unknown keyword arguments."""
        validator = self._validators.get(name)
        if validator is not None:
            validator(dsn=dsn, params=params, **kwargs)
