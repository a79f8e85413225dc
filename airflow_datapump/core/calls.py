"""Each database operation as a pure value: statement, binds, OUT variables and a parser.

The hook runs a :class:`Call` in one round trip, synchronously or with asyncio; everything
else (what to send, how to read the answer) is written once here and tested without a
database. Names of binds match the statement texts in :mod:`.plsql`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from airflow_datapump.core import plsql, submission
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.status import (
    JobState,
    JobStatus,
    Worker,
    error_lines,
    read_outcome,
    utc_offset_minutes,
)
from airflow_datapump.exceptions import SpecError

T = TypeVar("T")
Values = dict[str, Any]
Rows = list[tuple[Any, ...]]

STATUS_LOG_BYTES = 30000  # what one status poll reads of the log: fits one VARCHAR2 OUT bind
FILE_CHUNK_BYTES = 8 * 1024 * 1024  # what one read of a file fetches: a CLOB OUT bind


@dataclass(frozen=True)
class Out:
    kind: Literal["number", "text", "clob", "blob"]
    size: int = 0


@dataclass(frozen=True)
class Call(Generic[T]):
    statement: str
    binds: dict[str, Any]
    parse: Callable[[Values, Rows], T]
    outs: dict[str, Out] = field(default_factory=dict)
    query: bool = False
    job_name: str | None = None
    owner: str | None = None
    blob_binds: tuple[str, ...] = ()  # IN binds sent as BLOBs (bytes over 32767 bytes)


# -- submit ----------------------------------------------------------------------------------


def submit(
    spec: JobSpec, *, job_name: str | None, consistent: bool, log_entry: str | None
) -> Call[submission.JobRef]:
    from airflow_datapump.core.cloud import redacted_uri  # cloud builds on this module

    built = submission.build(spec, job_name=job_name, consistent=consistent, log_entry=log_entry)

    def parse(values: Values, rows: Rows) -> submission.JobRef:
        scn = values.get("flashback_scn")
        return submission.JobRef(
            job_name=built.job_name,
            owner=str(values["owner"]),
            operation=spec.operation.value,
            dump_directory=spec.directory,
            dump_files=tuple(redacted_uri(f) for f in built.dump_files),  # XCom: no PAR token
            log_directory=None if built.log_file is None else spec.effective_log_directory,
            log_file=built.log_file,
            flashback_scn=int(scn) if scn is not None else None,
        )

    outs = {"owner": Out("text", 128), "flashback_scn": Out("number")}
    return Call(plsql.SUBMIT, built.binds, parse, outs, job_name=built.job_name)


# -- status -----------------------------------------------------------------------------------

_STATUS_NUMBERS = (
    "degree",
    "attached",
    "phase",
    "percent_done",
    "bytes_processed",
    "total_bytes",
    "error_count",
    "log_length",
)
_STATUS_TEXTS = (
    "state",
    "worker_state",
    "worker_schema",
    "worker_name",
    "worker_object_type",
    "log_error",
    "utc_offset",
)


def status(
    job_name: str,
    owner: str,
    *,
    log_directory: str | None = None,
    log_file: str | None = None,
    log_position: int = 0,
) -> Call[JobStatus]:
    """State, progress and new log lines in one round trip; see :data:`.plsql.STATUS`."""
    binds = {
        "job_name": job_name,
        "owner": owner,
        "log_directory": log_directory if log_file else None,
        "log_file": log_file,
        "log_position": log_position,
        "log_max_bytes": STATUS_LOG_BYTES,
    }
    outs = {name: Out("number") for name in _STATUS_NUMBERS}
    outs.update({name: Out("text", 128) for name in _STATUS_TEXTS})
    outs["log_error"] = Out("text", 2000)
    outs["log_text"] = Out("text", 32767)

    def parse(values: Values, rows: Rows) -> JobStatus:
        return parse_status(job_name, owner, log_position, values)

    return Call(plsql.STATUS, binds, parse, outs, job_name=job_name, owner=owner)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def take_lines(text: str | None, position: int, *, final: bool) -> tuple[list[str], int]:
    """Whole lines from a log chunk and the byte offset after them.

    A line still being written (no newline yet) is left for the next read, unless the job is
    gone and nothing more will come.
    """
    if not text:
        return [], position
    complete, _, _ = text.rpartition("\n")
    consumed = text if final else (complete + "\n" if complete or text.startswith("\n") else "")
    if not consumed:
        return [], position
    lines = consumed.splitlines()
    return lines, position + len(consumed.encode())


def parse_status(job_name: str, owner: str, position: int, values: Values) -> JobStatus:
    from airflow_datapump.core.cloud import redacted_uri  # cloud builds on this module

    state = JobState.parse(values.get("state"))
    length = values.get("log_length")
    if length is not None and int(length) < position:
        # The file is shorter than what was read of it: a new run replaced it. Nothing was
        # read this time; the next read starts at its beginning.
        position = 0
    read, new_position = take_lines(values.get("log_text"), position, final=state is JobState.UNDEFINED)
    # A URI dump file's log line may show a pre-authenticated request's token, and these lines
    # reach the task log, trigger events and errors (the triggerer has no secrets masker for it).
    lines = [redacted_uri(line) for line in read]
    workers: tuple[Worker, ...] = ()
    if values.get("worker_state"):
        workers = (
            Worker(
                1,
                values["worker_state"],
                values.get("worker_schema"),
                values.get("worker_name"),
                values.get("worker_object_type"),
            ),
        )
    return JobStatus(
        job_name=job_name,
        owner=owner,
        state=state,
        phase=_int(values.get("phase")),
        percent_done=_int(values.get("percent_done")),
        bytes_processed=_int(values.get("bytes_processed")),
        total_bytes=_int(values.get("total_bytes")),
        degree=_int(values.get("degree")),
        error_count=_int(values.get("error_count")),
        attached_sessions=_int(values.get("attached")),
        workers=workers,
        error_lines=error_lines(lines),
        log_lines=tuple(lines),
        log_position=new_position,
        outcome=read_outcome(lines, job_name),
        utc_offset=utc_offset_minutes(values.get("utc_offset")),
    )


# -- control ---------------------------------------------------------------------------------


def stop(job_name: str, owner: str, *, immediate: bool, keep_master: bool, delay: int = 0) -> Call[None]:
    binds = {
        "job_name": job_name,
        "owner": owner,
        "immediate": int(immediate),
        "keep_master": int(keep_master),
        "delay": delay,
    }
    return Call(plsql.STOP, binds, lambda values, rows: None, job_name=job_name, owner=owner)


def kill(job_name: str, owner: str) -> Call[bool]:
    """Stop now and drop the master table; True when the job may have outlived the call
    (see :data:`.plsql.KILL`)."""
    binds = {"job_name": job_name, "owner": owner}
    return Call(
        plsql.KILL, binds, lambda values, rows: bool(values["left"]), {"left": Out("number")},
        job_name=job_name, owner=owner,
    )  # fmt: skip


def drop_master(job_name: str, owner: str) -> Call[None]:
    """Drop a job's master table (:data:`.plsql.DROP_MASTER`); names come from the dictionary.

    The block quotes each name with DBMS_ASSERT.ENQUOTE_NAME, which refuses a name holding a
    double quote (no Oracle name can) with a bare ORA-44003; refusing it here first says which
    field and value, and spends no round trip.
    """
    for field_name, value in (("job_name", job_name), ("owner", owner)):
        if not value or '"' in value or "\x00" in value:
            raise SpecError(field_name, value, 'an Oracle name as stored: non-empty, without " or NUL')
    binds = {"job_name": job_name, "owner": owner}
    return Call(plsql.DROP_MASTER, binds, lambda values, rows: None, job_name=job_name, owner=owner)


def restart(
    job_name: str, owner: str, *, skip_current: bool = False, log_entry: str | None = None
) -> Call[None]:
    binds = {"job_name": job_name, "owner": owner, "skip_current": int(skip_current), "log_entry": log_entry}
    return Call(plsql.RESTART, binds, lambda values, rows: None, job_name=job_name, owner=owner)


def mark(job_name: str, owner: str, message: str) -> Call[None]:
    """LOG_ENTRY into a running job's log; see :data:`.plsql.MARK`."""
    binds = {"job_name": job_name, "owner": owner, "message": message}
    return Call(plsql.MARK, binds, lambda values, rows: None, job_name=job_name, owner=owner)


def permanent_tablespaces() -> Call[list[str]]:
    """The names of the database's permanent tablespaces, where tables may be created."""
    return Call(
        plsql.PERMANENT_TABLESPACES,
        {"contents": "PERMANENT"},
        lambda values, rows: [str(row[0]) for row in rows],
        query=True,
    )


def current_user() -> Call[str]:
    """The session's user, who owns the jobs it starts (what the submit block reports)."""
    return Call(plsql.CURRENT_USER, {}, lambda values, rows: str(rows[0][0]), query=True)


@dataclass(frozen=True)
class JobRow:
    """One row of DBA_/USER_DATAPUMP_JOBS (§6.1)."""

    owner: str
    job_name: str
    operation: str
    job_mode: str
    state: JobState
    degree: int
    attached_sessions: int
    datapump_sessions: int
    #: When the master table was created (DBA_OBJECTS.CREATED, the database's clock, no zone):
    #: when the job was defined. None where the dictionary does not say.
    created: dt.datetime | None = None

    @property
    def is_orphan(self) -> bool:
        """Stopped or failed and nobody attached: a leftover master table (§5 "Orphans")."""
        return self.state is JobState.NOT_RUNNING and self.attached_sessions == 0


def list_jobs(*, everyone: bool) -> Call[list[JobRow]]:
    def parse(values: Values, rows: Rows) -> list[JobRow]:
        return [
            JobRow(
                str(o),
                str(n),
                str(op),
                str(mode),
                JobState.parse(state),
                int(d or 0),
                int(a or 0),
                int(s or 0),
                created if isinstance(created, dt.datetime) else None,
            )
            for o, n, op, mode, state, d, a, s, created in rows
        ]

    return Call(plsql.LIST_ALL_JOBS if everyone else plsql.LIST_OWN_JOBS, {}, parse, query=True)


# -- files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileChunk:
    text: str
    position: int  # byte offset after this chunk
    length: int  # the file's length in bytes


def read_file(
    directory: str, file_name: str, *, position: int = 0, max_bytes: int = FILE_CHUNK_BYTES
) -> Call[FileChunk]:
    binds = {"directory": directory, "file_name": file_name, "position": position, "max_bytes": max_bytes}

    def parse(values: Values, rows: Rows) -> FileChunk:
        text = values.get("chunk") or ""
        return FileChunk(text, position + len(text.encode()), int(values.get("file_length") or 0))

    return Call(plsql.READ_FILE, binds, parse, {"chunk": Out("clob"), "file_length": Out("number")})


@dataclass(frozen=True)
class FileAttributes:
    exists: bool
    length: int


def file_attributes(directory: str, file_name: str) -> Call[FileAttributes]:
    def parse(values: Values, rows: Rows) -> FileAttributes:
        return FileAttributes(bool(values.get("file_exists")), int(values.get("file_length") or 0))

    outs = {"file_exists": Out("number"), "file_length": Out("number")}
    return Call(plsql.FILE_ATTRIBUTES, {"directory": directory, "file_name": file_name}, parse, outs)


def delete_file(directory: str, file_name: str) -> Call[None]:
    return Call(plsql.DELETE_FILE, {"directory": directory, "file_name": file_name}, lambda v, r: None)


def transfer_file(
    direction: Literal["get", "put"], *, link: str, source: tuple[str, str], destination: tuple[str, str]
) -> Call[None]:
    binds = {
        "source_directory": source[0],
        "source_file": source[1],
        "destination_directory": destination[0],
        "destination_file": destination[1],
        "database_link": link,
    }
    return Call(plsql.GET_FILE if direction == "get" else plsql.PUT_FILE, binds, lambda v, r: None)


@dataclass(frozen=True)
class DumpFileInfo:
    """GET_DUMPFILE_INFO's answer (§2.17): 0 unknown, 1 Data Pump, 2 classic exp, 3 external."""

    file_type: int
    items: dict[int, str]

    ITEM_NAMES = {1: "file_version", 2: "master_present", 3: "guid", 4: "file_number", 5: "charset_id",
                  6: "creation_date", 7: "flags", 8: "job_name", 9: "platform", 10: "instance",
                  11: "language", 12: "block_size", 13: "direct_path", 14: "metadata_compressed",
                  15: "db_version", 16: "master_piece_count", 17: "master_piece_number",
                  18: "data_compressed", 19: "metadata_encrypted", 20: "data_encrypted",
                  21: "columns_encrypted", 22: "encryption_mode", 23: "compression_algorithm"}  # fmt: skip

    @property
    def is_datapump(self) -> bool:
        return self.file_type == 1

    def get(self, name: str) -> str | None:
        codes = {v: k for k, v in self.ITEM_NAMES.items()}
        return self.items.get(codes[name])


def dumpfile_info(directory: str, file_name: str) -> Call[DumpFileInfo]:
    def parse(values: Values, rows: Rows) -> DumpFileInfo:
        items: dict[int, str] = {}
        for line in (values.get("items") or "").splitlines():
            code, _, value = line.partition("=")
            if code.strip().isdigit():
                items[int(code)] = value
        return DumpFileInfo(int(values.get("file_type") or 0), items)

    outs = {"file_type": Out("number"), "items": Out("text", 32767)}
    return Call(plsql.DUMPFILE_INFO, {"directory": directory, "file_name": file_name}, parse, outs)
