"""Cursors: shared logic in :class:`BaseCursor`, run by :class:`Cursor` and :class:`AsyncCursor`.

Fetching mirrors python-oracledb thin mode's batches: the execute round trip brings the first
``prefetchrows`` rows, and each further batch of ``arraysize`` rows is one round trip, made
only when the buffered rows run out. A batch that comes back full leaves the driver unsure
whether more rows exist, so it goes back once more, as Oracle's fetch protocol does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import oracledb

from airflow_datapump.testing import _values as v

from . import binds as b
from . import errors
from .calls import Op, run_async, run_sync
from .convert import FetchInfo, Flavor, fetch_info, var_type
from .dbobject import DbObjectType
from .engine import StatementKind, StatementResult
from .var import Var

if TYPE_CHECKING:
    from .connection import BaseConnection

_Column = tuple[Flavor, Callable[[Any], Any] | None]


class BaseCursor:
    """State and round-trip logic shared by the sync and async cursors."""

    def __init__(self, connection: BaseConnection) -> None:
        self._connection = connection
        self._converter = replace(connection._converter)
        self._open = True
        self.arraysize: int = oracledb.defaults.arraysize
        self.prefetchrows: int = oracledb.defaults.prefetchrows
        self.outputtypehandler: Callable[..., Any] | None = None
        self.inputtypehandler: Callable[..., Any] | None = None
        self.rowfactory: Callable[..., Any] | None = None
        self.statement: str | None = None
        self._binds: b.Binds | None = None
        self._inputsizes: b.Binds | None = None
        self._reset(None)

    def _reset(self, result: StatementResult | None) -> None:
        self._result = result
        self._description: list[FetchInfo] | None = None
        self._columns: list[_Column] = []
        self._pos = self._delivered = 0
        self._more = False
        self._rowcount = 0

    # Verification ---------------------------------------------------------------------------

    def _verify_open(self) -> None:
        if not self._open:
            raise errors.driver_error(errors.CURSOR_NOT_OPEN)
        self._connection._verify_connected()

    @property
    def connection(self) -> Any:
        return self._connection

    @property
    def rowcount(self) -> int:
        return self._rowcount if self._open and self._connection._session else -1

    @property
    def description(self) -> list[FetchInfo] | None:
        self._verify_open()
        return self._description

    @property
    def bindvars(self) -> b.Binds:
        self._verify_open()
        return self._binds if self._binds is not None else []

    @property
    def lastrowid(self) -> str | None:
        return None

    def close(self) -> None:
        if not self._open:
            raise errors.driver_error(errors.CURSOR_NOT_OPEN)
        self._open = False

    def setoutputsize(self, size: int, column: int = 0) -> None:
        """Does nothing, as in python-oracledb."""

    # Vars (local: no round trip) ------------------------------------------------------------

    def var(
        self,
        typ: Any,
        size: int = 0,
        arraysize: int = 1,
        inconverter: Callable[[Any], Any] | None = None,
        outconverter: Callable[[Any], Any] | None = None,
        typename: str | None = None,
        encoding_errors: str | None = None,
        bypass_decode: bool = False,
        convert_nulls: bool = False,
    ) -> Var:
        """Mirrors ``Cursor.var``; ``encoding_errors`` and ``bypass_decode`` are accepted only."""
        self._verify_open()
        return self._make_var(typ, size, arraysize, typename, False, inconverter, outconverter, convert_nulls)

    def arrayvar(self, typ: Any, value: list[Any] | int, size: int = 0) -> Var:
        """A PL/SQL index-by array bind; a list value also sets the elements."""
        self._verify_open()
        if not isinstance(value, list | int):
            raise TypeError("expecting integer or list of values")
        count = len(value) if isinstance(value, list) else value
        var = self._make_var(typ, size, count, None, True)
        if isinstance(value, list):
            var.setvalue(0, value)
        return var

    def _make_var(
        self,
        typ: Any,
        size: int,
        count: int,
        typename: str | None,
        is_array: bool,
        inconverter: Callable[[Any], Any] | None = None,
        outconverter: Callable[[Any], Any] | None = None,
        convert_nulls: bool = False,
    ) -> Var:
        if typename is not None:
            typ = self._connection._gettype_for_var(typename)
        elif typ is oracledb.DB_TYPE_OBJECT:
            raise errors.driver_error(errors.MISSING_TYPE_NAME)
        flavor: Flavor = None
        if isinstance(typ, DbObjectType):
            dtype: v.DataType = typ._dtype
            public: Any = typ
        else:
            dtype, flavor, public = var_type(typ, size)
        return Var(
            dtype,
            public,
            self._converter,
            flavor=flavor,
            size=size,
            num_elements=count,
            is_array=is_array,
            inconverter=inconverter,
            outconverter=outconverter,
            convert_nulls=convert_nulls,
        )

    def setinputsizes(self, *args: Any, **kwargs: Any) -> b.Binds:
        """Predefine bind types; an int means a string of that size, None leaves it open."""
        if args and kwargs:
            raise errors.driver_error(errors.ARGS_AND_KEYWORD_ARGS)
        self._verify_open()

        def make(typ: Any) -> Var | None:
            if typ is None:
                return None
            return (
                self._make_var(str, typ, 1, None, False)
                if isinstance(typ, int)
                else (typ if isinstance(typ, Var) else self._make_var(typ, 0, 1, None, False))
            )

        if kwargs:
            named = {k.upper(): make(t) for k, t in kwargs.items()}
            self._inputsizes = {k: x for k, x in named.items() if x is not None}
        else:
            self._inputsizes = [x for x in (make(t) for t in args) if x is not None]
        return self._inputsizes

    def _implicit(self, value: Any, rows: int = 1) -> Var:
        handler = self.inputtypehandler or self._connection.inputtypehandler
        return b.implicit_var(value, self._converter, handler, self, rows)

    # Shared operations ----------------------------------------------------------------------

    def _execute(
        self,
        statement: str | None,
        parameters: Any = None,
        keyword: Mapping[str, Any] | None = None,
        kind_hint: StatementKind | None = None,
    ) -> Op[bool]:
        self._verify_open()
        text = self._statement(statement)
        previous = self._binds if text == self.statement else None
        binds = b.build_binds(parameters, keyword or {}, previous, self._inputsizes, self._implicit)
        self.statement, self._binds = text, binds
        sent = b.engine_binds(binds)
        result = yield from self._connection._session_call(
            lambda e, s: e.execute(s, text, sent, kind_hint=kind_hint)
        )
        self._on_result(result)
        return bool(result.is_query)

    def _executemany(self, statement: str | None, parameters: Any) -> Op[None]:
        self._verify_open()
        text = self._statement(statement)
        if isinstance(parameters, int) and not isinstance(parameters, bool):
            no_binds: list[dict[str, v.Bind]] = [{} for _ in range(parameters)]
            rows: list[dict[str, v.Bind]] | list[list[v.Bind]] = no_binds
            self._binds = []
        elif isinstance(parameters, list | tuple):
            if not parameters:
                return None
            self._binds, rows = b.build_many(parameters, self._implicit)
        else:
            raise errors.driver_error(errors.WRONG_EXECUTEMANY_PARAMETERS)
        self.statement = text
        result = yield from self._connection._session_call(lambda e, s: e.executemany(s, text, rows))
        self._on_result(result)
        return None

    def _statement(self, statement: str | None) -> str:
        if statement is None:
            if self.statement is None:
                raise errors.driver_error(errors.NO_STATEMENT)
            return self.statement
        text = statement.strip()
        if not text:
            raise errors.driver_error(errors.EMPTY_STATEMENT)
        return text

    def _on_result(self, result: StatementResult) -> None:
        self._reset(result)
        self._connection._live().transaction_in_progress = result.transaction_in_progress
        if not result.is_query:
            self._rowcount = result.rowcount
            return
        infos = [
            fetch_info(
                c.name,
                c.type,
                self._converter,
                (c.display_size, c.internal_size, c.precision, c.scale),
                c.null_ok,
            )
            for c in result.columns or []
        ]
        self._description = infos
        self._columns = [self._column(info) for info in infos]
        self._deliver(self.prefetchrows)

    def _column(self, info: FetchInfo) -> _Column:
        """Apply an output type handler, python-oracledb's per-column hook."""
        handler = self.outputtypehandler or self._connection.outputtypehandler
        var = handler(self, info) if handler is not None else None
        if not isinstance(var, Var):
            return (None, None)
        flavor = var._flavor
        if flavor is None and var.type in (oracledb.DB_TYPE_VARCHAR, oracledb.DB_TYPE_CHAR):
            flavor = str
        elif flavor is None and var.type is oracledb.DB_TYPE_RAW:
            flavor = bytes
        return (flavor, var.outconverter)

    def _deliver(self, batch: int) -> None:
        assert self._result is not None
        count = min(batch, len(self._result.rows) - self._delivered)
        self._delivered += count
        self._more = count == batch

    def _fetch_row(self) -> Op[Any]:
        if self._result is None or not self._result.is_query:
            raise errors.driver_error(errors.NOT_A_QUERY)
        while self._pos >= self._delivered:
            if not self._more:
                return None
            yield from self._connection._session_call(lambda e, s: e.fetch_round_trip(s))
            self._deliver(self.arraysize)
        raw = self._result.rows[self._pos]
        self._pos += 1
        self._rowcount = self._pos
        row = tuple(self._out(value, column) for value, column in zip(raw, self._columns, strict=False))
        return self.rowfactory(*row) if self.rowfactory is not None else row

    def _out(self, value: v.Value, column: _Column) -> Any:
        flavor, outconverter = column
        result = self._converter.to_python(value, flavor)
        return outconverter(result) if outconverter is not None and result is not None else result

    def _fetchmany(self, size: int | None = None) -> Op[list[Any]]:
        rows: list[Any] = []
        limit = self.arraysize if size is None else size
        while len(rows) < limit:
            row = yield from self._fetch_row()
            if row is None:
                break
            rows.append(row)
        return rows

    def _fetchall(self) -> Op[list[Any]]:
        rows: list[Any] = []
        while (row := (yield from self._fetch_row())) is not None:
            rows.append(row)
        return rows

    def _callproc(
        self, name: str, parameters: Sequence[Any] | None, keyword: Mapping[str, Any] | None
    ) -> Op[list[Any]]:
        statement, values = b.call_statement(name, parameters, keyword)
        yield from self._execute(statement, values, None, "plsql")
        if parameters is None:
            return []
        assert isinstance(self._binds, list)
        return [var.getvalue() for var in self._binds[: len(parameters)]]

    def _callfunc(
        self,
        name: str,
        return_type: Any,
        parameters: Sequence[Any] | None,
        keyword: Mapping[str, Any] | None,
    ) -> Op[Any]:
        result = self.var(return_type)
        statement, values = b.call_statement(name, parameters, keyword, result)
        yield from self._execute(statement, values, None, "plsql")
        return result.getvalue()


class Cursor(BaseCursor):
    """Mirrors ``oracledb.Cursor``."""

    def __enter__(self) -> Cursor:
        self._verify_open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._open = False

    def __iter__(self) -> Cursor:
        return self

    def __next__(self) -> Any:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def execute(
        self,
        statement: str | None,
        parameters: Any = None,
        *,
        fetch_lobs: bool | None = None,
        fetch_decimals: bool | None = None,
        **keyword_parameters: Any,
    ) -> Cursor | None:
        self._converter.fetch_lobs, self._converter.fetch_decimals = fetch_lobs, fetch_decimals
        is_query = run_sync(self._execute(statement, parameters, keyword_parameters))
        return self if is_query else None

    def executemany(self, statement: str | None, parameters: Any, **_options: Any) -> None:
        run_sync(self._executemany(statement, parameters))

    def fetchone(self) -> Any:
        return run_sync(self._fetch_row())

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return run_sync(self._fetchmany(size))

    def fetchall(self) -> list[Any]:
        return run_sync(self._fetchall())

    def callproc(
        self,
        name: str,
        parameters: Sequence[Any] | None = None,
        keyword_parameters: Mapping[str, Any] | None = None,
    ) -> list[Any]:
        return run_sync(self._callproc(name, parameters, keyword_parameters))

    def callfunc(
        self,
        name: str,
        return_type: Any,
        parameters: Sequence[Any] | None = None,
        keyword_parameters: Mapping[str, Any] | None = None,
    ) -> Any:
        return run_sync(self._callfunc(name, return_type, parameters, keyword_parameters))


class AsyncCursor(BaseCursor):
    """Mirrors ``oracledb.AsyncCursor``: the same operations, awaited."""

    async def __aenter__(self) -> AsyncCursor:
        self._verify_open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._open = False

    def __aiter__(self) -> AsyncCursor:
        return self

    async def __anext__(self) -> Any:
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    async def execute(
        self,
        statement: str | None,
        parameters: Any = None,
        *,
        fetch_lobs: bool | None = None,
        fetch_decimals: bool | None = None,
        **keyword_parameters: Any,
    ) -> None:
        self._converter.fetch_lobs, self._converter.fetch_decimals = fetch_lobs, fetch_decimals
        await run_async(self._execute(statement, parameters, keyword_parameters))

    async def executemany(self, statement: str | None, parameters: Any, **_options: Any) -> None:
        await run_async(self._executemany(statement, parameters))

    async def fetchone(self) -> Any:
        return await run_async(self._fetch_row())

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return await run_async(self._fetchmany(size))

    async def fetchall(self) -> list[Any]:
        return await run_async(self._fetchall())

    async def callproc(
        self,
        name: str,
        parameters: Sequence[Any] | None = None,
        keyword_parameters: Mapping[str, Any] | None = None,
    ) -> list[Any]:
        return await run_async(self._callproc(name, parameters, keyword_parameters))

    async def callfunc(
        self,
        name: str,
        return_type: Any,
        parameters: Sequence[Any] | None = None,
        keyword_parameters: Mapping[str, Any] | None = None,
    ) -> Any:
        return await run_async(self._callfunc(name, return_type, parameters, keyword_parameters))
