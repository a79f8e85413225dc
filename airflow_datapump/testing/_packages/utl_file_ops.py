"""UTL_FILE's errors and its whole-file operations: FGETATTR, FREMOVE, FRENAME, FCOPY.

These take a directory object and a file name rather than an open handle, so they hold no
session state; :mod:`.utl_file` builds the package and owns the handles.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from airflow_datapump.testing._packages.files_api import (
    BINARY_INTEGER,
    DirectoryError,
    FileAccess,
    Privilege,
    bool_arg,
    frame,
    has_separator,
    int_arg,
    param,
    text_arg,
)
from airflow_datapump.testing._plsql.errors import OracleError
from airflow_datapump.testing._plsql.packages import CallContext, Subprogram, package_error
from airflow_datapump.testing._values import BOOLEAN, NUMBER, VARCHAR2, Value

# Package exceptions and their codes; the texts are the catalogue's (ORA-29280's wording
# changed from "invalid directory path" to "invalid directory object" in 18c).
EXCEPTIONS: dict[str, int] = {
    "INVALID_PATH": 29280,
    "INVALID_MODE": 29281,
    "INVALID_FILEHANDLE": 29282,
    "INVALID_OPERATION": 29283,
    "READ_ERROR": 29284,
    "WRITE_ERROR": 29285,
    "INTERNAL_ERROR": 29286,
    "INVALID_MAXLINESIZE": 29287,
    "INVALID_FILENAME": 29288,
    "ACCESS_DENIED": 29289,
    "INVALID_OFFSET": 29290,
    "DELETE_FAILED": 29291,
    "RENAME_FAILED": 29292,
    "CHARSETMISMATCH": 29298,
}
# 18c+ append an LFI detail to ORA-29283 for a file that cannot be opened [U exact text].
NO_SUCH_FILE = "nonexistent file or path [29434]"
CANNOT_OPEN = "cannot open file [29435]"


def utl_error(code: int, detail: str | None = None, *, line: int = 41) -> OracleError:
    """An error as UTL_FILE raises it: the ORA line, then the package frame."""
    return package_error(code, frame("UTL_FILE", line), args=(detail,) if detail else ())


def resolve(files: FileAccess, ctx: CallContext, location: str | None, priv: Privilege) -> Path:
    """The directory object's path, with UTL_FILE's errors for a missing one or no grant."""
    if location is None:
        raise utl_error(29280)
    try:
        return files.directory_path(ctx.session, location, priv)
    except DirectoryError as exc:
        raise utl_error(29280 if exc.reason == "missing" else 29289) from exc


def file_in(
    files: FileAccess,
    ctx: CallContext,
    args: dict[str, Value],
    loc: str,
    name: str,
    priv: Privilege,
) -> Path:
    """The file ``args[name]`` in directory object ``args[loc]``, checked as FOPEN checks.

    A name with a path separator is refused (ORA-29288): 19c lets UTL_FILE reach only the
    directory object's own directory, not sub- or parent directories.
    """
    filename = text_arg(args, name)
    if filename is None or has_separator(filename):
        raise utl_error(29288)
    return resolve(files, ctx, text_arg(args, loc), priv) / filename


def fgetattr(files: FileAccess, ctx: CallContext, args: dict[str, Value]) -> Value:
    """FGETATTR: a missing file is not an error; FEXISTS is FALSE and the numbers 0 [U: some
    releases may leave FILE_LENGTH and BLOCK_SIZE NULL]. BLOCK_SIZE is reported as 4096."""
    path = file_in(files, ctx, args, "LOCATION", "FILENAME", "READ")
    exists = path.is_file()
    args["FEXISTS"] = exists
    args["FILE_LENGTH"] = Decimal(path.stat().st_size if exists else 0)
    args["BLOCK_SIZE"] = Decimal(4096 if exists else 0)
    return None


def fremove(files: FileAccess, ctx: CallContext, args: dict[str, Value]) -> Value:
    """FREMOVE: needs WRITE; a missing file is ORA-29283 (documented INVALID_OPERATION), any
    other failure ORA-29291 (DELETE_FAILED)."""
    path = file_in(files, ctx, args, "LOCATION", "FILENAME", "WRITE")
    if not path.is_file():
        raise utl_error(29283, line=251)
    try:
        path.unlink()
    except OSError as exc:
        raise utl_error(29291, line=251) from exc
    return None


def frename(files: FileAccess, ctx: CallContext, args: dict[str, Value]) -> Value:
    """FRENAME: WRITE on both directories [U: Oracle may accept READ on the source]; an
    existing destination without OVERWRITE, or a missing source, is ORA-29292."""
    src = file_in(files, ctx, args, "SRC_LOCATION", "SRC_FILENAME", "WRITE")
    dest = file_in(files, ctx, args, "DEST_LOCATION", "DEST_FILENAME", "WRITE")
    overwrite = bool_arg(args, "OVERWRITE") or False
    if not src.is_file() or (dest.exists() and not overwrite):
        raise utl_error(29292, line=270)
    try:
        os.replace(src, dest)
    except OSError as exc:
        raise utl_error(29292, line=270) from exc
    return None


def fcopy(files: FileAccess, ctx: CallContext, args: dict[str, Value]) -> Value:
    """FCOPY: copies lines START_LINE..END_LINE (1-based, inclusive; END_LINE NULL means to
    the end) of a text file into a new or truncated destination.

    Copying is line-based as documented; a last line without terminator gets one [U]. A
    START_LINE below 1 or an END_LINE before it is ORA-29283 (INVALID_OPERATION) [U].
    """
    src = file_in(files, ctx, args, "SRC_LOCATION", "SRC_FILENAME", "READ")
    dest = file_in(files, ctx, args, "DEST_LOCATION", "DEST_FILENAME", "WRITE")
    start = int_arg(args, "START_LINE")
    end = int_arg(args, "END_LINE")
    start = 1 if start is None else start
    if start < 1 or (end is not None and end < start):
        raise utl_error(29283, line=290)
    if not src.is_file():
        raise utl_error(29283, NO_SUCH_FILE, line=290)
    lines = src.read_bytes().splitlines(keepends=True)
    chosen = lines[start - 1 : end]
    try:
        with dest.open("wb") as out:
            for line in chosen:
                out.write(line if line.endswith(b"\n") else line + b"\n")
    except OSError as exc:
        raise utl_error(29283, CANNOT_OPEN, line=290) from exc
    return None


def signatures(files: FileAccess) -> list[Subprogram]:
    """The whole-file subprograms with Oracle's parameter names."""
    loc = (param("LOCATION", VARCHAR2), param("FILENAME", VARCHAR2))
    names = ("SRC_LOCATION", "SRC_FILENAME", "DEST_LOCATION", "DEST_FILENAME")
    moves = tuple(param(n, VARCHAR2) for n in names)
    return [
        Subprogram(
            "FGETATTR",
            (
                *loc,
                param("FEXISTS", BOOLEAN, "OUT"),
                param("FILE_LENGTH", NUMBER, "OUT"),
                param("BLOCK_SIZE", BINARY_INTEGER, "OUT"),
            ),
            None,
            lambda c, a: fgetattr(files, c, a),
        ),
        Subprogram("FREMOVE", loc, None, lambda c, a: fremove(files, c, a)),
        Subprogram(
            "FRENAME",
            (*moves, param("OVERWRITE", BOOLEAN, default=False, opt=True)),
            None,
            lambda c, a: frename(files, c, a),
        ),
        Subprogram(
            "FCOPY",
            (
                *moves,
                param("START_LINE", BINARY_INTEGER, default=Decimal(1), opt=True),
                param("END_LINE", BINARY_INTEGER, opt=True),
            ),
            None,
            lambda c, a: fcopy(files, c, a),
        ),
    ]
