"""What the emulated DBMS_DATAPUMP accepts in its definition calls.

Written from Oracle's documentation (docs/oracle-sources.md §2.4-§2.9), on purpose apart from the
provider's own job model (``airflow_datapump.core``): the emulator is the yardstick the
provider is measured by, so the two must not share a table and with it a mistake.

Each entry: the value type (the bind's type picks SET_PARAMETER's overload; the other type
is INCONSISTENT_ARGS, ORA-39005), the operations it applies to (N = network import only for
import), and the allowed values (None = any).
"""

from __future__ import annotations

E, I, S, N = "EXPORT", "IMPORT", "SQL_FILE", "NETWORK"  # noqa: E741
ANY = (E, I, S)
FLAG = ("0", "1")

# name: (type, operations, allowed values or None)
PARAMETERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...] | None]] = {
    "CLIENT_COMMAND": ("TEXT", ANY, None),
    "COMPRESSION": ("TEXT", (E,), ("METADATA_ONLY", "DATA_ONLY", "ALL", "NONE")),
    "COMPRESSION_ALGORITHM": ("TEXT", (E,), ("BASIC", "LOW", "MEDIUM", "HIGH")),
    "DATA_ACCESS_METHOD": (
        "TEXT",
        (E, I),
        ("AUTOMATIC", "DIRECT_PATH", "EXTERNAL_TABLE", "INSERT_AS_SELECT"),
    ),
    "DATA_OPTIONS": ("NUMBER", (E, I), None),
    "ENCRYPTION": (
        "TEXT",
        (E,),
        ("ALL", "DATA_ONLY", "ENCRYPTED_COLUMNS_ONLY", "METADATA_ONLY", "NONE"),
    ),
    "ENCRYPTION_ALGORITHM": ("TEXT", (E,), ("AES128", "AES192", "AES256")),
    "ENCRYPTION_MODE": ("TEXT", (E,), ("PASSWORD", "TRANSPARENT", "DUAL")),
    "ENCRYPTION_PASSWORD": ("TEXT", ANY, None),
    "ESTIMATE": ("TEXT", (E, N), ("BLOCKS", "STATISTICS")),
    "ESTIMATE_ONLY": ("NUMBER", (E,), FLAG),
    "FLASHBACK_SCN": ("NUMBER", (E, N), None),
    "FLASHBACK_TIME": ("TEXT", (E, N), None),
    "INCLUDE_METADATA": ("NUMBER", (E, I), FLAG),
    "KEEP_MASTER": ("NUMBER", ANY, FLAG),
    "LOGTIME": ("TEXT", ANY, ("NONE", "STATUS", "LOGFILE", "ALL")),
    "MASTER_ONLY": ("NUMBER", (I,), FLAG),
    "METRICS": ("NUMBER", ANY, FLAG),
    "PARTITION_OPTIONS": ("TEXT", (I,), ("NONE", "DEPARTITION", "MERGE")),
    "REUSE_DATAFILES": ("NUMBER", (I,), FLAG),
    "SKIP_UNUSABLE_INDEXES": ("NUMBER", (I,), FLAG),
    "SOURCE_EDITION": ("TEXT", (E, N), None),
    "STREAMS_CONFIGURATION": ("NUMBER", (I,), FLAG),
    "TABLE_EXISTS_ACTION": ("TEXT", (I,), ("SKIP", "APPEND", "TRUNCATE", "REPLACE")),
    "TABLESPACE_DATAFILE": ("TEXT", (I,), None),
    "TARGET_EDITION": ("TEXT", (I,), None),
    "TRANSPORTABLE": ("TEXT", (E,), ("ALWAYS", "NEVER")),
    "TTS_FULL_CHECK": ("NUMBER", (E,), FLAG),
    "USER_METADATA": ("NUMBER", (E, N), None),
    "CHECKSUM": ("NUMBER", (E,), FLAG),
    "CHECKSUM_ALGORITHM": ("TEXT", (E,), ("CRC32", "SHA256", "SHA384", "SHA512")),
}

# KU$_DATAOPT_* bits Oracle documents or public code uses (§3); higher bits are reserved.
DATA_OPTION_BITS = 2047

TRANSFORMS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "SEGMENT_ATTRIBUTES": ("NUMBER", FLAG),
    "STORAGE": ("NUMBER", FLAG),
    "OID": ("NUMBER", FLAG),
    "PCTSPACE": ("NUMBER", None),
    "DISABLE_ARCHIVE_LOGGING": ("NUMBER", FLAG),
    "LOB_STORAGE": ("TEXT", ("SECUREFILE", "BASICFILE", "DEFAULT", "NO_CHANGE")),
    "TABLE_COMPRESSION_CLAUSE": ("TEXT", None),
    "INMEMORY": ("NUMBER", FLAG),
    "INMEMORY_CLAUSE": ("TEXT", None),
    "SEGMENT_CREATION": ("NUMBER", FLAG),
    "CONSTRAINT_USE_DEFAULT_INDEX": ("NUMBER", FLAG),
    "CONSTRAINT_NAME_FROM_INDEX": ("NUMBER", FLAG),
    "INDEX_COMPRESSION_CLAUSE": ("TEXT", None),
}

METADATA_FILTERS = (
    "SCHEMA_EXPR", "SCHEMA_LIST", "NAME_EXPR", "NAME_LIST", "TABLESPACE_EXPR", "TABLESPACE_LIST",
    "INCLUDE_PATH_EXPR", "INCLUDE_PATH_LIST", "EXCLUDE_PATH_EXPR", "EXCLUDE_PATH_LIST",
    "EXCLUDE_NAME_EXPR", "EXCLUDE_NAME_LIST", "EXCLUDE_TABLES", "VIEWS_AS_TABLES",
)  # fmt: skip
PATH_FILTERS = ("INCLUDE_PATH_EXPR", "INCLUDE_PATH_LIST", "EXCLUDE_PATH_EXPR", "EXCLUDE_PATH_LIST")

DATA_FILTERS: dict[str, str] = {
    "INCLUDE_ROWS": "NUMBER",
    "SUBQUERY": "TEXT",
    "SAMPLE": "NUMBER",
    "PARTITION_LIST": "TEXT",
    "PARTITION_EXPR": "TEXT",
}

REMAPS = ("REMAP_SCHEMA", "REMAP_TABLESPACE", "REMAP_TABLE", "REMAP_DATAFILE")

# Behaviours Oracle's documentation leaves open ([U] in docs/emulator.md): each reading the
# emulator can take, the default first. ``db.set_reading(name, value)`` picks one per database,
# so the provider can be tested under every reading.
READINGS: dict[str, tuple[str, ...]] = {
    # Which call refuses an export dump file that exists, or an import dump file that is
    # missing or not a dump: ADD_FILE, or START_JOB (same codes and lines either way).
    "FILE_CHECKS": ("ADD_FILE", "START_JOB"),
    # Which call refuses a REMAP_SCHEMA into another schema by a user without
    # DATAPUMP_IMP_FULL_DATABASE: METADATA_REMAP, or START_JOB (ORA-31631 either way).
    "REMAP_PRIVILEGES": ("METADATA_REMAP", "START_JOB"),
    # Whether a STOP_JOB with keep_master 0 (a kill) ends the log with the ``stopped by user
    # request`` line, or leaves the log without a final line (the master table is dropped).
    "KILL_FINAL_LINE": ("WRITTEN", "NONE"),
    # What a kill does to an export's dump files: deleted (the Utilities guide's Export
    # KILL_JOB), or kept as a failure keeps them (the PL/SQL reference's STOP_JOB is silent).
    "KILLED_DUMP_FILES": ("DELETED", "KEPT"),
    # A second ATTACH to the same job from one session: refused (ORA-39002), or given a
    # second handle as another session would be.
    "SECOND_ATTACH": ("REFUSED", "NEW_HANDLE"),
    # When a log file is opened: at ADD_FILE (LOG_ENTRY lines of a DEFINING job go straight
    # in), or at START_JOB with those lines written first, or at START_JOB with them lost.
    "LOG_OPENED": ("ADD_FILE", "START_JOB", "START_JOB_DROPS"),
    # STOP_JOB on an IDLING job (a stopped job just attached to): it stops the job again, and
    # with keep_master 0 drops it; or it behaves like DETACH and the job stays as it was.
    "STOP_IDLING": ("STOPS", "DETACHES"),
    # ATTACH to a completed job whose master table KEEP_MASTER=1 kept: a handle on the
    # COMPLETED job (START_JOB then gives ORA-39004), or ORA-31626 as for any completed job.
    "KEPT_COMPLETED": ("ATTACHES", "NO_SUCH_JOB"),
    # A privileged ATTACH to another user's stopped job: it restarts the master (IDLING), or
    # it is refused with ORA-31631, the job being in another schema and not running.
    "OTHER_OWNER_STOPPED": ("ATTACHES", "REFUSED"),
    # The layout of an export's log: 19c's (TABLE_DATA, the statistics and their marker
    # first, then the other object types, then every ". . exported" line; estimate lines only
    # when ESTIMATE or ESTIMATE_ONLY is asked for), or 11g/12.1's (estimate lines, then each
    # object type in import order with ". . exported" lines at TABLE_DATA).
    "LOG_LAYOUT": ("19C", "12.1"),
    # An import's line for a table that exists under SKIP, APPEND or TRUNCATE: the message's
    # text alone and not counted, as a 12c+ log prints ORA-39152's (the default, as LOG_LAYOUT's
    # is 19c: the release the provider's users run); or ORA-39151/2/3 with its prefix and
    # counted in "completed with N error(s)", as 11.2 logs print it.
    "TABLE_EXISTS_LINE": ("PLAIN", "COUNTED"),
}

OPERATIONS = ("EXPORT", "IMPORT", "SQL_FILE")
MODES = ("FULL", "SCHEMA", "TABLE", "TABLESPACE", "TRANSPORTABLE")


def applies(operations: tuple[str, ...], operation: str, network: bool) -> bool:
    if operation in operations:
        return True
    return N in operations and operation == I and network
