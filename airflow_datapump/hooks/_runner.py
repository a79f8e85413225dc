"""Running a :class:`~airflow_datapump.core.calls.Call`: the one place sync and async differ.

Both prepare the OUT variables and read the answer the same way; only the execute, fetch and
LOB read are awaited on the async side. Driver errors become the provider's exceptions, with
the driver's exception kept as ``__cause__``.

An async call is never cancelled inside the driver (see :func:`apooled`): python-oracledb's
thin async protocol (checked with 26.1) waits for a reply on a future of its own, and a
caller's cancellation cancels that future. A reply the protocol hands on in the same loop
iteration then meets the cancelled future: ``InvalidStateError`` in ``data_received``,
asyncio closes the connection as a fatal error, the call fails with DPY-4011, which the
hook's retry takes for a lost session, and the cancellation is lost (the trigger polls on).
The driver's own ``call_timeout`` breaks off a call the same way, so it is no remedy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import oracledb

from airflow_datapump.core.call_errors import translate
from airflow_datapump.core.calls import Call, Out

T = TypeVar("T")
log = logging.getLogger(__name__)

# How long a cancelled caller lets its call finish by itself before breaking it off, and
# again after the break: a status poll takes milliseconds, so only a stuck database waits.
CANCEL_GRACE_SECONDS = 5.0


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
        # Interrupted mid-call (a lost connection, a call broken off or cancelled by
        # _wind_down): the session's state is unknown, so it must not serve the next borrower.
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


async def apooled(pool: Any, call: Call[T], prepare: Callable[[Any], Awaitable[None]]) -> T:
    """Run ``call`` on a pooled session; a cancelled caller lets it end, then is cancelled.

    The call runs in a task of its own that the caller's cancellation does not reach
    (``asyncio.shield``), so the driver never has a wait cancelled under it (see the module's
    docstring). On cancellation the caller waits for that task (:func:`_wind_down`), so the
    session goes back to the pool with its reply read, then re-raises ``CancelledError``:
    a cancelled trigger ends, and its job is left alone.
    """
    using: list[Any] = []

    async def work() -> T:
        async with acquired(pool, call) as connection:
            using.append(connection)
            await prepare(connection)
            return await arun(connection, call)

    task = asyncio.ensure_future(work())
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await _wind_down(task, using)
        raise


async def _wind_down(task: asyncio.Future[Any], using: list[Any]) -> None:
    """Wait for a cancelled caller's call to end, within bounds.

    Past the grace, a call still waiting for a session is cancelled (the pool's wait handles
    that; no round trip is in flight), and one in a round trip is broken off the driver's own
    way, ``connection.cancel()``: the database answers ORA-01013 through the reply's normal
    path and ``acquired`` drops the session. A database that answers nothing leaves the task
    to end with the connection; the caller's cancellation goes on regardless.
    """
    done, _ = await asyncio.wait({task}, timeout=CANCEL_GRACE_SECONDS)
    if done:
        return
    log.warning("A cancelled call is still running after %.0f s; breaking it off", CANCEL_GRACE_SECONDS)
    if using:
        with contextlib.suppress(oracledb.Error):  # already closed: nothing left to break
            using[0].cancel()
    else:
        task.cancel()
    await asyncio.wait({task}, timeout=CANCEL_GRACE_SECONDS)
