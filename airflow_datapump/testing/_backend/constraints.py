"""Constraints and unique indexes added to a table that may hold rows, and dropped from it.

CREATE TABLE, ALTER TABLE and Data Pump import all come here (SQL Language Reference,
constraint clause, ALTER TABLE and CREATE INDEX; codes from Database Error Messages):

- before any row is read, a constraint is refused for a name its schema already uses
  (ORA-02264), a second primary key (ORA-02260), a key on the column list another key has
  (ORA-02261), a column the table lacks (ORA-00904), a condition that cannot be a CHECK
  constraint's (see _plsql/checks.py), or one written after a column that names another
  (ORA-02438);
- a foreign key must name a parent table that exists and has a primary or unique key on the
  referenced columns (ORA-00942, ORA-02270, ORA-02256, ORA-02268), and an enabled one a key
  that is enabled (ORA-02270 **[U]**, as public reports show; see docs/emulator.md);
- a constraint added to a table with rows is validated against them (ORA-02437, ORA-02299,
  ORA-02298, ORA-02293), unless NOVALIDATE says not to (CHECK and FOREIGN KEY; a key's index
  is built from the rows either way), and a unique index likewise (ORA-01452).

Row changes made afterwards keep CHECK and FOREIGN KEY constraints in integrity.py, keys and
unique indexes in tables.py.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from airflow_datapump.testing._backend import catalog, not_null, storage, tables
from airflow_datapump.testing._backend.codec import decode_row
from airflow_datapump.testing._plsql import checks
from airflow_datapump.testing._plsql.ddl import ColumnDef, TableConstraint
from airflow_datapump.testing._plsql.errors import OracleError, ora


def named(
    db: sqlite3.Connection, columns: tuple[ColumnDef, ...], keys: tuple[TableConstraint, ...]
) -> tuple[tuple[ColumnDef, ...], tuple[TableConstraint, ...]]:
    """The columns without key flags, and every constraint with a name: an unnamed in-line
    key becomes a constraint of its own, and each unnamed constraint gets its own SYS_C name
    (so each can be dropped, disabled and listed by it)."""
    flagged = [
        TableConstraint(None, "PRIMARY KEY" if c.primary_key else "UNIQUE", (c.name,))
        for c in columns
        if c.primary_key or c.unique
    ]
    plain = tuple(dataclasses.replace(c, primary_key=False, unique=False) for c in columns)
    given = (*flagged, *keys)
    return plain, tuple(
        dataclasses.replace(k, name=catalog.generated_constraint_name(db)) if k.name is None else k
        for k in given
    )


def resolve_foreign_key(
    db: sqlite3.Connection, owner: str, k: TableConstraint, creating: catalog.TableDef | None = None
) -> TableConstraint:
    """The constraint with its parent's schema and columns filled in, or the error Oracle
    gives; ``creating`` is the table CREATE TABLE is making, which may refer to itself."""
    return _resolve_with_parent(db, owner, k, creating)[0]


def _resolve_with_parent(
    db: sqlite3.Connection, owner: str, k: TableConstraint, creating: catalog.TableDef | None = None
) -> tuple[TableConstraint, catalog.TableDef]:
    """resolve_foreign_key, also handing back the parent's definition it read."""
    assert k.references is not None
    schema, parent_name, columns = k.references
    schema = schema or owner
    if creating is not None and (creating.owner, creating.name) == (schema, parent_name):
        parent: catalog.TableDef | None = creating
    else:
        parent = catalog.table(db, schema, parent_name)
    if parent is None or parent.kind != "TABLE":
        raise ora(942)
    keys = [[parent.columns[p].name for p in positions] for _, _, positions in tables.unique_keys(parent)]
    if not columns:
        primary = [col for c in parent.constraints if c.kind == "PRIMARY KEY" for col in c.columns]
        if not primary:
            raise ora(2268)
        columns = tuple(primary)
    if len(columns) != len(k.columns):
        raise ora(2256)
    if list(columns) not in keys:
        raise ora(2270)
    if k.enabled and not any(
        [parent.columns[p].name for p in positions] == list(columns)
        for _, _, positions in tables.unique_keys(parent, enabled_only=True)
    ):
        raise ora(2270)  # an enabled foreign key needs an enabled key to refer to [U]
    return dataclasses.replace(k, references=(schema, parent_name, tuple(columns))), parent


def check_new(
    db: sqlite3.Connection,
    owner: str,
    name: str,
    columns: tuple[ColumnDef, ...],
    existing: tuple[TableConstraint, ...],
    new: tuple[TableConstraint, ...],
) -> None:
    """What Oracle refuses in new constraints before it reads a row (see the module's doc)."""
    used = not_null.constraint_names(db, owner)
    names = [c.name for c in columns]
    keys = [(k.kind, k.columns) for k in existing if k.kind in ("PRIMARY KEY", "UNIQUE")]
    for k in new:
        if k.name is not None:
            if k.name in used:
                raise ora(2264)
            used.add(k.name)
        for column in k.columns:
            if column not in names:
                raise ora(904, f'"{column}"')
        if k.kind in ("PRIMARY KEY", "UNIQUE"):
            if k.kind == "PRIMARY KEY" and any(kind == "PRIMARY KEY" for kind, _ in keys):
                raise ora(2260)
            if any(sorted(cols) == sorted(k.columns) for _, cols in keys):
                raise ora(2261)
            keys.append((k.kind, k.columns))
        if k.kind == "CHECK" and k.condition is not None:
            checks.compile_check(k.condition, name, tuple((c.name, c.type) for c in columns))
            if k.columns:  # written in line after its column: that column alone (ORA-02438)
                own = tuple((c.name, c.type) for c in columns if c.name in k.columns)
                try:
                    checks.compile_check(k.condition, name, own)
                except OracleError as err:
                    if err.code != 904:
                        raise
                    raise ora(2438) from err


def add(db: sqlite3.Connection, owner: str, name: str, k: TableConstraint, *, validate: bool = True) -> None:
    """ALTER TABLE owner.name ADD CONSTRAINT k: checked against the rows the table holds,
    unless ``validate`` is False (NOVALIDATE) for a CHECK or FOREIGN KEY constraint, or ``k``
    is added DISABLED (then a key gets no index either)."""
    table = catalog.table(db, owner, name)
    if table is None:
        raise ora(942)
    check_new(db, owner, name, table.columns, table.constraints, (k,))
    if k.name is None:
        k = dataclasses.replace(k, name=catalog.generated_constraint_name(db))
    label = (owner, storage.constraint_index_name(name, k.name))
    positions = [_position(table, col) for col in k.columns]
    # Read and decode the rows once: the check and the new key's index entries both use them.
    held = _rows(db, owner, name) if k.enabled else []
    rows = [row for _, row in held]
    if k.kind == "FOREIGN KEY":
        k, parent = _resolve_with_parent(db, owner, k)
        if validate:
            _check_parent_keys(db, k, parent, positions, rows, label)
    elif k.kind in ("PRIMARY KEY", "UNIQUE"):
        _check_unique(k, positions, rows, label)
    elif k.kind == "CHECK" and k.condition is not None and validate and k.enabled:
        condition = checks.compile_check(k.condition, name, tuple((c.name, c.type) for c in table.columns))
        if any(checks.broken(condition, decode_row(text)) for _, text in _texts(db, owner, name)):
            raise ora(2293, *label)
    updated = dataclasses.replace(table, constraints=(*table.constraints, k))
    catalog.replace_constraints(db, updated)
    if k.kind in ("PRIMARY KEY", "UNIQUE") and k.enabled:
        _index_rows(db, owner, name, ",".join(map(str, positions)), positions, held)


def forget_key(db: sqlite3.Connection, table: catalog.TableDef, k: TableConstraint) -> None:
    """Key ``k`` stops being enforced (dropped or disabled): its index entries go, unless a
    unique index on its columns still enforces them (the index the key was using)."""
    _release(db, table, k.columns, going=("key", k.name))


def _release(
    db: sqlite3.Connection, table: catalog.TableDef, columns: Iterable[str], going: _Enforcer
) -> None:
    """Entries in ``row_keys`` are per column list, shared by whatever enforces that list;
    they go with the last of them."""
    key_id = ",".join(str(_position(table, col)) for col in columns)
    if any(other != going and other_id == key_id for other, other_id in _enforcers(table)):
        return
    db.execute(
        "DELETE FROM row_keys WHERE owner = ? AND table_name = ? AND key_id = ?",
        (table.owner, table.name, key_id),
    )


_Enforcer = tuple[str, str | None]  # ("key", constraint name) or ("index", index name)


def _enforcers(table: catalog.TableDef) -> list[tuple[_Enforcer, str]]:
    """Each enabled key and unique index of the table, with the id of its column list."""
    names = [c.name for c in table.columns]
    found: list[tuple[_Enforcer, tuple[str, ...]]] = [
        (("key", k.name), k.columns)
        for k in table.constraints
        if k.kind in ("PRIMARY KEY", "UNIQUE") and k.enabled
    ]
    found += [(("index", index), columns) for index, columns in table.unique_indexes]
    return [(who, ",".join(str(names.index(col)) for col in columns)) for who, columns in found]


def drop(db: sqlite3.Connection, owner: str, name: str, constraint: str, *, cascade: bool) -> None:
    """ALTER TABLE ... DROP CONSTRAINT: a key that foreign keys refer to goes only with CASCADE,
    which drops those foreign keys too (ORA-02273 without it); a name the table has no
    constraint of is ORA-02443. The key's index goes with it."""
    table = catalog.table(db, owner, name)
    if table is None:
        raise ora(942)
    found = [k for k in table.constraints if storage.constraint_index_name(name, k.name) == constraint]
    column = not_null.column_named(table, constraint)
    if not found and column is not None:
        not_null.drop(db, table, column)
        return
    if not found:
        raise ora(2443)
    k = found[0]
    if k.kind in ("PRIMARY KEY", "UNIQUE"):
        referring = foreign_keys_to(db, owner, name, k.columns)
        if referring and not cascade:
            raise ora(2273)
        _drop_foreign_keys(db, referring)
        table = catalog.table(db, owner, name)
        assert table is not None
        forget_key(db, table, k)
    kept = tuple(c for c in table.constraints if c != k)
    catalog.replace_constraints(db, dataclasses.replace(table, constraints=kept))


def add_unique_index(db: sqlite3.Connection, index: catalog.IndexDef) -> None:
    """CREATE UNIQUE INDEX: refused on a column list a key or unique index already has
    (ORA-01408) or when rows already repeat a key (ORA-01452); then the rows' keys are indexed."""
    table = catalog.table(db, index.table_owner, index.table_name)
    assert table is not None
    positions = [_position(table, col) for col in index.columns]
    key_id = ",".join(map(str, positions))
    catalog.create_index(db, index)  # the name first (ORA-00955); an error rolls it back
    if any(existing == key_id for existing, _, _ in tables.enforced_keys(table)):
        raise ora(1408)
    held = _rows(db, table.owner, table.name)
    seen: set[str] = set()
    for _, row in held:
        key = _key(row, positions)
        if key is not None and key in seen:
            raise ora(1452)
        if key is not None:
            seen.add(key)
    _index_rows(db, table.owner, table.name, key_id, positions, held)


def drop_unique_index(db: sqlite3.Connection, index: catalog.IndexDef) -> None:
    """DROP INDEX of a unique index: refused while an enabled key on its columns uses it
    (ORA-02429: a key enabled over an existing index on its columns uses that one), else its
    keys stop being enforced."""
    table = catalog.table(db, index.table_owner, index.table_name)
    if table is not None:
        if any(
            who[0] == "key" and sorted(_columns(table, key_id)) == sorted(index.columns)
            for who, key_id in _enforcers(table)
        ):
            raise ora(2429)
        _release(db, table, index.columns, going=("index", index.name))


def refuse_key_index_drop(db: sqlite3.Connection, owner: str, name: str) -> None:
    """DROP INDEX naming an enabled key's own index is refused (ORA-02429): the key goes by
    ALTER TABLE ... DROP CONSTRAINT, its index with it."""
    for table in catalog.tables_of(db, owner):
        for k in table.constraints:
            keyed = k.kind in ("PRIMARY KEY", "UNIQUE") and k.enabled
            if keyed and storage.constraint_index_name(table.name, k.name) == name:
                raise ora(2429)


def release_parent(db: sqlite3.Connection, owner: str, name: str, *, cascade: bool) -> None:
    """Before DROP TABLE: other tables' foreign keys to it refuse the drop (ORA-02449), or
    with CASCADE CONSTRAINTS are dropped (SQL Language Reference, DROP TABLE)."""
    referring = [
        (child, fk)
        for child, fk in foreign_keys_to(db, owner, name)
        if (child.owner, child.name) != (owner, name)
    ]
    if referring and not cascade:
        raise ora(2449)
    _drop_foreign_keys(db, referring)


def foreign_keys_to(
    db: sqlite3.Connection, owner: str, name: str, columns: tuple[str, ...] | None = None
) -> list[tuple[catalog.TableDef, TableConstraint]]:
    """Every foreign key, of any table (``owner.name`` itself too), that refers to that table
    (to its key on ``columns``, when given), with the table that has it."""
    return [
        (child, fk)
        for child in catalog.tables_of(db)
        for fk in child.constraints
        if fk.references is not None
        and fk.references[:2] == (owner, name)
        and (columns is None or fk.references[2] == columns)
    ]


def _drop_foreign_keys(db: sqlite3.Connection, found: list[tuple[catalog.TableDef, TableConstraint]]) -> None:
    """Drop each foreign key of ``found`` (a table may have several: each is read anew)."""
    for child, fk in found:
        current = catalog.table(db, child.owner, child.name)
        assert current is not None
        kept = tuple(c for c in current.constraints if c != fk)
        catalog.replace_constraints(db, dataclasses.replace(current, constraints=kept))


def _columns(table: catalog.TableDef, key_id: str) -> list[str]:
    return [table.columns[int(p)].name for p in key_id.split(",")]


def _position(table: catalog.TableDef, column: str) -> int:
    names = [c.name for c in table.columns]
    if column not in names:
        raise ora(904, f'"{column}"')
    return names.index(column)


def _texts(db: sqlite3.Connection, owner: str, name: str) -> list[tuple[int, str]]:
    """The table's rows as (rid, stored text), in rid order."""
    found = db.execute(
        "SELECT rid, data FROM rows WHERE owner = ? AND table_name = ? ORDER BY rid", (owner, name)
    ).fetchall()
    return [(rid, data) for rid, data in found]


def _rows(db: sqlite3.Connection, owner: str, name: str) -> list[tuple[int, list[Any]]]:
    """The table's rows as (rid, row in the codec's form), in rid order."""
    return [(rid, json.loads(data)) for rid, data in _texts(db, owner, name)]


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
