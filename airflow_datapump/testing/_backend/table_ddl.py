"""Carry out the DDL of tables and their indexes: CREATE / DROP TABLE, ALTER TABLE ... ADD /
DROP / ENABLE / DISABLE / MODIFY CONSTRAINT and MODIFY column [NOT] NULL, CREATE [UNIQUE]
INDEX and DROP INDEX.

Each checks the privilege the SQL Language Reference names for it (the owner's own CREATE
TABLE, else the ANY privilege); what a constraint or unique index must satisfy is decided in
constraints.py.
"""

from __future__ import annotations

import sqlite3

from airflow_datapump.testing._backend import (
    catalog,
    constraint_state,
    constraints,
    not_null,
    storage,
    tables,
)
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._plsql import ddl as nodes
from airflow_datapump.testing._plsql.errors import ora


def create_table(session: Session, db: sqlite3.Connection, st: nodes.CreateTable) -> None:
    owner = st.schema or session.current_schema
    if owner == session.user:
        catalog.require(db, session.user, "CREATE TABLE")
    else:
        catalog.require(db, session.user, "CREATE ANY TABLE")
    if not catalog.user_exists(db, owner):
        raise catalog.not_found("user", owner)
    if st.tablespace:
        storage.require(db, st.tablespace)
    # The table records where its segment goes, as DBA_TABLES.TABLESPACE_NAME shows it: the
    # TABLESPACE clause, else the owner's default at creation time.
    tablespace = st.tablespace or storage.default_tablespace(db, owner)
    columns, keys = constraints.named(db, st.columns, st.constraints)
    constraints.check_new(db, owner, st.name, columns, (), keys)
    draft = catalog.TableDef(owner, st.name, "TABLE", tablespace, columns, keys)
    checked = tuple(
        constraints.resolve_foreign_key(db, owner, k, draft) if k.kind == "FOREIGN KEY" else k for k in keys
    )
    definition = catalog.TableDef(owner, st.name, "TABLE", tablespace, columns, checked)
    catalog.create_table(db, definition, session.database.now().isoformat())
    if st.rows:
        tables.insert_rows(db, owner, st.name, st.rows)


def drop_table(session: Session, db: sqlite3.Connection, st: nodes.DropTable) -> None:
    owner = st.schema or session.current_schema
    if owner != session.user:
        catalog.require(db, session.user, "DROP ANY TABLE")
    constraints.release_parent(db, owner, st.name, cascade=st.cascade_constraints)
    catalog.drop_table(db, owner, st.name)


def alter_table(session: Session, db: sqlite3.Connection, st: nodes.AlterTable) -> None:
    owner = st.schema or session.current_schema
    table = catalog.table(db, owner, st.name)
    if table is None or table.kind != "TABLE":
        raise ora(942)
    if owner != session.user and not catalog.has_object_privilege(db, session.user, owner, st.name, "ALTER"):
        catalog.require(db, session.user, "ALTER ANY TABLE")
    if st.add is not None:
        constraints.add(db, owner, st.name, st.add, validate=st.validate)
    elif st.drop is not None:
        constraints.drop(db, owner, st.name, st.drop, cascade=st.cascade)
    elif st.state is not None:
        constraint_state.change(db, owner, st.name, st.state)
    elif st.modify is not None:
        not_null.modify(db, table, st.modify.column, st.modify.not_null, st.modify.constraint)


def create_index(session: Session, db: sqlite3.Connection, st: nodes.CreateIndex) -> None:
    owner = st.schema or session.current_schema
    table_owner = st.table_schema or session.current_schema
    if owner != session.user or table_owner != session.user:
        catalog.require(db, session.user, "CREATE ANY INDEX")
    table = catalog.table(db, table_owner, st.table)
    if table is None or table.kind != "TABLE":
        raise ora(942)
    names = [c.name for c in table.columns]
    for column in st.columns:
        if column not in names:
            raise ora(904, f'"{column}"')
    if st.tablespace:
        storage.require(db, st.tablespace)
    tablespace = st.tablespace or storage.default_tablespace(db, owner)
    index = catalog.IndexDef(owner, st.name, table_owner, st.table, st.columns, tablespace, st.unique)
    if st.unique:
        constraints.add_unique_index(db, index)
    else:
        catalog.create_index(db, index)


def drop_index(session: Session, db: sqlite3.Connection, st: nodes.DropIndex) -> None:
    owner = st.schema or session.current_schema
    if owner != session.user:
        catalog.require(db, session.user, "DROP ANY INDEX")
    found = [i for i in catalog.indexes_of(db) if (i.owner, i.name) == (owner, st.name)]
    if not found:
        constraints.refuse_key_index_drop(db, owner, st.name)
    elif found[0].unique:
        constraints.drop_unique_index(db, found[0])
    catalog.drop_index(db, owner, st.name)
