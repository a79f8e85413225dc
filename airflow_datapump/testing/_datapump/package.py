"""DBMS_DATAPUMP's specification: signatures, overloads, constants and exceptions.

Parameter names, order and defaults are those of reference §2 (the 11.2 package spec and the
19c chapter), so named and positional calls, wrong names and wrong types are checked by the
language engine as Oracle's compiler checks them (PLS-00306, PLS-00307).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_datapump.testing._datapump import types
from airflow_datapump.testing._datapump.api_control import Control
from airflow_datapump.testing._datapump.api_define import Define
from airflow_datapump.testing._datapump.status import Status
from airflow_datapump.testing._plsql.packages import PackageSpec, Param, ParamMode, Subprogram
from airflow_datapump.testing._values import (
    CLOB,
    NUMBER,
    PLS_INTEGER,
    VARCHAR2,
    DataType,
    ScalarType,
    TypeKind,
    Value,
)

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend

_NO_DEFAULT = object()
BINARY_INTEGER = ScalarType(TypeKind.NUMBER, "BINARY_INTEGER")


def p(name: str, data_type: DataType, default: object = _NO_DEFAULT, mode: ParamMode = "IN") -> Param:
    if default is _NO_DEFAULT:
        return Param(name, data_type, mode)
    from decimal import Decimal

    value: Value = Decimal(default) if isinstance(default, int) else default  # type: ignore[assignment]
    return Param(name, data_type, mode, value, has_default=True)


def _constants() -> dict[str, tuple[DataType, Value]]:
    from decimal import Decimal

    numbers = {
        "KU$_STATUS_WIP": 1, "KU$_STATUS_JOB_DESC": 2, "KU$_STATUS_JOB_STATUS": 4, "KU$_STATUS_JOB_ERROR": 8,
        "KU$_FILE_TYPE_DUMP_FILE": 1, "KU$_FILE_TYPE_BAD_FILE": 2, "KU$_FILE_TYPE_LOG_FILE": 3,
        "KU$_FILE_TYPE_SQL_FILE": 4, "KU$_FILE_TYPE_URIDUMP_FILE": 5,
        "KU$_DUMPFILE_TYPE_DISK": 0, "KU$_DUMPFILE_TYPE_PIPE": 1, "KU$_DUMPFILE_TYPE_TAPE": 2,
        "KU$_DUMPFILE_TYPE_TEMPLATE": 3, "KU$_DUMPFILE_TYPE_URIDISK": 4,
        "KU$_STATUS_VERSION_1": 1, "KU$_STATUS_VERSION_2": 2, "KU$_STATUS_VERSION_3": 3,
        "KU$_STATUS_VERSION_4": 4, "KU$_STATUS_VERSION_5": 5, "KU$_STATUS_VERSION": 5,
        "KU$_JOB_VIEW_ALL": 0, "KU$_JOB_VIEW_TTS_TABLESPACES": 1, "KU$_JOB_VIEW_ENCCOL_TABLES": 2,
        "KU$_JOB_COMPLETE": 1, "KU$_JOB_COMPLETE_ERRORS": 2, "KU$_JOB_STOPPED": 3, "KU$_JOB_ABORTED": 4,
        "KU$_COMPRESS_NONE": 1, "KU$_COMPRESS_METADATA": 2,
        "KU$_DATAOPT_SKIP_CONST_ERR": 1, "KU$_DATAOPT_XMLTYPE_CLOB": 2, "KU$_DATAOPT_NOTYPE_EVOL": 4,
        "KU$_DATAOPT_DISABL_APPEND_HINT": 8, "KU$_DATAOPT_REJECT_ROWS_REPCHR": 16,
        "KU$_DATAOPT_ENABLE_NET_COMP": 32, "KU$_DATAOPT_GRP_PART_TAB": 64,
        "KU$_DATAOPT_TRUST_EXIST_TB_PAR": 128,
        "KU$_DATAOPT_VALIDATE_TBL_DATA": 256, "KU$_DATAOPT_VERIFY_STREAM_FORM": 512,
        "KU$_DATAOPT_CONT_LD_ON_FMT_ERR": 1024,
        "KU$_DFHDR_FILE_VERSION": 1, "KU$_DFHDR_MASTER_PRESENT": 2, "KU$_DFHDR_GUID": 3,
        "KU$_DFHDR_FILE_NUMBER": 4, "KU$_DFHDR_CHARSET_ID": 5, "KU$_DFHDR_CREATION_DATE": 6,
        "KU$_DFHDR_FLAGS": 7, "KU$_DFHDR_JOB_NAME": 8, "KU$_DFHDR_PLATFORM": 9, "KU$_DFHDR_INSTANCE": 10,
        "KU$_DFHDR_LANGUAGE": 11, "KU$_DFHDR_BLOCKSIZE": 12, "KU$_DFHDR_DIRPATH": 13,
        "KU$_DFHDR_METADATA_COMPRESSED": 14, "KU$_DFHDR_DB_VERSION": 15, "KU$_DFHDR_MASTER_PIECE_COUNT": 16,
        "KU$_DFHDR_MASTER_PIECE_NUMBER": 17, "KU$_DFHDR_DATA_COMPRESSED": 18,
        "KU$_DFHDR_METADATA_ENCRYPTED": 19, "KU$_DFHDR_DATA_ENCRYPTED": 20, "KU$_DFHDR_COLUMNS_ENCRYPTED": 21,
        "KU$_DFHDR_ENCRYPTION_MODE": 22, "KU$_DFHDR_ENCPWD_MODE": 22, "KU$_DFHDR_COMPRESSION_ALG": 23,
        "KU$_DFHDR_HADOOP_TRAILERS": 24, "KU$_DFHDR_MAX_ITEM_CODE": 24,
    }  # fmt: skip
    return {name: (NUMBER, Decimal(value)) for name, value in numbers.items()}


EXCEPTIONS = {
    "INVALID_ARGVAL": -39001, "INVALID_OPERATION": -39002, "INVALID_STATE": -39004,
    "INCONSISTENT_ARGS": -39005, "INTERNAL_ERROR": -39006, "PRIVILEGE_ERROR": -31631,
    "INVALID_HANDLE": -31623, "JOB_EXISTS": -31634, "NO_SUCH_JOB": -31626,
    "SUCCESS_WITH_INFO": -31627, "NO_DUMPFILE_INFO": -39211,
}  # fmt: skip


def build(backend: Backend) -> PackageSpec:
    define, control, status = Define(backend), Control(backend), Status(backend)
    handle = p("HANDLE", NUMBER)

    def sub(name: str, params: list[Param], impl: object, returns: DataType | None = None) -> Subprogram:
        return Subprogram(name, tuple(params), returns, impl)  # type: ignore[arg-type]

    subprograms: dict[str, list[Subprogram]] = {
        "OPEN": [
            sub(
                "OPEN",
                [
                    p("OPERATION", VARCHAR2),
                    p("JOB_MODE", VARCHAR2),
                    p("REMOTE_LINK", VARCHAR2, None),
                    p("JOB_NAME", VARCHAR2, None),
                    p("VERSION", VARCHAR2, "COMPATIBLE"),
                ],
                define.open,
                NUMBER,
            )
        ],
        "ADD_FILE": [
            sub(
                "ADD_FILE",
                [
                    handle,
                    p("FILENAME", VARCHAR2),
                    p("DIRECTORY", VARCHAR2, None),
                    p("FILESIZE", VARCHAR2, None),
                    p("FILETYPE", NUMBER, 1),
                    p("REUSEFILE", NUMBER, None),
                ],
                define.add_file,
            )
        ],
        "METADATA_FILTER": [
            sub(
                "METADATA_FILTER",
                [
                    handle,
                    p("NAME", VARCHAR2),
                    p("VALUE", value_type),
                    p("OBJECT_PATH", VARCHAR2, None),
                    p("OBJECT_TYPE", VARCHAR2, None),
                ],
                define.metadata_filter,
            )
            for value_type in (VARCHAR2, CLOB)
        ],
        "DATA_FILTER": [
            sub(
                "DATA_FILTER",
                [
                    handle,
                    p("NAME", VARCHAR2),
                    p("VALUE", value_type),
                    p("TABLE_NAME", VARCHAR2, None),
                    p("SCHEMA_NAME", VARCHAR2, None),
                ],
                define.data_filter(kind),
            )
            for value_type, kind in ((NUMBER, "NUMBER"), (VARCHAR2, "TEXT"), (CLOB, "TEXT"))
        ],
        "METADATA_REMAP": [
            sub(
                "METADATA_REMAP",
                [
                    handle,
                    p("NAME", VARCHAR2),
                    p("OLD_VALUE", VARCHAR2),
                    p("VALUE", VARCHAR2),
                    p("OBJECT_TYPE", VARCHAR2, None),
                ],
                define.metadata_remap,
            )
        ],
        "METADATA_TRANSFORM": [
            sub(
                "METADATA_TRANSFORM",
                [handle, p("NAME", VARCHAR2), p("VALUE", value_type), p("OBJECT_TYPE", VARCHAR2, None)],
                define.metadata_transform(kind),
            )
            for value_type, kind in ((VARCHAR2, "TEXT"), (NUMBER, "NUMBER"))
        ],
        "SET_PARAMETER": [
            sub(
                "SET_PARAMETER",
                [handle, p("NAME", VARCHAR2), p("VALUE", value_type)],
                define.set_parameter(kind),
            )
            for value_type, kind in ((VARCHAR2, "TEXT"), (NUMBER, "NUMBER"))
        ],
        "SET_PARALLEL": [sub("SET_PARALLEL", [handle, p("DEGREE", NUMBER)], define.set_parallel)],
        "START_JOB": [
            sub(
                "START_JOB",
                [
                    handle,
                    p("SKIP_CURRENT", NUMBER, 0),
                    p("ABORT_STEP", NUMBER, 0),
                    p("CLUSTER_OK", NUMBER, 1),
                    p("SERVICE_NAME", VARCHAR2, None),
                ],
                control.start_job,
            )
        ],
        "STOP_JOB": [
            sub(
                "STOP_JOB",
                [handle, p("IMMEDIATE", NUMBER, 0), p("KEEP_MASTER", NUMBER, None), p("DELAY", NUMBER, 60)],
                control.stop_job,
            )
        ],
        "ATTACH": [
            sub(
                "ATTACH",
                [p("JOB_NAME", VARCHAR2, None), p("JOB_OWNER", VARCHAR2, None)],
                control.attach,
                NUMBER,
            )
        ],
        "DETACH": [sub("DETACH", [handle], control.detach)],
        "WAIT_FOR_JOB": [
            sub("WAIT_FOR_JOB", [handle, p("JOB_STATE", VARCHAR2, mode="OUT")], control.wait_for_job)
        ],
        "LOG_ENTRY": [
            sub(
                "LOG_ENTRY",
                [handle, p("MESSAGE", VARCHAR2), p("LOG_FILE_ONLY", NUMBER, 0)],
                control.log_entry,
            )
        ],
        "GET_STATUS": [
            sub(
                "GET_STATUS",
                [handle, p("MASK", BINARY_INTEGER), p("TIMEOUT", NUMBER, None)],
                status.function,
                types.TYPES["KU$_STATUS"],
            ),
            *[
                sub(
                    "GET_STATUS",
                    [
                        handle,
                        p("MASK", BINARY_INTEGER),
                        p("TIMEOUT", NUMBER, None),
                        p("JOB_STATE", VARCHAR2, mode="OUT"),
                        p("STATUS", status_type, mode="OUT"),
                    ],
                    status.procedure(version),
                )
                for version, status_type in zip(types.VERSIONS, types.STATUS_TYPES, strict=True)
            ],
        ],
        "GET_DUMPFILE_INFO": [
            sub(
                "GET_DUMPFILE_INFO",
                [
                    p("FILENAME", VARCHAR2),
                    p("DIRECTORY", VARCHAR2),
                    p("INFO_TABLE", types.DUMPFILE_INFO, mode="OUT"),
                    p("FILETYPE", NUMBER, mode="OUT"),
                ],
                status.dumpfile_info,
            )
        ],
        "DATA_REMAP": [
            sub(
                "DATA_REMAP",
                [
                    handle,
                    p("NAME", VARCHAR2),
                    p("TABLE_NAME", VARCHAR2),
                    p("COLUMN", VARCHAR2),
                    p("FUNCTION", VARCHAR2),
                    p("SCHEMA", VARCHAR2, None),
                ],
                define.data_remap,
            )
        ],
        "ADD_DEVICE": [
            sub(
                "ADD_DEVICE",
                [handle, p("DEVICENAME", VARCHAR2), p("VOLUMESIZE", VARCHAR2, None)],
                control.not_emulated("ADD_DEVICE"),
            )
        ],
    }
    return PackageSpec("DBMS_DATAPUMP", _constants(), dict(EXCEPTIONS), subprograms, {})


__all__ = ["PLS_INTEGER", "build"]
