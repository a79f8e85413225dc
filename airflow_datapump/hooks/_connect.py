"""The connect parameters OracleHook.get_conn would use, for connections it does not open.

The async side (``oracledb.connect_async`` and its pools) must reach the same database as
``OracleHook.get_conn`` from the same Airflow connection: host, port, service name or SID,
DSN, wallet, mode, purity and the rest. This mirrors apache-airflow-providers-oracle 4.7.1's
``get_conn`` line for line, quirks included (a schema used as the service name is also set
as the current schema); a test compares the two on many connection shapes so they cannot
drift apart silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import oracledb

from airflow_datapump.exceptions import DatapumpError

DEFAULT_DB_PORT = 1521
_PASS_THROUGH = (
    "wallet_location",
    "wallet_password",
    "ssl_server_cert_dn",
    "ssl_server_dn_match",
    "cclass",
    "pool_name",
)


@dataclass(frozen=True)
class ConnectParams:
    kwargs: dict[str, Any] = field(repr=False)  # holds the password: never printed
    module: str | None = None
    current_schema: str | None = None
    thick: bool = False  # the connection asks for thick mode: no asyncio driver then

    def key(self) -> tuple[Any, ...]:
        """What identifies a pool: everything but the password."""
        return tuple(
            sorted((k, repr(v)) for k, v in self.kwargs.items() if k not in ("password", "wallet_password"))
        )


def connect_params(conn: Any, extra: dict[str, Any] | None = None) -> ConnectParams:
    """``conn`` is an Airflow Connection; see OracleHook.get_conn for each rule.

    ``extra`` is the connection's extra when the caller has read it already: on an event loop
    it must be read with ``aextra_dejson``, because ``extra_dejson`` masks its values with a
    synchronous message to the process's supervisor (see ``_pool.params_of``).
    """
    extra = conn.extra_dejson if extra is None else extra
    config: dict[str, Any] = {"user": conn.login, "password": conn.password}
    sid = extra.get("sid")
    schema = conn.schema
    service_name = extra.get("service_name")
    if not service_name and not sid and schema:
        service_name = schema
    port = conn.port if conn.port else DEFAULT_DB_PORT
    if conn.host and sid and not service_name:
        config["dsn"] = oracledb.makedsn(conn.host, port, sid)
    elif conn.host and service_name and not sid:
        config["dsn"] = oracledb.makedsn(conn.host, port, service_name=service_name)
    else:
        dsn = extra.get("dsn")
        if dsn is None:
            dsn = conn.host or ""
            if conn.port is not None:
                dsn += f":{conn.port}"
            if service_name:
                dsn += f"/{service_name}"
        config["dsn"] = dsn
    if "events" in extra:
        config["events"] = extra.get("events")
    if mode_name := extra.get("mode"):
        auth_mode = getattr(oracledb.AuthMode, mode_name.upper(), None)
        if auth_mode is not None:
            config["mode"] = auth_mode
    if purity_name := extra.get("purity"):
        purity = getattr(oracledb.Purity, purity_name.upper(), None)
        if purity is not None:
            config["purity"] = purity
    if extra.get("expire_time"):
        config["expire_time"] = extra.get("expire_time")
    for name in _PASS_THROUGH:
        if extra.get(name) is not None:
            config[name] = extra.get(name)
    current_schema = schema if schema and service_name else None
    return ConnectParams(config, extra.get("module"), current_schema, bool(extra.get("thick_mode")))


_THICK_MODE_REFUSALS = {
    "DPI-1047": "python-oracledb found no Oracle Client libraries (DPI-1047). Install Oracle "
    "Instant Client and set thick_mode_lib_dir, or drop thick_mode: thin mode needs no client.",
    "DPY-2019": "this process already uses thin mode, and python-oracledb cannot switch a "
    "process to thick mode after that (DPY-2019). Use one mode per process.",
}


def thick_mode_unavailable(error: BaseException, conn_id: str) -> DatapumpError | None:
    """The provider's own error when thick mode was asked for and cannot be had.

    python-oracledb's error (from ``init_oracle_client``) names a library or a driver mode
    but not the setting that asked for thick mode; the user's fix is in the connection.
    """
    for code, why in _THICK_MODE_REFUSALS.items():
        if code in str(error):
            return DatapumpError(
                f"thick_mode: true (connection {conn_id!r} extra, or the hook's thick_mode) is "
                f"not usable here: {why}"
            )
    return None
