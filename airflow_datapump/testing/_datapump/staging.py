"""The rows a job moves, staged in the store beside the job and never in its record.

An export copies each table's committed rows into ``job_rows`` when it starts (its point of
consistency) and writes the dump file from there when it completes; an import reads its dump
file's rows into ``job_rows`` when it starts and loads each table from there as its turn
comes. Rows keep their stored text form (the codec's JSON) the whole way, so a row that only
passes through is never decoded, and nothing holds a whole table in memory. A job's staged
rows go with the job (a trigger on ``jobs``) or when it completes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterable

from airflow_datapump.testing._datapump.model import Job


def copy_table(db: sqlite3.Connection, job: Job, rows_id: str, owner: str, table: str) -> tuple[int, int]:
    """Stage a table of this database as it is now; returns its row count and text size."""
    db.execute(
        "INSERT INTO job_rows (owner, job, rows_id, seq, data) "
        "SELECT ?, ?, ?, rid, data FROM rows WHERE owner = ? AND table_name = ?",
        (job.owner, job.name, rows_id, owner, table),
    )
    return _measure(db, job, rows_id)


def stage(db: sqlite3.Connection, job: Job, rows_id: str, texts: Iterable[str]) -> tuple[int, int]:
    """Stage rows given as their JSON texts, in order; returns their count and text size."""
    db.executemany(
        "INSERT INTO job_rows (owner, job, rows_id, seq, data) VALUES (?, ?, ?, ?, ?)",
        ((job.owner, job.name, rows_id, seq, text) for seq, text in enumerate(texts)),
    )
    return _measure(db, job, rows_id)


def _measure(db: sqlite3.Connection, job: Job, rows_id: str) -> tuple[int, int]:
    count, chars = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM job_rows "
        "WHERE owner = ? AND job = ? AND rows_id = ?",
        (job.owner, job.name, rows_id),
    ).fetchone()
    return int(count), int(chars)


def json_size(count: int, chars: int) -> int:
    """The length of the rows written as one JSON array (``[r1, r2]``): the export's size."""
    return chars + 2 * max(count - 1, 0) + 2


def staged(db: sqlite3.Connection, job: Job, rows_id: str) -> Generator[str, None, None]:
    """The staged rows' texts in order, read as they are consumed."""
    cursor = db.execute(
        "SELECT data FROM job_rows WHERE owner = ? AND job = ? AND rows_id = ? ORDER BY seq",
        (job.owner, job.name, rows_id),
    )
    for (text,) in cursor:
        yield text


def drop(db: sqlite3.Connection, job: Job) -> None:
    db.execute("DELETE FROM job_rows WHERE owner = ? AND job = ?", (job.owner, job.name))
