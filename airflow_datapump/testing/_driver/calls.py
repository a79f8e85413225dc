"""One engine session, and the runner that lets sync and async classes share their logic.

Like python-oracledb itself, each operation is written once as a generator that yields the
engine calls it needs and receives their results (an :data:`Op`). The sync classes drive it
with :func:`run_sync`; the async classes with :func:`run_async`, which runs each engine call in
a worker thread. So the two families differ only at the call into the engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from typing import Any, TypeVar, cast

from . import errors
from .engine import (
    ConnectRequest,
    Engine,
    EngineError,
    OracleErrorLike,
    SessionRef,
    SessionUpdate,
)

T = TypeVar("T")

#: A shared operation: yields engine calls, receives their results, returns ``T``.
Op = Generator[Callable[[], object], object, T]


def run_sync(op: Op[T]) -> T:
    """Drive an operation, making its engine calls in the calling thread."""
    try:
        call = next(op)
        while True:
            call = op.send(call())
    except StopIteration as stop:
        return cast(T, stop.value)
    finally:
        op.close()


async def run_async(op: Op[T]) -> T:
    """Drive an operation, making each engine call off the event loop."""
    try:
        call = next(op)
        while True:
            call = op.send(await asyncio.to_thread(call))
    except StopIteration as stop:
        return cast(T, stop.value)
    finally:
        op.close()


def translate(exc: BaseException) -> BaseException:
    """Engine errors become python-oracledb exceptions; anything else is left alone."""
    if isinstance(exc, EngineError) or all(hasattr(exc, a) for a in _ERROR_ATTRIBUTES):
        return errors.database_error(cast(OracleErrorLike, exc))
    return exc


_ERROR_ATTRIBUTES = ("code", "prefix", "message", "offset")


def open_session(engine: Engine, request: ConnectRequest) -> Op[Session]:
    """Log on (one engine call) and return the driver's side of the new session."""
    ref = yield lambda: _translated(engine.connect, request)
    return Session(engine, ref, request)


def _translated(fn: Callable[..., T], *args: Any) -> T:
    try:
        return fn(*args)
    except Exception as exc:
        converted = translate(exc)
        if converted is exc:
            raise
        raise converted from None


class Session:
    """The driver's side of one engine session, shared by a connection and its cursors.

    It outlives connection objects when pooled: a released connection leaves its session
    idle in the pool and the next ``acquire()`` wraps the same session in a new connection.
    """

    def __init__(self, engine: Engine, ref: SessionRef, request: ConnectRequest) -> None:
        self.engine = engine
        self.ref = ref
        self.request = request
        self.alive = True
        self.transaction_in_progress = False
        self.attributes: dict[str, str | None] = {}
        self.call_timeout = 0
        self.autocommit = False
        self._pending: dict[str, str | None] = {}
        self._sent_timeout = 0
        self._sent_autocommit = False
        self._version: str | None = None

    def set_attribute(self, name: str, value: str | None) -> None:
        """Remember a setting for the next round trip, as thin mode piggy-backs it."""
        self.attributes[name] = value
        self._pending[name] = value

    def call(self, fn: Callable[[Engine, SessionRef], T]) -> Op[T]:
        """One counted engine call, with pending settings sent just before it."""
        if not self.alive:
            raise errors.driver_error(errors.NOT_CONNECTED)
        result = yield lambda: self._invoke(fn)
        return cast(T, result)

    def version(self) -> str:
        """Server version, asked once; a local call (thin mode learns it at logon)."""
        if self._version is None:
            self._version = _translated(self.engine.server_version, self.ref)
        return self._version

    def _invoke(self, fn: Callable[[Engine, SessionRef], T]) -> T:
        update = self._take_update()
        try:
            if update is not None:
                self.engine.session_update(self.ref, update)
            return fn(self.engine, self.ref)
        except Exception as exc:
            converted = translate(exc)
            if converted is exc:
                raise
            if errors.is_session_dead(converted):
                self.alive = False
            raise converted from None

    def _take_update(self) -> SessionUpdate | None:
        timeout = self.call_timeout if self.call_timeout != self._sent_timeout else None
        autocommit = self.autocommit if self.autocommit != self._sent_autocommit else None
        if not self._pending and timeout is None and autocommit is None:
            return None
        update = SessionUpdate(dict(self._pending), timeout, autocommit)
        self._pending.clear()
        self._sent_timeout = self.call_timeout
        self._sent_autocommit = self.autocommit
        return update
