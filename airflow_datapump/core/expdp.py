"""expdp/impdp parameters, given meaning as a :class:`~airflow_datapump.core.spec.JobSpec`.

A DBA's parameter file or command line is read by :mod:`.expdp_syntax`; each parameter is then
mapped to the job model by :mod:`.expdp_params`, or refused by name with the reason: the
client-only parameters (``USERID``, ``ATTACH``, ``HELP``, ``PARFILE`` inside a parameter file),
the interactive commands (``STOP_JOB``, ``KILL_JOB`` ...: the CLI's ``stop``/``kill`` do that),
and those this provider cannot pass to DBMS_DATAPUMP (``VIEWS_AS_TABLES`` ...).
Errors from the job model are renamed to the expdp parameter they came from.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow_datapump.core import expdp_syntax
from airflow_datapump.core.expdp_params import (
    EXPDP_PARAMETERS,
    FLAGS,
    IMPDP_PARAMETERS,
    INTERACTIVE_COMMANDS,
    MAPPED,
    PASS_THROUGH,
    REFUSED,
    REPEATABLE,
    Collected,
)
from airflow_datapump.core.secret import Secret
from airflow_datapump.exceptions import SpecError

if TYPE_CHECKING:
    from airflow_datapump.core.spec import JobSpec

__all__ = [
    "EXPDP_PARAMETERS",
    "IMPDP_PARAMETERS",
    "INTERACTIVE_COMMANDS",
    "MAPPED",
    "REFUSED",
    "expdp_name",
    "from_parfile",
    "from_text",
    "merged_parfile",
    "parse",
]


def parse(
    tool: str,
    *,
    parfile_text: str = "",
    command: str | Sequence[str] = (),
    encryption_password: str | Secret | None = None,
    delete_dump_files: bool = False,
) -> JobSpec:
    """Build a JobSpec from expdp (``tool="expdp"``) or impdp parameters.

    ``parfile_text`` is read with a parameter file's rules, ``command`` with a shell command
    line's (a string is split as a shell would, a list is taken as already split); both may be
    given, as ``expdp PARFILE=x.par JOB_NAME=...`` does. ``encryption_password`` answers
    ``ENCRYPTION_PWD_PROMPT=YES``; ``delete_dump_files`` is the operator's step after a
    successful import, which no impdp parameter can say.
    """
    entries = expdp_syntax.read(parfile_text, comments=True)
    words = expdp_syntax.read(expdp_syntax.command_line_text(command), comments=False)
    if words and words[0].values is None and words[0].keyword.lower() == tool:
        words = words[1:]  # the program name
    job = Collected(tool)
    allowed = EXPDP_PARAMETERS if tool == "expdp" else IMPDP_PARAMETERS
    seen: dict[str, bool] = {}  # each parameter's name: whether it came from the parameter file
    for index, entry in enumerate(entries + words):
        name = entry.keyword.upper()
        if entry.values is None:
            _bare_word(tool, entry.keyword, index)
        if name not in allowed and name not in INTERACTIVE_COMMANDS:
            raise SpecError(name, _shown(name, entry.values), _unknown(tool, name, allowed))
        if name in REFUSED:
            raise SpecError(name, _shown(name, entry.values), REFUSED[name])
        in_parfile = index < len(entries)
        if name in seen and name not in REPEATABLE:
            raise SpecError(
                name, _shown(name, entry.values), "the parameter once; " + _twice(seen[name], in_parfile)
            )
        seen[name] = in_parfile
        assert entry.values is not None
        MAPPED[name](job, name, entry.values)
    return _spec(job, encryption_password, delete_dump_files)


def _twice(first_in_parfile: bool, again_in_parfile: bool) -> str:
    """Where a parameter given twice was given: a parameter file and a command line combine."""
    if first_in_parfile and not again_in_parfile:
        return "it is given in the parameter file and again on the command line"
    return "it is given twice " + ("in the parameter file" if first_in_parfile else "on the command line")


def _unknown(tool: str, name: str, allowed: frozenset[str]) -> str:
    """Name the parameters a shortened name could mean: the Utilities guide documents full
    parameter names only, so abbreviations are not guessed at (docs: README, expdp syntax).
    A misspelt name (PARALEL) is refused too, naming the nearest parameter as a hint."""
    meant = sorted(known for known in allowed if known.startswith(name))
    if meant:
        return f"a parameter {tool} takes, written in full ({' or '.join(meant)})"
    near = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.8)
    hint = f" (did you mean {near[0]}?)" if near else ""
    return f"a parameter {tool} takes; {name} is not one{hint}"


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


def _spec(job: Collected, given_password: str | Secret | None, delete_dump_files: bool) -> JobSpec:
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
            schemas=job.lists.get("schemas", ()),
            tables=job.lists.get("tables", ()),
            tablespaces=job.lists.get("tablespaces", ()),
            include=job.lists.get("include", ()),
            exclude=job.lists.get("exclude", ()),
            data_filters=data_filters,
            remaps=job.lists.get("remaps", ()),
            data_remaps=job.lists.get("data_remaps", ()),
            transforms=job.lists.get("transforms", ()),
            parameters=parameters,
            encryption_password=password,
            delete_dump_files=delete_dump_files,
        )
    except SpecError as error:
        raise SpecError(expdp_name(error.field, job.tool), error.value, error.allowed) from None


def _directories(job: Collected) -> dict[str, Any]:
    """The job model's directory and dump file entries, from DIRECTORY and ``dir:file`` forms.

    ``DUMPFILE=dir:file`` overrides DIRECTORY for that file. When every dump file (and the SQL
    file) names the same directory, that is the job's directory and the log stays in DIRECTORY
    unless LOGFILE names its own; otherwise each file keeps its own directory (``DIR:file``).
    """
    from airflow_datapump.core.names import display_identifier, identifier

    fields = dict(job.fields)
    base = identifier(fields.pop("directory", "DATA_PUMP_DIR"), "DIRECTORY")
    sql_directory = fields.pop("sql_directory", None)
    sql = None if sql_directory is None else identifier(sql_directory, "SQLFILE")
    if sql is None and job.operation == "SQL_FILE":
        sql = base  # a plain SQLFILE=file is written in DIRECTORY, wherever the dump files are
    dumps = [
        (base if d is None else identifier(d, "DUMPFILE"), f) for d, f in job.lists.get("dump_entries", [])
    ]
    chosen = {d for d, _ in dumps} | ({sql} if sql is not None else set())
    directory = next(iter(chosen)) if len(chosen) == 1 else (sql or base)
    if directory != base and "log_directory" not in fields and not fields.get("no_log_file"):
        fields["log_directory"] = base
    files = [f if d == directory else f"{display_identifier(d)}:{f}" for d, f in dumps]
    return {**fields, "directory": directory, "dump_files": files}


def _password_given(job: Collected, given: str | Secret | None) -> Secret | None:
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
    "credential": "CREDENTIAL",
    "file_size": "FILESIZE",
    "reuse_dump_files": "REUSE_DUMPFILES",
    "log_file": "LOGFILE",
    "log_directory": "LOGFILE",
    "no_log_file": "NOLOGFILE",
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
    "data_remaps": "REMAP_DATA",
    "transforms": "TRANSFORM",
    "encryption_password": "ENCRYPTION_PASSWORD",
}
_PARAMETER_NAMES = {api: name for name, api in {**PASS_THROUGH, **FLAGS}.items()} | {
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
    text, rest = merged_parfile(words, read_parfile)
    return parse(tool, parfile_text=text, command=rest, **kwargs)


def from_parfile(path: str | Path, *, tool: str = "expdp", **kwargs: Any) -> JobSpec:
    """From a parameter file on this machine (expdp reads PARFILE on the client too)."""
    return parse(tool, parfile_text=read_parfile(path), **kwargs)


def read_parfile(path: str | Path) -> str:
    """A parameter file's text, or a SpecError naming it.

    Files saved on Windows often start with a UTF-8 byte order mark, which would otherwise
    stick to the first parameter's name; a file in another encoding, or one that cannot be
    read, is named with the reason rather than left to a bare UnicodeDecodeError or OSError.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SpecError("PARFILE", str(path), f"a file readable here ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SpecError(
            "PARFILE", str(path), f"a text file in UTF-8 (line {line} has the byte {data[error.start]:#04x})"
        ) from None


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
