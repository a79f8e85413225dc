"""DBMS_LOB for temporary CLOBs/BLOBs and read-only BFILEs, plus BFILENAME.

LOB contents live in :class:`LobValue`; procedures that change a LOB (IN OUT NOCOPY in
Oracle) hand back a new value through the IN OUT argument, because the engine copies LOB
values on assignment. A BFILE is a (directory, file name) pair; which BFILEs a session has
opened is kept per session by that pair, since a :class:`BFileValue` carries no identity:
opening a BFILE through one locator therefore opens it for every locator naming the same
file, where Oracle ties openness to the locator (documented for FILEISOPEN) [U impact].

Temporary LOBs: the value model has no temporary flag, so ISTEMPORARY answers 1 for every
CLOB/BLOB a PL/SQL variable holds unless the value carries ``temporary = False`` (a flag the
backend may add for LOBs read from tables); see the report of this part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from airflow_datapump.testing._packages import lob_ops as ops
from airflow_datapump.testing._packages import lob_spec
from airflow_datapump.testing._packages.files_api import (
    DirectoryError,
    FileAccess,
    SessionState,
    has_separator,
    int_arg,
    value_error,
)
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec
from airflow_datapump.testing._values import BFileValue, LobValue, TypeKind, Value

SESSION_MAX_OPEN_FILES = 10  # the init parameter's default
# Character sets LOADCLOBFROMFILE accepts for BFILE_CSID; 0 (DEFAULT_CSID) is the database's.
_CHARSETS = {0: "utf-8", 873: "utf-8", 871: "utf-8", 1: "ascii", 31: "latin-1", 178: "cp1252"}


@dataclass
class _LobSession:
    open_files: set[tuple[str, str]] = field(default_factory=set)


def _bfile(args: dict[str, Value], name: str) -> BFileValue:
    value = args.get(name)
    if not isinstance(value, BFileValue):
        raise value_error("DBMS_LOB", 1014)  # documented VALUE_ERROR for a NULL BFILE
    return value


def _lob(args: dict[str, Value], name: str) -> LobValue:
    value = args.get(name)
    if not isinstance(value, LobValue):
        raise ops.invalid_locator()
    return value


class DbmsLob:
    """The package body; implementations close over the FileAccess and session state."""

    def __init__(self, files: FileAccess) -> None:
        self.files = files
        self.sessions: SessionState[_LobSession] = SessionState(_LobSession)

    # --- BFILE plumbing ------------------------------------------------------------------

    def path(self, ctx: CallContext, bfile: BFileValue, op: str) -> Path:
        """The BFILE's path after the READ check: ORA-22285 (NOEXIST_DIRECTORY) for a missing
        directory object, ORA-22286 (NOPRIV_DIRECTORY) without READ. A file name with a path
        separator is treated as a missing file (ORA-22285) [U]."""
        try:
            base = self.files.directory_path(ctx.session, bfile.directory, "READ")
        except DirectoryError as exc:
            raise _directory_error(exc, op) from exc
        if has_separator(bfile.filename):
            raise ops.lob_error(22285, op)
        return base / bfile.filename

    def file_bytes(self, ctx: CallContext, bfile: BFileValue, op: str = "FILEREAD") -> bytes:
        """A BFILE's contents; it must have been opened (ORA-22289, UNOPENED_FILE)."""
        key = (bfile.directory, bfile.filename)
        if key not in self.sessions.of(ctx.session).open_files:
            raise ops.lob_error(22289, op)
        try:
            return self.path(ctx, bfile, op).read_bytes()
        except OSError as exc:
            raise _os_failure(op, exc) from exc

    def content(self, ctx: CallContext, value: Value) -> str | bytes | None:
        """The data of a CLOB, BLOB or (opened) BFILE; None for NULL."""
        if isinstance(value, LobValue):
            return value.data
        if isinstance(value, BFileValue):
            return self.file_bytes(ctx, value)
        return None

    # --- BFILE subprograms ---------------------------------------------------------------

    def fileopen(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """FILEOPEN: only FILE_READONLY (0) is valid (ORA-21560 otherwise); a missing file is
        ORA-22288 with the OS text on the next line; more than SESSION_MAX_OPEN_FILES open
        BFILEs is ORA-22290. Reopening an open BFILE is accepted [U]."""
        bfile = _bfile(args, "FILE_LOC")
        if int_arg(args, "OPEN_MODE") != 0:
            raise ops.invalid_argval(2)
        path = self.path(ctx, bfile, "FILEOPEN")
        if not path.is_file():
            raise ops.lob_error(22288, "FILEOPEN", more=("No such file or directory",))
        opened = self.sessions.of(ctx.session).open_files
        key = (bfile.directory, bfile.filename)
        if key not in opened and len(opened) >= SESSION_MAX_OPEN_FILES:
            raise ops.lob_error(22290)
        opened.add(key)
        return None

    def fileclose(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        bfile = _bfile(args, "FILE_LOC")
        opened = self.sessions.of(ctx.session).open_files
        key = (bfile.directory, bfile.filename)
        if key not in opened:
            raise ops.lob_error(22289, "FILECLOSE")
        opened.discard(key)
        return None

    def filecloseall(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """FILECLOSEALL: closing nothing is UNOPENED_FILE in the docs' exception list [U]."""
        self.sessions.of(ctx.session).open_files.clear()
        return None

    def fileisopen(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        bfile = _bfile(args, "FILE_LOC")
        key = (bfile.directory, bfile.filename)
        return Decimal(int(key in self.sessions.of(ctx.session).open_files))

    def fileexists(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """FILEEXISTS: 1 or 0 for the file; directory problems still raise (documented)."""
        bfile = _bfile(args, "FILE_LOC")
        return Decimal(int(self.path(ctx, bfile, "FILEEXISTS").is_file()))

    def filegetname(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        bfile = _bfile(args, "FILE_LOC")
        args["DIR_ALIAS"] = bfile.directory or None
        args["FILENAME"] = bfile.filename or None
        return None

    def getlength(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """GETLENGTH: characters for CLOB, bytes otherwise; a BFILE need not be open (its
        exception list has no UNOPENED_FILE); NULL gives NULL."""
        value = args.get("LOB_LOC") if "LOB_LOC" in args else args.get("FILE_LOC")
        if isinstance(value, BFileValue):
            try:
                return Decimal(self.path(ctx, value, "GETLENGTH").stat().st_size)
            except OSError as exc:
                raise _os_failure("GETLENGTH", exc) from exc
        return None if not isinstance(value, LobValue) else Decimal(len(value.data))

    # --- reading -------------------------------------------------------------------------

    def substr(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        data = self.content(ctx, args.get("LOB_LOC") if "LOB_LOC" in args else args["FILE_LOC"])
        if data is None:
            return None
        amount, offset = int_arg(args, "AMOUNT"), int_arg(args, "OFFSET")
        if isinstance(data, str):
            return ops.substr(data, amount, offset)
        return ops.substr(data, amount, offset)

    def instr(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        data = self.content(ctx, args.get("LOB_LOC") if "LOB_LOC" in args else args["FILE_LOC"])
        pattern = args.get("PATTERN")
        offset, nth = int_arg(args, "OFFSET"), int_arg(args, "NTH")
        found = None
        if isinstance(data, str):
            found = ops.instr(data, _as_text(pattern), offset, nth)
        elif isinstance(data, bytes):
            found = ops.instr(data, _as_raw(pattern), offset, nth)
        return None if found is None else Decimal(found)

    def read(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        value = args.get("LOB_LOC") if "LOB_LOC" in args else args.get("FILE_LOC")
        data = self.content(ctx, value)
        if data is None:
            raise value_error("DBMS_LOB", 1089) if "FILE_LOC" in args else ops.invalid_locator()
        amount, offset = int_arg(args, "AMOUNT"), int_arg(args, "OFFSET")
        piece = _read(data, amount, offset)
        args["AMOUNT"] = Decimal(len(piece))
        args["BUFFER"] = piece
        return None

    # --- loading from BFILEs -------------------------------------------------------------

    def load(self, ctx: CallContext, args: dict[str, Value], src_name: str) -> bytes:
        """The bytes LOAD*FROMFILE reads, after the open check and the range rules; only that
        range is read from disk, so loading a large file piece by piece stays cheap."""
        bfile = _bfile(args, src_name)
        key = (bfile.directory, bfile.filename)
        if key not in self.sessions.of(ctx.session).open_files:
            raise ops.lob_error(22289, "FILEREAD")
        path = self.path(ctx, bfile, "FILEREAD")
        try:
            with path.open("rb") as stream:
                size = stream.seek(0, 2)
                start, stop = ops.load_range(size, int_arg(args, "AMOUNT"), int_arg(args, "SRC_OFFSET"))
                stream.seek(start)
                return stream.read(stop - start)
        except OSError as exc:
            raise _os_failure("FILEREAD", exc) from exc

    def loadclobfromfile(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """LOADCLOBFROMFILE: bytes converted from BFILE_CSID (0 = database charset, UTF-8);
        undecodable bytes become U+FFFD and set WARNING to WARN_INCONVERTIBLE_CHAR (1).
        DEST_OFFSET advances by characters, SRC_OFFSET by bytes (documented)."""
        dest = _lob(args, "DEST_LOB")
        dest_offset = int_arg(args, "DEST_OFFSET")
        if dest_offset is None or dest_offset < 1:
            raise ops.invalid_argval(4)
        encoding = _CHARSETS.get(int_arg(args, "BFILE_CSID") or 0)
        if encoding is None:
            raise ops.invalid_argval(6)
        chunk = self.load(ctx, args, "SRC_BFILE")
        try:
            text, warning = chunk.decode(encoding), 0
        except UnicodeDecodeError:
            text, warning = chunk.decode(encoding, errors="replace"), 1
        data = dest.data if isinstance(dest.data, str) else ""
        args["DEST_LOB"] = LobValue(TypeKind.CLOB, ops.place(data, text, dest_offset))
        args["DEST_OFFSET"] = Decimal(dest_offset + len(text))
        args["SRC_OFFSET"] = Decimal((int_arg(args, "SRC_OFFSET") or 1) + len(chunk))
        args["WARNING"] = Decimal(warning)
        return None

    def loadblobfromfile(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        """LOADBLOBFROMFILE (and the deprecated LOADFROMFILE): bytes as they are."""
        dest = _lob(args, "DEST_LOB")
        dest_offset = int_arg(args, "DEST_OFFSET")
        if dest_offset is None or dest_offset < 1:
            raise ops.invalid_argval(4)
        src = "SRC_BFILE" if "SRC_BFILE" in args else "SRC_LOB"
        chunk = self.load(ctx, args, src)
        data = dest.data if isinstance(dest.data, bytes) else b""
        args["DEST_LOB"] = LobValue(TypeKind.BLOB, ops.place(data, chunk, dest_offset))
        if "SRC_BFILE" in args:  # LOADFROMFILE's offsets are IN only
            args["DEST_OFFSET"] = Decimal(dest_offset + len(chunk))
            args["SRC_OFFSET"] = Decimal((int_arg(args, "SRC_OFFSET") or 1) + len(chunk))
        return None

    # --- temporary LOBs and writing ------------------------------------------------------

    def createtemporary(self, ctx: CallContext, args: dict[str, Value], kind: TypeKind) -> Value:
        """CREATETEMPORARY: an empty LOB of the overload's kind; DUR must be SESSION (10) or
        CALL (12), else ORA-21560 [U: TRANSACTION (11) is not in the 19c constants]."""
        if int_arg(args, "DUR") not in (10, 12):
            raise ops.invalid_argval(3)
        args["LOB"] = LobValue(kind, "" if kind == TypeKind.CLOB else b"")
        return None

    def freetemporary(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        _lob(args, "LOB")
        args["LOB"] = None
        return None

    def istemporary(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        value = args.get("LOB_LOC")
        if not isinstance(value, LobValue):
            return None
        return Decimal(int(getattr(value, "temporary", True)))

    def append(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        dest, src = _lob(args, "DEST_LOB"), _lob(args, "SRC_LOB")
        if isinstance(dest.data, str):
            args["DEST_LOB"] = _with(dest, dest.data + (_as_text(src.data) or ""))
        else:
            args["DEST_LOB"] = _with(dest, dest.data + (_as_raw(src.data) or b""))
        return None

    def writeappend(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        lob = _lob(args, "LOB_LOC")
        new = _write(lob.data, int_arg(args, "AMOUNT"), len(lob.data) + 1, args.get("BUFFER"))
        args["LOB_LOC"] = _with(lob, new)
        return None

    def write(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        lob = _lob(args, "LOB_LOC")
        offset = int_arg(args, "OFFSET")
        new = _write(lob.data, int_arg(args, "AMOUNT"), offset, args.get("BUFFER"))
        args["LOB_LOC"] = _with(lob, new)
        return None

    def trim(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        lob = _lob(args, "LOB_LOC")
        newlen = int_arg(args, "NEWLEN")
        if isinstance(lob.data, bytes):
            args["LOB_LOC"] = _with(lob, ops.trim(lob.data, newlen))
            return None
        args["LOB_LOC"] = _with(lob, ops.trim(lob.data, newlen))
        return None

    def copy(self, ctx: CallContext, args: dict[str, Value]) -> Value:
        dest, src = _lob(args, "DEST_LOB"), _lob(args, "SRC_LOB")
        numbers = (
            int_arg(args, "AMOUNT"),
            int_arg(args, "DEST_OFFSET"),
            int_arg(args, "SRC_OFFSET"),
        )
        new: str | bytes
        if isinstance(dest.data, str):
            new = ops.copy(dest.data, _as_text(src.data) or "", *numbers)
        else:
            new = ops.copy(dest.data, _as_raw(src.data) or b"", *numbers)
        args["DEST_LOB"] = _with(dest, new)
        return None


def _as_text(value: object) -> str | None:
    """``value`` when it is text; the overloads keep CLOB and BLOB arguments apart."""
    return value if isinstance(value, str) else None


def _as_raw(value: object) -> bytes | None:
    return value if isinstance(value, bytes) else None


def _with(lob: LobValue, data: str | bytes) -> LobValue:
    return LobValue(lob.kind, data)


def _read(data: str | bytes, amount: int | None, offset: int | None) -> str | bytes:
    if isinstance(data, str):
        return ops.read(data, amount, offset)
    return ops.read(data, amount, offset)


def _write(data: str | bytes, amount: int | None, offset: int | None, buffer: Value) -> str | bytes:
    """WRITE on either kind; a NULL or mistyped BUFFER acts as empty (so AMOUNT fails)."""
    if isinstance(data, str):
        return ops.write(data, amount, offset, buffer if isinstance(buffer, str) else "")
    return ops.write(data, amount, offset, buffer if isinstance(buffer, bytes) else b"")


def _directory_error(exc: DirectoryError, op: str) -> OracleError:
    if exc.reason == "missing":
        return ops.lob_error(22285, op)
    return ops.lob_error(22286, op)


def _os_failure(op: str, exc: OSError) -> OracleError:
    """ORA-22288 with the OS error text on its own line, as Oracle prints it."""
    detail = exc.strerror or "No such file or directory"
    return ops.lob_error(22288, op, more=(detail,))


def build(files: FileAccess) -> PackageSpec:
    """DBMS_LOB as the engine registers it; each call returns a package with fresh state."""
    return lob_spec.package(DbmsLob(files))


def build_standard(files: FileAccess) -> PackageSpec:
    """A STANDARD-like package holding BFILENAME, for engines that look built-ins up there."""
    return lob_spec.standard()
