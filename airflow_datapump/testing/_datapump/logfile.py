"""Data Pump log lines: written to the real log file and to attached clients' WIP streams.

Wording follows real job logs (reference §5 "Outcome detection"): the job's first line is
``Starting "OWNER"."NAME":`` and its last is one of ``Job "OWNER"."NAME" successfully
completed at <date> elapsed <d hh:mm:ss>``, ``... completed with N error(s) at ...`` or
``... stopped due to fatal error at ...``. With LOGTIME=LOGFILE or ALL, lines in the file get
a ``DD-MON-YY HH24:MI:SS.FF3: `` prefix; with STATUS or ALL, WIP messages do.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._datapump.model import Job
from airflow_datapump.testing._plsql.errors import ora_line

_RULE = "*" * 78

# The detail lines of a log file the OS will not let Data Pump create, as real expdp/impdp
# output shows them under ORA-39002 [P]: ORA-39070, then UTL_FILE's ORA-29283.
CANNOT_OPEN = (ora_line(39070), ora_line(29283))


def oracle_time(moment: dt.datetime) -> str:
    """``Sun Nov 22 10:00:00 2026``, as Data Pump writes completion times."""
    return moment.strftime("%a %b %d %H:%M:%S %Y")


def elapsed(start: dt.datetime, end: dt.datetime) -> str:
    seconds = max(0, int((end - start).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days} {hours:02d}:{minutes:02d}:{secs:02d}"


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%d-%b-%y %H:%M:%S.") + f"{moment.microsecond // 1000:03d}: "


def log_path(db: sqlite3.Connection, job: Job) -> Path | None:
    log = job.log_file
    if log is None:
        return None
    directory = catalog.directory(db, log["directory"])
    return None if directory is None else Path(directory.path) / log["name"]


def write(
    db: sqlite3.Connection, job: Job, moment: dt.datetime, *lines: str, file_only: bool = False
) -> None:
    """Append lines to the log file and (unless ``file_only``) to the WIP stream."""
    logtime = job.param("LOGTIME", "NONE")
    path = log_path(db, job)
    if path is not None:
        prefix = _stamp(moment) if logtime in ("LOGFILE", "ALL") else ""
        if job.log_held is not None:  # not opened yet: held, or lost, by the reading
            if _reading(db) == "START_JOB":
                job.log_held.extend(f"{prefix}{line}" for line in lines)
        else:
            with path.open("a", encoding="utf-8") as handle:
                handle.writelines(f"{prefix}{line}\n" for line in lines)
    if not file_only:
        prefix = _stamp(moment) if logtime in ("STATUS", "ALL") else ""
        job.messages.extend(prefix + line for line in lines)


def error(db: sqlite3.Connection, job: Job, moment: dt.datetime, *lines: str, counted: bool = True) -> None:
    """Log error lines; they also go to clients' error streams and the error count."""
    write(db, job, moment, *lines)
    job.errors.extend(lines)
    if counted:
        job.error_count += 1


def failed_to_create(
    db: sqlite3.Connection, job: Job, moment: dt.datetime, what: str, errors: list[str], sql: str
) -> None:
    """ORA-39083: an object whose DDL failed, with Oracle's errors and the failing statement."""
    lines = [ora_line(39083, what), *errors]
    error(db, job, moment, *lines, "", "Failing sql is:", sql)


def _reading(db: sqlite3.Connection) -> str:
    from airflow_datapump.testing._datapump.common import reading  # common imports this module

    return reading(db, "LOG_OPENED")


def create(db: sqlite3.Connection, job: Job, *, defining: bool) -> None:
    """A log file is opened when ADD_FILE names it, overwriting an old one (reference §2.2), so
    lines written with LOG_ENTRY before START_JOB stay in it. Under the readings that open it
    at START_JOB, a DEFINING job's lines wait for that (``open_held``), kept or lost."""
    path = log_path(db, job)
    if path is None:
        return
    if defining and _reading(db) != "ADD_FILE":
        job.log_held = []
        return
    path.write_text("", encoding="utf-8")


def open_held(db: sqlite3.Connection, job: Job) -> None:
    """START_JOB opens a log file ADD_FILE left unopened, overwriting an old one, and writes
    the LOG_ENTRY lines held for it first (an OSError is the caller's ORA-39070)."""
    path = log_path(db, job)
    if job.log_held is None or path is None:
        return
    path.write_text("".join(f"{line}\n" for line in job.log_held), encoding="utf-8")
    job.log_held = None


def start(db: sqlite3.Connection, job: Job, moment: dt.datetime) -> None:
    if job.operation != "EXPORT" and not job.is_network:
        # A file import reads its master table from the dump first, and says so first.
        write(db, job, moment, f'Master table "{job.owner}"."{job.name}" successfully loaded/unloaded')
    command = job.param("CLIENT_COMMAND", "")
    write(db, job, moment, f'Starting "{job.owner}"."{job.name}":  {command}'.rstrip())


def dump_file_set(db: sqlite3.Connection, job: Job, moment: dt.datetime, paths: list[str]) -> None:
    write(
        db,
        job,
        moment,
        f'Master table "{job.owner}"."{job.name}" successfully loaded/unloaded',
        _RULE,
        f"Dump file set for {job.owner}.{job.name} is:",
        *(f"  {p}" for p in paths),
    )


def finish(db: sqlite3.Connection, job: Job, moment: dt.datetime, outcome: str) -> None:
    """The last line: ``successfully completed``, ``completed with N error(s)``, or a stop."""
    began = dt.datetime.fromisoformat(job.start_time) if job.start_time else moment
    if outcome == "completed":
        what = (
            "successfully completed" if job.error_count == 0 else f"completed with {job.error_count} error(s)"
        )
    else:
        what = outcome
    write(
        db,
        job,
        moment,
        f'Job "{job.owner}"."{job.name}" {what} at {oracle_time(moment)} elapsed {elapsed(began, moment)}',
    )


def size_text(size: int) -> str:
    """Sizes as the ". . exported" lines print them (8.125 KB, 1.250 MB)."""
    value, unit = float(size), "KB"
    value /= 1024
    if value >= 1024:
        value, unit = value / 1024, "MB"
    return f"{value:.3f} {unit}"
