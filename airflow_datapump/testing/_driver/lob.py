"""LOB objects for fetched CLOB/BLOB values and CLOB/BLOB OUT binds.

The data already sits in the :class:`~airflow_datapump.testing._values.LobValue`, but each
method that is a round trip in python-oracledb (read, size, write, trim) still makes one
counted engine call, so round-trip budgets measured on the emulator hold on a real database.
"""

from __future__ import annotations

from typing import Any

import oracledb

from airflow_datapump.testing import _values as v

from .calls import Op, Session, run_async, run_sync

_CHUNK_SIZE = 8132


class BaseLOB:
    """Shared logic of :class:`LOB` and :class:`AsyncLOB`; offsets are 1-based as in Oracle."""

    def __init__(self, value: v.LobValue, session: Session) -> None:
        self._value = value
        self._session = session

    @property
    def type(self) -> Any:
        return oracledb.DB_TYPE_CLOB if self._value.kind is v.TypeKind.CLOB else oracledb.DB_TYPE_BLOB

    def getchunksize(self) -> int:
        """Local in thin mode (the chunk size arrives with the locator)."""
        return _CHUNK_SIZE

    def isopen(self) -> bool:
        return False

    def _read(self, offset: int = 1, amount: int | None = None) -> Op[str | bytes]:
        yield from self._session.call(lambda e, s: e.lob_round_trip(s, "read"))
        data = self._value.data
        end = len(data) if amount is None else offset - 1 + amount
        return data[offset - 1 : end]

    def _size(self) -> Op[int]:
        yield from self._session.call(lambda e, s: e.lob_round_trip(s, "size"))
        return len(self._value.data)

    def _write(self, data: str | bytes, offset: int = 1) -> Op[None]:
        yield from self._session.call(lambda e, s: e.lob_round_trip(s, "write"))
        old = self._value.data
        pad = " " if isinstance(old, str) else b"\0"
        prefix = old[: offset - 1]
        prefix = prefix + pad * (offset - 1 - len(prefix))  # type: ignore[operator]
        self._value.data = prefix + data + old[offset - 1 + len(data) :]  # type: ignore[operator]

    def _trim(self, new_size: int = 0) -> Op[None]:
        yield from self._session.call(lambda e, s: e.lob_round_trip(s, "trim"))
        self._value.data = self._value.data[:new_size]


class LOB(BaseLOB):
    """Mirrors ``oracledb.LOB``."""

    def read(self, offset: int = 1, amount: int | None = None) -> str | bytes:
        return run_sync(self._read(offset, amount))

    def size(self) -> int:
        return run_sync(self._size())

    def write(self, data: str | bytes, offset: int = 1) -> None:
        run_sync(self._write(data, offset))

    def trim(self, new_size: int = 0) -> None:
        run_sync(self._trim(new_size))

    def __str__(self) -> str:
        return str(self.read())


class AsyncLOB(BaseLOB):
    """Mirrors ``oracledb.AsyncLOB``."""

    async def read(self, offset: int = 1, amount: int | None = None) -> str | bytes:
        return await run_async(self._read(offset, amount))

    async def size(self) -> int:
        return await run_async(self._size())

    async def write(self, data: str | bytes, offset: int = 1) -> None:
        await run_async(self._write(data, offset))

    async def trim(self, new_size: int = 0) -> None:
        await run_async(self._trim(new_size))
