"""Optimizer statistics: what DBMS_STATS gathers and Data Pump carries.

A table's statistics are NUM_ROWS, BLOCKS, AVG_ROW_LEN and LAST_ANALYZED (Database Reference,
DBA_TABLES); an index's NUM_ROWS, DISTINCT_KEYS and LAST_ANALYZED (DBA_INDEXES). They exist
only once gathered (DBMS_STATS.GATHER_TABLE_STATS / GATHER_SCHEMA_STATS) or imported, and the
views show NULL before that, as Oracle's do for a table never analyzed. They describe the
rows at gathering time and do not follow later changes. Oracle also computes an index's
statistics when it builds it; the emulator does not (docs/emulator.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from airflow_datapump.testing._backend import catalog, storage, tables

BLOCK = 8192


def table_stats(db: sqlite3.Connection, owner: str, name: str) -> dict[str, Any] | None:
    return _read(db, owner, name, "TABLE")


def index_stats(db: sqlite3.Connection, owner: str, name: str) -> dict[str, Any] | None:
    return _read(db, owner, name, "INDEX")


def _read(db: sqlite3.Connection, owner: str, name: str, kind: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT data FROM statistics WHERE owner = ? AND name = ? AND kind = ?", (owner, name, kind)
    ).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def store(db: sqlite3.Connection, owner: str, name: str, kind: str, data: dict[str, Any]) -> None:
    db.execute(
        "INSERT OR REPLACE INTO statistics (owner, name, kind, data) VALUES (?, ?, ?, ?)",
        (owner, name, kind, json.dumps(data)),
    )


def indexes(db: sqlite3.Connection, table: catalog.TableDef) -> Iterator[tuple[str, str, list[int]]]:
    """(owner, name, column positions) of every index on a table: its keys', then its others'."""
    names = [c.name for c in table.columns]
    keys = storage.table_key_kinds(table)
    for (index_name, _), (_, _, positions) in zip(keys, tables.unique_keys(table), strict=True):
        yield table.owner, index_name, positions
    for index in catalog.indexes_of(db, table.owner, table.name):
        yield index.owner, index.name, [names.index(c) for c in index.columns]


def gather_table(db: sqlite3.Connection, table: catalog.TableDef, analyzed: str) -> None:
    """Table and index statistics from the committed rows (CASCADE's AUTO default: both)."""
    stored = [
        data
        for (data,) in db.execute(
            "SELECT data FROM rows WHERE owner = ? AND table_name = ?", (table.owner, table.name)
        )
    ]
    rows = [json.loads(data) for data in stored]
    # The figures storage.table_data gives, from the rows already read: the stored text is
    # JSON (no NUL), and SQLite's LENGTH on TEXT counts characters as len() does.
    count, size = len(stored), sum(len(data) for data in stored)
    segment = storage.segment_bytes(db, table.owner, table.name, count, size)
    table_data = {
        "num_rows": count,
        "blocks": segment // BLOCK,
        "avg_row_len": size // count if count else 0,
        "last_analyzed": analyzed,
    }
    store(db, table.owner, table.name, "TABLE", table_data)
    for owner, name, positions in indexes(db, table):
        keys = [[row[p] for p in positions] for row in rows]
        present = [tables.encoded_key_text(k) for k in keys if any(part is not None for part in k)]
        index_data = {"num_rows": len(present), "distinct_keys": len(set(present)), "last_analyzed": analyzed}
        store(db, owner, name, "INDEX", index_data)
