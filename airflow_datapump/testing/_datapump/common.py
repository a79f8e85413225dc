"""What every DBMS_DATAPUMP subprogram shares: errors, handles, the unit of work.

Errors are raised as the package raises them (reference §2.19): the exception carries the
package's error (ORA-39001 INVALID_ARGVAL ...) and its frames; the details ("ORA-39088: file
name cannot contain a path specification") go to the error stream that ``GET_STATUS(handle,
KU$_STATUS_JOB_ERROR)`` returns, or, for a failed OPEN or ATTACH, to the one a NULL handle
returns (§2.1, §2.15).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._datapump import model
from airflow_datapump.testing._datapump.context import WorkContext
from airflow_datapump.testing._datapump.model import Handle, Job
from airflow_datapump.testing._datapump.progress import RUNNING, database_rate, tick
from airflow_datapump.testing._plsql.errors import OracleError, ora_line
from airflow_datapump.testing._plsql.packages import CallContext, Impl
from airflow_datapump.testing._values import Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend

# Package line numbers in the ORA-06512 frames: cosmetic, but stable so stacks look real.
_LINES = {"OPEN": 4929, "ATTACH": 1852, "ADD_FILE": 3507, "METADATA_FILTER": 3926, "DATA_FILTER": 3209,
          "METADATA_REMAP": 4102, "METADATA_TRANSFORM": 4166, "SET_PARAMETER": 5499, "SET_PARALLEL": 5433,
          "START_JOB": 6864, "STOP_JOB": 7038, "DETACH": 2304, "GET_STATUS": 4713, "WAIT_FOR_JOB": 7233,
          "LOG_ENTRY": 4284, "GET_DUMPFILE_INFO": 4450, "DATA_REMAP": 3329}  # fmt: skip
LAST_ERROR = "datapump_last_error"


def session_of(ctx: CallContext) -> Session:
    session = ctx.session
    assert isinstance(session, Session)
    return session


def error(
    code: int,
    where: str,
    details: list[str] | tuple[str, ...] = (),
    *,
    session: Session,
    handle: Handle | None = None,
) -> OracleError:
    """Raise-ready package error; its details wait for GET_STATUS on the handle (or NULL)."""
    first = ora_line(code)
    stream = [first, *[d for d in details if d != first]]
    if handle is not None:
        handle.pending_errors.extend(stream)
    else:
        session.state[LAST_ERROR] = stream
    frames = [
        ora_line(6512, '"SYS.DBMS_SYS_ERROR", ', 79),
        ora_line(6512, '"SYS.DBMS_DATAPUMP", ', _LINES.get(where, 1000)),
    ]
    return OracleError(code, "\n".join([first, *frames]))


class Failer:
    """``fail(39001, "detail line")`` builds the package error for one call and handle."""

    def __init__(self, where: str, session: Session, handle: Handle | None = None) -> None:
        self.where, self.session, self.handle = where, session, handle

    def __call__(self, code: int, *lines: str) -> OracleError:
        return error(code, self.where, list(lines), session=self.session, handle=self.handle)


def reading(db: sqlite3.Connection, name: str) -> str:
    """The reading of an open behaviour this database takes (``rules.READINGS``)."""
    from airflow_datapump.testing._datapump.rules import READINGS

    row = db.execute("SELECT value FROM settings WHERE key = ?", (f"reading:{name}",)).fetchone()
    return str(row[0]) if row else READINGS[name][0]


def remaps_unprivileged(db: sqlite3.Connection, user: str, remap: str, target: str) -> bool:
    """A REMAP_SCHEMA into another schema by a user without DATAPUMP_IMP_FULL_DATABASE (§6.2)."""
    return (
        remap == "REMAP_SCHEMA"
        and target != user
        and not catalog.has_privilege(db, user, "IMP_FULL_DATABASE")
    )


def number(value: Value) -> int | None:
    if value is None:
        return None
    assert isinstance(value, Decimal)
    return int(value)


@contextmanager
def work(backend: Backend, session: Session) -> Iterator[WorkContext]:
    """One atomic unit: a store write transaction at the database's present time.

    The jobs catch up to that time first, in a transaction of their own, so that a call
    failing afterwards (ATTACH to a job that has just completed: ORA-31626) cannot undo
    work the job did while nobody was looking.
    """
    now = session.database.now()
    catch_up(backend, session.database, now)
    with session.database.store.write() as db:
        yield WorkContext(backend, session.database, db, now)


def catch_up(backend: Backend, database: Database, now: dt.datetime, *, every_running: bool = False) -> None:
    """Let every due job do the work the clock allows, and commit it.

    A job's work is done by its own processes (reference §1), not by the client that
    happens to look at it; committing it apart from any client call is what keeps its
    rows, its dictionary state and the lines already in its log file in step. Only due jobs
    are read (see :func:`.model.load_due`), so a call costs the same however many jobs
    run; ``every_running`` also brings the others' progress figures to the present, for
    the one view that shows them all (V$SESSION_LONGOPS).
    """
    with database.store.write() as db:
        ctx = WorkContext(backend, database, db, now)
        due = model.load_due(db, now.isoformat(), database_rate(ctx))
        if every_running:
            names = {(job.owner, job.name) for job in due}
            due += [job for job in model.load_in_states(db, RUNNING) if (job.owner, job.name) not in names]
        for job in due:
            tick(ctx, job)


def resolve(ctx: WorkContext, session: Session, handle_value: Value, where: str) -> tuple[Handle, Job]:
    """The job a handle refers to, brought to the present; ORA-31623 for a foreign handle.

    work() has already done what was due at this time, so the tick here only moves the
    job's progress along its clock: no item completes and nothing is written to its files.
    """
    handles = model.handles(session.state)
    handle = handles.get(number(handle_value) or -1)
    if handle is None:
        raise error(31623, where, session=session)
    job = model.load(ctx.db, handle.owner, handle.name)
    if job is None:
        raise error(31626, where, session=session, handle=handle)
    if job.state in RUNNING:
        tick(ctx, job)
    return handle, job


def new_handle(ctx: WorkContext, session: Session, job: Job) -> int:
    handles = model.handles(session.state)
    number_ = max(handles, default=0) + 1
    handles[number_] = Handle(job.owner, job.name, wip_seen=len(job.messages), errors_seen=len(job.errors))
    ctx.db.execute("INSERT INTO attachments VALUES (?, ?, ?, ?)", (session.sid, number_, job.owner, job.name))
    return number_


def drop_handle(ctx: WorkContext, session: Session, number_: int, job: Job | None) -> None:
    model.handles(session.state).pop(number_, None)
    ctx.db.execute("DELETE FROM attachments WHERE sid = ? AND handle = ?", (session.sid, number_))
    if job is not None:
        release_if_unattached(ctx.db, job)


def release_if_unattached(db: sqlite3.Connection, job: Job) -> None:
    """A DEFINING job with no client left is removed (§2.13); so is a COMPLETED one (§5)."""
    if model.attached_sids(db, job):
        return
    if job.state == model.DEFINING or (job.state == model.COMPLETED and job.param("KEEP_MASTER") != 1):
        model.remove(db, job)


__all__ = ["Decimal", "Failer", "Impl", "Session", "WorkContext"]
