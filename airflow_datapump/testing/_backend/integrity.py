"""CHECK and FOREIGN KEY constraints kept by every row change a session makes.

SQL and PL/SQL change rows only through a table the runtime opens, and the runtime opens a
:class:`ConstrainedTable`, so both paths are checked here once (a Data Pump import loads rows
its own way: see _datapump/apply.py). What Oracle's SQL Language Reference (constraint clause)
and Database Error Messages give:

- a row whose CHECK condition is FALSE is refused (ORA-02290); UNKNOWN passes;
- a foreign key with no NULL part must match a parent key the session sees (ORA-02291), its
  own row's key included when the table refers to itself;
- a parent row that children refer to cannot be deleted (ORA-02292) unless the foreign key
  says ON DELETE CASCADE (the children are deleted, and theirs in turn) or ON DELETE SET
  NULL (their foreign key columns are set to NULL); nor can its key be changed (ORA-02292:
  Oracle has no ON UPDATE action);
- a table other tables' enabled foreign keys refer to cannot be truncated (ORA-02266); a
  self-referential one can (TRUNCATE TABLE, restrictions).

CHECK conditions look at one row and are checked as it changes. Keys and foreign keys are
checked when the statement ends (Concepts, "Nondeferrable Constraints": the database checks a
nondeferrable constraint at the end of each statement and rolls the statement back if it is
violated), so an UPDATE that shifts every key of a self-referential table passes, and a
DELETE of a whole self-referential table too; the statement's changes are undone when a check
fails (session.Transaction).
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3

from airflow_datapump.testing._backend import catalog, constraints, storage
from airflow_datapump.testing._backend.codec import decode_row
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.tables import StoredTable, effective_columns, key_text
from airflow_datapump.testing._plsql import checks
from airflow_datapump.testing._plsql.ddl import TableConstraint
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._values import Value

Row = tuple[Value, ...]


@dataclasses.dataclass(frozen=True)
class Reference:
    """One foreign key seen from both ends: child columns' and parent key's positions."""

    child: catalog.TableDef
    parent: catalog.TableDef
    key: TableConstraint
    child_positions: list[int]
    parent_positions: list[int]

    @property
    def label(self) -> tuple[str, str]:
        return self.child.owner, storage.constraint_index_name(self.child.name, self.key.name)

    @property
    def key_id(self) -> str:
        return ",".join(map(str, self.parent_positions))

    def self_referential(self) -> bool:
        return (self.child.owner, self.child.name) == (self.parent.owner, self.parent.name)

    def child_key(self, row: Row) -> str | None:
        """A child row's foreign key; None when a part is NULL (such a key is not checked)."""
        if any(row[p] is None for p in self.child_positions):
            return None
        return key_text([row[p] for p in self.child_positions])

    def parent_key(self, row: Row) -> str | None:
        """A parent row's key that this foreign key refers to; None when every part is NULL."""
        return key_text([row[p] for p in self.parent_positions])


def check_conditions(definition: catalog.TableDef) -> list[tuple[tuple[str, str], checks.Condition]]:
    """Each CHECK constraint's label (owner, name) and compiled condition."""
    columns = tuple((c.name, c.type) for c in definition.columns)
    return [
        (
            (definition.owner, storage.constraint_index_name(definition.name, k.name)),
            checks.compile_check(k.condition, definition.name, columns),
        )
        for k in definition.constraints
        if k.kind == "CHECK" and k.condition is not None and k.enabled
    ]


def reference(db: sqlite3.Connection, child: catalog.TableDef, k: TableConstraint) -> Reference | None:
    """The foreign key ``k`` of ``child`` with both ends' positions; None if its parent is gone."""
    assert k.references is not None
    schema, name, columns = k.references
    parent = child if (schema, name) == (child.owner, child.name) else catalog.table(db, schema or "", name)
    if parent is None:
        return None
    child_names = [c.name for c in child.columns]
    parent_names = [c.name for c in parent.columns]
    return Reference(
        child,
        parent,
        k,
        [child_names.index(col) for col in k.columns],
        [parent_names.index(col) for col in columns],
    )


def references_to(db: sqlite3.Connection, parent: catalog.TableDef) -> list[Reference]:
    """Every enabled foreign key, of any table, that refers to ``parent`` (a disabled one
    neither restricts a change of the parent nor its TRUNCATE)."""
    return [
        ref
        for child, k in constraints.foreign_keys_to(db, parent.owner, parent.name)
        if k.enabled and (ref := reference(db, child, k)) is not None
    ]


class ConstrainedTable(StoredTable):
    """A stored table whose row changes keep its CHECK and FOREIGN KEY constraints."""

    def __init__(self, session: Session, definition: catalog.TableDef) -> None:
        super().__init__(session, definition)
        self._checks = check_conditions(definition)
        with session.database.store.read() as db:
            self._parents = [
                ref
                for k in definition.constraints
                if k.kind == "FOREIGN KEY" and k.enabled and (ref := reference(db, definition, k)) is not None
            ]
        self._referring: list[Reference] | None = None

    @property
    def _children(self) -> list[Reference]:
        """The foreign keys that refer to this table, found when a change first needs them."""
        if self._referring is None:
            with self._session.database.store.read() as db:
                self._referring = references_to(db, self._definition)
        return self._referring

    def insert(self, values: Row) -> None:
        self._check(values)
        with self._atomic():
            rowid = self._insert(values)
            self._defer_parents(rowid, values, None)

    def update(self, rowid: object, values: Row) -> None:
        assert isinstance(rowid, int)
        self._check(values)
        with self._atomic():
            old = self.current(rowid) if self._parents or self._children else None
            super().update(rowid, values)
            if old is not None:
                self._defer_parents(rowid, values, old)
                self._defer_children(old, values)

    def delete(self, rowid: object) -> None:
        assert isinstance(rowid, int)
        with self._atomic():
            if not self._children:
                super().delete(rowid)
                return
            old = self.current(rowid)
            if old is None:
                return  # already deleted by this statement's cascade
            actions = []
            for ref in self._children:
                key = ref.parent_key(old)
                if ref.key.on_delete is None or key is None:
                    continue
                exclude = rowid if ref.self_referential() else None
                actions += [(ref, rid, row) for rid, row in self._dependents(ref, key, exclude)]
            self._defer_children(old, None)
            super().delete(rowid)
            for ref, rid, row in actions:
                self._act(ref, rid, row)

    def _act(self, ref: Reference, rowid: int, row: Row) -> None:
        """ON DELETE CASCADE deletes a child of a deleted parent, ON DELETE SET NULL empties
        its foreign key, at once (as part of the statement)."""
        child = self._child_table(ref)
        if ref.key.on_delete == "CASCADE":
            child.delete(rowid)
            return
        nulled = list(row)
        for p in ref.child_positions:
            if effective_columns(ref.child)[p].not_null:
                column = ref.child.columns[p].name
                raise ora(1407, f'"{ref.child.owner}"."{ref.child.name}"."{column}"')
            nulled[p] = None
        child.update(rowid, tuple(nulled))

    def _refuse_truncate(self) -> None:
        if any(not ref.self_referential() for ref in self._children):
            raise ora(2266)

    def current(self, rowid: int) -> Row | None:
        """The row as this session sees it now, or None if it has gone."""
        tx = self._session.transaction
        if rowid < 0:
            return tx.inserts.get(self._key, {}).get(rowid)
        if rowid in tx.deletes.get(self._key, set()):
            return None
        if rowid in tx.updates.get(self._key, {}):
            return tx.updates[self._key][rowid]
        with self._session.database.store.read() as db:
            found = db.execute("SELECT data FROM rows WHERE rid = ?", (rowid,)).fetchone()
        return None if found is None else decode_row(found[0])

    def _check(self, values: Row) -> None:
        for label, condition in self._checks:
            if checks.broken(condition, values):
                raise ora(2290, *label)

    def _defer_parents(self, rowid: int, values: Row, old: Row | None) -> None:
        """A foreign key the row change set must match a parent key when the statement ends."""
        for ref in self._parents:
            key = ref.child_key(values)
            if key is None:
                continue  # a foreign key with a NULL part is not checked
            if old is not None and key == ref.child_key(old):
                continue  # unchanged: the parent's side checks its own changes
            self._session.transaction.defer(
                ("parent", self._key, rowid, ref.key_id, ref.label),
                functools.partial(self._check_parent, ref, rowid),
            )

    def _check_parent(self, ref: Reference, rowid: int) -> None:
        values = self.current(rowid)
        key = ref.child_key(values) if values is not None else None
        if key is None:
            return  # deleted or emptied later in the statement
        if not StoredTable(self._session, ref.parent).holds_key(ref.key_id, key, None):
            raise ora(2291, *ref.label)

    def _defer_children(self, old: Row, new: Row | None) -> None:
        """A parent key the change removes (a delete without an ON DELETE action, or an update
        of the key: Oracle has no ON UPDATE action) must have no children when the statement
        ends, unless the statement gave another row that key."""
        for ref in self._children:
            key = ref.parent_key(old)
            if key is None or (new is None and ref.key.on_delete is not None):
                continue
            if new is not None and key == ref.parent_key(new):
                continue
            # One check per foreign key and statement, of every key the statement removed:
            # the child table is read once at the end, not once per parent row.
            memo = self._session.transaction.memo()
            removed = memo.get(("removed keys", ref.label))
            if not isinstance(removed, set):
                removed = memo[("removed keys", ref.label)] = set()
            removed.add(key)
            self._session.transaction.defer(
                ("children", ref.label), functools.partial(self._check_children, ref, removed)
            )

    def _check_children(self, ref: Reference, removed: set[str]) -> None:
        parent = StoredTable(self._session, ref.parent)
        gone = {key for key in removed if not parent.holds_key(ref.key_id, key, None)}
        if not gone:
            return
        for _, row in StoredTable(self._session, ref.child).rows():
            if ref.child_key(row) in gone:
                raise ora(2292, *ref.label)

    def _dependents(self, ref: Reference, key: str, exclude: int | None) -> list[tuple[int, Row]]:
        """The child rows whose foreign key is ``key``, as this session sees them: looked up
        in an index of the child's foreign keys built once per statement (within one, child
        rows only go or lose their key: each candidate is read again)."""
        memo = self._session.transaction.memo()
        index = memo.get(("child keys", ref.label))
        if not isinstance(index, dict):
            built: dict[str, list[int]] = {}
            for rid, row in StoredTable(self._session, ref.child).rows():
                if (child_key := ref.child_key(row)) is not None:
                    built.setdefault(child_key, []).append(rid)
            index = memo[("child keys", ref.label)] = built
        child = self._child_table(ref)
        found: list[tuple[int, Row]] = []
        for rid in index.get(key, ()):
            now = child.current(rid) if rid != exclude else None
            if now is not None and ref.child_key(now) == key:
                found.append((rid, now))
        return found

    def _child_table(self, ref: Reference) -> ConstrainedTable:
        """The child table, opened once per statement (its constraints read once)."""
        memo = self._session.transaction.memo()
        table = memo.get(("child table", ref.label))
        if not isinstance(table, ConstrainedTable):
            table = memo[("child table", ref.label)] = ConstrainedTable(self._session, ref.child)
        return table
