"""A JobSpec written back as the expdp/impdp command line that describes the same job.

Each word is quoted for a POSIX shell, so the text can be pasted into a terminal or read back
by ``JobSpec.from_expdp``/``from_impdp``. Parameters equal to Data Pump's defaults are left
out. The encryption password is never written: ``ENCRYPTION_PWD_PROMPT=YES`` stands in for
it, as expdp offers for keeping passwords off command lines. A spec built in Python can hold
what no expdp parameter says (a remap limited to one object type, a row filter on one
table's INCLUDE_ROWS ...); rendering it raises :class:`SpecError` naming that part.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from airflow_datapump.core import catalog
from airflow_datapump.core.catalog import Kind
from airflow_datapump.core.expdp_values import DATA_OPTION_WORDS
from airflow_datapump.core.names import display_identifier, dump_location, is_uri
from airflow_datapump.core.parts import DataFilter, Parameter
from airflow_datapump.exceptions import SpecError

if TYPE_CHECKING:
    from airflow_datapump.core.spec import JobSpec

_API_TO_EXPDP = {
    "DATA_ACCESS_METHOD": "ACCESS_METHOD",
    "TTS_FULL_CHECK": "TRANSPORT_FULL_CHECK",
    "TABLESPACE_DATAFILE": "TRANSPORT_DATAFILES",
}
_DEFAULTS = {("INCLUDE_METADATA", 1), ("KEEP_MASTER", 0), ("METRICS", 0)}
_NO_EXPDP_WORD = ("USER_METADATA", "CLIENT_COMMAND")
_MODE_WORDS = {"TABLESPACE": "TABLESPACES", "TRANSPORTABLE": "TRANSPORT_TABLESPACES"}


def _fail(field: str, value: object, why: str) -> SpecError:
    return SpecError(field, value, f"a job expdp/impdp parameters can describe; {why}")


def words(spec: JobSpec) -> list[str]:
    """The parameters (program name first), unquoted: what expdp's argv would hold."""
    tool = "expdp" if spec.operation.value == "EXPORT" else "impdp"
    out = [tool]
    out += _mode(spec)
    out += _files(spec)
    if spec.job_name is not None:
        out.append(f"JOB_NAME={display_identifier(spec.job_name)}")
    if spec.network_link is not None:
        out.append(f"NETWORK_LINK={spec.network_link}")
    if spec.version != "COMPATIBLE":
        out.append(f"VERSION={spec.version}")
    if spec.parallel != 1:
        out.append(f"PARALLEL={spec.parallel}")
    out += _filters(spec)
    out += [_data_filter(item, spec) for item in spec.data_filters]
    out += [_remap(r) for r in spec.remaps]
    out += [f"REMAP_DATA={d}" for d in spec.data_remaps]
    out += [_transform(t.name, t.value, t.object_type) for t in spec.transforms]
    out += [word for p in spec.parameters for word in _parameter(p)]
    if spec.encryption_password is not None:
        out.append("ENCRYPTION_PWD_PROMPT=YES")
    if spec.delete_dump_files:
        raise _fail("delete_dump_files", True, "impdp never deletes its dump files")
    return [w for w in out if w]


def command_line(spec: JobSpec) -> str:
    """The command line, each word quoted for a POSIX shell."""
    return " ".join(shlex.quote(word) for word in words(spec))


def _mode(spec: JobSpec) -> list[str]:
    mode = spec.mode.value
    if mode == "FULL":
        return ["FULL=YES"]
    if mode == "SCHEMA":
        if spec.schemas:
            return ["SCHEMAS=" + ",".join(display_identifier(s) for s in spec.schemas)]
        if spec.operation.value == "EXPORT":
            return []  # expdp's default: the connected user's schema
        raise _fail("schemas", [], "impdp needs SCHEMAS=... for a schema-mode import")
    if mode == "TABLE":
        if spec.tablespaces:
            raise _fail("tablespaces", list(spec.tablespaces), "TABLES cannot be combined with TABLESPACES")
        return ["TABLES=" + ",".join(str(t) for t in spec.tables)]
    if not spec.tablespaces:
        raise _fail("tablespaces", [], f"{_MODE_WORDS[mode]} needs at least one tablespace")
    return [f"{_MODE_WORDS[mode]}=" + ",".join(display_identifier(t) for t in spec.tablespaces)]


def _dump_file(prefix: str, entry: str) -> str:
    """An entry with its own directory (``DIR:file``) keeps it; a plain one gets ``prefix``;
    an object URI is written as it is (quoted only around a separator), as the ADB examples do."""
    if is_uri(entry):
        return f"'{entry}'" if any(ch in entry for ch in ",'\"()") else entry
    directory, name = dump_location(entry, "")
    if directory:
        return f"{display_identifier(directory)}:{_quoted_file(name)}"
    return prefix + _quoted_file(entry)


def _files(spec: JobSpec) -> list[str]:
    """DIRECTORY and the files; a log directory of its own but no log name is expdp's
    ``DIRECTORY=logdir DUMPFILE=dumpdir:file`` (and ``SQLFILE=dumpdir:file``: the SQL file
    is written in the job's directory, which DIRECTORY then no longer names)."""
    directory = display_identifier(spec.directory)
    sql_file = spec.operation.value == "SQL_FILE"
    prefix = ""
    if spec.log_directory is not None and spec.log_file is None:
        if not spec.dump_files and not sql_file:
            raise _fail("log_directory", spec.log_directory, "LOGFILE=directory:file needs the file name too")
        prefix = directory + ":"
        directory = display_identifier(spec.log_directory)
    out = [f"DIRECTORY={directory}"]
    if spec.credential is not None:
        out.append(f"CREDENTIAL={display_identifier(spec.credential)}")
    if spec.dump_files:
        out.append("DUMPFILE=" + ",".join(_dump_file(prefix, f) for f in spec.dump_files))
    if spec.file_size is not None:
        out.append(f"FILESIZE={spec.file_size}")
    if spec.reuse_dump_files:
        out.append("REUSE_DUMPFILES=YES")
    if spec.log_file is not None:
        log_prefix = "" if spec.log_directory is None else display_identifier(spec.log_directory) + ":"
        out.append(f"LOGFILE={log_prefix}{_quoted_file(spec.log_file)}")
    if spec.no_log_file:
        out.append("NOLOGFILE=YES")
    if sql_file:
        if spec.sql_file is None:
            raise _fail("sql_file", None, "SQLFILE=file is what makes impdp write SQL")
        out.append(f"SQLFILE={prefix}{_quoted_file(spec.sql_file)}")  # the job's directory, as DUMPFILE
    return out


def _quoted_file(name: str) -> str:
    """A file name as expdp reads it: in single quotes when it holds a separator."""
    if any(ch in name for ch in " \t,:()#'\"="):
        if "'" in name:
            raise _fail("dump_files", name, "expdp cannot write a file name holding '")
        return f"'{name}'"
    return name


def _filters(spec: JobSpec) -> list[str]:
    """INCLUDE and EXCLUDE, each path once, its name conditions grouped with it."""
    out = []
    named = [f for f in spec.name_filters if not f.exclude]
    for path in spec.include:
        conditions = [f for f in named if f.object_path == path]
        if conditions:
            out += [f'INCLUDE={path}:"{f.condition.render()}"' for f in conditions]
        else:
            out.append(f"INCLUDE={path}")
    stray = [f for f in named if f.object_path not in spec.include]
    if stray:
        raise _fail("name_filters", stray[0].object_path, "a name condition comes with INCLUDE of its path")
    out += [f"EXCLUDE={path}" for path in spec.exclude]
    out += [f'EXCLUDE={f.object_path}:"{f.condition.render()}"' for f in spec.name_filters if f.exclude]
    return out


def _scope(item: DataFilter) -> str:
    if item.table is None:
        return ""
    table = display_identifier(item.table)
    return (table if item.schema is None else f"{display_identifier(item.schema)}.{table}") + ":"


def _data_filter(item: DataFilter, spec: JobSpec) -> str:
    if item.name == "SUBQUERY":
        return f'QUERY={_scope(item)}"{item.value}"'
    if item.name == "SAMPLE":
        return f"SAMPLE={_scope(item)}{item.value}"
    if item.name == "INCLUDE_ROWS" and item.value == 0 and item.table is None:
        return "CONTENT=METADATA_ONLY"
    if item.name == "INCLUDE_ROWS" and item.value == 1 and item.table is None:
        return ""  # the default
    del spec
    raise _fail(f"data_filters.{item.name}", str(item.value), "expdp has no parameter for this row filter")


def _remap(remap: object) -> str:
    from airflow_datapump.core.parts import Remap

    assert isinstance(remap, Remap)
    if remap.object_type is not None:
        raise _fail(f"remaps.{remap.name}", remap.object_type, "impdp remaps apply to every object type")
    if remap.name == "REMAP_DATAFILE":
        return f"REMAP_DATAFILE=\"'{remap.old_value}':'{remap.value}'\""
    old = remap.old_value if remap.name == "REMAP_TABLE" else display_identifier(remap.old_value)
    return f"{remap.name}={old}:{display_identifier(remap.value)}"


def _transform(name: str, value: int | str, object_type: str | None) -> str:
    info = catalog.TRANSFORMS[name]
    if info.kind is Kind.FLAG:
        shown = "Y" if value == 1 else "N"
    elif info.kind is Kind.FREE_TEXT:
        shown = f'"{value}"'
    else:
        shown = str(value)
    suffix = "" if object_type is None else f":{object_type}"
    return f"TRANSFORM={name}:{shown}{suffix}"


def _parameter(item: Parameter) -> list[str]:
    name, value = item.name, item.value
    if (name, value) in _DEFAULTS:
        return []
    if name in _NO_EXPDP_WORD:
        raise _fail(f"parameters.{name}", value, f"expdp has no parameter for {name}")
    if name == "INCLUDE_METADATA":
        return ["CONTENT=DATA_ONLY"]
    if name == "DATA_OPTIONS":
        assert isinstance(value, int)
        return [_data_options(value)]
    if name == "FLASHBACK_TIME":
        return [f"FLASHBACK_TIME={_flashback(str(value))}"]
    word = _API_TO_EXPDP.get(name, name)
    if item.info.kind is Kind.FLAG:
        return [f"{word}={'YES' if value == 1 else 'NO'}"]
    if item.info.kind is Kind.PATH:
        return [f"{word}='{value}'"]
    if item.info.kind is Kind.NAME:
        return [f"{word}={display_identifier(str(value))}"]
    return [f"{word}={value}"]


def _data_options(mask: int) -> str:
    names = {api: word for word, api in DATA_OPTION_WORDS.items()}
    chosen = [word for api, bit in catalog.DATA_OPTIONS.items() if mask & bit for word in [names.get(api)]]
    if None in chosen:
        raise _fail("parameters.DATA_OPTIONS", mask, "every option must have an expdp DATA_OPTIONS word")
    return "DATA_OPTIONS=" + ",".join(str(word) for word in chosen)


def _flashback(value: str) -> str:
    if value in ("SYSTIMESTAMP", "SYSDATE"):
        return value
    import datetime as dt

    moment = dt.datetime.fromisoformat(value)
    stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
    fmt = "YYYY-MM-DD HH24:MI:SS"
    if moment.microsecond:
        stamp, fmt = stamp + moment.strftime(".%f"), fmt + ".FF"
    if moment.tzinfo is not None:
        offset = moment.strftime("%z")
        return f"\"TO_TIMESTAMP_TZ('{stamp} {offset[:3]}:{offset[3:]}', '{fmt} TZH:TZM')\""
    return f"\"TO_TIMESTAMP('{stamp}', '{fmt}')\""
