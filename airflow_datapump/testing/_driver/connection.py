"""Connections: shared state and logic in :class:`BaseConnection`, sync and async front ends.

Settings python-oracledb thin mode piggy-backs on the next round trip (``current_schema``,
``module``, ``action``, ``client_identifier``, ``clientinfo``, ``dbop``, and for the emulator
``call_timeout`` and ``autocommit``) are kept on the :class:`~.calls.Session` and handed to the
engine with :meth:`Engine.session_update` immediately before the next counted call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any

from . import errors
from .calls import Op, Session, open_session, run_async, run_sync
from .convert import Converter
from .cursor import AsyncCursor, Cursor
from .dbobject import DbObjectType
from .engine import ConnectRequest, Engine, SessionRef

if TYPE_CHECKING:
    from .pool import BasePool

_ATTRIBUTES = {
    "current_schema": "CURRENT_SCHEMA",
    "module": "MODULE",
    "action": "ACTION",
    "client_identifier": "CLIENT_IDENTIFIER",
    "clientinfo": "CLIENT_INFO",
    "dbop": "DBOP",
}


def _session_attribute(name: str) -> property:
    key = _ATTRIBUTES[name]

    def fget(self: BaseConnection) -> str | None:
        self._verify_connected()
        return self._live().attributes.get(key)

    def fset(self: BaseConnection, value: str | None) -> None:
        self._verify_connected()
        self._live().set_attribute(key, value)

    return property(fget, fset, doc=f"Sent to the engine with the next round trip ({key}).")


class BaseConnection:
    """What both connection classes share; all engine calls go through :meth:`_session_call`."""

    current_schema = _session_attribute("current_schema")
    module = _session_attribute("module")
    action = _session_attribute("action")
    client_identifier = _session_attribute("client_identifier")
    clientinfo = _session_attribute("clientinfo")
    dbop = _session_attribute("dbop")

    def __init__(self, session: Session, *, pool: BasePool | None = None, is_async: bool = False):
        self._session: Session | None = session
        self._pool = pool
        self._converter = Converter(session, async_lobs=is_async)
        self.stmtcachesize = 20
        self.outputtypehandler: Callable[..., Any] | None = None
        self.inputtypehandler: Callable[..., Any] | None = None

    def __repr__(self) -> str:
        name = f"{type(self).__module__}.{type(self).__qualname__}"
        if self._session is None:
            return f"<{name} disconnected>"
        return f"<{name} to {self.username}@{self.dsn}>"

    def _verify_connected(self) -> None:
        if self._session is None or not self._session.alive:
            raise errors.driver_error(errors.NOT_CONNECTED)

    def _live(self) -> Session:
        self._verify_connected()
        assert self._session is not None
        return self._session

    def _session_call(self, fn: Callable[[Engine, SessionRef], Any]) -> Op[Any]:
        return self._live().call(fn)

    # Local attributes -----------------------------------------------------------------------

    @property
    def username(self) -> str | None:
        return self._live().request.user

    @property
    def dsn(self) -> str | None:
        return self._live().request.dsn

    @property
    def thin(self) -> bool:
        """False when ``init_oracle_client()`` was called while the emulator was active."""
        return self._live().request.thin

    @property
    def version(self) -> str:
        return self._live().version()

    @property
    def autocommit(self) -> bool:
        return self._live().autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._live().autocommit = bool(value)

    @property
    def call_timeout(self) -> int:
        """Milliseconds; the engine raises DPY-4024 when a call takes longer."""
        return self._live().call_timeout

    @call_timeout.setter
    def call_timeout(self, value: int) -> None:
        self._live().call_timeout = int(value)

    @property
    def transaction_in_progress(self) -> bool:
        return self._live().transaction_in_progress

    def is_healthy(self) -> bool:
        """Local check, as in thin mode: no round trip."""
        return self._session is not None and self._session.alive

    def cancel(self) -> None:
        """A break sent to the server; a plain method in both python-oracledb classes."""
        run_sync(self._session_call(lambda e, s: e.cancel(s)))

    # Shared operations ----------------------------------------------------------------------

    def _commit(self) -> Op[None]:
        yield from self._session_call(lambda e, s: e.commit(s))
        self._live().transaction_in_progress = False

    def _rollback(self) -> Op[None]:
        yield from self._session_call(lambda e, s: e.rollback(s))
        self._live().transaction_in_progress = False

    def _ping(self) -> Op[None]:
        yield from self._session_call(lambda e, s: e.ping(s))

    def _gettype(self, name: str) -> Op[DbObjectType]:
        dtype = yield from self._session_call(lambda e, s: e.get_type(s, name))
        return DbObjectType(dtype, self._converter)

    def _close(self) -> Op[None]:
        """A pooled connection goes back to its pool (no round trip); others log off."""
        session = self._live()
        self._session = None
        if self._pool is not None:
            self._pool._return(session)
            return
        yield from session.call(lambda e, s: e.close(s))
        session.alive = False

    def _gettype_for_var(self, name: str) -> DbObjectType:
        return run_sync(self._gettype(name))


class Connection(BaseConnection):
    """Mirrors ``oracledb.Connection``."""

    @classmethod
    def open(cls, engine: Engine, request: ConnectRequest) -> Connection:
        return cls(run_sync(open_session(engine, request)))

    def __enter__(self) -> Connection:
        self._verify_connected()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._session is not None:
            self.close()

    def cursor(self, scrollable: bool = False) -> Cursor:
        self._verify_connected()
        return Cursor(self)

    def commit(self) -> None:
        run_sync(self._commit())

    def rollback(self) -> None:
        run_sync(self._rollback())

    def ping(self) -> None:
        run_sync(self._ping())

    def close(self) -> None:
        run_sync(self._close())

    def gettype(self, name: str) -> DbObjectType:
        return run_sync(self._gettype(name))


class AsyncConnection(BaseConnection):
    """Mirrors ``oracledb.AsyncConnection``: awaitable, an async context manager, with the
    shortcut methods (``execute``, ``fetchall`` ...) that open a cursor for one statement."""

    _connecting: Callable[[], Awaitable[Session]] | None = None

    def __init__(self, session: Session, *, pool: BasePool | None = None) -> None:
        super().__init__(session, pool=pool, is_async=True)

    @classmethod
    def pending(
        cls, connect: Callable[[], Awaitable[Session]], pool: BasePool | None = None
    ) -> AsyncConnection:
        """A connection whose logon happens when it is first awaited, as ``connect_async``."""
        conn = cls.__new__(cls)
        conn._session, conn._pool, conn._connecting = None, pool, connect
        return conn

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        return self._finish_connect().__await__()

    async def _finish_connect(self) -> AsyncConnection:
        if self._connecting is not None:
            connecting, self._connecting = self._connecting, None
            AsyncConnection.__init__(self, await connecting(), pool=self._pool)
        return self

    async def __aenter__(self) -> AsyncConnection:
        await self._finish_connect()
        self._verify_connected()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self.close()

    def cursor(self, scrollable: bool = False) -> AsyncCursor:
        self._verify_connected()
        return AsyncCursor(self)

    async def commit(self) -> None:
        await run_async(self._commit())

    async def rollback(self) -> None:
        await run_async(self._rollback())

    async def ping(self) -> None:
        await run_async(self._ping())

    async def close(self) -> None:
        await run_async(self._close())

    async def gettype(self, name: str) -> DbObjectType:
        return await run_async(self._gettype(name))

    def _gettype_for_var(self, name: str) -> DbObjectType:
        raise TypeError("pass the DbObjectType from 'await connection.gettype()' to var()")

    async def execute(self, statement: str, parameters: Any = None) -> None:
        await self.cursor().execute(statement, parameters)

    async def executemany(self, statement: str, parameters: Any) -> None:
        await self.cursor().executemany(statement, parameters)

    async def fetchall(self, statement: str, parameters: Any = None) -> list[Any]:
        cursor = self.cursor()
        await cursor.execute(statement, parameters)
        return await cursor.fetchall()

    async def fetchone(self, statement: str, parameters: Any = None) -> Any:
        cursor = self.cursor()
        await cursor.execute(statement, parameters)
        return await cursor.fetchone()

    async def fetchmany(
        self, statement: str, parameters: Any = None, num_rows: int | None = None
    ) -> list[Any]:
        cursor = self.cursor()
        await cursor.execute(statement, parameters)
        return await cursor.fetchmany(num_rows)

    async def callproc(self, name: str, parameters: Any = None, keyword_parameters: Any = None) -> list[Any]:
        return await self.cursor().callproc(name, parameters, keyword_parameters)

    async def callfunc(
        self, name: str, return_type: Any, parameters: Any = None, keyword_parameters: Any = None
    ) -> Any:
        return await self.cursor().callfunc(name, return_type, parameters, keyword_parameters)
