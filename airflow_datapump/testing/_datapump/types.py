"""The SYS.KU$_ object types GET_STATUS and GET_DUMPFILE_INFO return (reference §4).

Oracle keeps one type per status version (``KU$_STATUS1010`` ... ``KU$_STATUS1220``) and
public synonyms without the number for the newest; GET_STATUS has one procedure overload per
version, chosen by the OUT variable's declared type. The attribute lists of 1010, 1020 and
1120 are verified from the 11.2 specification; what 1210 and 1220 add to worker status is
from public code (marked [P] in the reference) and the job status and description of those
versions follow the reference's [P] notes: job status adds HEARTBEAT and job description
adds the version, time zone, endianness and character set pairs (their order is [U]; the
drift-check script of the live suite is what settles it).
"""

from __future__ import annotations

from airflow_datapump.testing._values import (
    DATE,
    NUMBER,
    CollectionKind,
    CollectionType,
    DataType,
    ObjectType,
    ScalarType,
    TypeKind,
)

VERSIONS = ("1010", "1020", "1120", "1210", "1220")
NEWEST = VERSIONS[-1]


def _text(size: int) -> ScalarType:
    return ScalarType(TypeKind.VARCHAR2, "VARCHAR2", size=size)


RAW16 = ScalarType(TypeKind.RAW, "RAW", size=16)

LOG_LINE = ObjectType(
    "SYS",
    "KU$_LOGLINE1010",
    (("LOGLINENUMBER", NUMBER), ("ERRORNUMBER", NUMBER), ("LOGTEXT", _text(2000))),
)
LOG_ENTRY = CollectionType("SYS", "KU$_LOGENTRY1010", LOG_LINE, CollectionKind.NESTED_TABLE)

DUMP_FILE = ObjectType(
    "SYS",
    "KU$_DUMPFILE1010",
    (
        ("FILE_NAME", _text(4000)),
        ("FILE_TYPE", NUMBER),
        ("FILE_SIZE", NUMBER),
        ("FILE_BYTES_WRITTEN", NUMBER),
    ),
)
DUMP_FILE_SET = CollectionType("SYS", "KU$_DUMPFILESET1010", DUMP_FILE, CollectionKind.NESTED_TABLE)

PARAM_VALUE = ObjectType(
    "SYS",
    "KU$_PARAMVALUE1010",
    (
        ("PARAM_NAME", _text(30)),
        ("PARAM_OP", _text(30)),
        ("PARAM_TYPE", _text(30)),
        ("PARAM_LENGTH", NUMBER),
        ("PARAM_VALUE_N", NUMBER),
        ("PARAM_VALUE_T", _text(4000)),
    ),
)
PARAM_VALUES = CollectionType("SYS", "KU$_PARAMVALUES1010", PARAM_VALUE, CollectionKind.NESTED_TABLE)

DUMPFILE_ITEM = ObjectType("SYS", "KU$_DUMPFILE_ITEM", (("ITEM_CODE", NUMBER), ("VALUE", _text(2048))))
DUMPFILE_INFO = CollectionType("SYS", "KU$_DUMPFILE_INFO", DUMPFILE_ITEM, CollectionKind.NESTED_TABLE)

_WORKER_1010 = (
    ("WORKER_NUMBER", NUMBER),
    ("PROCESS_NAME", _text(128)),
    ("STATE", _text(30)),
    ("SCHEMA", _text(128)),
    ("NAME", _text(4000)),
    ("OBJECT_TYPE", _text(200)),
    ("PARTITION", _text(128)),
    ("COMPLETED_OBJECTS", NUMBER),
    ("TOTAL_OBJECTS", NUMBER),
    ("COMPLETED_ROWS", NUMBER),
    ("COMPLETED_BYTES", NUMBER),
    ("PERCENT_DONE", NUMBER),
)
_WORKER_ADDED = {
    "1020": (("DEGREE", NUMBER),),
    "1120": (("INSTANCE_ID", NUMBER),),
    "1210": (("INSTANCE_NAME", _text(60)), ("HOST_NAME", _text(64))),
    "1220": (("ACCESS_METHOD", _text(16)), ("OBJ_START_TIME", DATE), ("OBJ_STATUS", DATE)),
}

_JOB_DESC_1010 = (
    ("JOB_NAME", _text(128)),
    ("GUID", RAW16),
    ("OPERATION", _text(30)),
    ("JOB_MODE", _text(30)),
    ("REMOTE_LINK", _text(4000)),
    ("OWNER", _text(128)),
    ("INSTANCE", _text(60)),
    ("DB_VERSION", _text(60)),
    ("CREATOR_PRIVS", _text(30)),
    ("START_TIME", DATE),
    ("MAX_DEGREE", NUMBER),
    ("LOG_FILE", _text(4000)),
    ("SQL_FILE", _text(4000)),
    ("PARAMS", PARAM_VALUES),
)
# ku$_JobDesc1020 interleaves its additions with 1010's attributes (11.2 type definition).
_JOB_DESC_1020 = (
    ("JOB_NAME", _text(128)),
    ("GUID", RAW16),
    ("OPERATION", _text(30)),
    ("JOB_MODE", _text(30)),
    ("REMOTE_LINK", _text(4000)),
    ("OWNER", _text(128)),
    ("PLATFORM", _text(101)),
    ("EXP_PLATFORM", _text(101)),
    ("GLOBAL_NAME", _text(4000)),
    ("EXP_GLOBAL_NAME", _text(4000)),
    ("INSTANCE", _text(60)),
    ("DB_VERSION", _text(60)),
    ("EXP_DB_VERSION", _text(60)),
    ("SCN", NUMBER),
    ("CREATOR_PRIVS", _text(30)),
    ("START_TIME", DATE),
    ("EXP_START_TIME", DATE),
    ("TERM_REASON", NUMBER),
    ("MAX_DEGREE", NUMBER),
    ("LOG_FILE", _text(4000)),
    ("SQL_FILE", _text(4000)),
    ("PARAMS", PARAM_VALUES),
)
# What 1210 and later add ([P], reference §4); their place in the list is not published, so
# they follow the 1020 attributes [U].
_JOB_DESC_1210 = (
    ("JOB_VERSION", _text(60)),
    ("TIMEZONE", _text(64)),
    ("EXP_TIMEZONE", _text(64)),
    ("TSTZ_VERSION", NUMBER),
    ("EXP_TSTZ_VERSION", NUMBER),
    ("ENDIANNESS", _text(16)),
    ("EXP_ENDIANNESS", _text(16)),
    ("CHARSET", _text(28)),
    ("EXP_CHARSET", _text(28)),
    ("NCHARSET", _text(28)),
    ("EXP_NCHARSET", _text(28)),
)


def _family(version: str) -> dict[str, DataType]:
    """Build the status types of one version, each referring to that version's parts."""
    index = VERSIONS.index(version)
    worker_attrs = _WORKER_1010 + tuple(
        attr for v in VERSIONS[1 : index + 1] for attr in _WORKER_ADDED.get(v, ())
    )
    worker = ObjectType("SYS", f"KU$_WORKERSTATUS{version}", worker_attrs)
    workers = CollectionType("SYS", f"KU$_WORKERSTATUSLIST{version}", worker, CollectionKind.NESTED_TABLE)
    job_status = ObjectType(
        "SYS",
        f"KU$_JOBSTATUS{version}",
        (
            ("JOB_NAME", _text(128)),
            ("OPERATION", _text(30)),
            ("JOB_MODE", _text(30)),
            ("BYTES_PROCESSED", NUMBER),
            ("TOTAL_BYTES", NUMBER),
            ("PERCENT_DONE", NUMBER),
            ("DEGREE", NUMBER),
            ("ERROR_COUNT", NUMBER),
            ("STATE", _text(30)),
            ("PHASE", NUMBER),
            ("RESTART_COUNT", NUMBER),
            # 1210 and later report the master's heartbeat (reference §4 [P]).
            *((("HEARTBEAT", NUMBER),) if index >= VERSIONS.index("1210") else ()),
            ("WORKER_STATUS_LIST", workers),
            ("FILES", DUMP_FILE_SET),
        ),
    )
    desc_attrs: tuple[tuple[str, DataType], ...] = _JOB_DESC_1010 if version == "1010" else _JOB_DESC_1020
    if index >= VERSIONS.index("1210"):
        desc_attrs = (*desc_attrs, *_JOB_DESC_1210)
    # There is no ku$_JobDesc1120: ku$_Status1120's job description is a ku$_JobDesc1020
    # (11.2 type definitions); 12.2 has ku$_JobDesc1210 and 1220 (catnodp.sql's list).
    desc_version = "1020" if version == "1120" else version
    job_desc = ObjectType("SYS", f"KU$_JOBDESC{desc_version}", desc_attrs)
    status = ObjectType(
        "SYS",
        f"KU$_STATUS{version}",
        (
            ("MASK", NUMBER),
            ("WIP", LOG_ENTRY),
            ("JOB_DESCRIPTION", job_desc),
            ("JOB_STATUS", job_status),
            ("ERROR", LOG_ENTRY),
        ),
    )
    return {t.name: t for t in (worker, workers, job_status, job_desc, status)}


TYPES: dict[str, DataType] = {}
for _version in VERSIONS:
    TYPES.update(_family(_version))
for _fixed in (
    LOG_LINE,
    LOG_ENTRY,
    DUMP_FILE,
    DUMP_FILE_SET,
    PARAM_VALUE,
    PARAM_VALUES,
    DUMPFILE_ITEM,
    DUMPFILE_INFO,
):
    TYPES[_fixed.name] = _fixed

# Public synonyms: the generic names are the newest version (the same type object).
for _generic in ("STATUS", "JOBSTATUS", "JOBDESC", "WORKERSTATUS", "WORKERSTATUSLIST"):
    TYPES[f"KU$_{_generic}"] = TYPES[f"KU$_{_generic}{NEWEST}"]
for _generic in ("LOGLINE", "LOGENTRY", "DUMPFILE", "DUMPFILESET", "PARAMVALUE", "PARAMVALUES"):
    TYPES[f"KU$_{_generic}"] = TYPES[f"KU$_{_generic}1010"]

STATUS_TYPES = tuple(TYPES[f"KU$_STATUS{v}"] for v in VERSIONS)


def lookup(name: str) -> DataType | None:
    """Resolve a type name as written (``KU$_STATUS``, ``SYS.KU$_STATUS1120``)."""
    return TYPES.get(name.upper().removeprefix("SYS."))
