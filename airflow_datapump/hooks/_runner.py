"""Running a :class:`~airflow_datapump.core.calls.Call`: the one place sync and async differ.

Both prepare the OUT variables and read the answer the same way; only the execute, fetch and
LOB read are awaited on the async side. Driver errors become the provider's exceptions, with
the driver's exception kept as ``__cause__``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import oracledb

from airflow_datapump.core.calls import Call, Out, translate

T = TypeVar("T")
log = logging.getLogger(__name__)


def _variable(cursor: Any, out: Out) -> Any:
    if out.kind == "number":
        return cursor.var(oracledb.DB_TYPE_NUMBER)
    if out.kind == "clob":
        return cursor.var(oracledb.DB_TYPE_CLOB)
    if out.kind == "blob":
        return cursor.var(oracledb.DB_TYPE_BLOB)
    return cursor.var(str, out.size or 4000)


def _error(call: Call[Any], error: oracledb.Error) -> Exception:
    detail = error.args[0] if error.args else None
    full_code = getattr(detail, "full_code", "") or ""
    message = getattr(detail, "message", str(error)) or str(error)
    return translate(full_code, message, job_name=call.job_name, owner=call.owner)


def opened(open_session: Any, call: Call[Any]) -> Any:
    """Open (or reuse) the session, failing the way a call fails when the database is away."""
    try:
        return open_session()
    except oracledb.Error as error:
        raise _error(call, error) from error


def run(connection: Any, call: Call[T]) -> T:
    cursor = connection.cursor()
    try:
        variables = {name: _variable(cursor, out) for name, out in call.outs.items()}
        if call.blob_binds:
            cursor.setinputsizes(**dict.fromkeys(call.blob_binds, oracledb.DB_TYPE_BLOB))
        cursor.execute(call.statement, {**call.binds, **variables})
        rows = cursor.fetchall() if call.query else []
        values: dict[str, Any] = {}
        for name, variable in variables.items():
            value = variable.getvalue()
            values[name] = value.read() if hasattr(value, "read") else value
        return call.parse(values, rows)
    except oracledb.Error as error:
        raise _error(call, error) from error
    finally:
        cursor.close()


@asynccontextmanager
async def acquired(pool: Any, call: Call[Any]) -> AsyncIterator[Any]:
    """A pooled session, failing the way a call fails when the database is away."""
    try:
        connection = await pool.acquire()
    except oracledb.Error as error:
        raise _error(call, error) from error
    try:
        yield connection
    except BaseException:
        # Interrupted mid-call (a cancelled trigger, a lost connection): the session's state
        # is unknown, so it must not serve the next borrower.
        await _discard(pool, connection)
        raise
    await pool.release(connection)


async def _discard(pool: Any, connection: Any) -> None:
    """Drop a session from the pool, never masking the error that made us drop it.

    A session that died (ORA-03113, ORA-03135, killed, database restarted) is already
    disconnected, and dropping it raises DPY-1001 on top of the call's own error; the call's
    error is the one that says whether to retry, so a failed drop is only logged.
    """
    try:
        await pool.drop(connection)
    except oracledb.Error as error:
        log.debug("dropping a dead pooled session failed: %s", error)


async def arun(connection: Any, call: Call[T]) -> T:
    cursor = connection.cursor()
    try:
        variables = {name: _variable(cursor, out) for name, out in call.outs.items()}
        if call.blob_binds:
            cursor.setinputsizes(**dict.fromkeys(call.blob_binds, oracledb.DB_TYPE_BLOB))
        await cursor.execute(call.statement, {**call.binds, **variables})
        rows = await cursor.fetchall() if call.query else []
        values: dict[str, Any] = {}
        for name, variable in variables.items():
            value = variable.getvalue()
            values[name] = (await value.read()) if hasattr(value, "read") else value
        return call.parse(values, rows)
    except oracledb.Error as error:
        raise _error(call, error) from error
    finally:
        cursor.close()
