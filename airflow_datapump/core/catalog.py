"""What DBMS_DATAPUMP accepts: SET_PARAMETER names, METADATA_TRANSFORM names, DATA_OPTIONS bits.

The tables follow Oracle's 19c "DBMS_DATAPUMP" chapter (``docs/oracle-sources.md`` §2.7, §2.9
and §3). Where no Oracle text confirms a value set, the entry says
so in ``note`` and the emulator's documentation repeats it.

``scope`` names the operations a parameter applies to. ``NETWORK_IMPORT`` is an import over a
database link; it also counts as ``IMPORT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ValueType(Enum):
    """How a value is bound: the bind's type selects SET_PARAMETER's overload (§2.9, §11.6)."""

    TEXT = "TEXT"
    NUMBER = "NUMBER"


class Kind(Enum):
    """What sort of value a parameter takes, which decides how it is checked."""

    FLAG = "a flag: 0 or 1 (or true/false)"
    ENUM = "one of a fixed set of words"
    INTEGER = "a whole number"
    BITMASK = "a DATA_OPTIONS bitmask: a number or a list of option names"
    FREE_TEXT = "free text"
    NAME = "an Oracle name"
    TIMESTAMP = "a timestamp"
    PATH = "a file path on the database server"
    SECRET = "a secret"


EXPORT = "EXPORT"
IMPORT = "IMPORT"
SQL_FILE = "SQL_FILE"
NETWORK_IMPORT = "NETWORK_IMPORT"
ALL_OPERATIONS = frozenset({EXPORT, IMPORT, SQL_FILE})


@dataclass(frozen=True)
class ParameterInfo:
    name: str
    value_type: ValueType
    kind: Kind
    scope: frozenset[str]
    choices: tuple[str, ...] = ()
    repeatable: bool = False
    note: str = ""


def _p(
    name: str,
    kind: Kind,
    scope: set[str] | frozenset[str],
    choices: tuple[str, ...] = (),
    *,
    repeatable: bool = False,
    note: str = "",
) -> ParameterInfo:
    number_kinds = (Kind.FLAG, Kind.INTEGER, Kind.BITMASK)
    value_type = ValueType.NUMBER if kind in number_kinds else ValueType.TEXT
    return ParameterInfo(name, value_type, kind, frozenset(scope), choices, repeatable, note)


PARAMETERS: dict[str, ParameterInfo] = {
    p.name: p
    for p in (
        _p("CLIENT_COMMAND", Kind.FREE_TEXT, ALL_OPERATIONS),
        _p("COMPRESSION", Kind.ENUM, {EXPORT}, ("METADATA_ONLY", "DATA_ONLY", "ALL", "NONE")),
        _p("COMPRESSION_ALGORITHM", Kind.ENUM, {EXPORT}, ("BASIC", "LOW", "MEDIUM", "HIGH")),
        _p(
            "DATA_ACCESS_METHOD",
            Kind.ENUM,
            {EXPORT, IMPORT},
            ("AUTOMATIC", "DIRECT_PATH", "EXTERNAL_TABLE", "INSERT_AS_SELECT"),
            note="INSERT_AS_SELECT is for network imports on newer releases (unverified)",
        ),
        _p("DATA_OPTIONS", Kind.BITMASK, {EXPORT, IMPORT}),
        _p(
            "ENCRYPTION",
            Kind.ENUM,
            {EXPORT},
            ("ALL", "DATA_ONLY", "ENCRYPTED_COLUMNS_ONLY", "METADATA_ONLY", "NONE"),
        ),
        _p("ENCRYPTION_ALGORITHM", Kind.ENUM, {EXPORT}, ("AES128", "AES192", "AES256")),
        _p("ENCRYPTION_MODE", Kind.ENUM, {EXPORT}, ("PASSWORD", "TRANSPARENT", "DUAL")),
        _p("ENCRYPTION_PASSWORD", Kind.SECRET, ALL_OPERATIONS),
        _p("ESTIMATE", Kind.ENUM, {EXPORT, NETWORK_IMPORT}, ("BLOCKS", "STATISTICS")),
        _p("ESTIMATE_ONLY", Kind.FLAG, {EXPORT}),
        _p("FLASHBACK_SCN", Kind.INTEGER, {EXPORT, NETWORK_IMPORT}),
        _p("FLASHBACK_TIME", Kind.TIMESTAMP, {EXPORT, NETWORK_IMPORT}),
        _p("INCLUDE_METADATA", Kind.FLAG, {EXPORT, IMPORT}),
        _p("KEEP_MASTER", Kind.FLAG, ALL_OPERATIONS),
        _p("LOGTIME", Kind.ENUM, ALL_OPERATIONS, ("NONE", "STATUS", "LOGFILE", "ALL")),
        _p("MASTER_ONLY", Kind.FLAG, {IMPORT}),
        _p("METRICS", Kind.FLAG, ALL_OPERATIONS),
        _p(
            "PARTITION_OPTIONS",
            Kind.ENUM,
            {IMPORT},
            ("NONE", "DEPARTITION", "MERGE"),
            note="export values are unverified, so the option is import-only here",
        ),
        _p("REUSE_DATAFILES", Kind.FLAG, {IMPORT}),
        _p("SKIP_UNUSABLE_INDEXES", Kind.FLAG, {IMPORT}),
        _p("SOURCE_EDITION", Kind.NAME, {EXPORT, NETWORK_IMPORT}),
        _p("STREAMS_CONFIGURATION", Kind.FLAG, {IMPORT}),
        _p("TABLE_EXISTS_ACTION", Kind.ENUM, {IMPORT}, ("SKIP", "APPEND", "TRUNCATE", "REPLACE")),
        _p("TABLESPACE_DATAFILE", Kind.PATH, {IMPORT}, repeatable=True),
        _p("TARGET_EDITION", Kind.NAME, {IMPORT}),
        _p("TRANSPORTABLE", Kind.ENUM, {EXPORT}, ("ALWAYS", "NEVER")),
        _p("TTS_FULL_CHECK", Kind.FLAG, {EXPORT}),
        _p("USER_METADATA", Kind.FLAG, {EXPORT, NETWORK_IMPORT}),
        _p(
            "CHECKSUM",
            Kind.FLAG,
            {EXPORT},
            note="21c+; the API name and type are unverified",
        ),
        _p(
            "CHECKSUM_ALGORITHM",
            Kind.ENUM,
            {EXPORT},
            ("CRC32", "SHA256", "SHA384", "SHA512"),
            note="21c+; the API name and values are unverified",
        ),
    )
}


@dataclass(frozen=True)
class TransformInfo:
    name: str
    value_type: ValueType
    kind: Kind
    choices: tuple[str, ...] = ()
    note: str = ""


def _t(name: str, kind: Kind, choices: tuple[str, ...] = (), note: str = "") -> TransformInfo:
    value_type = ValueType.TEXT if kind in (Kind.ENUM, Kind.FREE_TEXT) else ValueType.NUMBER
    return TransformInfo(name, value_type, kind, choices, note)


# Clause transforms (TABLE_COMPRESSION_CLAUSE ...) are SQL text that Data Pump splices into
# DDL; they are checked as words only (see spec parts), never passed through raw.
TRANSFORMS: dict[str, TransformInfo] = {
    t.name: t
    for t in (
        _t("SEGMENT_ATTRIBUTES", Kind.FLAG),
        _t("STORAGE", Kind.FLAG),
        _t("OID", Kind.FLAG),
        _t("PCTSPACE", Kind.INTEGER),
        _t("DISABLE_ARCHIVE_LOGGING", Kind.FLAG, note="12c+"),
        _t("LOB_STORAGE", Kind.ENUM, ("SECUREFILE", "BASICFILE", "DEFAULT", "NO_CHANGE")),
        _t("TABLE_COMPRESSION_CLAUSE", Kind.FREE_TEXT, note="12c+"),
        _t("INMEMORY", Kind.FLAG, note="12.1.0.2+"),
        _t("INMEMORY_CLAUSE", Kind.FREE_TEXT, note="12.1.0.2+"),
        _t("SEGMENT_CREATION", Kind.FLAG, note="public code only"),
        _t("CONSTRAINT_USE_DEFAULT_INDEX", Kind.FLAG, note="21c+, unverified"),
        _t("CONSTRAINT_NAME_FROM_INDEX", Kind.FLAG, note="21c+, unverified"),
        _t("INDEX_COMPRESSION_CLAUSE", Kind.FREE_TEXT, note="21c+, unverified"),
    )
}

# KU$_DATAOPT_* bits (§3). The first four are verified; the rest come from public code.
DATA_OPTIONS: dict[str, int] = {
    "SKIP_CONST_ERR": 1,
    "XMLTYPE_CLOB": 2,
    "NO_TYPE_EVOL": 4,
    "DISABL_APPEND_HINT": 8,
    "REJECT_ROWS_REPCHR": 16,
    "ENABLE_NET_COMP": 32,
    "GRP_PART_TAB": 64,
    "TRUST_EXIST_TB_PAR": 128,
    "VALIDATE_TBL_DATA": 256,
    "VERIFY_STREAM_FORM": 512,
    "CONT_LD_ON_FMT_ERR": 1024,
}
DATA_OPTIONS_MASK = sum(DATA_OPTIONS.values())

REMAPS = ("REMAP_SCHEMA", "REMAP_TABLESPACE", "REMAP_TABLE", "REMAP_DATAFILE")

DATA_FILTERS = ("INCLUDE_ROWS", "SUBQUERY", "SAMPLE", "PARTITION_LIST", "PARTITION_EXPR")
