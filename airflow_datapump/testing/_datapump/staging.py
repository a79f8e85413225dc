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
    found = db.execute(
        "SELECT data FROM rows WHERE owner = ? AND table_name = ? ORDER BY rid", (owner, table)
    )
    return stage(db, job, rows_id, (text for (text,) in found))


def stage(db: sqlite3.Connection, job: Job, rows_id: str, texts: Iterable[str]) -> tuple[int, int]:
    """Stage rows given as their JSON texts, in order; returns their count and text size.

    Rows are kept a chunk to a store row (newline-separated: a row's JSON has no raw
    newline), so staging, reading and dropping cost a store operation per chunk, not per row.
    """
    count = chars = 0
    chunk: list[str] = []
    seq = 0
    for text in texts:
        chunk.append(text)
        count, chars = count + 1, chars + len(text)
        if len(chunk) >= CHUNK_ROWS:
            _put(db, job, rows_id, seq, chunk)
            seq, chunk = seq + 1, []
    if chunk:
        _put(db, job, rows_id, seq, chunk)
    return count, chars


CHUNK_ROWS = 1000


def _put(db: sqlite3.Connection, job: Job, rows_id: str, seq: int, chunk: list[str]) -> None:
    db.execute(
        "INSERT INTO job_rows (owner, job, rows_id, seq, data) VALUES (?, ?, ?, ?, ?)",
        (job.owner, job.name, rows_id, seq, "\n".join(chunk)),
    )


def json_size(count: int, chars: int) -> int:
    """The length of the rows written as one JSON array (``[r1, r2]``): the export's size."""
    return chars + 2 * max(count - 1, 0) + 2


def staged(db: sqlite3.Connection, job: Job, rows_id: str) -> Generator[str, None, None]:
    """The staged rows' texts in order, read a chunk at a time as they are consumed."""
    cursor = db.execute(
        "SELECT data FROM job_rows WHERE owner = ? AND job = ? AND rows_id = ? ORDER BY seq",
        (job.owner, job.name, rows_id),
    )
    for (chunk,) in cursor:
        yield from chunk.split("\n")


def drop(db: sqlite3.Connection, job: Job) -> None:
    db.execute("DELETE FROM job_rows WHERE owner = ? AND job = ?", (job.owner, job.name))
