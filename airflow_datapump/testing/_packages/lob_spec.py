"""DBMS_LOB's specification: constants, exceptions and overloads with 19c parameter names.

Kept apart from the body in :mod:`.dbms_lob` so the signatures read like the package
specification they copy. Overloads differ by LOB type (CLOB / BLOB / BFILE); CLOB overloads
take and return VARCHAR2 buffers, BLOB and BFILE ones RAW, as documented.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from airflow_datapump.testing._packages import lob_ops
from airflow_datapump.testing._packages.files_api import (
    BINARY_INTEGER,
    INTEGER,
    PLS_INTEGER,
    param,
    text_arg,
)
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec, Subprogram
from airflow_datapump.testing._values import (
    BFILE,
    BLOB,
    BOOLEAN,
    CLOB,
    RAW,
    VARCHAR2,
    BFileValue,
    DataType,
    ScalarType,
    TypeKind,
    Value,
)

if TYPE_CHECKING:
    from airflow_datapump.testing._packages.dbms_lob import DbmsLob


CONSTANTS: dict[str, tuple[DataType, Value]] = {
    "LOBMAXSIZE": (INTEGER, Decimal(lob_ops.LOBMAXSIZE)),
    "DEFAULT_CSID": (INTEGER, Decimal(0)),
    "DEFAULT_LANG_CTX": (INTEGER, Decimal(0)),
    "FILE_READONLY": (BINARY_INTEGER, Decimal(0)),
    "LOB_READONLY": (BINARY_INTEGER, Decimal(0)),
    "LOB_READWRITE": (BINARY_INTEGER, Decimal(1)),
    "NO_WARNING": (INTEGER, Decimal(0)),
    "WARN_INCONVERTIBLE_CHAR": (INTEGER, Decimal(1)),
    "CALL": (PLS_INTEGER, Decimal(12)),
    "SESSION": (PLS_INTEGER, Decimal(10)),
}


def _one(value: int) -> Value:
    return Decimal(value)


def _reading(body: DbmsLob, loc: str, lob_t: ScalarType, buf_t: ScalarType) -> list[Subprogram]:
    """GETLENGTH, SUBSTR, INSTR and READ for one LOB type (``loc`` is the locator's name)."""
    lob = param(loc, lob_t)
    return [
        Subprogram("GETLENGTH", (lob,), INTEGER, body.getlength),
        Subprogram(
            "SUBSTR",
            (
                lob,
                param("AMOUNT", INTEGER, default=_one(32767), opt=True),
                param("OFFSET", INTEGER, default=_one(1), opt=True),
            ),
            buf_t,
            body.substr,
        ),
        Subprogram(
            "INSTR",
            (
                lob,
                param("PATTERN", buf_t),
                param("OFFSET", INTEGER, default=_one(1), opt=True),
                param("NTH", INTEGER, default=_one(1), opt=True),
            ),
            INTEGER,
            body.instr,
        ),
        Subprogram(
            "READ",
            (
                lob,
                param("AMOUNT", BINARY_INTEGER, "IN OUT"),
                param("OFFSET", INTEGER),
                param("BUFFER", buf_t, "OUT"),
            ),
            None,
            body.read,
        ),
    ]


def _temporary(body: DbmsLob, lob_t: ScalarType) -> list[Subprogram]:
    kind = lob_t.kind

    def create(ctx: CallContext, args: dict[str, Value]) -> Value:
        return body.createtemporary(ctx, args, kind)

    cache_dur = (
        param("CACHE", BOOLEAN),
        param("DUR", PLS_INTEGER, default=_one(10), opt=True),
    )
    return [
        Subprogram("CREATETEMPORARY", (param("LOB", lob_t, "IN OUT"), *cache_dur), None, create),
        Subprogram("FREETEMPORARY", (param("LOB", lob_t, "IN OUT"),), None, body.freetemporary),
        Subprogram("ISTEMPORARY", (param("LOB_LOC", lob_t),), INTEGER, body.istemporary),
    ]


def _writing(body: DbmsLob, lob_t: ScalarType, buf_t: ScalarType) -> list[Subprogram]:
    loc = param("LOB_LOC", lob_t, "IN OUT")
    dest, src = param("DEST_LOB", lob_t, "IN OUT"), param("SRC_LOB", lob_t)
    amount, buffer = param("AMOUNT", BINARY_INTEGER), param("BUFFER", buf_t)
    offsets = (
        param("DEST_OFFSET", INTEGER, default=_one(1), opt=True),
        param("SRC_OFFSET", INTEGER, default=_one(1), opt=True),
    )
    return [
        Subprogram("APPEND", (dest, src), None, body.append),
        Subprogram("WRITEAPPEND", (loc, amount, buffer), None, body.writeappend),
        Subprogram("WRITE", (loc, amount, param("OFFSET", INTEGER), buffer), None, body.write),
        Subprogram("TRIM", (loc, param("NEWLEN", INTEGER)), None, body.trim),
        Subprogram("COPY", (dest, src, param("AMOUNT", INTEGER), *offsets), None, body.copy),
    ]


def _files(body: DbmsLob) -> list[Subprogram]:
    loc, loc_inout = param("FILE_LOC", BFILE), param("FILE_LOC", BFILE, "IN OUT")
    mode = param("OPEN_MODE", BINARY_INTEGER, default=_one(0), opt=True)
    name_out = (param("DIR_ALIAS", VARCHAR2, "OUT"), param("FILENAME", VARCHAR2, "OUT"))
    return [
        Subprogram("FILEOPEN", (loc_inout, mode), None, body.fileopen),
        Subprogram("FILECLOSE", (loc_inout,), None, body.fileclose),
        Subprogram("FILECLOSEALL", (), None, body.filecloseall),
        Subprogram("FILEISOPEN", (loc,), INTEGER, body.fileisopen),
        Subprogram("FILEEXISTS", (loc,), INTEGER, body.fileexists),
        Subprogram("FILEGETNAME", (loc, *name_out), None, body.filegetname),
    ]


def _loading(body: DbmsLob) -> list[Subprogram]:
    amount = param("AMOUNT", INTEGER)
    inout = (param("DEST_OFFSET", INTEGER, "IN OUT"), param("SRC_OFFSET", INTEGER, "IN OUT"))
    clob = (param("DEST_LOB", CLOB, "IN OUT"), param("SRC_BFILE", BFILE), amount, *inout)
    charset = (
        param("BFILE_CSID", ScalarType(TypeKind.NUMBER, "NUMBER")),
        param("LANG_CONTEXT", INTEGER, "IN OUT"),
        param("WARNING", INTEGER, "OUT"),
    )
    blob = (param("DEST_LOB", BLOB, "IN OUT"), param("SRC_BFILE", BFILE), amount, *inout)
    legacy = (
        param("DEST_LOB", BLOB, "IN OUT"),
        param("SRC_LOB", BFILE),
        amount,
        param("DEST_OFFSET", INTEGER, default=_one(1), opt=True),
        param("SRC_OFFSET", INTEGER, default=_one(1), opt=True),
    )
    return [
        Subprogram("LOADCLOBFROMFILE", (*clob, *charset), None, body.loadclobfromfile),
        Subprogram("LOADBLOBFROMFILE", blob, None, body.loadblobfromfile),
        Subprogram("LOADFROMFILE", legacy, None, body.loadblobfromfile),
    ]


def package(body: DbmsLob) -> PackageSpec:
    spec = PackageSpec("DBMS_LOB", constants=dict(CONSTANTS), exceptions=dict(lob_ops.EXCEPTIONS))
    subs = [
        *_temporary(body, CLOB),
        *_temporary(body, BLOB),
        *_reading(body, "LOB_LOC", CLOB, VARCHAR2),
        *_reading(body, "LOB_LOC", BLOB, RAW),
        *_reading(body, "FILE_LOC", BFILE, RAW),
        *_writing(body, CLOB, VARCHAR2),
        *_writing(body, BLOB, RAW),
        *_files(body),
        *_loading(body),
    ]
    for sub in subs:
        spec.subprograms.setdefault(sub.name, []).append(sub)
    return spec


def _bfilename(ctx: CallContext, args: dict[str, Value]) -> Value:
    """BFILENAME builds a locator without checking anything: the directory and file are
    only looked at when the BFILE is used (documented), and names keep their case."""
    return BFileValue(text_arg(args, "DIRECTORY") or "", text_arg(args, "FILENAME") or "")


def standard() -> PackageSpec:
    """STANDARD's BFILENAME(directory VARCHAR2, filename VARCHAR2) RETURN BFILE."""
    names = (param("DIRECTORY", VARCHAR2), param("FILENAME", VARCHAR2))
    sub = Subprogram("BFILENAME", names, BFILE, _bfilename)
    return PackageSpec("STANDARD", subprograms={"BFILENAME": [sub]})
