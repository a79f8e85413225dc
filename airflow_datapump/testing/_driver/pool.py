"""Connection pools that keep engine sessions open between acquire and release.

A released connection leaves its session idle in the pool and the next ``acquire()`` wraps
that same session in a new connection object, so polling loops reuse sessions after warm-up
exactly as with python-oracledb's pools. Like python-oracledb, a pool opens ``min`` sessions
when it is created; beyond that it opens one session per acquire that finds none idle, up to
``max`` (the emulator does not grow by ``increment`` in the background).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from typing import Any

import oracledb

from . import errors
from .calls import Session, open_session, run_async, run_sync
from .connection import AsyncConnection, BaseConnection, Connection
from .engine import ConnectRequest, Engine

_OPEN = object()  # a claim that permits opening one more session


class BasePool:
    """Counting and the acquire decision, shared by the sync and async pools."""

    def __init__(
        self,
        engine: Engine,
        request: ConnectRequest,
        *,
        min: int | None = None,
        max: int | None = None,
        increment: int | None = None,
        getmode: Any = None,
        homogeneous: bool | None = None,
        timeout: int | None = None,
        wait_timeout: int | None = None,
        **_ignored: Any,
    ) -> None:
        self._engine, self._request = engine, request
        self.min = 1 if min is None else min
        self.max = 2 if max is None else max
        if self.max < self.min:
            raise errors.driver_error(errors.POOL_MAX_LESS_THAN_MIN)
        self.increment = 1 if increment is None else increment
        self.getmode = oracledb.POOL_GETMODE_WAIT if getmode is None else getmode
        self.homogeneous = True if homogeneous is None else homogeneous
        self.timeout = timeout or 0
        self.wait_timeout = wait_timeout or 0
        self._idle: list[Session] = []
        self._opened = self._busy = 0
        self._is_open = True

    @property
    def busy(self) -> int:
        self._verify_open()
        return self._busy

    @property
    def opened(self) -> int:
        self._verify_open()
        return self._opened

    @property
    def dsn(self) -> str | None:
        return self._request.dsn

    @property
    def username(self) -> str | None:
        return self._request.user

    @property
    def thin(self) -> bool:
        return self._request.thin

    def _verify_open(self) -> None:
        if not self._is_open:
            raise errors.driver_error(errors.POOL_NOT_OPEN)

    def _claim(self) -> Session | object | None:
        """An idle session, permission to open one, or None when the caller must wait."""
        self._verify_open()
        if self._idle:
            self._busy += 1
            return self._idle.pop()
        if self._opened < self.max or self.getmode == oracledb.POOL_GETMODE_FORCEGET:
            self._opened += 1
            self._busy += 1
            return _OPEN
        if self.getmode == oracledb.POOL_GETMODE_NOWAIT:
            raise errors.driver_error(errors.POOL_NO_CONNECTION_AVAILABLE)
        return None

    def _unclaim(self) -> None:
        self._opened -= 1
        self._busy -= 1

    def _deadline(self) -> float | None:
        if self.getmode == oracledb.POOL_GETMODE_TIMEDWAIT:
            return time.monotonic() + self.wait_timeout / 1000
        return None

    def _return(self, session: Session) -> None:
        """Called by a pooled connection's close(): the session waits for the next acquire."""
        self._busy -= 1
        if session.alive and self._is_open:
            self._idle.append(session)
        else:
            self._opened -= 1
        self._notify()

    def _notify(self) -> None:
        """Wake a waiting acquire; overridden by each pool."""

    def _detach(self, connection: BaseConnection) -> Session:
        session = connection._live()
        connection._session = None
        self._busy -= 1
        self._opened -= 1
        return session

    def _start_close(self, force: bool) -> list[Session]:
        self._verify_open()
        if self._busy and not force:
            raise errors.driver_error(errors.POOL_HAS_BUSY_CONNECTIONS)
        self._is_open = False
        idle, self._idle = self._idle, []
        self._opened -= len(idle)
        return idle


class ConnectionPool(BasePool):
    """Mirrors ``oracledb.ConnectionPool``; thread-safe."""

    def __init__(self, engine: Engine, request: ConnectRequest, **options: Any) -> None:
        super().__init__(engine, request, **options)
        self._cond = threading.Condition()
        for _ in range(self.min):
            self._idle.append(run_sync(open_session(engine, self._request)))
            self._opened += 1

    def acquire(self, *args: Any, **kwargs: Any) -> Connection:
        with self._cond:
            deadline = self._deadline()
            while (claim := self._claim()) is None:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise errors.driver_error(errors.POOL_NO_CONNECTION_AVAILABLE)
                self._cond.wait(remaining)
        if isinstance(claim, Session):
            return Connection(claim, pool=self)
        try:
            return Connection(run_sync(open_session(self._engine, self._request)), pool=self)
        except BaseException:
            with self._cond:
                self._unclaim()
            raise

    def release(self, connection: Connection, tag: str | None = None) -> None:
        connection.close()

    def drop(self, connection: Connection) -> None:
        with self._cond:
            session = self._detach(connection)
        run_sync(session.call(lambda e, s: e.close(s)))
        session.alive = False

    def close(self, force: bool = False) -> None:
        with self._cond:
            idle = self._start_close(force)
        for session in idle:
            run_sync(session.call(lambda e, s: e.close(s)))

    def _return(self, session: Session) -> None:
        with self._cond:
            super()._return(session)

    def _notify(self) -> None:
        self._cond.notify()


class AsyncConnectionPool(BasePool):
    """Mirrors ``oracledb.AsyncConnectionPool``; use it from one event loop.

    The ``min`` sessions are opened by the first ``acquire()`` (construction cannot await).
    """

    def __init__(self, engine: Engine, request: ConnectRequest, **options: Any) -> None:
        super().__init__(engine, request, **options)
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._warm = False

    def acquire(self, *args: Any, **kwargs: Any) -> AsyncConnection:
        """Like python-oracledb, returns an awaitable connection rather than a coroutine."""
        return AsyncConnection.pending(self._session_for_acquire, pool=self)

    async def _session_for_acquire(self) -> Session:
        if not self._warm:
            self._warm = True
            for _ in range(self.min):
                self._idle.append(await run_async(open_session(self._engine, self._request)))
                self._opened += 1
        deadline = self._deadline()
        while (claim := self._claim()) is None:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            timeout = None if deadline is None else max(deadline - time.monotonic(), 0)
            try:
                await asyncio.wait_for(waiter, timeout)
            except TimeoutError:
                raise errors.driver_error(errors.POOL_NO_CONNECTION_AVAILABLE) from None
        if isinstance(claim, Session):
            return claim
        try:
            return await run_async(open_session(self._engine, self._request))
        except BaseException:
            self._unclaim()
            raise

    async def release(self, connection: AsyncConnection, tag: str | None = None) -> None:
        await connection.close()

    async def drop(self, connection: AsyncConnection) -> None:
        session = self._detach(connection)
        await run_async(session.call(lambda e, s: e.close(s)))
        session.alive = False

    async def close(self, force: bool = False) -> None:
        for session in self._start_close(force):
            await run_async(session.call(lambda e, s: e.close(s)))

    def _notify(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
