"""Builders shared by the dump file set tests (a uniquely named module, not ``conftest``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow_datapump.testing._dumpfile import Compression, DumpContents, Encryption

CLOCK = dt.datetime(2026, 11, 22, 10, 0, 0)


def table_rows(count: int, width: int = 40) -> list[list[Any]]:
    """Rows that compress well but still take real space."""
    return [[i, f"name-{i:06d}".ljust(width, "x"), "2026-11-22T10:00:00", None] for i in range(count)]


def make_contents(
    rows: int = 10,
    *,
    compression: Compression | None = None,
    encryption: Encryption | None = None,
    version: str = "19.0.0",
) -> DumpContents:
    """A small schema export: the user, a table's DDL and its data."""
    return DumpContents(
        job_name="EXP_HR_01",
        job_owner="SYSTEM",
        job_mode="SCHEMA",
        creation_time=CLOCK,
        version=version,
        compression=compression or Compression(),
        encryption=encryption or Encryption(),
        objects=[
            {"path": "SCHEMA_EXPORT/USER", "schema": "HR", "name": "HR", "ddl": {"sql": "x"}},
            {"path": "SCHEMA_EXPORT/TABLE/TABLE", "schema": "HR", "name": "EMP", "ddl": {}},
            {
                "path": "SCHEMA_EXPORT/TABLE/TABLE_DATA",
                "schema": "HR",
                "name": "EMP",
                "columns": ["ID", "NAME", "HIRED", "NOTE"],
                "rows": table_rows(rows),
            },
        ],
    )
