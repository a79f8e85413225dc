"""A table's dependent objects as Data Pump moves them: INDEX, CONSTRAINT, REF_CONSTRAINT.

The table's own DDL keeps only its columns and NOT NULL; its indexes (CREATE INDEX), its
primary, unique and check constraints (CONSTRAINT, the key's index created with it) and its
foreign keys (REF_CONSTRAINT) are objects of their own, each named for filters and created
after the table's rows are loaded (docs/emulator.md "Object paths and their order").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from airflow_datapump.testing._backend import catalog, statistics, storage
from airflow_datapump.testing._plsql.ddl import TableConstraint


def of_table(db: Any, table: catalog.TableDef, tablespace: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(object type, the object's own name, its DDL) for each dependent of a table, in
    object-type order and by name within a type."""
    for index in catalog.indexes_of(db, table.owner, table.name):
        yield (
            "INDEX",
            index.name,
            {
                "index": index.name,
                "index_schema": index.owner,
                "columns": list(index.columns),
                "tablespace": index.tablespace,
                **({"unique": True} if index.unique else {}),
            },
        )
    for name, kind, columns, condition, state in _constraints(table):
        ddl: dict[str, Any] = {"constraint": name, "kind": kind, "columns": columns, **state}
        if condition is not None:
            ddl["condition"] = condition
        else:
            ddl["tablespace"] = tablespace  # the key's index goes where the table is
        yield "CONSTRAINT", name, ddl
    for k in table.constraints:
        if k.kind == "FOREIGN KEY" and k.references is not None:
            name = storage.constraint_index_name(table.name, k.name)
            schema, parent, parent_columns = k.references
            references = [schema, parent, list(parent_columns)]
            yield (
                "REF_CONSTRAINT",
                name,
                {
                    "constraint": name,
                    "columns": list(k.columns),
                    "references": references,
                    **({"on_delete": k.on_delete} if k.on_delete else {}),
                    **_state(k),
                },
            )


Found = tuple[str, str, list[str], str | None, dict[str, bool]]


def _constraints(table: catalog.TableDef) -> list[Found]:
    """(name, kind, columns, check condition, state) of the primary, unique and check
    constraints."""
    found: list[Found] = []
    for k in table.constraints:
        if k.kind in ("PRIMARY KEY", "UNIQUE", "CHECK"):
            name = storage.constraint_index_name(table.name, k.name)
            found.append((name, k.kind, list(k.columns), k.condition, _state(k)))
    return found


def _state(k: TableConstraint) -> dict[str, bool]:
    """A constraint's state as its DDL carries it: nothing for ENABLE VALIDATE, the default."""
    return {
        key: value
        for key, value in catalog.encode_constraint(k).items()
        if key in ("disabled", "novalidate") and isinstance(value, bool)
    }


def statistics_of(db: Any, table: catalog.TableDef) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(INDEX_STATISTICS or TABLE_STATISTICS, the index's or table's name, the statistics) for
    each index and the table, only where statistics were gathered (none are invented)."""
    for owner, name, _ in statistics.indexes(db, table):
        found = statistics.index_stats(db, owner, name)
        if found is not None:
            yield "INDEX_STATISTICS", name, {"index": name, "index_schema": owner, "stats": found}
    found = statistics.table_stats(db, table.owner, table.name)
    if found is not None:
        yield "TABLE_STATISTICS", table.name, {"stats": found}
