"""Route every DSN to the in-process Oracle Net server (transitional, wire transport only).

Existing tests and DAGs name hosts such as ``localhost/FREEPDB1`` or ``db.example.com``; the
server listens on an ephemeral loopback port. While active, this wraps python-oracledb's
connection entry points so that the host and port of whatever they are given are replaced
by the server's, using python-oracledb's own ``ConnectParams`` to read the DSN; the call then
goes to the real, unmodified driver, which returns its own objects. Code that connects with
:meth:`EmulatedOracle.dsn` needs none of this.

Routed logons as SYS or SYSTEM also get the emulator's administrator password, mirroring the
patch layer's "any password" for those accounts (tests written for it pass, say, ``x``).
Over the wire that shortcut cannot exist in the server, because O5LOGON proves the password;
connections made without the route must use the real one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import oracledb

_ENTRY_POINTS = {
    "connect": ("oracledb.connection", oracledb.ConnectParams),
    "connect_async": ("oracledb.connection", oracledb.ConnectParams),
    "create_pool": ("oracledb.pool", oracledb.PoolParams),
    "create_pool_async": ("oracledb.pool", oracledb.PoolParams),
}
_ADDRESS_KEYS = ("host", "port", "dsn")


class DsnRoute:
    """Installs and removes the wrappers; ``start``/``stop`` must pair up."""

    def __init__(self, host: str, port: int, admin_password: str) -> None:
        self.host, self.port = host, port
        self._admin_password = admin_password
        self._saved: list[tuple[Any, str, Any]] = []

    def start(self) -> None:
        for name, (module_name, params_class) in _ENTRY_POINTS.items():
            original = getattr(oracledb, name)
            wrapper = self._wrap(original, params_class)
            for module in (oracledb, sys.modules[module_name]):
                if getattr(module, name, None) is original:
                    self._saved.append((module, name, original))
                    setattr(module, name, wrapper)

    def stop(self) -> None:
        for module, name, original in reversed(self._saved):
            setattr(module, name, original)
        self._saved.clear()

    def _wrap(self, original: Callable[..., Any], params_class: type[Any]) -> Callable[..., Any]:
        target = original
        while getattr(target, "_dsn_route", False):  # a route nested in another: skip the outer
            target = target.__wrapped__  # type: ignore[attr-defined]

        def routed(dsn: str | None = None, *args: Any, params: Any = None, **kwargs: Any) -> Any:
            routed_params = params.copy() if params is not None else params_class()
            user = kwargs.get("user")
            if dsn is None and isinstance(user, str) and "@" in user:
                user, _, dsn = user.partition("@")
                name, _, password = user.partition("/")
                kwargs["user"] = name
                if password:
                    kwargs.setdefault("password", password)
            if dsn is not None:
                if "/" in dsn.split("@")[-1] and "@" in dsn and "(" not in dsn:
                    credentials, _, dsn = dsn.rpartition("@")
                    name, _, password = credentials.partition("/")
                    kwargs.setdefault("user", name)
                    if password:
                        kwargs.setdefault("password", password)
                routed_params.parse_connect_string(dsn)
            for key in ("service_name", "sid"):
                if kwargs.get(key) is not None:
                    routed_params.set(**{key: kwargs.pop(key)})
            for key in _ADDRESS_KEYS:
                kwargs.pop(key, None)
            routed_params.set(host=self.host, port=self.port)
            name = kwargs.get("user") or routed_params.user
            if isinstance(name, str) and name.strip('"').upper() in ("SYS", "SYSTEM"):
                kwargs["password"] = self._admin_password
            return target(*args, params=routed_params, **kwargs)

        routed.__wrapped__ = original  # type: ignore[attr-defined]
        routed._dsn_route = True  # type: ignore[attr-defined]
        return routed
