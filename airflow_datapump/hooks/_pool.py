"""One async connection pool per Airflow connection and event loop, per process.

A triggerer watches many jobs with many triggers; each poll borrowing a pooled session means
that after warm-up a status poll opens no session. The pool opens a session only when every
open one is busy, up to ``[datapump] pool_max_sessions``, and closes sessions left idle, so
its size follows the demand: polls spread over the interval (see the trigger) need about
one. The Airflow connection is fetched once per hook, with ``aget_connection``, never with
the blocking call on the event loop (that also tells whether the hook runs in thick mode),
and its extra read with ``aextra_dejson``.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import oracledb
from asgiref.sync import sync_to_async

from airflow_datapump.get_provider_info import DEFAULT_POOL_MAX_SESSIONS
from airflow_datapump.hooks._connect import ConnectParams, connect_params

POOL_MIN = 1
# A session idle this long is closed (down to POOL_MIN): a burst of polls leaves no crowd behind.
POOL_IDLE_SECONDS = 120
# Pools belong to their event loop; keyed weakly by the loop so a new loop never inherits one.
_POOLS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


async def params_of(hook: Any) -> ConnectParams:
    cached: ConnectParams | None = getattr(hook, "_async_params", None)
    if cached is None:
        conn_id = hook.get_conn_id()
        lookup = getattr(hook, "aget_connection", None)
        if lookup is None:  # Airflow 3.0 has no async lookup: the sync one, off the event loop
            cached = await sync_to_async(lambda: connect_params(hook.get_connection(conn_id)))()
        else:
            connection = await lookup(conn_id)
            cached = connect_params(connection, await _extra(connection))
        hook._async_params = cached
    return cached


async def _extra(connection: Any) -> dict[str, Any]:
    """The connection's extra, read without a synchronous call on the event loop.

    ``extra_dejson`` registers the extra's values as secrets to mask, and in a task or the
    triggerer it also tells the supervisor, with a synchronous request; ``aextra_dejson``
    (newer task SDKs; 3.3 has it) sends the same request awaited. Without it, the sync property
    is read in a thread.
    """
    aextra = getattr(connection, "aextra_dejson", None)
    if aextra is not None:
        extra: dict[str, Any] = await aextra()
        return extra
    return await sync_to_async(lambda: dict(connection.extra_dejson))()


async def get_pool(hook: Any) -> Any:
    params = await params_of(hook)
    pools = _POOLS.setdefault(asyncio.get_running_loop(), {})
    key = (hook.get_conn_id(), params.key())
    pool = pools.get(key)
    if pool is None:
        pool = oracledb.create_pool_async(
            min=POOL_MIN, max=pool_max_sessions(), increment=1, timeout=POOL_IDLE_SECONDS, **params.kwargs
        )
        pools[key] = pool
    return pool


def pool_max_sessions() -> int:
    """``[datapump] pool_max_sessions``: the most sessions one pool opens to one database."""
    from airflow.configuration import conf

    value = conf.getint("datapump", "pool_max_sessions", fallback=DEFAULT_POOL_MAX_SESSIONS)
    if value < POOL_MIN:
        raise ValueError(f"[datapump] pool_max_sessions: {value!r} is not allowed; at least {POOL_MIN}")
    return value


async def prepare(hook: Any, connection: Any) -> None:
    """Give a pooled session what OracleHook.get_conn gives a new one: module, schema."""
    params = await params_of(hook)
    if params.module is not None:
        connection.module = params.module
    if params.current_schema is not None:
        connection.current_schema = params.current_schema


async def close_pools() -> None:
    """Close the pools of the running event loop (tests, and a triggerer shutting down)."""
    pools = _POOLS.pop(asyncio.get_running_loop(), {})
    for pool in pools.values():
        await pool.close(force=True)
