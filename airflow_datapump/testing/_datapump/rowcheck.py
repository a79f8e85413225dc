"""The constraints an import's rows are checked against as they load into an existing table.

A table the import creates has no constraints while its rows load (they come afterwards, as
the dump's CONSTRAINT and REF_CONSTRAINT objects). A table that already exists
(TABLE_EXISTS_ACTION=APPEND or TRUNCATE) keeps its own, and the Utilities guide (impdp
TABLE_EXISTS_ACTION, DATA_OPTIONS) says a row that violates an active constraint fails the
load of the table - nothing is loaded - unless DATA_OPTIONS=SKIP_CONSTRAINT_ERRORS, which
logs the rows and loads the rest. Checked here: NOT NULL (ORA-01400), primary and unique keys
and unique indexes (ORA-00001), CHECK constraints (ORA-02290) and foreign keys, whose parent
keys must be in the parent's committed rows or among the rows this load accepted before
(ORA-02291).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from airflow_datapump.testing._backend import catalog, integrity, storage, tables
from airflow_datapump.testing._backend.codec import decode_row
from airflow_datapump.testing._plsql import checks
from airflow_datapump.testing._plsql.errors import ora_line

_Parent = tuple[integrity.Reference, str]  # a foreign key and the parent key a row needs


class RowCheck:
    """The checks for rows in stored form, a batch at a time.

    Rows are checked in order, as Oracle loads them: a row whose key an earlier accepted row
    or a committed row holds is rejected, and the first rejection is the one reported. Keys
    held by committed rows, and parent keys, are looked up for a whole batch in a few queries.
    """

    def __init__(self, db: sqlite3.Connection, target: catalog.TableDef) -> None:
        self._db, self._target = db, target
        self._required = [(i, c.name) for i, c in enumerate(tables.effective_columns(target)) if c.not_null]
        self._keys = [
            (key_id, positions, ora_line(1, target.owner, storage.constraint_index_name(target.name, name)))
            for key_id, name, positions in tables.enforced_keys(target)
        ]
        self._checks = integrity.check_conditions(target)
        self._parents = [
            ref
            for k in target.constraints
            if k.kind == "FOREIGN KEY"
            and k.enabled
            and (ref := integrity.reference(db, target, k)) is not None
        ]
        self._rows: list[tuple[str, list[tuple[tables.KeyEntry, str]], list[_Parent], str | None]] = []
        self._seen: set[tables.KeyEntry] = set()
        self.loaded = self.rejected = 0
        self.problem: str | None = None

    @property
    def pending(self) -> int:
        return len(self._rows)

    def add(self, text: str, row: list[Any]) -> bool:
        """Queue a row; True when it is already known to be bad (a NULL where none may be, or
        a CHECK condition it makes FALSE)."""
        target = self._target
        for position, name in self._required:
            if row[position] is None:
                null = ora_line(1400, f'"{target.owner}"."{target.name}"."{name}"')
                self._rows.append((text, [], [], null))
                return True
        if self._checks:
            values = decode_row(text)
            for label, condition in self._checks:
                if checks.broken(condition, values):
                    self._rows.append((text, [], [], ora_line(2290, *label)))
                    return True
        entries = []
        for key_id, positions, duplicate in self._keys:
            parts = [row[p] for p in positions]
            if any(part is not None for part in parts):
                entries.append(((key_id, tables.encoded_key_text(parts)), duplicate))
        parents = []
        for ref in self._parents:
            parts = [row[p] for p in ref.child_positions]
            if all(part is not None for part in parts):  # a foreign key with a NULL part is not checked
                parents.append((ref, tables.encoded_key_text(parts)))
        self._rows.append((text, entries, parents, None))
        return False

    def flush(self, skip: bool) -> None:
        """Decide the pending rows in order and store the accepted ones."""
        target, db = self._target, self._db
        taken = tables.keys_taken(
            db, target.owner, target.name, (e for _, es, _, _ in self._rows for e, _ in es)
        )
        present: set[tuple[str, str, tables.KeyEntry]] = set()
        for ref in self._parents:
            wanted = ((ref.key_id, key) for _, _, ps, _ in self._rows for r, key in ps if r is ref)
            found = tables.keys_taken(db, ref.parent.owner, ref.parent.name, wanted)
            present.update((ref.parent.owner, ref.parent.name, entry) for entry in found)
        accepted: list[tuple[str, list[tables.KeyEntry]]] = []
        for text, entries, parents, error in self._rows:
            if error is None:
                error = next((dup for e, dup in entries if e in taken or e in self._seen), None)
            if error is None:
                own = {e for e, _ in entries}
                error = next(
                    (
                        ora_line(2291, *ref.label)
                        for ref, key in parents
                        if not self._held(ref, key, present, own)
                    ),
                    None,
                )
            if error is not None:
                self.problem, self.rejected = self.problem or error, self.rejected + 1
                if not skip:
                    break
                continue
            accepted.append((text, [e for e, _ in entries]))
            self._seen.update(e for e, _ in entries)
        tables.store_rows(db, target.owner, target.name, accepted)
        self.loaded += len(accepted)
        self._rows, self._seen = [], set()

    def _held(
        self,
        ref: integrity.Reference,
        key: str,
        present: set[tuple[str, str, tables.KeyEntry]],
        own: set[tables.KeyEntry],
    ) -> bool:
        """Whether the parent key is committed, or (the table referring to itself) held by a
        row this load accepted or by the row itself."""
        entry = (ref.key_id, key)
        if (ref.parent.owner, ref.parent.name, entry) in present:
            return True
        return ref.self_referential() and (entry in self._seen or entry in own)
