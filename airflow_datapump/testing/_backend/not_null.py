"""NOT NULL constraints by name: dropped, disabled and enabled as other constraints are, and
ALTER TABLE ... MODIFY column [CONSTRAINT name] [NOT] NULL.

A NOT NULL constraint is a column's (its ``not_null`` and ``not_null_name``) rather than an
entry of the table's constraint list, because everything that reads a column asks whether
it may hold a null; catalog.create_table gives an unnamed one its SYS_C name from the same
sequence as other constraints. What Oracle answers (SQL Language Reference, ALTER TABLE;
codes from Database Error Messages): a column that already has a NOT NULL constraint cannot
be modified to NOT NULL (ORA-01442), one without cannot be modified to NULL (ORA-01451, the
columns of a primary key too: theirs is the key's rule); making or enabling NOT NULL over
rows holding a null is ORA-02296, naming the constraint (an unnamed one has no name yet when
the check is made, so the name is printed empty, as SQL*Plus shows it).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3

from airflow_datapump.testing._backend import catalog
from airflow_datapump.testing._plsql.ddl import ColumnDef, ConstraintState
from airflow_datapump.testing._plsql.errors import ora


def column_named(table: catalog.TableDef, constraint: str) -> ColumnDef | None:
    """The column whose NOT NULL constraint is called ``constraint``, if any."""
    return next((c for c in table.columns if c.not_null_name == constraint), None)


def drop(db: sqlite3.Connection, table: catalog.TableDef, column: ColumnDef) -> None:
    """DROP CONSTRAINT of a NOT NULL constraint, or MODIFY column NULL: the column may hold nulls."""
    _store(db, table, dataclasses.replace(column, not_null=False, not_null_name=None))


def change(
    db: sqlite3.Connection, table: catalog.TableDef, column: ColumnDef, state: ConstraintState
) -> None:
    """ENABLE / DISABLE of a NOT NULL constraint named in ``state``. ENABLE checks the rows;
    ENABLE NOVALIDATE would need a NOT VALIDATED state the column does not keep, so it is
    refused (ORA-03001) rather than recorded as validated."""
    if state.enable and not state.validate:
        raise ora(3001, "ENABLE NOVALIDATE of a NOT NULL constraint")
    if state.enable and not column.not_null and _holds_null(db, table, column):
        raise ora(2296, table.owner, column.not_null_name or "")
    _store(db, table, dataclasses.replace(column, not_null=state.enable))


def modify(
    db: sqlite3.Connection, table: catalog.TableDef, name: str, not_null: bool, constraint: str | None
) -> None:
    """ALTER TABLE ... MODIFY ``name`` [CONSTRAINT ``constraint``] NOT NULL, or MODIFY ``name`` NULL."""
    column = next((c for c in table.columns if c.name == name), None)
    if column is None:
        raise ora(904, f'"{name}"')
    if not not_null:
        if column.not_null_name is None:
            raise ora(1451)
        drop(db, table, column)
        return
    if column.not_null_name is not None:
        raise ora(1442)
    if constraint is not None and constraint in constraint_names(db, table.owner):
        raise ora(2264)
    if _holds_null(db, table, column):
        raise ora(2296, table.owner, constraint or "")
    named = constraint or catalog.generated_constraint_name(db)
    _store(db, table, dataclasses.replace(column, not_null=True, not_null_name=named))


def constraint_names(db: sqlite3.Connection, owner: str) -> set[str]:
    """Every constraint name ``owner``'s tables use, their NOT NULL constraints' too (one
    namespace: ORA-02264 for a second use)."""
    found: set[str] = set()
    for t in catalog.tables_of(db, owner):
        found.update(k.name for k in t.constraints if k.name)
        found.update(c.not_null_name for c in t.columns if c.not_null_name)
    return found


def _holds_null(db: sqlite3.Connection, table: catalog.TableDef, column: ColumnDef) -> bool:
    position = table.columns.index(column)
    rows = db.execute(
        "SELECT data FROM rows WHERE owner = ? AND table_name = ?", (table.owner, table.name)
    ).fetchall()
    return any(json.loads(data)[position] is None for (data,) in rows)


def _store(db: sqlite3.Connection, table: catalog.TableDef, column: ColumnDef) -> None:
    columns = tuple(column if c.name == column.name else c for c in table.columns)
    catalog.replace_constraints(db, dataclasses.replace(table, columns=columns))
