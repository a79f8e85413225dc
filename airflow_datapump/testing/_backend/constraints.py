"""Constraints added to a table that may hold rows, and foreign keys checked against parents.

CREATE TABLE and Data Pump import both come here: a foreign key must name a parent table
that exists and has a primary or unique key on the referenced columns (ORA-00942, ORA-02270,
ORA-02256), and a key added to a table with rows is validated against them, as ALTER TABLE
... ADD CONSTRAINT validates (ORA-02437, ORA-02299, ORA-02298; SQL Language Reference,
constraint clause). Rows inserted later are not checked against CHECK and FOREIGN KEY
constraints (docs/emulator.md, known differences).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from airflow_datapump.testing._backend import catalog, storage, tables
from airflow_datapump.testing._plsql.ddl import ColumnDef, TableConstraint
from airflow_datapump.testing._plsql.errors import ora


def keyed_not_null(columns: Iterable[ColumnDef], keys: Iterable[TableConstraint]) -> tuple[ColumnDef, ...]:
    """The columns with those of any PRIMARY KEY among ``keys`` made NOT NULL, as Oracle does
    also for a key declared out of line (CREATE TABLE and ALTER TABLE ADD alike)."""
    keyed = {col for k in keys if k.kind == "PRIMARY KEY" for col in k.columns}
    return tuple(dataclasses.replace(c, not_null=True) if c.name in keyed else c for c in columns)


def resolve_foreign_key(db: sqlite3.Connection, owner: str, k: TableConstraint) -> TableConstraint:
    """The constraint with its parent's schema and columns filled in, or the error Oracle gives."""
    return _resolve_with_parent(db, owner, k)[0]


def _resolve_with_parent(
    db: sqlite3.Connection, owner: str, k: TableConstraint
) -> tuple[TableConstraint, catalog.TableDef]:
    """resolve_foreign_key, also handing back the parent's definition it read."""
    assert k.references is not None
    schema, parent_name, columns = k.references
    schema = schema or owner
    parent = catalog.table(db, schema, parent_name)
    if parent is None or parent.kind != "TABLE":
        raise ora(942)
    keys = [[parent.columns[p].name for p in positions] for _, _, positions in tables.unique_keys(parent)]
    if not columns:
        primary = [c.name for c in parent.columns if c.primary_key]
        primary += [col for c in parent.constraints if c.kind == "PRIMARY KEY" for col in c.columns]
        if not primary:
            raise ora(2268)
        columns = tuple(primary)
    if len(columns) != len(k.columns):
        raise ora(2256)
    if list(columns) not in keys:
        raise ora(2270)
    return dataclasses.replace(k, references=(schema, parent_name, tuple(columns))), parent


def add(db: sqlite3.Connection, owner: str, name: str, k: TableConstraint) -> None:
    """ALTER TABLE owner.name ADD CONSTRAINT k: checked against the rows the table holds."""
    table = catalog.table(db, owner, name)
    if table is None:
        raise ora(942)
    label = (owner, storage.constraint_index_name(name, k.name))
    positions = [_position(table, col) for col in k.columns]
    # Read and decode the rows once: the check and the new key's index entries both use them.
    held = _rows(db, owner, name)
    rows = [row for _, row in held]
    if k.kind == "FOREIGN KEY":
        k, parent = _resolve_with_parent(db, owner, k)
        _check_parent_keys(db, k, parent, positions, rows, label)
    elif k.kind in ("PRIMARY KEY", "UNIQUE"):
        _check_unique(k, positions, rows, label)
    updated = dataclasses.replace(
        table, columns=keyed_not_null(table.columns, (k,)), constraints=(*table.constraints, k)
    )
    catalog.replace_constraints(db, updated)
    if k.kind in ("PRIMARY KEY", "UNIQUE"):
        _index_rows(db, owner, name, ",".join(map(str, positions)), positions, held)


def release_parent(db: sqlite3.Connection, owner: str, name: str, *, cascade: bool) -> None:
    """Before DROP TABLE: other tables' foreign keys to it refuse the drop (ORA-02449), or
    with CASCADE CONSTRAINTS are dropped (SQL Language Reference, DROP TABLE)."""
    for child in catalog.tables_of(db):
        if (child.owner, child.name) == (owner, name):
            continue
        keys = [
            k for k in child.constraints if k.references is not None and k.references[:2] == (owner, name)
        ]
        if keys and not cascade:
            raise ora(2449)
        if keys:
            kept = tuple(k for k in child.constraints if k not in keys)
            catalog.replace_constraints(db, dataclasses.replace(child, constraints=kept))


def _position(table: catalog.TableDef, column: str) -> int:
    names = [c.name for c in table.columns]
    if column not in names:
        raise ora(904, f'"{column}"')
    return names.index(column)


def _rows(db: sqlite3.Connection, owner: str, name: str) -> list[tuple[int, list[Any]]]:
    """The table's rows as (rid, decoded row), in rid order."""
    found = db.execute(
        "SELECT rid, data FROM rows WHERE owner = ? AND table_name = ? ORDER BY rid", (owner, name)
    ).fetchall()
    return [(rid, json.loads(data)) for rid, data in found]


def _key(row: list[Any], positions: list[int]) -> str | None:
    parts = [row[p] for p in positions]
    return None if all(p is None for p in parts) else tables.encoded_key_text(parts)


def _check_unique(
    k: TableConstraint, positions: list[int], rows: list[list[Any]], label: tuple[str, str]
) -> None:
    if k.kind == "PRIMARY KEY" and any(row[p] is None for row in rows for p in positions):
        raise ora(1449)
    seen: set[str] = set()
    for row in rows:
        key = _key(row, positions)
        if key is None:
            continue
        if key in seen:
            if k.kind == "PRIMARY KEY":
                raise ora(2437, *label)
            raise ora(2299, *label)
        seen.add(key)


def _check_parent_keys(
    db: sqlite3.Connection,
    k: TableConstraint,
    parent: catalog.TableDef,
    positions: list[int],
    rows: list[list[Any]],
    label: tuple[str, str],
) -> None:
    assert k.references is not None
    schema, parent_name, parent_columns = k.references
    parent_positions = [_position(parent, col) for col in parent_columns]
    held = {_key(row, parent_positions) for _, row in _rows(db, schema or "", parent_name)}
    for row in rows:
        key = _key(row, positions)
        if key is not None and any(row[p] is None for p in positions):
            continue  # a partly NULL foreign key is not checked (MATCH SIMPLE)
        if key is not None and key not in held:
            raise ora(2298, *label)


def _index_rows(
    db: sqlite3.Connection,
    owner: str,
    name: str,
    key_id: str,
    positions: list[int],
    held: list[tuple[int, list[Any]]],
) -> None:
    entries = []
    for rid, row in held:
        key = _key(row, positions)
        if key is not None:
            entries.append((owner, name, key_id, key, rid))
    db.executemany(
        "INSERT OR IGNORE INTO row_keys (owner, table_name, key_id, key, rid) VALUES (?, ?, ?, ?, ?)", entries
    )
