"""Stored tables as the SQL evaluator sees them, with the session's uncommitted changes.

A session reads committed rows overlaid with its own pending changes; other sessions see
only what was committed, as Oracle's read consistency gives them.

Primary and unique keys are checked through an index, as Oracle checks them: committed rows'
keys are in the store's ``row_keys`` (kept by :func:`store_rows`; a trigger drops a row's keys
with it), a transaction's pending inserts are in its own key map, so an insert costs the same
into an empty table as into one of a million rows. Keys compare by value: a key is the text
of its encoded values with numbers normalised (``1.0`` and ``1`` are one key).
"""

from __future__ import annotations

import dataclasses
import decimal
import functools
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from airflow_datapump.testing._backend import catalog, quotas, storage
from airflow_datapump.testing._backend.codec import decode_row, encode_row, encode_value
from airflow_datapump.testing._backend.session import Session, TableKey, statement
from airflow_datapump.testing._plsql.ddl import ColumnDef
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._values import Value

_WIDE = decimal.Context(prec=200)  # normalising a key's number never rounds it


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

    @functools.cached_property
    def columns(self) -> Sequence[ColumnDef]:
        return effective_columns(self._definition)

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
        with self._atomic():
            self._insert(values)

    def update(self, rowid: object, values: tuple[Value, ...]) -> None:
        assert isinstance(rowid, int)
        with self._atomic():
            self._change(rowid, values)
            self._defer_unique(rowid)

    def delete(self, rowid: object) -> None:
        assert isinstance(rowid, int)
        with self._atomic():
            self._change(rowid, None)

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """A change made outside any statement (not through SQL) is a statement of its own."""
        if self._session.transaction.statements:
            yield
            return
        with statement(self._session):
            yield

    def _insert(self, values: tuple[Value, ...]) -> int:
        """Insert a row and hand back its (pending, negative) id."""
        self._check_space(values)
        tx = self._session.transaction
        rowid = tx.next_id
        tx.next_id -= 1
        self._change(rowid, values)
        self._defer_unique(rowid)
        return rowid

    def pending(self, rowid: int) -> tuple[Value, ...] | None:
        """The values this transaction gives the row (a pending insert or update), else None."""
        tx = self._session.transaction
        return (tx.inserts if rowid < 0 else tx.updates).get(self._key, {}).get(rowid)

    def _change(self, rowid: int, values: tuple[Value, ...] | None) -> None:
        """Give the row ``values`` (None deletes it), journalled so its statement can undo it."""
        tx = self._session.transaction
        deleted = rowid > 0 and rowid in tx.deletes.get(self._key, set())
        before = self.pending(rowid)
        self._set(rowid, values)
        tx.record(lambda: self._set(rowid, before, deleted=deleted))

    def _set(self, rowid: int, values: tuple[Value, ...] | None, *, deleted: bool | None = None) -> None:
        tx = self._session.transaction
        old = self.pending(rowid)
        if old is not None:
            self._index(rowid, old, add=False)
        changes = tx.inserts if rowid < 0 else tx.updates
        if values is None:
            changes.get(self._key, {}).pop(rowid, None)
        else:
            changes.setdefault(self._key, {})[rowid] = values
            self._index(rowid, values, add=True)
        if rowid > 0:
            gone = tx.deletes.setdefault(self._key, set())
            if deleted if deleted is not None else values is None:
                gone.add(rowid)
            else:
                gone.discard(rowid)

    def _defer_unique(self, rowid: int) -> None:
        """Oracle checks a key at the end of the statement, so an UPDATE that moves every key
        along by one passes (Concepts, "Nondeferrable Constraints")."""
        if enforced_keys(self._definition):
            self._session.transaction.defer(("unique", self._key, rowid), lambda: self._check_row_keys(rowid))

    def _check_row_keys(self, rowid: int) -> None:
        values = self.pending(rowid)
        if values is not None:  # else deleted later in the statement
            self._check_unique(values, exclude=rowid)

    def truncate(self) -> None:
        """TRUNCATE is DDL (SQL Language Reference, TRUNCATE TABLE): it commits the
        transaction before it runs, even when it is then refused, and cannot be rolled back.
        It leaves nothing pending, so the commit after it is already made."""
        commit(self._session)
        self._refuse_truncate()
        with self._session.database.store.write() as db:
            storage.truncated(db, *self._key)
            db.execute("DELETE FROM rows WHERE owner = ? AND table_name = ?", self._key)

    def _refuse_truncate(self) -> None:
        """Raise if the table may not be truncated; a plain table always may."""

    def _check_space(self, values: tuple[Value, ...]) -> None:
        """Refuse a row whose new extent the table's owner has no quota for (ORA-01950 or
        ORA-01536). The check is made once per transaction and table, then kept up to date."""
        if self._definition.kind != "TABLE":
            return
        tx = self._session.transaction
        check = tx.space.get(self._key)
        if check is None:
            with self._session.database.store.read() as db:
                check = quotas.SpaceCheck(db, self._definition, self._quota_now)
            if check.limited:
                for pending in tx.inserts.get(self._key, {}).values():
                    check.pending(len(encode_row(pending)))
            tx.space[self._key] = check
        if check.limited:
            check.add(len(encode_row(values)))

    def _quota_now(self, owner: str, tablespace: str) -> int | None:
        with self._session.database.store.read() as db:
            return quotas.quota_of(db, owner, tablespace)

    def _index(self, rowid: int, values: tuple[Value, ...], *, add: bool) -> None:
        """Keep the transaction's map of its pending rows' keys in step with them."""
        for key_id, _, positions in enforced_keys(self._definition):
            key = key_text([values[p] for p in positions])
            if key is None:
                continue
            pending = self._session.transaction.keys.setdefault((self._key, key_id), {})
            if add:
                pending.setdefault(key, set()).add(rowid)
            elif key in pending:
                pending[key].discard(rowid)
                if not pending[key]:
                    del pending[key]

    def _check_unique(self, values: tuple[Value, ...], exclude: int | None) -> None:
        for key_id, name, positions in enforced_keys(self._definition):
            key = key_text([values[p] for p in positions])
            if key is not None and self.holds_key(key_id, key, exclude):
                raise ora(1, self.schema, storage.constraint_index_name(self.name, name))

    def holds_key(self, key_id: str, key: str, exclude: int | None) -> bool:
        """Whether a row this session sees, other than ``exclude``, has the key now."""
        tx = self._session.transaction
        if any(rid != exclude for rid in tx.keys.get((self._key, key_id), {}).get(key, ())):
            return True
        deleted = tx.deletes.get(self._key, set())
        updated = tx.updates.get(self._key, {})
        with self._session.database.store.read() as db:
            holders = key_holders(db, self.schema, self.name, key_id, key)
        return any(rid != exclude and rid not in deleted and rid not in updated for rid in holders)


def commit(session: Session) -> None:
    """Apply a session's pending changes in one store transaction."""
    tx = session.transaction
    if not tx.active:
        session.transaction = tx.successor()  # a COMMIT erases savepoints even with no changes
        return
    with session.database.store.write() as db:
        for owner, name in set(tx.deletes) | set(tx.updates):
            storage.keep_extents(db, owner, name)  # rows leaving free no extents
        for rids in tx.deletes.values():
            db.executemany("DELETE FROM rows WHERE rid = ?", [(rid,) for rid in rids])
        for (owner, name), changes in tx.updates.items():
            db.executemany(
                "UPDATE rows SET data = ? WHERE rid = ?",
                [(encode_row(v), rid) for rid, v in changes.items()],
            )  # the trigger has dropped the old keys
            definition = catalog.table(db, owner, name)
            if definition is not None:
                _add_keys(db, definition, [(rid, values) for rid, values in changes.items()])
        for (owner, name), rows in tx.inserts.items():
            if catalog.table(db, owner, name) is None:
                continue  # dropped meanwhile
            insert_rows(db, owner, name, rows.values())
    session.transaction = tx.successor()
    session.database.next_scn()


KeyEntry = tuple[str, str]  # (key id, key text)


def effective_columns(definition: catalog.TableDef) -> tuple[ColumnDef, ...]:
    """The columns as rows must fill them: an enabled primary key's columns are NOT NULL too.
    That is the key's rule, not the column's: it goes when the key is dropped or disabled, and
    the dictionary lists no NOT NULL constraint for it (only *_TAB_COLUMNS.NULLABLE says N)."""
    keyed = {
        col for k in definition.constraints if k.kind == "PRIMARY KEY" and k.enabled for col in k.columns
    }
    return tuple(
        dataclasses.replace(c, not_null=True) if c.name in keyed and not c.not_null else c
        for c in definition.columns
    )


def unique_keys(
    definition: catalog.TableDef, *, enabled_only: bool = False
) -> list[tuple[str, str | None, list[int]]]:
    """Each primary or unique key (each enabled one): its id (the column positions),
    constraint name, positions."""
    names = [c.name for c in definition.columns]
    keys: list[tuple[str | None, list[int]]] = [
        (k.name, [names.index(col) for col in k.columns])
        for k in definition.constraints
        if k.kind in ("PRIMARY KEY", "UNIQUE") and (k.enabled or not enabled_only)
    ]
    return [(",".join(map(str, positions)), name, positions) for name, positions in keys]


def enforced_keys(definition: catalog.TableDef) -> list[tuple[str, str | None, list[int]]]:
    """:func:`unique_keys` but disabled ones, and the table's unique indexes: every key a row
    change must keep unique, one entry per column list (Oracle refuses a second index on one
    list, ORA-01408)."""
    keys = unique_keys(definition, enabled_only=True)
    names = [c.name for c in definition.columns]
    for index, columns in definition.unique_indexes:
        positions = [names.index(col) for col in columns]
        keys.append((",".join(map(str, positions)), index, positions))
    by_id: dict[str, tuple[str, str | None, list[int]]] = {}
    for entry in keys:
        by_id.setdefault(entry[0], entry)
    return list(by_id.values())


def key_text(values: Sequence[Value]) -> str | None:
    """A key's index entry; None when every part is NULL (such keys never collide)."""
    if all(v is None for v in values):
        return None
    return encoded_key_text([encode_value(v) for v in values])


def encoded_key_text(parts: Sequence[Any]) -> str:
    """:func:`key_text` for values already in the codec's form (a stored row's JSON)."""
    if len(parts) == 1:  # the usual key, and the hot path of a load: no JSON needed
        return _canonical(parts[0])
    return json.dumps([_canonical(part) for part in parts])


_INTEGER = re.compile(r"-?[1-9][0-9]*|0")


def _canonical(part: Any) -> str:
    """One part of a key as unambiguous text: its kind, then its value in one spelling."""
    if isinstance(part, str):
        return "s" + part
    if isinstance(part, dict) and "n" in part:
        text = str(part["n"])
        if _INTEGER.fullmatch(text):
            return "n" + text
        number = Decimal(text)
        if number == number.to_integral_value():
            return "n" + str(int(number))
        return "n" + str(number.normalize(_WIDE))
    return "j" + json.dumps(part, sort_keys=True)


def key_holders(db: sqlite3.Connection, owner: str, name: str, key_id: str, key: str) -> list[int]:
    """The committed rows that hold a key (normally none or one)."""
    found = db.execute(
        "SELECT rid FROM row_keys WHERE owner = ? AND table_name = ? AND key_id = ? AND key = ?",
        (owner, name, key_id, key),
    ).fetchall()
    return [rid for (rid,) in found]


def keys_taken(db: sqlite3.Connection, owner: str, name: str, entries: Iterable[KeyEntry]) -> set[KeyEntry]:
    """Which of these keys committed rows already hold: one query per few hundred keys."""
    by_id: dict[str, list[str]] = {}
    for key_id, key in entries:
        by_id.setdefault(key_id, []).append(key)
    taken: set[KeyEntry] = set()
    for key_id, keys in by_id.items():
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found = db.execute(
                "SELECT key FROM row_keys WHERE owner = ? AND table_name = ? AND key_id = ? "
                f"AND key IN ({marks})",
                (owner, name, key_id, *chunk),
            )
            taken.update((key_id, key) for (key,) in found)
    return taken


def insert_rows(db: sqlite3.Connection, owner: str, name: str, rows: Iterable[tuple[Value, ...]]) -> None:
    definition = catalog.table(db, owner, name)
    keys = enforced_keys(definition) if definition is not None else []
    batch = []
    for values in rows:
        entries = [(key_id, key_text([values[p] for p in positions])) for key_id, _, positions in keys]
        batch.append((encode_row(values), [(k, t) for k, t in entries if t is not None]))
    store_rows(db, owner, name, batch)


def store_rows(
    db: sqlite3.Connection, owner: str, name: str, batch: list[tuple[str, list[KeyEntry]]]
) -> None:
    """Insert rows given as stored text with their key entries, indexing the keys.

    The store holds the write lock, and ``rows`` numbers with AUTOINCREMENT, so the batch
    gets the ids after the last one ever used, in order.
    """
    if not batch:
        return
    last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()
    first = (last[0] if last else 0) + 1
    db.executemany(
        "INSERT INTO rows (owner, table_name, data) VALUES (?, ?, ?)",
        [(owner, name, text) for text, _ in batch],
    )
    (end,) = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()
    if end != first + len(batch) - 1:
        raise RuntimeError("row ids were not consecutive; the key index would be wrong")
    db.executemany(
        "INSERT INTO row_keys (owner, table_name, key_id, key, rid) VALUES (?, ?, ?, ?, ?)",
        [(owner, name, key_id, key, first + i) for i, (_, keys) in enumerate(batch) for key_id, key in keys],
    )


def _add_keys(
    db: sqlite3.Connection, definition: catalog.TableDef, rows: list[tuple[int, tuple[Value, ...]]]
) -> None:
    entries = []
    for key_id, _, positions in enforced_keys(definition):
        for rid, values in rows:
            key = key_text([values[p] for p in positions])
            if key is not None:
                entries.append((definition.owner, definition.name, key_id, key, rid))
    db.executemany(
        "INSERT INTO row_keys (owner, table_name, key_id, key, rid) VALUES (?, ?, ?, ?, ?)", entries
    )
