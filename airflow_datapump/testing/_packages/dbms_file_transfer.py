"""DBMS_FILE_TRANSFER: binary copies between directory objects, locally or over a DB link.

Rules from the 19c reference and its usage notes: READ on the source directory and WRITE on
the destination (each checked on the database that holds it); directory object and database
link names are upper-cased unless written in double quotes; files are copied byte for byte;
the size must be a multiple of 512 bytes; copies are not transactional. The error stacks
(ORA-19505 / ORA-27046 for a size that is not a multiple of 512, ORA-19504 / ORA-27038 for an
existing destination, ORA-19505 / ORA-27037 for a missing source) are those users report
from real databases [P]; the OS and "Additional information" lines are Linux's.
"""

from __future__ import annotations

from pathlib import Path

from airflow_datapump.testing._packages.files_api import (
    DirectoryError,
    FileAccess,
    Privilege,
    canonical,
    frame,
    has_separator,
    param,
    text_arg,
)
from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.packages import (
    CallContext,
    PackageSpec,
    Subprogram,
    package_error,
)
from airflow_datapump.testing._values import VARCHAR2, Value

BLOCK = 512
_LINE = 37  # plausible package line for the ORA-06512 frame; not Oracle's exact number


def _error(code: int, *args: object, more: tuple[str, ...] = ()) -> OracleError:
    return package_error(code, *more, frame("DBMS_FILE_TRANSFER", _LINE), args=args)


def _directory(files: FileAccess, session: object, name: str | None, priv: Privilege, op: str) -> Path:
    """The directory's path, or ORA-22285 (missing) / ORA-22286 (no privilege) [U codes]."""
    try:
        return files.directory_path(session, canonical(name), priv)
    except DirectoryError as exc:
        if exc.reason == "missing":
            raise _error(22285, op) from exc
        raise _error(22286, op) from exc


def _read_source(path: Path, filename: str | None) -> bytes:
    """The source bytes, refusing missing files and sizes not a multiple of 512."""
    shown = str(path / (filename or ""))
    if not filename or has_separator(filename) or not (path / filename).is_file():
        raise _error(
            19505,
            shown,
            more=(
                ora_line(27037),
                "Linux-x86_64 Error: 2: No such file or directory",
                "Additional information: 7",
            ),
        )
    data = (path / filename).read_bytes()
    if len(data) % BLOCK:
        raise _error(19505, shown, more=(ora_line(27046), "Additional information: 1"))
    return data


def _write_destination(path: Path, filename: str | None, data: bytes) -> None:
    """Create the destination; an existing file is ORA-19504 / ORA-27038 (no overwrite)."""
    shown = str(path / (filename or ""))
    if not filename or has_separator(filename):
        raise _error(19504, shown, more=(ora_line(27040),))
    try:
        with (path / filename).open("xb") as out:
            out.write(data)
    except FileExistsError as exc:
        raise _error(19504, shown, more=(ora_line(27038), "Additional information: 1")) from exc
    except OSError as exc:
        os_line = f"Linux-x86_64 Error: {exc.errno or 0}: {exc.strerror or 'error'}"
        raise _error(19504, shown, more=(ora_line(27040), os_line)) from exc


def _transfer(
    source: tuple[FileAccess, object],
    dest: tuple[FileAccess, object],
    args: dict[str, Value],
    op: str,
) -> None:
    """Copy SOURCE_FILE_NAME to DESTINATION_FILE_NAME; source checked before destination."""
    src_dir = _directory(*source, text_arg(args, "SOURCE_DIRECTORY_OBJECT"), "READ", op)
    dest_dir = _directory(*dest, text_arg(args, "DESTINATION_DIRECTORY_OBJECT"), "WRITE", op)
    data = _read_source(src_dir, text_arg(args, "SOURCE_FILE_NAME"))
    _write_destination(dest_dir, text_arg(args, "DESTINATION_FILE_NAME"), data)


def build(files: FileAccess) -> PackageSpec:
    """DBMS_FILE_TRANSFER with COPY_FILE, GET_FILE and PUT_FILE; it keeps no state."""

    def copy_file(ctx: CallContext, args: dict[str, Value]) -> Value:
        here = (files, ctx.session)
        _transfer(here, here, args, "COPY_FILE")
        return None

    def get_file(ctx: CallContext, args: dict[str, Value]) -> Value:
        remote = files.remote(ctx.session, canonical(text_arg(args, "SOURCE_DATABASE")))
        _transfer(remote, (files, ctx.session), args, "GET_FILE")
        return None

    def put_file(ctx: CallContext, args: dict[str, Value]) -> Value:
        remote = files.remote(ctx.session, canonical(text_arg(args, "DESTINATION_DATABASE")))
        _transfer((files, ctx.session), remote, args, "PUT_FILE")
        return None

    src = (param("SOURCE_DIRECTORY_OBJECT", VARCHAR2), param("SOURCE_FILE_NAME", VARCHAR2))
    dest = (
        param("DESTINATION_DIRECTORY_OBJECT", VARCHAR2),
        param("DESTINATION_FILE_NAME", VARCHAR2),
    )
    subs = [
        Subprogram("COPY_FILE", (*src, *dest), None, copy_file),
        Subprogram("GET_FILE", (*src, param("SOURCE_DATABASE", VARCHAR2), *dest), None, get_file),
        Subprogram("PUT_FILE", (*src, *dest, param("DESTINATION_DATABASE", VARCHAR2)), None, put_file),
    ]
    return PackageSpec("DBMS_FILE_TRANSFER", subprograms={s.name: [s] for s in subs})
