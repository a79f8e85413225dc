"""What each expdp/impdp parameter means for the job model, or why it is refused.

:data:`EXPDP_PARAMETERS` and :data:`IMPDP_PARAMETERS` hold the names the Utilities guide
lists (19c to 23ai). Each name is in :data:`MAPPED`, with the function that adds it to a
:class:`Collected` job, or in :data:`REFUSED`, with the reason; a test checks that every name
is in exactly one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airflow_datapump.core.expdp_values import (
    clause,
    data_options,
    directory_file,
    flag,
    flashback_time,
    name_and_clause,
    pair,
    scalar,
    transform,
    unquote,
)
from airflow_datapump.core.names import is_uri
from airflow_datapump.core.secret import Secret
from airflow_datapump.exceptions import SpecError

_COMMON = """ABORT_STEP ACCESS_METHOD ATTACH CLUSTER CONTENT CREDENTIAL DATA_OPTIONS DIRECTORY DUMPFILE
    ENABLE_SECURE_ROLES ENCRYPTION_PASSWORD ENCRYPTION_PWD_PROMPT ESTIMATE EXCLUDE FLASHBACK_SCN
    FLASHBACK_TIME FULL HELP INCLUDE JOB_NAME KEEP_MASTER LOGFILE LOGTIME METRICS NETWORK_LINK NOLOGFILE
    PARALLEL PARALLEL_THRESHOLD PARFILE QUERY REMAP_DATA SCHEMAS SERVICE_NAME SOURCE_EDITION STATUS
    TABLES TABLESPACES TRACE TRANSPORT_FULL_CHECK TRANSPORT_TABLESPACES TRANSPORTABLE USERID VERSION
    VIEWS_AS_TABLES""".split()
EXPDP_PARAMETERS = frozenset(
    _COMMON
    + """CHECKSUM CHECKSUM_ALGORITHM COMPRESSION COMPRESSION_ALGORITHM ENCRYPTION ENCRYPTION_ALGORITHM
    ENCRYPTION_MODE ESTIMATE_ONLY FILESIZE REUSE_DUMPFILES SAMPLE TTS_CLOSURE_CHECK""".split()
)
IMPDP_PARAMETERS = frozenset(
    _COMMON
    + """MASTER_ONLY PARTITION_OPTIONS REMAP_DATAFILE REMAP_DIRECTORY REMAP_SCHEMA REMAP_TABLE
    REMAP_TABLESPACE REUSE_DATAFILES SKIP_UNUSABLE_INDEXES SQLFILE STREAMS_CONFIGURATION
    TABLE_EXISTS_ACTION TARGET_EDITION TRANSFORM TRANSPORT_DATAFILES VERIFY_CHECKSUM VERIFY_ONLY""".split()
)
INTERACTIVE_COMMANDS = frozenset("ADD_FILE CONTINUE_CLIENT EXIT_CLIENT KILL_JOB START_JOB STOP_JOB".split())

_CONNECT = "connect with --conn-id, --dsn or --user/--host/--database (a DAG uses its connection)"
REFUSED: dict[str, str] = {
    "USERID": "not a job parameter; " + _CONNECT,
    "ATTACH": "an interactive client session; use the status, log, stop, kill and restart commands",
    "HELP": "client help; run airflow-datapump --help",
    "PARFILE": "nested parameter files are not allowed (as in expdp)",
    "ABORT_STEP": "a debugging aid of Oracle Support, not available through this provider",
    "TRACE": "a debugging aid of Oracle Support, not available through this provider",
    "ENABLE_SECURE_ROLES": "not supported by this provider (a client logon option)",
    "PARALLEL_THRESHOLD": "not supported by this provider",
    "SERVICE_NAME": "not supported by this provider (START_JOB's service_name is not passed)",
    "REMAP_DIRECTORY": "not supported by this provider",
    "VIEWS_AS_TABLES": "not supported by this provider",
    "TTS_CLOSURE_CHECK": "not supported by this provider",
    "VERIFY_CHECKSUM": "not supported by this provider",
    "VERIFY_ONLY": "not supported by this provider",
    **dict.fromkeys(
        INTERACTIVE_COMMANDS,
        "an interactive command, not a parameter; use the CLI's stop, kill or restart command",
    ),
}

# Parameters that may be given more than once; their values add up (as in expdp).
REPEATABLE = frozenset(
    """DUMPFILE EXCLUDE INCLUDE QUERY REMAP_DATA REMAP_DATAFILE REMAP_SCHEMA REMAP_TABLE REMAP_TABLESPACE
    SAMPLE SCHEMAS TABLES TABLESPACES TRANSFORM TRANSPORT_DATAFILES TRANSPORT_TABLESPACES""".split()
)
# JobSpec.parameters names set directly from the expdp parameter of the same or another name.
PASS_THROUGH = {
    "ACCESS_METHOD": "DATA_ACCESS_METHOD",
    "CHECKSUM_ALGORITHM": "CHECKSUM_ALGORITHM",
    "COMPRESSION": "COMPRESSION",
    "COMPRESSION_ALGORITHM": "COMPRESSION_ALGORITHM",
    "ENCRYPTION": "ENCRYPTION",
    "ENCRYPTION_ALGORITHM": "ENCRYPTION_ALGORITHM",
    "ENCRYPTION_MODE": "ENCRYPTION_MODE",
    "ESTIMATE": "ESTIMATE",
    "FLASHBACK_SCN": "FLASHBACK_SCN",
    "LOGTIME": "LOGTIME",
    "PARTITION_OPTIONS": "PARTITION_OPTIONS",
    "SOURCE_EDITION": "SOURCE_EDITION",
    "TABLE_EXISTS_ACTION": "TABLE_EXISTS_ACTION",
    "TARGET_EDITION": "TARGET_EDITION",
    "TRANSPORTABLE": "TRANSPORTABLE",
}
FLAGS = {
    "CHECKSUM": "CHECKSUM",
    "ESTIMATE_ONLY": "ESTIMATE_ONLY",
    "KEEP_MASTER": "KEEP_MASTER",
    "MASTER_ONLY": "MASTER_ONLY",
    "METRICS": "METRICS",
    "REUSE_DATAFILES": "REUSE_DATAFILES",
    "SKIP_UNUSABLE_INDEXES": "SKIP_UNUSABLE_INDEXES",
    "STREAMS_CONFIGURATION": "STREAMS_CONFIGURATION",
    "TRANSPORT_FULL_CHECK": "TTS_FULL_CHECK",
}
_MODES = {
    "FULL": "FULL",
    "SCHEMAS": "SCHEMA",
    "TABLES": "TABLE",
    "TABLESPACES": "TABLESPACE",
    "TRANSPORT_TABLESPACES": "TRANSPORTABLE",
}


class Collected:
    """What the parameters add up to, before the JobSpec checks the whole."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self.operation = "EXPORT" if tool == "expdp" else "IMPORT"
        self.modes: list[tuple[str, str]] = []
        self.fields: dict[str, Any] = {}
        self.lists: dict[str, list[Any]] = {}
        self.parameters: list[tuple[str, object]] = []
        self.password: Secret | None = None
        self.prompt = False

    def add(self, name: str, *values: Any) -> None:
        self.lists.setdefault(name, []).extend(values)

    def set(self, field: str, value: object) -> None:
        self.fields[field] = value


def _mode(job: Collected, name: str, values: tuple[str, ...]) -> None:
    if name == "FULL":
        if not flag(name, values):
            return
    else:
        job.add(_list_field(name), *values)
    mode = _MODES[name]
    if all(m != mode for _, m in job.modes):
        job.modes.append((name, mode))


def _list_field(name: str) -> str:
    return {"SCHEMAS": "schemas", "TABLES": "tables"}.get(name, "tablespaces")


def _dumpfile(job: Collected, name: str, values: tuple[str, ...]) -> None:
    """``[directory:]file``, or an object storage URI read with CREDENTIAL (19.9+, 21c)."""
    entries = [(None, unquote(v)) if is_uri(unquote(v)) else directory_file(name, v) for v in values]
    job.add("dump_entries", *entries)


def _logfile(job: Collected, name: str, values: tuple[str, ...]) -> None:
    directory, file_name = directory_file(name, scalar(name, values))
    job.set("log_file", file_name)
    if directory is not None:
        job.set("log_directory", directory)


def _sqlfile(job: Collected, name: str, values: tuple[str, ...]) -> None:
    directory, file_name = directory_file(name, scalar(name, values))
    job.operation = "SQL_FILE"
    job.set("sql_file", file_name)
    job.set("sql_directory", directory)


def _content(job: Collected, name: str, values: tuple[str, ...]) -> None:
    content = scalar(name, values).upper()
    if content == "DATA_ONLY":
        job.parameters.append(("INCLUDE_METADATA", 0))
    elif content == "METADATA_ONLY":
        job.add("content_metadata_only", True)
    elif content != "ALL":
        raise SpecError(name, content, "one of ALL, DATA_ONLY, METADATA_ONLY")


def _query(job: Collected, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        table, where = name_and_clause(name, value)
        item: dict[str, object] = {"name": "SUBQUERY", "value": where}
        job.add("data_filters", {**item, **_table_scope(name, table)})


def _sample(job: Collected, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        table, percent = name_and_clause(name, value)
        item: dict[str, object] = {"name": "SAMPLE", "value": percent}
        job.add("data_filters", {**item, **_table_scope(name, table)})


def _table_scope(name: str, table: str | None) -> dict[str, object]:
    if table is None:
        return {}
    from airflow_datapump.core.names import display_identifier
    from airflow_datapump.core.parts import TableRef

    ref = TableRef.parse(table, name)
    if ref.partition is not None:
        raise SpecError(name, table, "[schema.]table, without a partition")
    schema = None if ref.schema is None else display_identifier(ref.schema)
    return {"table": display_identifier(ref.name), "schema": schema}


def _remap(job: Collected, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        old, new = pair(name, value)
        job.add("remaps", {"name": name, "old_value": old, "value": new})


def _remap_data(job: Collected, name: str, values: tuple[str, ...]) -> None:
    from airflow_datapump.core.parts import DataRemap

    job.add("data_remaps", *[DataRemap.parse(value, name) for value in values])


def _transform(job: Collected, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        job.add("transforms", transform(name, value))


def _include(job: Collected, name: str, values: tuple[str, ...]) -> None:
    job.add(name.lower(), *values)


def _parameter(job: Collected, name: str, values: tuple[str, ...]) -> None:
    if name in FLAGS:
        job.parameters.append((FLAGS[name], int(flag(name, values))))
    elif name == "DATA_OPTIONS":
        job.parameters.append(("DATA_OPTIONS", data_options(name, values)))
    elif name == "FLASHBACK_TIME":
        job.parameters.append(("FLASHBACK_TIME", flashback_time(name, scalar(name, values))))
    elif name in ("SOURCE_EDITION", "TARGET_EDITION"):
        job.parameters.append((PASS_THROUGH[name], scalar(name, values, keep_quotes=True)))
    else:
        job.parameters.append((PASS_THROUGH[name], scalar(name, values)))


def _field(target: str, *, keep_quotes: bool = False) -> Callable[[Collected, str, tuple[str, ...]], None]:
    def apply(job: Collected, name: str, values: tuple[str, ...]) -> None:
        job.set(target, scalar(name, values, keep_quotes=keep_quotes))

    return apply


def _flag_field(target: str) -> Callable[[Collected, str, tuple[str, ...]], None]:
    def apply(job: Collected, name: str, values: tuple[str, ...]) -> None:
        job.set(target, flag(name, values))

    return apply


def _password(job: Collected, name: str, values: tuple[str, ...]) -> None:
    if job.password is not None:
        raise SpecError(name, "***", "the password only once")
    job.password = Secret(scalar(name, values, secret=True), field=name)


def _password_prompt(job: Collected, name: str, values: tuple[str, ...]) -> None:
    job.prompt = flag(name, values)


def _ignored_if(expected: bool) -> Callable[[Collected, str, tuple[str, ...]], None]:
    """A client or placement option whose default is what this provider does anyway."""

    def apply(job: Collected, name: str, values: tuple[str, ...]) -> None:
        if flag(name, values) != expected:
            raise SpecError(name, values[0], f"{'YES' if expected else 'NO'} only; {_WHY[name]}")

    return apply


_WHY = {
    "CLUSTER": "START_JOB's cluster_ok is not passed, so workers may run on any instance",
}


def _status(job: Collected, name: str, values: tuple[str, ...]) -> None:
    from airflow_datapump.core.coerce import as_integer

    as_integer(scalar(name, values), name)  # the client's display interval: checked, not sent


MAPPED: dict[str, Callable[[Collected, str, tuple[str, ...]], None]] = {
    **dict.fromkeys(_MODES, _mode),
    **dict.fromkeys([*PASS_THROUGH, *FLAGS, "DATA_OPTIONS", "FLASHBACK_TIME"], _parameter),
    **dict.fromkeys(("REMAP_SCHEMA", "REMAP_TABLE", "REMAP_TABLESPACE", "REMAP_DATAFILE"), _remap),
    "DIRECTORY": _field("directory", keep_quotes=True),
    "DUMPFILE": _dumpfile,
    "CREDENTIAL": _field("credential"),
    "FILESIZE": _field("file_size"),
    "REUSE_DUMPFILES": _flag_field("reuse_dump_files"),
    "LOGFILE": _logfile,
    "SQLFILE": _sqlfile,
    "JOB_NAME": _field("job_name", keep_quotes=True),
    "NETWORK_LINK": _field("network_link"),
    "VERSION": _field("version"),
    "PARALLEL": _field("parallel"),
    "CONTENT": _content,
    "QUERY": _query,
    "SAMPLE": _sample,
    "INCLUDE": _include,
    "EXCLUDE": _include,
    "REMAP_DATA": _remap_data,
    "TRANSFORM": _transform,
    "TRANSPORT_DATAFILES": lambda job, name, values: job.add("datafiles", *[clause(name, v) for v in values]),
    "ENCRYPTION_PASSWORD": _password,
    "ENCRYPTION_PWD_PROMPT": _password_prompt,
    "CLUSTER": _ignored_if(True),
    "NOLOGFILE": _flag_field("no_log_file"),
    "STATUS": _status,
}
