"""A Data Pump job as the emulated database keeps it, and the handles sessions hold on it.

The job's definition and progress are one JSON record keyed by owner and name, with the few
fields a query picks jobs by (state, when it next needs work) beside it as columns, so
finding the jobs that are due never decodes the others. Rows never go in the record: what a
job moves is staged in ``job_rows`` (see :mod:`.rows`). Its master
table is a real table (kind MASTER) in the owner's schema, so it shows in USER_TABLES,
blocks a table of the same name, and dropping it removes the job, which is the documented
way to clean up an orphan (reference §5 "Orphans").

States are spelled as Oracle reports them (§5). Internally a stopped or failed job is
``STOPPED``; the views show it as ``NOT RUNNING`` because the emulator has no master process
running for it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, fields
from typing import Any

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._values import NUMBER, ScalarType, TypeKind

DEFINING = "DEFINING"
EXECUTING = "EXECUTING"
COMPLETING = "COMPLETING"
COMPLETED = "COMPLETED"
STOP_PENDING = "STOP PENDING"
STOPPING = "STOPPING"
STOPPED = "STOPPED"
IDLING = "IDLING"
NOT_RUNNING = "NOT RUNNING"

FILE_DUMP, FILE_BAD, FILE_LOG, FILE_SQL, FILE_URI = 1, 2, 3, 4, 5

_MASTER_COLUMNS = (
    ColumnDef("PROCESS_ORDER", NUMBER),
    ColumnDef("OBJECT_TYPE", ScalarType(TypeKind.VARCHAR2, "VARCHAR2", size=30)),
    ColumnDef("OBJECT_SCHEMA", ScalarType(TypeKind.VARCHAR2, "VARCHAR2", size=128)),
    ColumnDef("OBJECT_NAME", ScalarType(TypeKind.VARCHAR2, "VARCHAR2", size=128)),
)


@dataclass
class Job:
    """Everything about one job; plain data so it round-trips through JSON."""

    owner: str
    name: str
    operation: str
    mode: str
    remote_link: str | None
    version: str
    guid: str
    state: str = DEFINING
    creator_sid: int | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    metadata_filters: list[dict[str, Any]] = field(default_factory=list)
    data_filters: list[dict[str, Any]] = field(default_factory=list)
    remaps: list[dict[str, Any]] = field(default_factory=list)
    data_remaps: list[dict[str, Any]] = field(default_factory=list)
    transforms: list[dict[str, Any]] = field(default_factory=list)
    params: dict[str, list[Any]] = field(default_factory=dict)
    degree: int = 1
    restart_count: int = 0
    error_count: int = 0
    phase: int = 0
    total_bytes: int = 0
    done_bytes: float = 0.0
    rate: float | None = None
    size: int | None = None
    running_since: str | None = None
    start_time: str | None = None
    finished_at: str | None = None
    stop_requested: dict[str, Any] | None = None
    plan: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fault: dict[str, Any] | None = None
    term_reason: int | None = None
    written: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[list[str]] = field(default_factory=list)
    # Tables kept by TABLE_EXISTS_ACTION APPEND or TRUNCATE: their rows load, their
    # dependent objects (indexes, constraints) are skipped.
    kept_tables: list[list[str]] = field(default_factory=list)
    scn: int | None = None
    # Lines for a log file not opened yet (reading LOG_OPENED=START_JOB*); None once it is open.
    log_held: list[str] | None = None

    # -- parameters ------------------------------------------------------------------------

    def param(self, name: str, default: Any = None) -> Any:
        values = self.params.get(name)
        return values[-1] if values else default

    @property
    def log_file(self) -> dict[str, Any] | None:
        logs = [f for f in self.files if f["type"] == FILE_LOG]
        return logs[-1] if logs else None

    @property
    def dump_files(self) -> list[dict[str, Any]]:
        return [f for f in self.files if f["type"] in (FILE_DUMP, FILE_URI)]

    @property
    def is_network(self) -> bool:
        return self.remote_link is not None


def load(db: sqlite3.Connection, owner: str, name: str) -> Job | None:
    row = db.execute("SELECT data FROM jobs WHERE owner = ? AND name = ?", (owner, name)).fetchone()
    return None if row is None else Job(**json.loads(row[0]))


def load_all(db: sqlite3.Connection) -> list[Job]:
    return [Job(**json.loads(data)) for (data,) in db.execute("SELECT data FROM jobs ORDER BY owner, name")]


def load_in_states(db: sqlite3.Connection, states: tuple[str, ...]) -> list[Job]:
    """Only the jobs in these states, chosen without decoding the others."""
    marks = ", ".join("?" * len(states))
    query = f"SELECT data FROM jobs WHERE state IN ({marks}) ORDER BY owner, name"
    return [Job(**json.loads(data)) for (data,) in db.execute(query, states)]


def load_due(db: sqlite3.Connection, now: str, rate: float) -> list[Job]:
    """The jobs with work the clock allows, or whose rate has changed, and no others.

    ``due`` is when a running job next finishes an item (see :func:`save`); a job that runs at
    the database's rate was given its ``due`` at the rate then, so a new rate makes it due.
    Completed jobs nobody is attached to and whose master is not kept are due too: they go.
    """
    running = (EXECUTING, STOP_PENDING)
    found: dict[tuple[str, str], str] = {}
    for condition, args in (  # each one an index range, so jobs that are not due cost nothing
        ("state IN (?, ?) AND due <= ?", (*running, now)),
        ("state IN (?, ?) AND rate < ?", (*running, rate)),
        ("state IN (?, ?) AND rate > ?", (*running, rate)),
        (
            "removable = 1 AND NOT EXISTS "
            "(SELECT 1 FROM attachments a WHERE a.owner = jobs.owner AND a.job_name = jobs.name)",
            (),
        ),
    ):
        for owner, name, data in db.execute(f"SELECT owner, name, data FROM jobs WHERE {condition}", args):
            found[(owner, name)] = data
    return [Job(**json.loads(found[key])) for key in sorted(found)]


def save(db: sqlite3.Connection, job: Job, due: str | None = None, rate: float | None = None) -> None:
    """Store the record; ``due`` says when a running job next needs work (None: now).

    ``rate`` is the database's job rate ``due`` was worked out at (None when the job has a
    rate of its own), so that a change of that rate makes the job due again.
    """
    record = json.dumps({f.name: getattr(job, f.name) for f in fields(job)})
    removable = int(job.state == COMPLETED and job.param("KEEP_MASTER") != 1)
    db.execute(
        "INSERT INTO jobs (owner, name, data, state, due, rate, removable) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (owner, name) DO UPDATE SET data = excluded.data, state = excluded.state, "
        "due = excluded.due, rate = excluded.rate, removable = excluded.removable",
        (job.owner, job.name, record, job.state, due or "", rate, removable),
    )


def create_master_table(db: sqlite3.Connection, job: Job, created: str) -> None:
    definition = catalog.TableDef(job.owner, job.name, "MASTER", None, _MASTER_COLUMNS, ())
    catalog.create_table(db, definition, created)


def remove(db: sqlite3.Connection, job: Job) -> None:
    """The job is gone: its record, its master table and every attachment to it."""
    db.execute("DELETE FROM jobs WHERE owner = ? AND name = ?", (job.owner, job.name))
    db.execute("DELETE FROM tables WHERE owner = ? AND name = ? AND kind = 'MASTER'", (job.owner, job.name))
    db.execute("DELETE FROM attachments WHERE owner = ? AND job_name = ?", (job.owner, job.name))


def attached_sids(db: sqlite3.Connection, job: Job) -> list[int]:
    rows = db.execute(
        "SELECT DISTINCT sid FROM attachments WHERE owner = ? AND job_name = ?",
        (job.owner, job.name),
    ).fetchall()
    return [sid for (sid,) in rows]


@dataclass
class Handle:
    """One session's attachment to a job (handles belong to the session that got them)."""

    owner: str
    name: str
    wip_seen: int = 0
    errors_seen: int = 0
    pending_errors: list[str] = field(default_factory=list)


def handles(session_state: dict[str, object]) -> dict[int, Handle]:
    found = session_state.setdefault("datapump_handles", {})
    assert isinstance(found, dict)
    return found
