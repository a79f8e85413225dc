"""ALTER TABLE ... ENABLE / DISABLE / MODIFY of a constraint: its state, and what the state
change does to the rows' checks and a key's index.

DBAs disable the foreign keys into a table before a TABLE_EXISTS_ACTION=TRUNCATE import and
enable them after, so this is in a refresh's path. What the SQL Language Reference
(constraint_state, ALTER TABLE's enable_disable_clause) and Database Error Messages give:

- a DISABLED constraint is not enforced: DML ignores it, and a disabled foreign key no longer
  keeps its parent from TRUNCATE (ORA-02266) or from an import's TRUNCATE (ORA-39120);
- ENABLE defaults to VALIDATE, which checks the rows the table holds (ORA-02293, ORA-02298,
  ORA-02437, ORA-02299); DISABLE defaults to NOVALIDATE; the state shows in *_CONSTRAINTS as
  STATUS (ENABLED / DISABLED) and VALIDATED (VALIDATED / NOT VALIDATED);
- disabling a primary or unique key drops its index unless KEEP INDEX; a key other tables'
  enabled foreign keys refer to is disabled only with CASCADE, which disables them too
  (ORA-02297 without it); enabling a key builds its index from the rows, so repeated keys
  refuse ENABLE NOVALIDATE as well;
- a constraint the table does not have is ORA-02430 (enable) or ORA-02431 (disable); a
  primary key it does not have ORA-02432 / ORA-02433.

A key kept by KEEP INDEX goes on being enforced by that unique index **[U]**: the Reference says
the index is kept, not whether it stays unique; the emulator keeps it as a unique index of the
constraint's name (USER_INDEXES lists it), which ENABLE takes back.
"""

from __future__ import annotations

import dataclasses
import sqlite3

from airflow_datapump.testing._backend import catalog, constraints, not_null, storage
from airflow_datapump.testing._plsql.ddl import ConstraintState, TableConstraint
from airflow_datapump.testing._plsql.errors import ora


def change(db: sqlite3.Connection, owner: str, name: str, state: ConstraintState) -> None:
    """Put one constraint of ``owner.name`` into ``state`` (see the module's doc)."""
    table = catalog.table(db, owner, name)
    if table is None:
        raise ora(942)
    column = not_null.column_named(table, state.name) if state.name is not None else None
    if column is not None:
        not_null.change(db, table, column, state)
        return
    k = _target(table, state)
    label = storage.constraint_index_name(name, k.name)
    if state.enable:
        if not k.enabled or (state.validate and not k.validated):
            _enable(db, table, k, validate=state.validate)
        elif k.validated and not state.validate:  # nothing to check: it only stops vouching
            _replace(db, owner, name, k, dataclasses.replace(k, validated=False))
        return
    if not k.enabled and k.validated == state.validate:
        return
    if k.kind in ("PRIMARY KEY", "UNIQUE"):
        _disable_dependents(db, table, k, cascade=state.cascade)
        if state.keep_index:
            columns, tablespace = k.columns, table.tablespace or storage.default_tablespace(db, owner)
            catalog.create_index(db, catalog.IndexDef(owner, label, owner, name, columns, tablespace, True))
        else:
            constraints.forget_key(db, table, k)
    _replace(db, owner, name, k, dataclasses.replace(k, enabled=False, validated=state.validate))


def _target(table: catalog.TableDef, state: ConstraintState) -> TableConstraint:
    """The constraint the statement names: by name, or as PRIMARY KEY or UNIQUE (columns)."""
    if state.name is not None:
        found = [
            k for k in table.constraints if storage.constraint_index_name(table.name, k.name) == state.name
        ]
        if not found:
            raise ora(2430 if state.enable else 2431, state.name)
        return found[0]
    wanted = state.columns if state.kind == "UNIQUE" else None
    for k in table.constraints:
        if k.kind == state.kind and (wanted is None or sorted(k.columns) == sorted(wanted)):
            return k
    if state.kind == "PRIMARY KEY":
        raise ora(2432 if state.enable else 2433)
    raise ora(2430 if state.enable else 2431, f"UNIQUE ({', '.join(wanted or ())})")


def _enable(db: sqlite3.Connection, table: catalog.TableDef, k: TableConstraint, *, validate: bool) -> None:
    """Enable ``k``: constraints.add checks it as a constraint being added, against the rows."""
    kept = [c for c in table.constraints if c != k]
    catalog.replace_constraints(db, dataclasses.replace(table, constraints=tuple(kept)))
    if k.kind in ("PRIMARY KEY", "UNIQUE"):
        label = storage.constraint_index_name(table.name, k.name)
        if any((i.owner, i.name) == (table.owner, label) for i in catalog.indexes_of(db)):
            # The kept index becomes the key's again; its entries stay, add() re-reads the rows.
            catalog.drop_index(db, table.owner, label)
    enabled = dataclasses.replace(k, enabled=True, validated=validate)
    constraints.add(db, table.owner, table.name, enabled, validate=validate)


def _disable_dependents(
    db: sqlite3.Connection, table: catalog.TableDef, k: TableConstraint, *, cascade: bool
) -> None:
    for child, fk in constraints.foreign_keys_to(db, table.owner, table.name, k.columns):
        if not fk.enabled:
            continue
        if not cascade:
            raise ora(2297, table.owner, storage.constraint_index_name(table.name, k.name))
        _replace(db, child.owner, child.name, fk, dataclasses.replace(fk, enabled=False, validated=False))


def _replace(
    db: sqlite3.Connection, owner: str, name: str, old: TableConstraint, new: TableConstraint
) -> None:
    current = catalog.table(db, owner, name)
    assert current is not None
    changed = tuple(new if c == old else c for c in current.constraints)
    catalog.replace_constraints(db, dataclasses.replace(current, constraints=changed))
