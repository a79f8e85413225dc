"""Decoding what a client asks for: TTC function calls and the piggybacks riding before them.

One DATA payload holds zero or more piggybacks (message type 17: closed cursors, a new
current schema, end-to-end attributes, temporary LOBs to free) and then one function call
(message type 3). Each is decoded into a plain dataclass; bind and define values stay raw
bytes here and are turned into values by the session, which knows what each bind means.
Layouts follow python-oracledb's thin implementation at TTC field version 12 (19c).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from airflow_datapump.testing._net import cursors, objects, oratypes
from airflow_datapump.testing._net.buffer import UNIMPLEMENTED, ProtocolError, Reader
from airflow_datapump.testing._net.lobs import LOCATOR_SIZE

MSG_FUNCTION, MSG_PIGGYBACK, MSG_ONEWAY = 3, 17, 26
MSG_ROW_DATA = 7
FN_REEXECUTE, FN_FETCH, FN_LOGOFF, FN_COMMIT, FN_ROLLBACK = 4, 5, 9, 14, 15
FN_REEXECUTE_AND_FETCH, FN_EXECUTE, FN_LOB_OP = 78, 94, 96
FN_CLOSE_CURSORS, FN_AUTH_TWO, FN_AUTH_ONE, FN_END_TO_END, FN_PING = 105, 115, 118, 135, 147
FN_SET_SCHEMA, FN_SESSION_RELEASE = 152, 163
OPT_PARSE, OPT_BIND, OPT_DEFINE, OPT_EXECUTE, OPT_FETCH = 0x1, 0x8, 0x10, 0x20, 0x40
OPT_COMMIT, OPT_PLSQL_BIND, OPT_NOT_PLSQL, OPT_DESCRIBE = 0x100, 0x400, 0x8000, 0x20000
OPT_BATCH_ERRORS = 0x80000  # executemany(batcherrors=True)
BIND_ARRAY = 0x40
EXEC_SCROLLABLE = 0x2  # in an execute's flags (al8i4[9]): the statement runs as a scrollable cursor
#: Fetch orientations of a scrollable cursor's execute (al8i4[10]), as cursor.pyx sends them.
FETCH_CURRENT, FETCH_NEXT, FETCH_FIRST, FETCH_LAST = 0x01, 0x02, 0x04, 0x08
FETCH_PRIOR, FETCH_ABSOLUTE, FETCH_RELATIVE = 0x10, 0x20, 0x40
REEXECUTE_COMMIT = 0x1  # autocommit, in a re-execute's second options word
MAX_STRING_SIZE = 32767  # announced in the runtime capabilities


@dataclass
class BindMeta:
    """How the client describes one bind or define: its type, size and character set form."""

    type_number: int
    flags: int
    buffer_size: int
    max_elements: int
    cs_form: int
    type_oid: bytes | None = None
    returning: bool = False  # a DML RETURNING INTO target: the client sends no value for it

    @property
    def is_array(self) -> bool:
        return bool(self.flags & BIND_ARRAY)


@dataclass
class Piggyback:
    function: int
    closed_cursors: list[int] = field(default_factory=list)
    freed_lobs: list[bytes] = field(default_factory=list)
    attributes: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Call:
    """One function call; the fields used depend on ``function``."""

    function: int
    sequence: int
    piggybacks: list[Piggyback] = field(default_factory=list)
    options: int = 0
    cursor_id: int = 0
    sql: str | None = None
    iterations: int = 0
    executions: int = 0
    exec_flags: int = 0
    fetch_orientation: int = 0
    fetch_position: int = 0  # the row (1-based) a scrollable cursor's fetch starts at
    binds: list[BindMeta] = field(default_factory=list)
    defines: list[BindMeta] = field(default_factory=list)
    rows: list[list[bytes | list[bytes | None] | None]] = field(default_factory=list)
    plsql: bool = False
    auth_user: str | None = None
    auth_mode: int = 0
    auth_pairs: dict[str, str] = field(default_factory=dict)
    raw: Reader | None = None  # the rest of a call decoded elsewhere (LOB operations)
    one_way: bool = False  # a message the client expects no reply to

    @property
    def scrollable(self) -> bool:
        return bool(self.exec_flags & EXEC_SCROLLABLE)

    @property
    def scroll(self) -> bool:
        """Whether an execute on a scrollable cursor moves within its result rather than runs
        the statement: a scroll carries no EXECUTE option, and the driver fetches on from row
        N (N > 1) by an execute naming that row (cursor.pyx ``_fetch_rows``); a new execute
        names row 1."""
        if not self.scrollable or self.function != FN_EXECUTE or self.sql is not None:
            return False
        return not self.options & OPT_EXECUTE or self.fetch_position > 1


#: Per open cursor id: its bind descriptions and whether it is PL/SQL (for re-executes).
Known = dict[int, tuple[list[BindMeta], bool]]
#: How many of a SQL statement's placeholders, the last ones, are RETURNING INTO targets.
Returning = Callable[[str], int]


@dataclass
class Context:
    """What decoding needs beyond the bytes: the open cursors' binds, and which of a new
    statement's binds carry no value (the server learns that by parsing the statement)."""

    known: Known
    returning: Returning


def parse(data: bytes, known_binds: Known | None = None, returning: Returning | None = None) -> Call:
    """Decode one request payload; ``known_binds`` gives re-executes their cursor's binds,
    ``returning`` says how many of a new SQL statement's binds are RETURNING INTO targets."""
    context = Context(known_binds or {}, returning or (lambda sql: 0))
    body = Reader(data)
    piggybacks: list[Piggyback] = []
    while True:
        kind = body.u8()
        function, sequence = body.u8(), body.u8()
        if kind == MSG_PIGGYBACK:
            piggybacks.append(_piggyback(body, function))
            continue
        if kind not in (MSG_FUNCTION, MSG_ONEWAY):
            raise ProtocolError(f"message type {kind} where a function call was expected")
        call = Call(function, sequence, piggybacks, one_way=kind == MSG_ONEWAY)
        _DECODERS.get(function, _rest)(body, call, context)
        return call


def _rest(body: Reader, call: Call, _context: Context) -> None:
    call.raw = body


def _nothing(body: Reader, call: Call, _context: Context) -> None:
    """COMMIT, ROLLBACK, PING and LOGOFF carry nothing after their header."""


def _piggyback(body: Reader, function: int) -> Piggyback:
    found = Piggyback(function)
    if function == FN_CLOSE_CURSORS:
        body.u8()
        found.closed_cursors = [body.ub4() for _ in range(body.ub4())]
    elif function == FN_SET_SCHEMA:
        body.u8()
        found.attributes["CURRENT_SCHEMA"] = body.str2()
    elif function == FN_END_TO_END:
        found.attributes = _end_to_end(body)
    elif function == FN_LOB_OP:
        found.freed_lobs = _free_temp_lobs(body)
    else:
        raise ProtocolError(f"piggyback function {function} is not supported", code=UNIMPLEMENTED)
    return found


_END_TO_END_FIELDS = ("CLIENT_IDENTIFIER", "MODULE", "ACTION", None, "CLIENT_INFO", None, None, "DBOP")


def _end_to_end(body: Reader) -> dict[str, str | None]:
    body.u8(), body.u8()
    body.ub4()  # flags: which attributes changed
    present: list[tuple[str, bool]] = []
    for index, name in enumerate(_END_TO_END_FIELDS):
        pointer, length = body.u8(), body.ub4()
        if index == 3:
            body.u8(), body.ub4()  # cidcct, cidecs follow the ECID pair
        if name is not None and pointer:
            present.append((name, length > 0))
    values: dict[str, str | None] = {}
    for name, has_text in present:
        values[name] = (body.bytes_() or b"").decode(errors="replace") if has_text else None
    return values


def _free_temp_lobs(body: Reader) -> list[bytes]:
    """The locators of temporary LOBs the client no longer uses, sent one after another
    (this server's CLOB and BLOB locators are all LOCATOR_SIZE bytes long)."""
    body.u8()
    total = body.ub4()
    body.u8(), body.ub4(), body.ub4(), body.ub4()  # dest and source locators (none)
    body.u8(), body.u8(), body.u8()  # offsets, charset
    body.ub4()  # operation
    body.u8(), body.ub4(), body.ub8(), body.ub8(), body.u8()  # SCN fields
    for _ in range(3):
        body.u8(), body.ub4()  # array LOB fields
    data = body.raw(total)
    return [data[i : i + LOCATOR_SIZE] for i in range(0, len(data), LOCATOR_SIZE)]


def _execute(body: Reader, call: Call, context: Context) -> None:
    call.options, call.cursor_id = body.ub4(), body.ub4()
    has_sql = body.u8()
    body.ub4()  # SQL length
    body.u8(), body.ub4(), body.u8(), body.u8(), body.ub4()
    call.iterations = body.ub4()
    body.ub4()  # max long size
    body.u8()
    num_binds = body.ub4()
    for _ in range(5):
        body.u8()
    body.u8()
    num_defines = body.ub4()
    body.ub4(), body.u8(), body.u8(), body.u8(), body.ub4(), body.u8(), body.ub4(), body.ub4()
    body.u8(), body.ub4(), body.u8()
    body.u8(), body.ub4(), body.u8(), body.ub4(), body.u8()  # field version 12.2
    body.u8(), body.ub4()  # field version 12.2 ext1
    if has_sql:
        call.sql = (body.bytes_() or b"").decode(errors="replace")
    al8i4 = [body.ub4() for _ in range(13)]
    call.executions = al8i4[1]
    call.exec_flags, call.fetch_orientation, call.fetch_position = al8i4[9:12]
    if num_defines:
        call.defines = [_meta(body) for _ in range(num_defines)]
    elif num_binds:
        call.binds = [_meta(body) for _ in range(num_binds)]
        call.plsql = not call.options & OPT_NOT_PLSQL
        if not al8i4[7]:  # a query has no RETURNING clause
            _mark_returning(call, context)
        executions = max(1, call.executions)
        if al8i4[7]:  # a query runs once; the driver's scroll sends the descriptions alone
            executions = 1 if body.remaining else 0
        call.rows = _rows(body, call.binds, executions, plsql=call.plsql)


def _reexecute(body: Reader, call: Call, context: Context) -> None:
    call.cursor_id, call.iterations = body.ub4(), body.ub4()
    options, more_options = body.ub4(), body.ub4()
    call.options = options | (OPT_COMMIT if more_options & REEXECUTE_COMMIT else 0)
    call.binds, call.plsql = context.known.get(call.cursor_id, ([], False))
    call.executions = call.iterations if call.function == FN_REEXECUTE else 1
    if call.binds and (body.remaining or all(m.returning for m in call.binds)):
        call.rows = _rows(body, call.binds, max(1, call.executions), plsql=call.plsql)


def _mark_returning(call: Call, context: Context) -> None:
    """Flag the binds a DML statement's RETURNING INTO assigns: the last ones, as many as the
    statement has targets. A new statement is asked about; an execute naming an open cursor
    without its text keeps what that cursor's binds were."""
    if call.plsql:
        return
    if call.sql is not None:
        count = context.returning(call.sql)
    else:
        count = sum(m.returning for m in context.known.get(call.cursor_id, ([], False))[0])
    for meta in call.binds[len(call.binds) - count :] if count else ():
        meta.returning = True


def _fetch(body: Reader, call: Call, _context: Context) -> None:
    call.cursor_id, call.iterations = body.ub4(), body.ub4()


def _auth(body: Reader, call: Call, _context: Context) -> None:
    has_user = body.u8()
    body.ub4()
    call.auth_mode = body.ub4()
    body.u8()
    pairs = body.ub4()
    body.u8(), body.u8()
    if has_user:
        call.auth_user = (body.bytes_() or b"").decode(errors="replace")
    for _ in range(pairs):
        key, value = body.str2() or "", body.str2() or ""
        body.ub4()
        call.auth_pairs[key.rstrip("\x00")] = value


def _meta(body: Reader) -> BindMeta:
    type_number, flags = body.u8(), body.u8()
    body.u8(), body.u8()  # precision, scale
    buffer_size, max_elements = body.ub4(), body.ub4()
    body.ub8()  # cont flags
    oid = None
    if body.ub4():
        oid = body.bytes_()
        body.ub4()
    else:
        body.ub2()
    body.ub2()  # charset
    cs_form = body.u8()
    body.ub4(), body.ub4()  # LOB prefetch length, oaccolid
    return BindMeta(type_number, flags, buffer_size, max_elements, cs_form, oid)


BindRow = list[bytes | list[bytes | None] | None]


def _rows(body: Reader, binds: list[BindMeta], executions: int, *, plsql: bool) -> list[BindRow]:
    """Bind values per execution. Outside PL/SQL the client sends values longer than the
    maximum string size (LONG binds) after all the others; they are put back in place here."""
    late = [not plsql and not m.is_array and m.buffer_size > MAX_STRING_SIZE for m in binds]
    order = [i for i, is_late in enumerate(late) if not is_late] + [
        i for i, is_late in enumerate(late) if is_late
    ]
    order = [i for i in order if not binds[i].returning]
    rows: list[BindRow] = []
    for _ in range(executions):
        row: BindRow = [None] * len(binds)
        rows.append(row)
        if not order:  # only RETURNING INTO targets: the client sends no row (base.pyx)
            continue
        if body.u8() != MSG_ROW_DATA:
            raise ProtocolError("bind values must follow as a ROW_DATA message")
        for index in order:
            meta = binds[index]
            row[index] = (
                [_value(body, meta) for _ in range(body.ub4())] if meta.is_array else _value(body, meta)
            )
    return rows


def _value(body: Reader, meta: BindMeta) -> bytes | None:
    if meta.type_number == oratypes.BOOLEAN:
        first = body.u8()
        if first == 253:  # escaped NULL
            body.u8()
            return None
        return body.chunked(first) if first else None
    if meta.type_number in (oratypes.CLOB, oratypes.BLOB, oratypes.BFILE):
        return body.bytes2()  # the locator
    if meta.type_number == oratypes.CURSOR:
        return cursors.read_in(body)
    if meta.type_number == oratypes.OBJECT:
        return objects.read_in(body)
    return body.bytes_()


_DECODERS = {
    FN_EXECUTE: _execute,
    FN_REEXECUTE: _reexecute,
    FN_REEXECUTE_AND_FETCH: _reexecute,
    FN_FETCH: _fetch,
    FN_AUTH_ONE: _auth,
    FN_AUTH_TWO: _auth,
    FN_COMMIT: _nothing,
    FN_ROLLBACK: _nothing,
    FN_PING: _nothing,
    FN_LOGOFF: _nothing,
}
