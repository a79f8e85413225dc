"""expdp/impdp parameters, given meaning as a :class:`~airflow_datapump.core.spec.JobSpec`.

A DBA's parameter file or command line is read by :mod:`.expdp_syntax`; each parameter is then
mapped to the job model here, or refused by name with the reason. Refused are the client-only
parameters (``USERID``, ``ATTACH``, ``HELP``, ``PARFILE`` inside a parameter file), the
interactive commands (``STOP_JOB``, ``KILL_JOB`` ...: the CLI's ``stop``/``kill`` do that), and
those this provider cannot pass to DBMS_DATAPUMP (``REMAP_DATA``, ``VIEWS_AS_TABLES`` ...).
The tables :data:`EXPDP_PARAMETERS` and :data:`IMPDP_PARAMETERS` hold the names the Utilities
guide lists (19c to 23ai); a test checks that each is either mapped or refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow_datapump.core import expdp_syntax
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
)
from airflow_datapump.core.secret import Secret
from airflow_datapump.exceptions import SpecError

if TYPE_CHECKING:
    from airflow_datapump.core.spec import JobSpec

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
    "CREDENTIAL": "object store dump files are not supported by this provider",
    "ENABLE_SECURE_ROLES": "not supported by this provider (a client logon option)",
    "PARALLEL_THRESHOLD": "not supported by this provider",
    "SERVICE_NAME": "not supported by this provider (START_JOB's service_name is not passed)",
    "REMAP_DATA": "not supported by this provider (DBMS_DATAPUMP.DATA_REMAP is not called)",
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
    """DUMPFILE EXCLUDE INCLUDE QUERY REMAP_DATAFILE REMAP_SCHEMA REMAP_TABLE REMAP_TABLESPACE SAMPLE
    SCHEMAS TABLES TABLESPACES TRANSFORM TRANSPORT_DATAFILES TRANSPORT_TABLESPACES""".split()
)
# JobSpec.parameters names set directly from the expdp parameter of the same or another name.
_PASS_THROUGH = {
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
_FLAGS = {
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


class _Job:
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


def _mode(job: _Job, name: str, values: tuple[str, ...]) -> None:
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


def _dumpfile(job: _Job, name: str, values: tuple[str, ...]) -> None:
    job.add("dump_entries", *[directory_file(name, value) for value in values])


def _logfile(job: _Job, name: str, values: tuple[str, ...]) -> None:
    directory, file_name = directory_file(name, scalar(name, values))
    job.set("log_file", file_name)
    if directory is not None:
        job.set("log_directory", directory)


def _sqlfile(job: _Job, name: str, values: tuple[str, ...]) -> None:
    directory, file_name = directory_file(name, scalar(name, values))
    job.operation = "SQL_FILE"
    job.set("sql_file", file_name)
    job.set("sql_directory", directory)


def _content(job: _Job, name: str, values: tuple[str, ...]) -> None:
    content = scalar(name, values).upper()
    if content == "DATA_ONLY":
        job.parameters.append(("INCLUDE_METADATA", 0))
    elif content == "METADATA_ONLY":
        job.add("content_metadata_only", True)
    elif content != "ALL":
        raise SpecError(name, content, "one of ALL, DATA_ONLY, METADATA_ONLY")


def _query(job: _Job, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        table, where = name_and_clause(name, value)
        item: dict[str, object] = {"name": "SUBQUERY", "value": where}
        job.add("data_filters", {**item, **_table_scope(name, table)})


def _sample(job: _Job, name: str, values: tuple[str, ...]) -> None:
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


def _remap(job: _Job, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        old, new = pair(name, value)
        job.add("remaps", {"name": name, "old_value": old, "value": new})


def _transform(job: _Job, name: str, values: tuple[str, ...]) -> None:
    for value in values:
        job.add("transforms", transform(name, value))


def _include(job: _Job, name: str, values: tuple[str, ...]) -> None:
    job.add(name.lower(), *values)


def _parameter(job: _Job, name: str, values: tuple[str, ...]) -> None:
    if name in _FLAGS:
        job.parameters.append((_FLAGS[name], int(flag(name, values))))
    elif name == "DATA_OPTIONS":
        job.parameters.append(("DATA_OPTIONS", data_options(name, values)))
    elif name == "FLASHBACK_TIME":
        job.parameters.append(("FLASHBACK_TIME", flashback_time(name, scalar(name, values))))
    elif name in ("SOURCE_EDITION", "TARGET_EDITION"):
        job.parameters.append((_PASS_THROUGH[name], scalar(name, values, keep_quotes=True)))
    else:
        job.parameters.append((_PASS_THROUGH[name], scalar(name, values)))


def _field(target: str, *, keep_quotes: bool = False) -> Callable[[_Job, str, tuple[str, ...]], None]:
    def apply(job: _Job, name: str, values: tuple[str, ...]) -> None:
        job.set(target, scalar(name, values, keep_quotes=keep_quotes))

    return apply


def _flag_field(target: str) -> Callable[[_Job, str, tuple[str, ...]], None]:
    def apply(job: _Job, name: str, values: tuple[str, ...]) -> None:
        job.set(target, flag(name, values))

    return apply


def _password(job: _Job, name: str, values: tuple[str, ...]) -> None:
    if job.password is not None:
        raise SpecError(name, "***", "the password only once")
    job.password = Secret(scalar(name, values, secret=True), field=name)


def _password_prompt(job: _Job, name: str, values: tuple[str, ...]) -> None:
    job.prompt = flag(name, values)


def _ignored_if(expected: bool) -> Callable[[_Job, str, tuple[str, ...]], None]:
    """A client or placement option whose default is what this provider does anyway."""

    def apply(job: _Job, name: str, values: tuple[str, ...]) -> None:
        if flag(name, values) != expected:
            raise SpecError(name, values[0], f"{'YES' if expected else 'NO'} only; {_WHY[name]}")

    return apply


_WHY = {
    "CLUSTER": "START_JOB's cluster_ok is not passed, so workers may run on any instance",
    "NOLOGFILE": "the provider reads each job's log to learn how it ended",
}


def _status(job: _Job, name: str, values: tuple[str, ...]) -> None:
    from airflow_datapump.core.coerce import as_integer

    as_integer(scalar(name, values), name)  # the client's display interval: checked, not sent


MAPPED: dict[str, Callable[[_Job, str, tuple[str, ...]], None]] = {
    **dict.fromkeys(_MODES, _mode),
    **dict.fromkeys([*_PASS_THROUGH, *_FLAGS, "DATA_OPTIONS", "FLASHBACK_TIME"], _parameter),
    **dict.fromkeys(("REMAP_SCHEMA", "REMAP_TABLE", "REMAP_TABLESPACE", "REMAP_DATAFILE"), _remap),
    "DIRECTORY": _field("directory", keep_quotes=True),
    "DUMPFILE": _dumpfile,
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
    "TRANSFORM": _transform,
    "TRANSPORT_DATAFILES": lambda job, name, values: job.add("datafiles", *[clause(name, v) for v in values]),
    "ENCRYPTION_PASSWORD": _password,
    "ENCRYPTION_PWD_PROMPT": _password_prompt,
    "CLUSTER": _ignored_if(True),
    "NOLOGFILE": _ignored_if(False),
    "STATUS": _status,
}


def parse(
    tool: str,
    *,
    parfile_text: str = "",
    command: str | Sequence[str] = (),
    encryption_password: str | Secret | None = None,
) -> JobSpec:
    """Build a JobSpec from expdp (``tool="expdp"``) or impdp parameters.

    ``parfile_text`` is read with a parameter file's rules, ``command`` with a shell command
    line's (a string is split as a shell would, a list is taken as already split); both may be
    given, as ``expdp PARFILE=x.par JOB_NAME=...`` does. ``encryption_password`` answers
    ``ENCRYPTION_PWD_PROMPT=YES``.
    """
    entries = expdp_syntax.read(parfile_text, comments=True)
    words = expdp_syntax.read(expdp_syntax.command_line_text(command), comments=False)
    if words and words[0].values is None and words[0].keyword.lower() == tool:
        words = words[1:]  # the program name
    job = _Job(tool)
    allowed = EXPDP_PARAMETERS if tool == "expdp" else IMPDP_PARAMETERS
    seen: set[str] = set()
    for index, entry in enumerate(entries + words):
        name = entry.keyword.upper()
        if entry.values is None:
            _bare_word(tool, entry.keyword, index)
        if name not in allowed and name not in INTERACTIVE_COMMANDS:
            raise SpecError(name, _shown(name, entry.values), f"a parameter {tool} takes; {name} is not one")
        if name in REFUSED:
            raise SpecError(name, _shown(name, entry.values), REFUSED[name])
        if name in seen and name not in REPEATABLE:
            raise SpecError(name, _shown(name, entry.values), "the parameter only once")
        seen.add(name)
        assert entry.values is not None
        MAPPED[name](job, name, entry.values)
    return _spec(job, encryption_password)


def _bare_word(tool: str, word: str, index: int) -> None:
    name = word.upper()
    if name in REFUSED:
        raise SpecError(name, name, REFUSED[name])
    if index == 0:
        # expdp takes a first word without = as USERID (user/password@connect): never echoed.
        raise SpecError("USERID", "***", REFUSED["USERID"])
    raise SpecError(name, word, f"KEYWORD=value; {tool} parameters are separated by spaces")


def _shown(name: str, values: tuple[str, ...] | None) -> object:
    if name in ("USERID", "ENCRYPTION_PASSWORD") or values is None:
        return "***" if values else name
    return values[0] if len(values) == 1 else list(values)


def _spec(job: _Job, given_password: str | Secret | None) -> JobSpec:
    from airflow_datapump.core.spec import JobSpec

    if len(job.modes) > 1:
        names = " and ".join(name for name, _ in job.modes)
        raise SpecError(job.modes[1][0], names, "one mode parameter: FULL, SCHEMAS, TABLES, TABLESPACES "
                        "or TRANSPORT_TABLESPACES (UDE-00010)")  # fmt: skip
    mode = job.modes[0][1] if job.modes else ("SCHEMA" if job.operation == "EXPORT" else "FULL")
    password = _password_given(job, given_password)
    fields = _directories(job)
    data_filters = list(job.lists.get("data_filters", []))
    if job.lists.get("content_metadata_only") and job.operation != "SQL_FILE":
        data_filters.append({"name": "INCLUDE_ROWS", "value": 0})
    parameters = list(job.parameters)
    parameters += [("TABLESPACE_DATAFILE", path) for path in job.lists.get("datafiles", [])]
    try:
        return JobSpec(
            job.operation,
            mode,
            **fields,
            dump_files=[file_name for _, file_name in job.lists.get("dump_entries", [])],
            schemas=job.lists.get("schemas", ()),
            tables=job.lists.get("tables", ()),
            tablespaces=job.lists.get("tablespaces", ()),
            include=job.lists.get("include", ()),
            exclude=job.lists.get("exclude", ()),
            data_filters=data_filters,
            remaps=job.lists.get("remaps", ()),
            transforms=job.lists.get("transforms", ()),
            parameters=parameters,
            encryption_password=password,
        )
    except SpecError as error:
        raise SpecError(expdp_name(error.field, job.tool), error.value, error.allowed) from None


def _directories(job: _Job) -> dict[str, Any]:
    """One directory object for the dump files (and SQL file), as the job model has it.

    ``DUMPFILE=dir:file`` overrides DIRECTORY for that file; the log then stays in DIRECTORY
    unless LOGFILE names its own. Dump files spread over several directories are refused.
    """
    from airflow_datapump.core.names import identifier

    fields = dict(job.fields)
    base = identifier(fields.pop("directory", "DATA_PUMP_DIR"), "DIRECTORY")
    sql_directory = fields.pop("sql_directory", None)
    entries = [(d, "DUMPFILE") for d, _ in job.lists.get("dump_entries", [])]
    entries += [(sql_directory, "SQLFILE")] if sql_directory is not None else []
    chosen: dict[str, str] = {}
    for directory, name in entries:
        resolved = base if directory is None else identifier(directory, name)
        chosen.setdefault(resolved, name)
    if len(chosen) > 1:
        second, name = list(chosen.items())[1]
        first = next(iter(chosen))
        raise SpecError(name, second, f"one directory object for dump and SQL files (also {first})")
    directory = next(iter(chosen), base)
    if directory != base and "log_directory" not in fields:
        fields["log_directory"] = base
    return {**fields, "directory": directory}


def _password_given(job: _Job, given: str | Secret | None) -> Secret | None:
    if job.prompt:
        if job.password is not None:
            raise SpecError("ENCRYPTION_PWD_PROMPT", "YES", "a prompt or ENCRYPTION_PASSWORD, not both")
        if given is None:
            raise SpecError(
                "ENCRYPTION_PWD_PROMPT",
                "YES",
                "the password given as encryption_password (the CLI prompts for it)",
            )
    elif given is not None:
        raise SpecError("encryption_password", "***", "only with ENCRYPTION_PWD_PROMPT=YES")
    if given is not None:
        return given if isinstance(given, Secret) else Secret(given, field="ENCRYPTION_PWD_PROMPT")
    return job.password


_FIELD_NAMES = {
    "dump_files": "DUMPFILE",
    "file_size": "FILESIZE",
    "reuse_dump_files": "REUSE_DUMPFILES",
    "log_file": "LOGFILE",
    "log_directory": "LOGFILE",
    "sql_file": "SQLFILE",
    "job_name": "JOB_NAME",
    "network_link": "NETWORK_LINK",
    "version": "VERSION",
    "parallel": "PARALLEL",
    "schemas": "SCHEMAS",
    "tables": "TABLES",
    "tablespaces": "TABLESPACES",
    "include": "INCLUDE",
    "exclude": "EXCLUDE",
    "directory": "DIRECTORY",
    "remaps": "REMAP_*",
    "transforms": "TRANSFORM",
    "encryption_password": "ENCRYPTION_PASSWORD",
}
_PARAMETER_NAMES = {api: name for name, api in {**_PASS_THROUGH, **_FLAGS}.items()} | {
    "INCLUDE_METADATA": "CONTENT",
    "TABLESPACE_DATAFILE": "TRANSPORT_DATAFILES",
}


def expdp_name(field: str, tool: str = "expdp") -> str:
    """The expdp/impdp parameter a JobSpec field (as named in a SpecError) came from."""
    root = field.split("[", 1)[0].split(".", 1)[0]
    if root == "parameters" and "." in field:
        api = field.split(".")[1].split("[")[0]
        return _PARAMETER_NAMES.get(api, api)
    if root == "remaps" and "." in field:
        return field.split(".")[1]
    if root == "data_filters" and "." in field:
        kind = field.split(".")[1]
        return {"SUBQUERY": "QUERY", "SAMPLE": "SAMPLE", "INCLUDE_ROWS": "CONTENT"}.get(kind, field)
    if root == "tablespaces" and tool == "expdp":
        return "TABLESPACES or TRANSPORT_TABLESPACES"
    return _FIELD_NAMES.get(root, field)


def from_text(tool: str, command: str | Sequence[str], **kwargs: Any) -> JobSpec:
    """From a shell command line (a string, split as a shell would) or an argv list."""
    words = expdp_syntax.command_words(command)
    text, rest = merged_parfile(words, lambda path: Path(path).read_text(encoding="utf-8"))
    return parse(tool, parfile_text=text, command=rest, **kwargs)


def from_parfile(path: str | Path, *, tool: str = "expdp", **kwargs: Any) -> JobSpec:
    """From a parameter file on this machine (expdp reads PARFILE on the client too)."""
    return parse(tool, parfile_text=Path(path).read_text(encoding="utf-8"), **kwargs)


def merged_parfile(argv: Sequence[str], read: Callable[[str], str]) -> tuple[str, list[str]]:
    """Split ``PARFILE=path`` out of a command line: (the file's text, the other words).

    expdp reads the parameter file in place of ``PARFILE=``; the other parameters on the
    command line still apply.
    """
    rest: list[str] = []
    text = ""
    for word in argv:
        key, sep, value = word.partition("=")
        if sep and key.strip().upper() == "PARFILE":
            if text:
                raise SpecError("PARFILE", value, "one parameter file")
            text = read(value.strip().strip("'\""))
        else:
            rest.append(word)
    return text, rest


def describe(mapping: Mapping[str, str] = REFUSED) -> str:
    """The refused parameters and why, for help texts."""
    return "\n".join(f"{name}: {why}" for name, why in sorted(mapping.items()))
