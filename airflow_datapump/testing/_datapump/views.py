"""DBA_/USER_DATAPUMP_JOBS, DBA_DATAPUMP_SESSIONS and V$SESSION_LONGOPS (reference §6.1).

The views list jobs whose master table exists, orphans included, and never a completed job
(its master table is gone). Before they are read, the jobs that are due are brought up to
the present (all running ones for V$SESSION_LONGOPS, whose figures move continuously) and the
sessions of dead processes are ended, so what a query sees is current.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zlib
from decimal import Decimal

from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.views import Row, register_view, text
from airflow_datapump.testing._datapump import model
from airflow_datapump.testing._datapump.common import catch_up
from airflow_datapump.testing._values import DATE, NUMBER

_SHOWN = {model.STOPPED: model.NOT_RUNNING}


def bring_up_to_date(session: Session, *, every_running: bool = False) -> None:
    backend = session.backend
    if backend is None:
        return
    backend.purge_dead_sessions(session.database)  # type: ignore[attr-defined]
    catch_up(backend, session.database, session.database.now(), every_running=every_running)  # type: ignore[arg-type]


def _progress_up_to_date(session: Session) -> None:
    bring_up_to_date(session, every_running=True)


def _jobs(db: sqlite3.Connection) -> list[Row]:
    rows: list[Row] = []
    for job in model.load_all(db):
        attached = len(model.attached_sids(db, job))
        sessions = attached + (1 + job.degree if job.state in (model.EXECUTING, model.STOP_PENDING) else 0)
        state = _SHOWN.get(job.state, job.state)
        if job.state == model.COMPLETED and not attached:
            state = model.NOT_RUNNING  # kept by KEEP_MASTER=1, no master process
        rows.append(
            (
                job.owner,
                job.name,
                job.operation,
                job.mode,
                state,
                Decimal(job.degree),
                Decimal(attached),
                Decimal(sessions),
            )
        )
    return rows


_JOB_COLUMNS = [
    ("OWNER_NAME", text()),
    ("JOB_NAME", text()),
    ("OPERATION", text()),
    ("JOB_MODE", text()),
    ("STATE", text(30)),
    ("DEGREE", NUMBER),
    ("ATTACHED_SESSIONS", NUMBER),
    ("DATAPUMP_SESSIONS", NUMBER),
]


@register_view("DBA_DATAPUMP_JOBS", _JOB_COLUMNS, catalog_role=True, prepare=bring_up_to_date)
def _dba_jobs(session: Session, db: sqlite3.Connection) -> list[Row]:
    return _jobs(db)


@register_view("USER_DATAPUMP_JOBS", _JOB_COLUMNS[1:], catalog_role=False, prepare=bring_up_to_date)
def _user_jobs(session: Session, db: sqlite3.Connection) -> list[Row]:
    return [row[1:] for row in _jobs(db) if row[0] == session.user]


@register_view(
    "DBA_DATAPUMP_SESSIONS",
    [
        ("OWNER_NAME", text()),
        ("JOB_NAME", text()),
        ("INSTANCE_ID", NUMBER),
        ("SADDR", text(16)),
        ("SESSION_TYPE", text(14)),
    ],
    catalog_role=True,
    prepare=bring_up_to_date,
)
def _sessions(session: Session, db: sqlite3.Connection) -> list[Row]:
    rows: list[Row] = []
    for job in model.load_all(db):
        for sid in model.attached_sids(db, job):
            rows.append((job.owner, job.name, Decimal(1), f"{sid:016X}", "DBMS_DATAPUMP"))
        for saddr, role in _processes(job):
            rows.append((job.owner, job.name, Decimal(1), saddr, "MASTER" if role == "DM00" else "WORKER"))
    return rows


def _processes(job: model.Job) -> list[tuple[str, str]]:
    """(SADDR, process name) of an executing job's master (DM00) and workers (DWnn)."""
    if job.state not in (model.EXECUTING, model.STOP_PENDING):
        return []
    base = 0xFF00000000000000 + (zlib.crc32(f"{job.owner}.{job.name}".encode()) << 8)
    roles = ["DM00"] + [f"DW{n - 1:02X}" for n in range(1, job.degree + 1)]
    return [(f"{base + i:016X}", role) for i, role in enumerate(roles)]


def process_sessions(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(SADDR, owner, process name) of every executing job's processes, for V$SESSION."""
    return [(saddr, job.owner, role) for job in model.load_all(db) for saddr, role in _processes(job)]


@register_view(
    "V$SESSION_LONGOPS",
    [
        ("USERNAME", text()),
        ("OPNAME", text(64)),
        ("TARGET_DESC", text(32)),
        ("SOFAR", NUMBER),
        ("TOTALWORK", NUMBER),
        ("UNITS", text(32)),
        ("START_TIME", DATE),
        ("LAST_UPDATE_TIME", DATE),
        ("MESSAGE", text(512)),
    ],
    catalog_role=True,
    prepare=_progress_up_to_date,
)
def _longops(session: Session, db: sqlite3.Connection) -> list[Row]:
    found = db.execute(
        "SELECT username, opname, target_desc, sofar, totalwork, units, start_time, last_update_time, "
        "message "
        "FROM longops ORDER BY id"
    ).fetchall()
    return [
        (u, o, t, Decimal(s), Decimal(w), units, _date(start), _date(last), m)
        for u, o, t, s, w, units, start, last, m in found
    ]


def _date(text_value: str | None) -> dt.datetime | None:
    return None if text_value is None else dt.datetime.fromisoformat(text_value)


def _type_columns(data_type: object) -> tuple[str, str | None]:
    """ALL_ARGUMENTS' DATA_TYPE and TYPE_NAME for one of the emulator's types."""
    from airflow_datapump.testing._values import CollectionType, ObjectType

    if isinstance(data_type, ObjectType):
        return "OBJECT", data_type.name
    if isinstance(data_type, CollectionType):
        return "TABLE", data_type.name
    return str(getattr(data_type, "name", data_type)), None


@register_view(
    "ALL_ARGUMENTS",
    [
        ("OWNER", text()), ("PACKAGE_NAME", text()), ("OBJECT_NAME", text()), ("OVERLOAD", text(40)),
        ("POSITION", NUMBER), ("ARGUMENT_NAME", text()), ("DATA_TYPE", text(30)), ("TYPE_NAME", text()),
        ("IN_OUT", text(9)), ("DEFAULTED", text(1)), ("DATA_LEVEL", NUMBER),
    ],
    catalog_role=False,
)  # fmt: skip
def _all_arguments(session: Session, db: sqlite3.Connection) -> list[Row]:
    """DBMS_DATAPUMP's arguments as the emulator enforces them (EXECUTE is granted to PUBLIC)."""
    from airflow_datapump.testing._datapump import package

    rows: list[Row] = []
    for name, overloads in package.build(None).subprograms.items():  # type: ignore[arg-type]
        for number, sub in enumerate(overloads, 1):
            overload = str(number) if len(overloads) > 1 else None
            if sub.returns is not None:
                data_type, type_name = _type_columns(sub.returns)
                rows.append(
                    (
                        "SYS",
                        "DBMS_DATAPUMP",
                        name,
                        overload,
                        Decimal(0),
                        None,
                        data_type,
                        type_name,
                        "OUT",
                        "N",
                        Decimal(0),
                    )
                )
            for position, param in enumerate(sub.params, 1):
                data_type, type_name = _type_columns(param.type)
                in_out = param.mode.replace(" ", "/")
                defaulted = "Y" if param.has_default else "N"
                rows.append(
                    (
                        "SYS",
                        "DBMS_DATAPUMP",
                        name,
                        overload,
                        Decimal(position),
                        param.name,
                        data_type,
                        type_name,
                        in_out,
                        defaulted,
                        Decimal(0),
                    )
                )
    return rows
