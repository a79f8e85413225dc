"""UTL_FILE: text and byte file I/O on directory objects, per the 19c Packages Reference.

An open file is a ``FILE_TYPE`` record (ID, DATATYPE, BYTE_MODE) whose ID indexes the
session's open handles, as in Oracle: the record is copied by assignment, FCLOSE sets the
caller's ID to NULL, and a stale copy then fails with ORA-29282. Handles keep no OS file open
between calls (each call opens, seeks and closes), so abandoned sessions leak nothing.

Text is read and written as UTF-8, the emulated database character set. GET_LINE ends a line
at ``\\n`` only and keeps a ``\\r`` before it, as UTL_FILE on a Unix server does. Writes are
buffered until FFLUSH, FCLOSE, FCLOSE_ALL or AUTOFLUSH => TRUE, as documented, so another
session sees them only then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from airflow_datapump.testing._packages import utl_file_ops as ops
from airflow_datapump.testing._packages.files_api import (
    BINARY_INTEGER,
    NATURAL,
    PLS_INTEGER,
    FileAccess,
    Privilege,
    SessionState,
    bool_arg,
    int_arg,
    param,
    text_arg,
)
from airflow_datapump.testing._packages.utl_file_io import Handle, read_line, read_raw
from airflow_datapump.testing._plsql.packages import (
    CallContext,
    PackageSpec,
    Subprogram,
)
from airflow_datapump.testing._values import (
    BOOLEAN,
    RAW,
    VARCHAR2,
    RecordType,
    RecordValue,
    Value,
)

FILE_TYPE = RecordType(
    "UTL_FILE.FILE_TYPE",
    (("ID", BINARY_INTEGER), ("DATATYPE", BINARY_INTEGER), ("BYTE_MODE", BOOLEAN)),
)
_MODES = {"r": "READ", "w": "WRITE", "a": "WRITE", "rb": "READ", "wb": "WRITE", "ab": "WRITE"}
_MAX_LINESIZE = 32767


@dataclass
class _Session:
    handles: dict[int, Handle] = field(default_factory=dict)
    next_id: int = 1


class _UtlFile:
    """The package body: implementations close over the FileAccess and the session state."""

    def __init__(self, files: FileAccess) -> None:
        self.files = files
        self.sessions: SessionState[_Session] = SessionState(_Session)

    def handle(self, ctx: CallContext, args: dict[str, Value]) -> Handle:
        """The open handle the FILE argument names, or ORA-29282 (INVALID_FILEHANDLE)."""
        record = args.get("FILE")
        ident = record.fields.get("ID") if isinstance(record, RecordValue) else None
        found = None
        if isinstance(ident, Decimal):
            found = self.sessions.of(ctx.session).handles.get(int(ident))
        if found is None:
            raise ops.utl_error(29282)
        return found

    def fopen(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """FOPEN: mode checked first (29281), then the line size (29287), the name (29288),
        the directory (29280/29289) and finally the file itself (29283)."""
        mode = (text_arg(args, "OPEN_MODE") or "").lower()
        if mode not in _MODES:
            raise ops.utl_error(29281, line=536)
        linesize = int_arg(args, "MAX_LINESIZE")
        if linesize is None or not 1 <= linesize <= _MAX_LINESIZE:
            raise ops.utl_error(29287, line=536)
        priv: Privilege = "READ" if _MODES[mode] == "READ" else "WRITE"
        path = ops.file_in(self.files, ctx, args, "LOCATION", "FILENAME", priv)
        _open_on_disk(path, mode)
        state = self.sessions.of(ctx.session)
        ident = state.next_id
        state.next_id += 1
        byte_mode = mode.endswith("b")
        state.handles[ident] = Handle(path, mode[0], byte_mode, linesize)
        fields: dict[str, Value] = {"ID": Decimal(ident), "DATATYPE": Decimal(1)}
        fields["BYTE_MODE"] = byte_mode
        return RecordValue(FILE_TYPE, fields)

    def is_open(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """IS_OPEN looks only at the record's ID: after FCLOSE_ALL it still answers TRUE,
        as the 19c FCLOSE_ALL usage notes warn."""
        record = args.get("FILE")
        return isinstance(record, RecordValue) and record.fields.get("ID") is not None

    def get_line(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        args["BUFFER"] = read_line(self.handle(ctx, args), int_arg(args, "LEN"))
        return None

    def get_raw(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        args["BUFFER"] = read_raw(self.handle(ctx, args), int_arg(args, "LEN"))
        return None

    def put(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        self.handle(ctx, args).put_text(text_arg(args, "BUFFER") or "")
        return None

    def put_line(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        handle = self.handle(ctx, args)
        handle.put_text((text_arg(args, "BUFFER") or "") + "\n")
        if bool_arg(args, "AUTOFLUSH"):
            handle.flush()
        return None

    def new_line(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """NEW_LINE: LINES defaults to 1; NULL or 0 writes nothing [U for NULL]."""
        self.handle(ctx, args).put_text("\n" * max(int_arg(args, "LINES") or 0, 0))
        return None

    def putf(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """PUTF: each ``%s`` takes the next of ARG1..ARG5 (NULL, or none left, gives an
        empty string) and the two characters ``\\n`` become a line terminator."""
        self.handle(ctx, args).put_text(_format(text_arg(args, "FORMAT") or "", args))
        return None

    def put_raw(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        handle = self.handle(ctx, args)
        buffer = args.get("BUFFER")
        handle.put_bytes(buffer if isinstance(buffer, bytes) else b"")
        if bool_arg(args, "AUTOFLUSH"):
            handle.flush()
        return None

    def fflush(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """FFLUSH: ORA-29283 on a file opened for reading [U: Oracle may ignore it]."""
        handle = self.handle(ctx, args)
        handle.require_write()
        handle.flush()
        return None

    def fclose(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """FCLOSE: pending writes are flushed, then the caller's record loses its ID.

        Closing a handle that is not open (never opened, already closed, closed by
        FCLOSE_ALL) is ORA-29282 [U: some releases may treat it as a no-op].
        """
        handle = self.handle(ctx, args)
        record = args["FILE"]
        assert isinstance(record, RecordValue)
        ident = record.fields["ID"]
        assert isinstance(ident, Decimal)
        del self.sessions.of(ctx.session).handles[int(ident)]
        handle.flush()
        args["FILE"] = RecordValue(FILE_TYPE, {"ID": None, "DATATYPE": None, "BYTE_MODE": None})
        return None

    def fclose_all(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        state = self.sessions.of(ctx.session)
        handles, state.handles = state.handles, {}
        for handle in handles.values():
            handle.flush()
        return None

    def fseek(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        self.handle(ctx, args).seek(int_arg(args, "ABSOLUTE_OFFSET"), int_arg(args, "RELATIVE_OFFSET"))
        return None

    def fgetpos(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        return Decimal(self.handle(ctx, args).position())


def _open_on_disk(path: Path, mode: str) -> None:
    """Create or truncate for w/a as FOPEN does at once; check existence for r.

    Mode ``a`` on a missing file creates it, as documented ("the file is created in write
    mode"). Opening a missing file for reading is ORA-29283 with 18c+'s LFI detail [U text].
    """
    try:
        if mode[0] == "r":
            if not path.is_file():
                raise ops.utl_error(29283, ops.NO_SUCH_FILE, line=536)
            with path.open("rb"):
                pass
        else:
            with path.open("wb" if mode[0] == "w" else "ab"):
                pass
    except FileNotFoundError as exc:
        raise ops.utl_error(29283, ops.NO_SUCH_FILE, line=536) from exc
    except OSError as exc:
        raise ops.utl_error(29283, ops.CANNOT_OPEN, line=536) from exc


def _format(fmt: str, args: dict[str, Value]) -> str:
    values = [text_arg(args, f"ARG{i}") or "" for i in range(1, 6)]
    pieces = fmt.replace("\\n", "\n").split("%s")
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:]):
        out.append(values[index] if index < len(values) else "")
        out.append(piece)
    return "".join(out)


_FILE = param("FILE", FILE_TYPE)
_FILE_INOUT = param("FILE", FILE_TYPE, "IN OUT")
_NULL_INT = param("LEN", PLS_INTEGER, opt=True)
_AUTOFLUSH = param("AUTOFLUSH", BOOLEAN, default=False, opt=True)


def _handle_signatures(body: _UtlFile) -> list[Subprogram]:
    return [
        Subprogram(
            "FOPEN",
            (
                param("LOCATION", VARCHAR2),
                param("FILENAME", VARCHAR2),
                param("OPEN_MODE", VARCHAR2),
                param("MAX_LINESIZE", BINARY_INTEGER, default=Decimal(1024), opt=True),
            ),
            FILE_TYPE,
            body.fopen,
        ),
        Subprogram("IS_OPEN", (_FILE,), BOOLEAN, body.is_open),
        Subprogram("GET_LINE", (_FILE, param("BUFFER", VARCHAR2, "OUT"), _NULL_INT), None, body.get_line),
        Subprogram("GET_RAW", (_FILE, param("BUFFER", RAW, "OUT"), _NULL_INT), None, body.get_raw),
        Subprogram("PUT", (_FILE, param("BUFFER", VARCHAR2)), None, body.put),
        Subprogram("PUT_LINE", (_FILE, param("BUFFER", VARCHAR2), _AUTOFLUSH), None, body.put_line),
        Subprogram(
            "NEW_LINE",
            (_FILE, param("LINES", NATURAL, default=Decimal(1), opt=True)),
            None,
            body.new_line,
        ),
        Subprogram(
            "PUTF",
            (
                _FILE,
                param("FORMAT", VARCHAR2),
                *(param(f"ARG{i}", VARCHAR2, opt=True) for i in range(1, 6)),
            ),
            None,
            body.putf,
        ),
        Subprogram("PUT_RAW", (_FILE, param("BUFFER", RAW), _AUTOFLUSH), None, body.put_raw),
        Subprogram("FFLUSH", (_FILE,), None, body.fflush),
        Subprogram("FCLOSE", (_FILE_INOUT,), None, body.fclose),
        Subprogram("FCLOSE_ALL", (), None, body.fclose_all),
        Subprogram(
            "FSEEK",
            (
                _FILE_INOUT,
                param("ABSOLUTE_OFFSET", PLS_INTEGER, opt=True),
                param("RELATIVE_OFFSET", PLS_INTEGER, opt=True),
            ),
            None,
            body.fseek,
        ),
        Subprogram("FGETPOS", (_FILE,), PLS_INTEGER, body.fgetpos),
    ]


def build(files: FileAccess) -> PackageSpec:
    """UTL_FILE as the engine registers it; each call returns a package with fresh state."""
    spec = PackageSpec("UTL_FILE", exceptions=dict(ops.EXCEPTIONS), types={"FILE_TYPE": FILE_TYPE})
    for sub in [*_handle_signatures(_UtlFile(files)), *ops.signatures(files)]:
        spec.subprograms.setdefault(sub.name, []).append(sub)
    return spec
