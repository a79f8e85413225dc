"""Stored tables as the SQL evaluator sees them, with the session's uncommitted changes.

A session reads committed rows overlaid with its own pending changes; other sessions see
only what was committed, as Oracle's read consistency gives them.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._backend.codec import decode_row, encode_row
from airflow_datapump.testing._backend.session import Session, TableKey
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import ora_text
from airflow_datapump.testing._values import Value


class StoredTable:
    """A user table (or a master table) read and changed through one session."""

    def __init__(self, session: Session, definition: catalog.TableDef) -> None:
        self._session = session
        self._definition = definition
        self._key: TableKey = (definition.owner, definition.name)

    @property
    def schema(self) -> str:
        return self._definition.owner

    @property
    def name(self) -> str:
        return self._definition.name

    @property
    def columns(self) -> Sequence[ColumnDef]:
        return self._definition.columns

    def committed_rows(self) -> list[tuple[int, tuple[Value, ...]]]:
        with self._session.database.store.read() as db:
            found = db.execute(
                "SELECT rid, data FROM rows WHERE owner = ? AND table_name = ? ORDER BY rid",
                self._key,
            ).fetchall()
        return [(rid, decode_row(data)) for rid, data in found]

    def rows(self) -> Iterator[tuple[int, tuple[Value, ...]]]:
        tx = self._session.transaction
        deleted = tx.deletes.get(self._key, set())
        updated = tx.updates.get(self._key, {})
        for rid, values in self.committed_rows():
            if rid not in deleted:
                yield rid, updated.get(rid, values)
        yield from list(tx.inserts.get(self._key, {}).items())

    def insert(self, values: tuple[Value, ...]) -> None:
        self._check_unique(values, exclude=None)
        tx = self._session.transaction
        tx.inserts.setdefault(self._key, {})[tx.next_id] = values
        tx.next_id -= 1

    def update(self, rowid: object, values: tuple[Value, ...]) -> None:
        assert isinstance(rowid, int)
        self._check_unique(values, exclude=rowid)
        tx = self._session.transaction
        if rowid < 0:
            tx.inserts[self._key][rowid] = values
        else:
            tx.updates.setdefault(self._key, {})[rowid] = values

    def delete(self, rowid: object) -> None:
        assert isinstance(rowid, int)
        tx = self._session.transaction
        if rowid < 0:
            tx.inserts[self._key].pop(rowid, None)
        else:
            tx.deletes.setdefault(self._key, set()).add(rowid)
            tx.updates.get(self._key, {}).pop(rowid, None)

    def truncate(self) -> None:
        """TRUNCATE is DDL: it takes effect at once and cannot be rolled back."""
        with self._session.database.store.write() as db:
            db.execute("DELETE FROM rows WHERE owner = ? AND table_name = ?", self._key)
        self._session.transaction.forget(self._key)

    def _unique_keys(self) -> list[tuple[str | None, list[int]]]:
        names = [c.name for c in self.columns]
        keys: list[tuple[str | None, list[int]]] = [
            (None, [i]) for i, c in enumerate(self.columns) if c.primary_key or c.unique
        ]
        keys += [
            (k.name, [names.index(col) for col in k.columns])
            for k in self._definition.constraints
            if k.kind in ("PRIMARY KEY", "UNIQUE")
        ]
        return keys

    def _check_unique(self, values: tuple[Value, ...], exclude: int | None) -> None:
        keys = self._unique_keys()
        if not keys:
            return
        existing = [row for rid, row in self.rows() if rid != exclude]
        for name, positions in keys:
            new = tuple(values[p] for p in positions)
            if all(v is None for v in new):
                continue
            if any(tuple(row[p] for p in positions) == new for row in existing):
                label = name or f"SYS_C00{zlib.crc32(self.name.encode()) % 10000:04d}"
                raise ora_text(1, f"unique constraint ({self.schema}.{label}) violated")


def commit(session: Session) -> None:
    """Apply a session's pending changes in one store transaction."""
    tx = session.transaction
    if not tx.active:
        return
    with session.database.store.write() as db:
        for rids in tx.deletes.values():
            db.executemany("DELETE FROM rows WHERE rid = ?", [(rid,) for rid in rids])
        for changes in tx.updates.values():
            db.executemany(
                "UPDATE rows SET data = ? WHERE rid = ?",
                [(encode_row(v), rid) for rid, v in changes.items()],
            )
        for (owner, name), rows in tx.inserts.items():
            if catalog.table(db, owner, name) is None:
                continue  # dropped meanwhile
            insert_rows(db, owner, name, rows.values())
    session.transaction = type(tx)()
    session.database.next_scn()


def insert_rows(db: sqlite3.Connection, owner: str, name: str, rows: Iterable[tuple[Value, ...]]) -> None:
    db.executemany(
        "INSERT INTO rows (owner, table_name, data) VALUES (?, ?, ?)",
        [(owner, name, encode_row(values)) for values in rows],
    )
