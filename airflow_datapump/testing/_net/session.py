"""The bridge from decoded TTC calls to the emulator's :class:`Engine`, one per connection.

It keeps what a server keeps per session: the logon in progress (its O5LOGON handshake is
:mod:`.logon`'s), the open cursors (their SQL, bind descriptions and undelivered rows, under
the cursor ids handed to the client), and turns each call into engine calls and the engine's
answers (or errors) into a TTC reply.
It knows the Engine protocol and nothing of SQL, PL/SQL or Data Pump.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable

from airflow_datapump.testing import _values as v
from airflow_datapump.testing._backend.store import StoreClosedError
from airflow_datapump.testing._engine import (
    Engine,
    OracleErrorLike,
    SessionRef,
    SessionUpdate,
)
from airflow_datapump.testing._net import cursors, lobs, objects, replies, requests
from airflow_datapump.testing._net import oratypes as t
from airflow_datapump.testing._net.buffer import (
    MALFORMED,
    UNIMPLEMENTED,
    UNSUPPORTED_TYPE,
    ProtocolError,
)
from airflow_datapump.testing._net.logon import DisconnectError, Logon, VerifierLookup
from airflow_datapump.testing._net.open_cursors import Described, OpenCursor
from airflow_datapump.testing._net.replies import Column
from airflow_datapump.testing._net.requests import BindMeta, Call
from airflow_datapump.testing._net.values import bind_in, column, out_image, returned
from airflow_datapump.testing._plsql.errors import leading, ora, ora_line

log = logging.getLogger(__name__)
ARRAY_DML_ERRORS = 24381  # the call's error when an array DML lists batch errors


class WireSession:
    """One client connection's server side, after the listener has accepted it."""

    def __init__(self, engine: Engine, service: str, verifier: VerifierLookup, program: str = "") -> None:
        self.engine = engine
        self.service = service
        self.logon = Logon(engine, service, verifier)
        self.session: SessionRef | None = None
        self.cursors: dict[int, OpenCursor] = {}
        self._ids = itertools.count(1)
        self._in_transaction = False
        self.lobs = lobs.LobTable(self._read_file)

    # -- dispatch -------------------------------------------------------------------------

    def handle(self, data: bytes) -> bytes:
        """Answer one request payload with one reply payload (empty for a one-way message).

        Whatever goes wrong inside a call is answered as an Oracle error, never by dropping
        the connection, so a client can tell a refusal from a crash: a malformed request gets
        ORA-03137 and one this server does not implement ORA-03001 or ORA-03115 (as Oracle
        rejects such requests and keeps the session), an emulator bug ORA-00600 with its
        traceback in the server's log. Only a DPY-4011 fault and the server stopping (its
        stores closing) end the connection.
        """
        try:
            known = {k: (c.binds, c.plsql) for k, c in self.cursors.items()}
            call = requests.parse(data, known, self._returning)
        except ProtocolError as exc:
            return self._refuse(exc.code, str(exc))
        try:
            self._piggybacks(call)
            handler = _HANDLERS.get(call.function)
            if handler is None and call.one_way:
                log.info("one-way function %d ignored", call.function)
                return b""
            if handler is None:
                raise ProtocolError(f"function code {call.function} is not supported", code=UNIMPLEMENTED)
            return handler(self, call)
        except (DisconnectError, StoreClosedError):
            raise
        except ProtocolError as exc:
            return self._refuse(exc.code, str(exc))
        except Exception as exc:
            if isinstance(exc, OracleErrorLike):
                return self._error(exc)
            log.exception("call %d failed inside the emulator; answered with ORA-00600", call.function)
            return self._refuse(INTERNAL_ERROR, *_where(exc))

    def _returning(self, sql: str) -> int:
        return self.engine.returning_binds(self.session, sql) if self.session is not None else 0

    def _refuse(self, code: int, *reason: str) -> bytes:
        """A request this server cannot carry out, answered as the Oracle error it amounts to."""
        if code != INTERNAL_ERROR:
            log.warning("request refused with ORA-%05d: %s", code, " ".join(reason))
        message = ora_line(code, *_arguments(code, reason))
        return replies.call_end(error=code, message=message, in_transaction=self._in_transaction)

    def _error(self, exc: OracleErrorLike) -> bytes:
        code = exc.code
        text = exc.message
        if exc.prefix != "ORA":
            log.debug("engine raised %s-%05d; reported as ORA-%05d", exc.prefix, code, code)
        if exc.prefix == "DPY" and code == 4011:
            raise DisconnectError("session ended by the database")
        if exc.transaction_in_progress is not None:
            self._in_transaction = exc.transaction_in_progress
        return replies.call_end(
            error=code,
            message=text,
            position=exc.offset,
            rowcount=exc.rowcount,
            in_transaction=self._in_transaction,
        )

    def _piggybacks(self, call: Call) -> None:
        attributes: dict[str, str | None] = {}
        for piggyback in call.piggybacks:
            for cursor_id in piggyback.closed_cursors:
                self.cursors.pop(cursor_id, None)
            for locator in piggyback.freed_lobs:
                self.lobs.free(locator)
            attributes.update(piggyback.attributes)
        if attributes and self.session is not None:
            self.engine.session_update(self.session, SessionUpdate(attributes=attributes))

    # -- logon ----------------------------------------------------------------------------

    def _auth_one(self, call: Call) -> bytes:
        return self.logon.phase_one(call)

    def _auth_two(self, call: Call) -> bytes:
        reply, session = self.logon.phase_two(call)
        if session is not None:
            self.session = session
        return reply

    # -- simple calls -------------------------------------------------------------------

    def _simple(self, call: Call) -> bytes:
        session = self._require_session()
        if call.function == requests.FN_COMMIT:
            self.engine.commit(session)
            self._in_transaction = False
        elif call.function == requests.FN_ROLLBACK:
            self.engine.rollback(session)
            self._in_transaction = False
        elif call.function == requests.FN_PING:
            self.engine.ping(session)
        else:
            self.engine.close(session)
            self.session = None
            return replies.call_end()
        return replies.call_end(in_transaction=self._in_transaction)

    def _require_session(self) -> SessionRef:
        if self.session is None:
            raise ora(NOT_LOGGED_ON)
        return self.session

    # -- statements -----------------------------------------------------------------------

    def _execute(self, call: Call) -> bytes:
        session = self._require_session()
        cursor_id = call.cursor_id
        if call.sql is not None:
            if not cursor_id or cursor_id not in self.cursors:
                cursor_id = next(self._ids)
            self.cursors[cursor_id] = OpenCursor(call.sql)
        cursor = self.cursors.get(cursor_id)
        if cursor is None:
            return replies.call_end(error=1001, message=ora_line(1001))
        if call.binds:
            cursor.binds, cursor.plsql = call.binds, call.plsql
        if call.defines:
            cursor.defines = [d.type_number for d in call.defines]
            if cursor.ref_cursor:  # the client fetches a REF CURSOR with LOBs by define calls
                return self._rows(cursor, cursor_id, call.iterations)
            return replies.call_end(cursor_id=cursor_id)
        if call.scroll and cursor.kept is not None:
            return self._scroll(session, cursor, cursor_id, call)
        if call.function == requests.FN_EXECUTE and not call.options & requests.OPT_EXECUTE:
            if cursor.ref_cursor:  # the driver fetches a REF CURSOR by executes without EXECUTE
                self.engine.fetch_round_trip(session)
                return self._rows(cursor, cursor_id, call.iterations)
            if call.options & requests.OPT_DESCRIBE:
                return self._describe_only(session, cursor, cursor_id)
            return replies.call_end(cursor_id=cursor_id)  # parse only
        return self._run(session, cursor, cursor_id, call)

    def _scroll(self, session: SessionRef, cursor: OpenCursor, cursor_id: int, call: Call) -> bytes:
        self.engine.fetch_round_trip(session)
        first = cursor.row_named(call.fetch_orientation, call.fetch_position)
        return cursor.scroll(cursor_id, first, call.iterations, self.lobs,
                             in_transaction=self._in_transaction)  # fmt: skip

    def _describe_only(self, session: SessionRef, cursor: OpenCursor, cursor_id: int) -> bytes:
        result = self.engine.execute(session, cursor.sql, [])
        if result.columns is not None:
            cursor.load(result.columns, [], self._column)
        out = replies.describe(cursor.columns) if cursor.columns is not None else b""
        return out + replies.call_end(cursor_id=cursor_id)

    def _run(self, session: SessionRef, cursor: OpenCursor, cursor_id: int, call: Call) -> bytes:
        rows = [
            [self._bind(m, value) for m, value in zip(cursor.binds, row, strict=True)] for row in call.rows
        ]
        batch_errors = bool(call.options & requests.OPT_BATCH_ERRORS)
        if len(rows) > 1 or batch_errors:
            result = self.engine.executemany(session, cursor.sql, rows, batch_errors=batch_errors)
        else:
            result = self.engine.execute(session, cursor.sql, rows[0] if rows else [])
        self._in_transaction = result.transaction_in_progress
        # With batch errors the rows that went in wait for the application's COMMIT or ROLLBACK,
        # even under autocommit (python-oracledb, "Handling Data Errors").
        if call.options & requests.OPT_COMMIT and not result.is_plsql and not result.batch_errors:
            self.engine.commit(session)
            self._in_transaction = False
        if result.columns is not None:
            cursor.load(result.columns, result.rows, self._column, scrollable=call.scrollable)
            fetching = call.function == requests.FN_REEXECUTE_AND_FETCH or call.options & requests.OPT_FETCH
            has_lobs = any(c.type_number in _LOB_COLUMNS for c in cursor.columns or [])
            count = call.iterations if fetching and not has_lobs else 0
            return replies.describe(cursor.columns or []) + self._rows(cursor, cursor_id, count)
        out = b""
        if result.is_plsql and rows:
            out = self._out_binds(cursor.binds, rows[-1])
        elif any(m.returning for m in cursor.binds):
            out = returned(cursor.binds, rows, self.lobs)
        failed = result.batch_errors
        return out + replies.call_end(
            error=ARRAY_DML_ERRORS if failed else 0,
            message=ora_line(ARRAY_DML_ERRORS) if failed else "",
            cursor_id=cursor_id,
            rowcount=result.rowcount,
            in_transaction=self._in_transaction,
            batch_errors=failed,
        )

    def _bind(self, meta: BindMeta, value: bytes | list[bytes | None] | None) -> v.Bind:
        if meta.type_number not in (t.CURSOR, t.OBJECT):
            return bind_in(meta, value, self.lobs)
        if isinstance(value, list):
            raise ProtocolError(f"an array bind of Oracle type {meta.type_number}", code=UNSUPPORTED_TYPE)
        if meta.type_number == t.CURSOR:
            return v.Bind(self._cursor_in(value), v.REF_CURSOR)
        data_type = self._type_by_oid(meta.type_oid) if meta.type_oid else None
        if data_type is None:  # a type dropped (or never known) since the client described it
            raise ora(OBJECT_MISSING)
        return objects.bind(value, data_type)

    def _cursor_in(self, cursor_id: bytes | None) -> v.Value:
        """A cursor the client passes IN (one it opened, or was handed OUT earlier): an opened
        SYS_REFCURSOR holding the rows it has not fetched yet; an unknown id is ORA-01001."""
        if cursor_id is None:
            return None
        cursor = self.cursors.get(int.from_bytes(cursor_id, "big"))
        if cursor is None or cursor.columns is None:
            raise ora(1001)
        return cursor.as_ref_cursor()

    def _type_by_oid(self, oid: bytes) -> objects.Composite | None:
        return self.engine.type_by_oid(self._require_session(), oid)

    def _out_binds(self, metas: list[BindMeta], binds: list[v.Bind]) -> bytes:
        directions = [replies.BIND_IN_OUT if b.assigned else replies.BIND_IN for b in binds]
        images = [
            self._out_value(meta, bind) for meta, bind in zip(metas, binds, strict=True) if bind.assigned
        ]
        out = replies.io_vector(directions)
        return out + replies.row(images) if images else out

    def _out_value(self, meta: BindMeta, bind: v.Bind) -> bytes:
        """An OUT bind's image; an opened REF CURSOR becomes a cursor the client fetches from."""
        if meta.type_number == t.CURSOR:
            opened = bind.value.payload if isinstance(bind.value, v.OpaqueValue) else None
            result = opened if isinstance(opened, v.CursorRows) else v.CursorRows((), [])
            cursor_id = next(self._ids)
            cursor = OpenCursor("", ref_cursor=True)
            cursor.load([Described(n, dt) for n, dt in result.columns], result.rows, self._column)
            self.cursors[cursor_id] = cursor
            return cursors.out_image(cursor.columns or [], cursor_id)
        if meta.type_number == t.OBJECT and isinstance(
            bind.type, v.ObjectType | v.RecordType | v.CollectionType
        ):
            return objects.out_image(bind.value, bind.type, meta.type_oid or b"")
        return out_image(meta, bind.value, self.lobs)

    def _column(self, name: str, data_type: v.DataType, null_ok: bool) -> Column:
        """A column's describe information; an object or collection column names its type by
        owner, name and OID, which the driver then looks up as ``gettype()`` does."""
        if not isinstance(data_type, v.ObjectType | v.RecordType | v.CollectionType):
            return column(name, data_type, null_ok)
        found = self.engine.type_identity(self._require_session(), data_type)
        if found is None or found[1] is not None:  # anonymous, or a package type SQL cannot use
            raise ora(932, "-", data_type.name)
        owner, _, type_name, oid = found
        return Column(name, t.OBJECT, OBJECT_BUFFER, nullable=null_ok, type_oid=oid, type_owner=owner,
                      type_name=type_name)  # fmt: skip

    def _rows(self, cursor: OpenCursor, cursor_id: int, count: int) -> bytes:
        return cursor.batch(cursor_id, count, self.lobs, in_transaction=self._in_transaction)

    def _fetch(self, call: Call) -> bytes:
        session = self._require_session()
        cursor = self.cursors.get(call.cursor_id)
        if cursor is None or cursor.columns is None:
            return replies.call_end(error=1001, message=ora_line(1001))
        self.engine.fetch_round_trip(session)
        return self._rows(cursor, call.cursor_id, call.iterations)

    # -- LOBs -----------------------------------------------------------------------------

    def _lob(self, call: Call) -> bytes:
        session = self._require_session()
        assert call.raw is not None
        op = lobs.parse_op(call.raw)
        self.engine.lob_round_trip(session, _LOB_OPERATION_NAMES.get(op.operation, "other"))
        try:
            reply = self.lobs.perform(op)
        except FileNotFoundError:
            return replies.call_end(error=22288, message=_FILE_MISSING)
        return reply + replies.call_end(in_transaction=self._in_transaction)

    def _read_file(self, bfile: v.BFileValue) -> bytes | None:
        """A BFILE's bytes for a LOB operation (always after logon); None when it is missing."""
        return self.engine.read_bfile(self._require_session(), bfile.directory, bfile.filename)


_LOB_COLUMNS = (t.CLOB, t.BLOB, t.BFILE)
INTERNAL_ERROR, NOT_LOGGED_ON, OBJECT_MISSING = 600, 1012, 21700
OBJECT_BUFFER = 2000  # an object column's buffer size in its describe information [U]
_LOB_OPERATION_NAMES = {lobs.READ: "read", lobs.GET_LENGTH: "size", lobs.WRITE: "write", lobs.TRIM: "trim"}
_FILE_MISSING = f"{ora_line(22288, 'FILEOPEN')}\nNo such file or directory"


def _arguments(code: int, reason: tuple[str, ...]) -> tuple[object, ...]:
    """The slots a refusal's text has: ORA-03137's eight bracketed ones and ORA-00600's twelve
    take the reason (the location, for ORA-00600) in the first and are printed empty after
    it, as Oracle leaves its unused ones; ORA-03001's and ORA-03115's texts have none."""
    return leading(code, *reason) if code in (MALFORMED, INTERNAL_ERROR) else ()


def _where(exc: Exception) -> tuple[str, str]:
    """ORA-00600's arguments for an emulator bug: the exception's class and the function it
    was raised in, as Oracle's name an internal location; never its message, which might
    hold a bound value (the traceback, in the server's log, has it)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return type(exc).__name__, frames[-1].name if frames else "?"


_HANDLERS: dict[int, Callable[[WireSession, Call], bytes]] = {
    requests.FN_AUTH_ONE: WireSession._auth_one,
    requests.FN_AUTH_TWO: WireSession._auth_two,
    requests.FN_COMMIT: WireSession._simple,
    requests.FN_ROLLBACK: WireSession._simple,
    requests.FN_PING: WireSession._simple,
    requests.FN_LOGOFF: WireSession._simple,
    requests.FN_EXECUTE: WireSession._execute,
    requests.FN_REEXECUTE: WireSession._execute,
    requests.FN_REEXECUTE_AND_FETCH: WireSession._execute,
    requests.FN_FETCH: WireSession._fetch,
    requests.FN_LOB_OP: WireSession._lob,
}
