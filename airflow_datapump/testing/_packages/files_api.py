"""The seam between the file packages and the database backend, plus what the packages share.

UTL_FILE, DBMS_LOB (BFILE) and DBMS_FILE_TRANSFER never know how directory objects, grants or
database links are stored: they ask a :class:`FileAccess`, which the backend implements (and
tests fake in a few lines). Each package asks with the privilege it needs and translates a
neutral :class:`DirectoryError` into its own Oracle error, because the same missing directory
is ORA-29280 to UTL_FILE, ORA-22285 to DBMS_LOB and ORA-22285 again (with another operation
name) to DBMS_FILE_TRANSFER; the backend should not have to know which package is asking.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.packages import Param, ParamMode, package_error
from airflow_datapump.testing._values import DataType, ScalarType, TypeKind, Value

Privilege = Literal["READ", "WRITE"]
DirectoryProblem = Literal["missing", "denied"]

# Integer subtypes spelled as the engine spells them (scale 0), for parameter declarations.
BINARY_INTEGER = ScalarType(TypeKind.NUMBER, "BINARY_INTEGER", scale=0)
PLS_INTEGER = ScalarType(TypeKind.NUMBER, "PLS_INTEGER", scale=0)
INTEGER = ScalarType(TypeKind.NUMBER, "INTEGER", scale=0)
NATURAL = ScalarType(TypeKind.NUMBER, "NATURAL", scale=0)


class DirectoryError(Exception):
    """A directory object the session cannot use, as the backend reports it.

    ``reason`` is ``"missing"`` when no directory object of that (case-sensitive) name exists
    for the user, ``"denied"`` when it exists but the user lacks the privilege asked for.
    Oracle gives both cases to users who merely cannot see the directory; the backend decides.
    """

    def __init__(self, directory: str, reason: DirectoryProblem) -> None:
        super().__init__(f"directory {directory!r}: {reason}")
        self.directory = directory
        self.reason = reason


class FileAccess(Protocol):
    """Directory objects and database links as the file packages see them.

    ``directory_path(session, directory, privilege)`` returns the operating-system directory a
    directory object stands for, after checking that the session's current user holds
    ``privilege`` on it (directly, through a role, or as its owner, as the backend decides).
    ``directory`` arrives exactly as the caller wrote it: names are case-sensitive, so
    ``'data_pump_dir'`` does not find ``DATA_PUMP_DIR`` (UTL_FILE and BFILENAME behave so in
    Oracle; DBMS_FILE_TRANSFER upper-cases unquoted names itself before asking). It raises
    :class:`DirectoryError` (``"missing"`` or ``"denied"``) and nothing else for those two
    cases; any other :class:`OracleError` it raises reaches the caller unchanged. The returned
    path need not exist: a directory object may point nowhere, and the packages then fail as
    Oracle does on the file operation (ORA-29283, ORA-22288, ORA-19505).

    What each package asks for and how it reports a :class:`DirectoryError`:

    - UTL_FILE: READ for FOPEN in r/rb, FGETATTR and FCOPY's source; WRITE for FOPEN in
      w/a/wb/ab, FREMOVE, FRENAME (both sides) and FCOPY's destination. ``missing`` becomes
      ORA-29280 (INVALID_PATH, "invalid directory object"), ``denied`` ORA-29289
      (ACCESS_DENIED, "directory access denied").
    - DBMS_LOB (BFILE): READ for FILEOPEN, FILEEXISTS, GETLENGTH and the reads. ``missing``
      becomes ORA-22285 ("non-existent directory or file for <OP> operation"), ``denied``
      ORA-22286 ("insufficient privileges on file or directory to perform <OP> operation").
    - DBMS_FILE_TRANSFER: READ on the source, WRITE on the destination, each asked of the
      FileAccess of the database holding that directory. ``missing`` becomes ORA-22285 and
      ``denied`` ORA-22286, with the operation named (COPY_FILE, GET_FILE, PUT_FILE) [U].

    ``remote(session, db_link)`` opens (or reuses) a session over the database link
    ``db_link`` (upper case unless the caller quoted it) and returns the remote database's
    FileAccess with that session. It raises ORA-02019 ("connection description for remote
    database not found") for unknown links, as Oracle does, and may raise any other error
    a failed connection gives (ORA-12154, ORA-01017 ...).
    """

    def directory_path(self, session: object, directory: str, privilege: Privilege) -> Path:
        """The OS path of ``directory`` for the session's user; see the class docstring."""
        ...

    def remote(self, session: object, db_link: str) -> tuple[FileAccess, object]:
        """The FileAccess and a session of the database behind ``db_link``."""
        ...


_State = TypeVar("_State")


class SessionState(Generic[_State]):
    """Per-session state of one package instance, dropped when the session object is.

    Keyed weakly by the opaque ``CallContext.session`` object, so the backend need offer no
    storage API and a closed session's state disappears with it; the session object must
    therefore be hashable and weak-referenceable (any plain class instance is). State belongs
    to the package instance that ``build()`` returned, so rebuilding the package resets it.
    """

    def __init__(self, factory: Callable[[], _State]) -> None:
        self._factory = factory
        self._states: weakref.WeakKeyDictionary[object, _State] = weakref.WeakKeyDictionary()

    def of(self, session: object) -> _State:
        state = self._states.get(session)
        if state is None:
            state = self._factory()
            self._states[session] = state
        return state


def param(
    name: str, t: DataType, mode: ParamMode = "IN", default: Value = None, *, opt: bool = False
) -> Param:
    """A formal parameter; ``opt`` marks one declared with DEFAULT (NULL unless ``default``)."""
    return Param(name, t, mode, default, opt)


def frame(package: str, line: int) -> str:
    """The ORA-06512 line a SYS package adds when an error leaves it.

    The line numbers are plausible values, not Oracle's (they differ between releases), so no
    client should match on them; they are there so error stacks have Oracle's shape.
    """
    return ora_line(6512, f'"SYS.{package}", ', line)


def canonical(name: str | None) -> str:
    """A name as a package argument gives it (a directory object, a database link, a schema
    or table): upper case unless quoted, as Oracle resolves an unquoted identifier."""
    if name is None:
        return ""
    if len(name) >= 2 and name.startswith('"') and name.endswith('"'):
        return name[1:-1]
    return name.upper()


def has_separator(filename: str) -> bool:
    """True when a file name tries to leave its directory object (``a/b``, ``..\\x``)."""
    return "/" in filename or "\\" in filename or filename in (".", "..")


def text_arg(args: dict[str, Value], name: str) -> str | None:
    value = args.get(name)
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{name} is {type(value).__name__}, expected text")


def int_arg(args: dict[str, Value], name: str) -> int | None:
    value = args.get(name)
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value)
    raise TypeError(f"{name} is {type(value).__name__}, expected a number")


def bool_arg(args: dict[str, Value], name: str) -> bool | None:
    value = args.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise TypeError(f"{name} is {type(value).__name__}, expected BOOLEAN")


def value_error(package: str, line: int, detail: str | None = None) -> OracleError:
    """ORA-06502, which several documented NULL-argument cases raise."""
    return package_error(6502, frame(package, line), args=(detail,) if detail else ())
