"""From the arguments of ``oracledb.connect()`` to a :class:`ConnectRequest`.

Parsing is python-oracledb's own (``ConnectParams``), so every DSN form the real driver
accepts (Easy Connect, connect descriptors, ``makedsn()`` output, ``user/pw@dsn``, keyword
``host``/``port``/``service_name``/``sid``, a ``params=`` object) resolves here exactly as it
would there, and malformed ones fail with the same errors.
"""

from __future__ import annotations

import importlib
from typing import Any

import oracledb
from oracledb import errors as _ora_errors

from . import errors
from .engine import ConnectRequest

# python-oracledb's compiled parameter parser (no type stubs).
ConnectParamsImpl: Any = importlib.import_module("oracledb.base_impl").ConnectParamsImpl

# Keyword arguments python-oracledb accepts for pools and not for ConnectParams.
_POOL_ONLY = frozenset(
    {
        "min",
        "max",
        "increment",
        "connectiontype",
        "getmode",
        "homogeneous",
        "timeout",
        "wait_timeout",
        "max_lifetime_session",
        "session_callback",
        "max_sessions_per_shard",
        "soda_metadata_cache",
        "ping_interval",
        "ping_timeout",
    }
)


def connect_request(dsn: str | None, params: Any, kwargs: dict[str, Any], *, thin: bool) -> ConnectRequest:
    """Resolve connect arguments; raise the real driver's error when no service is named."""
    if params is not None and not isinstance(params, oracledb.ConnectParams | oracledb.PoolParams):
        raise errors.driver_error(errors.INVALID_CONNECT_PARAMS)
    impl = params._impl.copy() if params is not None else ConnectParamsImpl()
    kwargs = {k: val for k, val in kwargs.items() if k not in _POOL_ONLY and val is not None}
    user = kwargs.get("user")
    if dsn is None and isinstance(user, str) and "@" in user:
        # cx_Oracle's connect("user/password@dsn") form, which python-oracledb reads as user.
        name, password, dsn = impl.parse_dsn_with_credentials(user)
        kwargs["user"] = name
        if password is not None:
            kwargs["password"] = password
    parsed_dsn = impl.process_args(dsn, kwargs, True)
    view = oracledb.ConnectParams()
    view._impl = impl
    service, sid = _first(view.service_name), _first(view.sid)
    host, port = _first(view.host), _first(view.port)
    if not service and not sid:
        raise _no_service()
    return ConnectRequest(
        service_name=str(service or sid).upper(),
        user=view.user,
        password=_password(impl, kwargs),
        mode=int(view.mode),
        thin=thin,
        via_sid=not service,
        host=host,
        port=port,
        purity=int(_first(view.purity) or 0),
        program=view.program,
        dsn=parsed_dsn,
    )


def _first(value: Any) -> Any:
    """ConnectParams answers with a list when a DSN has several descriptions."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _no_service() -> Exception:
    """What thin mode reports when the listener is given no SERVICE_NAME (TNS-12504)."""
    refused = _ora_errors._get_error_text(errors.LISTENER_REFUSED_CONNECTION, error_code="12504")
    exc: Exception = _ora_errors._create_exception(
        errors.CONNECTION_FAILED, context_error_message=refused, connection_id="emulated"
    )
    return exc


_PROBE = "\x00emulator-probe\x00"
_password_slot: int | None = -1


def _password(impl: Any, kwargs: dict[str, Any]) -> str | None:
    """The password the parameters hold, wherever it came from.

    python-oracledb keeps it obfuscated in a private slot of its parameter object; the slot is
    found once by probing with a known value. Should a future release move it, passwords
    given as keyword arguments (OracleHook's way) still work.
    """
    global _password_slot
    if _password_slot == -1:
        probe = ConnectParamsImpl()
        probe.set({"password": _PROBE})
        state = probe.__reduce__()[2]
        _password_slot = next((i for i, x in enumerate(state) if _secret(x) == _PROBE), None)
    if _password_slot is not None:
        found = _secret(impl.__reduce__()[2][_password_slot])
        if found is not None:
            return found
    password = kwargs.get("password")
    return password if isinstance(password, str) else None


def _secret(item: Any) -> str | None:
    getter = getattr(item, "get_value", None)
    if getter is None:
        return None
    try:
        value = getter()
    except Exception:
        return None
    return value if isinstance(value, str) else None
