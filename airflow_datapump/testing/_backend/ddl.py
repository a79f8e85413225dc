"""Carry out DDL and DCL: users, roles, grants, directories, tables, links, tablespaces.

As in Oracle, DDL commits the session's open transaction first and cannot be rolled back,
and each statement checks the privilege Oracle's SQL Language Reference names for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from airflow_datapump.testing._backend import (
    catalog,
    environment,
    link_secret,
    storage,
    stored_code,
    table_ddl,
    tables,
)
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._net import o5logon
from airflow_datapump.testing._plsql import ddl as nodes
from airflow_datapump.testing._plsql.errors import ora

SYSTEM_PRIVILEGES = frozenset(
    """
    CREATE SESSION; ALTER SESSION; CREATE TABLE; CREATE ANY TABLE; ALTER ANY TABLE;
    DROP ANY TABLE; SELECT ANY TABLE; INSERT ANY TABLE; UPDATE ANY TABLE; DELETE ANY TABLE;
    CREATE VIEW; CREATE SEQUENCE; CREATE PROCEDURE; CREATE TYPE; CREATE TRIGGER;
    CREATE SYNONYM; CREATE USER; ALTER USER; DROP USER; BECOME USER; CREATE ROLE;
    GRANT ANY ROLE; GRANT ANY PRIVILEGE; GRANT ANY OBJECT PRIVILEGE; CREATE ANY DIRECTORY;
    DROP ANY DIRECTORY; CREATE DATABASE LINK; CREATE PUBLIC DATABASE LINK;
    DROP PUBLIC DATABASE LINK; CREATE TABLESPACE; DROP TABLESPACE; UNLIMITED TABLESPACE;
    SELECT ANY DICTIONARY; EXEMPT ACCESS POLICY; EXP_FULL_DATABASE; IMP_FULL_DATABASE;
    CREATE ANY INDEX; DROP ANY INDEX; ANALYZE ANY
    """.replace("\n", " ").split(";")
)
SYSTEM_PRIVILEGES = frozenset(p.strip() for p in SYSTEM_PRIVILEGES if p.strip())
OBJECT_PRIVILEGES = frozenset(
    {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "READ",
        "WRITE",
        "EXECUTE",
        "ALTER",
        "INDEX",
        "REFERENCES",
    }
)
_DIRECTORY_PRIVILEGES = ("READ", "WRITE", "EXECUTE")


def execute(session: Session, statement: nodes.DdlStatement) -> None:
    if isinstance(statement, nodes.AlterSession):
        _alter_session(session, statement)
        return
    tables.commit(session)
    handler = _HANDLERS[type(statement)]
    with session.database.store.write() as db:
        handler(session, db, statement)


def _create_user(session: Session, db: sqlite3.Connection, st: nodes.CreateUser) -> None:
    catalog.require(db, session.user, "CREATE USER")
    if catalog.user_exists(db, st.name) or catalog.role_exists(db, st.name):
        raise ora(1920, st.name)
    if st.default_tablespace:
        storage.require(db, st.default_tablespace)
    db.execute(
        "INSERT INTO users (name, password, default_tablespace, created) VALUES (?, ?, ?, ?)",
        (
            st.name,
            o5logon.make_verifier(st.password),
            st.default_tablespace or storage.DATABASE_DEFAULT,
            session.database.now().isoformat(),
        ),
    )
    _storage_options(db, st.name, st.temporary_tablespace, st.quotas, creating=True)


def _storage_options(
    db: sqlite3.Connection,
    user: str,
    temporary: str | None,
    quotas: tuple[nodes.Quota, ...],
    *,
    creating: bool,
) -> None:
    """TEMPORARY TABLESPACE and QUOTA clauses of CREATE/ALTER USER, each tablespace checked."""
    if temporary is not None or creating:
        storage.set_temporary(db, user, temporary)
    for quota in quotas:
        storage.set_quota(db, user, quota.tablespace, quota.size)


def _alter_user(session: Session, db: sqlite3.Connection, st: nodes.AlterUser) -> None:
    only_password = st.password is not None and not (
        st.default_tablespace or st.temporary_tablespace or st.quotas or st.account
    )
    if not (st.name == session.user and only_password):
        catalog.require(db, session.user, "ALTER USER")
    if not catalog.user_exists(db, st.name):
        raise catalog.not_found("user", st.name)
    if st.password is not None:
        db.execute(
            "UPDATE users SET password = ? WHERE name = ?", (o5logon.make_verifier(st.password), st.name)
        )
    if st.default_tablespace:
        storage.require(db, st.default_tablespace)
        db.execute(
            "UPDATE users SET default_tablespace = ? WHERE name = ?",
            (st.default_tablespace, st.name),
        )
    _storage_options(db, st.name, st.temporary_tablespace, st.quotas, creating=False)
    if st.account:
        status = "LOCKED" if st.account == "LOCK" else "OPEN"
        db.execute("UPDATE users SET account_status = ? WHERE name = ?", (status, st.name))


def _drop_user(session: Session, db: sqlite3.Connection, st: nodes.DropUser) -> None:
    catalog.require(db, session.user, "DROP USER")
    if not catalog.user_exists(db, st.name):
        raise catalog.not_found("user", st.name)
    owned = catalog.tables_of(db, st.name)
    if owned and not st.cascade:
        raise ora(1922, st.name)
    for table in owned:
        catalog.drop_table(db, table.owner, table.name)
    for statement in (
        "DELETE FROM users WHERE name = ?",
        "DELETE FROM sys_privs WHERE grantee = ?",
        "DELETE FROM obj_privs WHERE grantee = ? OR owner = ?",
        "DELETE FROM db_links WHERE owner = ?",
        "DELETE FROM jobs WHERE owner = ?",
    ):
        db.execute(statement, (st.name,) * statement.count("?"))
    storage.forget_user(db, st.name)


def _check_grantees(db: sqlite3.Connection, grantees: tuple[str, ...]) -> None:
    for grantee in grantees:
        if grantee != "PUBLIC" and not (catalog.user_exists(db, grantee) or catalog.role_exists(db, grantee)):
            raise ora(1917, grantee)


def _grant(session: Session, db: sqlite3.Connection, st: nodes.Grant) -> None:
    _check_grantees(db, st.grantees)
    if st.on is None:
        for privilege in st.privileges:
            is_role = catalog.role_exists(db, privilege)
            if not is_role and privilege not in SYSTEM_PRIVILEGES:
                raise ora(990)
            needed = "GRANT ANY ROLE" if is_role else "GRANT ANY PRIVILEGE"
            if not _admin_of(db, session.user, privilege):
                catalog.require(db, session.user, needed)
            for grantee in st.grantees:
                db.execute(
                    "INSERT OR REPLACE INTO sys_privs VALUES (?, ?, ?)",
                    (grantee, privilege, int(st.with_admin_option)),
                )
        return
    owner, name = _object_owner(session, db, st.on, st.on_directory)
    for privilege in _object_privileges(st.privileges, st.on_directory):
        if not (
            session.user == owner or catalog.has_privilege(db, session.user, "GRANT ANY OBJECT PRIVILEGE")
        ):
            raise ora(1031)
        for grantee in st.grantees:
            db.execute(
                "INSERT OR IGNORE INTO obj_privs VALUES (?, ?, ?, ?)",
                (owner, name, grantee, privilege),
            )


def _admin_of(db: sqlite3.Connection, user: str, privilege: str) -> bool:
    row = db.execute(
        "SELECT admin FROM sys_privs WHERE grantee = ? AND privilege = ?", (user, privilege)
    ).fetchone()
    return bool(row and row[0])


def _object_owner(
    session: Session, db: sqlite3.Connection, on: nodes.ObjectName, directory: bool
) -> tuple[str, str]:
    if directory:
        if catalog.directory(db, on.name) is None:
            raise ora(942)
        # Directories belong to SYS; their creator and DBAs may grant on them.
        if not (
            catalog.has_privilege(db, session.user, "CREATE ANY DIRECTORY")
            or catalog.directory_access(db, session.user, on.name, "READ")
        ):
            raise ora(1031)
        return "SYS", on.name
    owner = on.schema or session.current_schema
    if catalog.table(db, owner, on.name) is None:
        raise ora(942)
    return (owner if owner != session.user else session.user), on.name


def _object_privileges(privileges: tuple[str, ...], directory: bool) -> list[str]:
    if privileges in (("ALL",), ("ALL PRIVILEGES",)):
        return list(_DIRECTORY_PRIVILEGES if directory else ("SELECT", "INSERT", "UPDATE", "DELETE"))
    for privilege in privileges:
        if privilege not in OBJECT_PRIVILEGES:
            raise ora(990)
    return list(privileges)


def _revoke(session: Session, db: sqlite3.Connection, st: nodes.Revoke) -> None:
    _check_grantees(db, st.grantees)
    for grantee in st.grantees:
        if st.on is None:
            for privilege in st.privileges:
                if (
                    db.execute(
                        "DELETE FROM sys_privs WHERE grantee = ? AND privilege = ?",
                        (grantee, privilege),
                    ).rowcount
                    == 0
                ):
                    raise ora(1952, grantee)
        else:
            owner, name = _object_owner(session, db, st.on, st.on_directory)
            for privilege in _object_privileges(st.privileges, st.on_directory):
                db.execute(
                    "DELETE FROM obj_privs WHERE owner = ? AND object = ? AND grantee = ? AND privilege = ?",
                    (owner, name, grantee, privilege),
                )


def _create_role(session: Session, db: sqlite3.Connection, st: nodes.CreateRole) -> None:
    catalog.require(db, session.user, "CREATE ROLE")
    if catalog.user_exists(db, st.name) or catalog.role_exists(db, st.name):
        raise ora(1921, st.name)
    db.execute("INSERT INTO roles (name) VALUES (?)", (st.name,))
    db.execute("INSERT INTO sys_privs VALUES (?, ?, 1)", (session.user, st.name))


def _drop_role(session: Session, db: sqlite3.Connection, st: nodes.DropRole) -> None:
    if not catalog.role_exists(db, st.name):
        raise catalog.not_found("role", st.name)
    if not _admin_of(db, session.user, st.name):
        catalog.require(db, session.user, "DROP ANY ROLE")
    db.execute("DELETE FROM roles WHERE name = ?", (st.name,))
    db.execute("DELETE FROM sys_privs WHERE privilege = ? OR grantee = ?", (st.name, st.name))


def _create_directory(session: Session, db: sqlite3.Connection, st: nodes.CreateDirectory) -> None:
    catalog.require(db, session.user, "CREATE ANY DIRECTORY")
    if catalog.directory(db, st.name) is not None and not st.or_replace:
        raise ora(955)
    # The path is not checked: Oracle does not check it either until a file is opened.
    db.execute("INSERT OR REPLACE INTO directories VALUES (?, ?)", (st.name, st.path))
    for privilege in ("READ", "WRITE"):  # the creator gets READ and WRITE (SQL Reference)
        db.execute(
            "INSERT OR IGNORE INTO obj_privs VALUES ('SYS', ?, ?, ?)",
            (st.name, session.user, privilege),
        )


def _drop_directory(session: Session, db: sqlite3.Connection, st: nodes.DropDirectory) -> None:
    catalog.require(db, session.user, "DROP ANY DIRECTORY")
    if db.execute("DELETE FROM directories WHERE name = ?", (st.name,)).rowcount == 0:
        raise ora(4043, st.name)
    db.execute("DELETE FROM obj_privs WHERE owner = 'SYS' AND object = ?", (st.name,))


def _create_link(session: Session, db: sqlite3.Connection, st: nodes.CreateDatabaseLink) -> None:
    catalog.require(db, session.user, "CREATE PUBLIC DATABASE LINK" if st.public else "CREATE DATABASE LINK")
    owner = "PUBLIC" if st.public else session.user
    if db.execute("SELECT 1 FROM db_links WHERE owner = ? AND name = ?", (owner, st.name)).fetchone():
        raise ora(2011)
    db.execute(
        "INSERT INTO db_links VALUES (?, ?, ?, ?, ?)",
        (owner, st.name, st.user, link_secret.seal(db, st.password), st.using),
    )


def _drop_link(session: Session, db: sqlite3.Connection, st: nodes.DropDatabaseLink) -> None:
    owner = "PUBLIC" if st.public else session.user
    if st.public:
        catalog.require(db, session.user, "DROP PUBLIC DATABASE LINK")
    if db.execute("DELETE FROM db_links WHERE owner = ? AND name = ?", (owner, st.name)).rowcount == 0:
        raise ora(2024)


def _create_tablespace(session: Session, db: sqlite3.Connection, st: nodes.CreateTablespace) -> None:
    catalog.require(db, session.user, "CREATE TABLESPACE")
    if not st.files:
        # Without Oracle Managed Files (DB_CREATE_FILE_DEST unset here) the clause is required.
        raise ora(2199)
    storage.add_tablespace(db, st.name, st.contents, list(st.files), bigfile=st.bigfile)


def _drop_tablespace(session: Session, db: sqlite3.Connection, st: nodes.DropTablespace) -> None:
    catalog.require(db, session.user, "DROP TABLESPACE")
    storage.drop_tablespace(db, st.name, including_contents=st.including_contents)


def _alter_session(session: Session, st: nodes.AlterSession) -> None:
    if st.parameter == "CURRENT_SCHEMA":
        with session.database.store.read() as db:
            if not catalog.user_exists(db, st.value):
                raise ora(1435)
        session.current_schema = st.value
    elif st.parameter == "TIME_ZONE":
        session.attributes[st.parameter] = environment.check_time_zone(st.value)
    elif st.parameter.startswith("NLS_") or st.parameter == "EDITION":
        session.attributes[st.parameter] = st.value
    else:
        raise ora(2248)


_HANDLERS: dict[type, Callable[[Session, sqlite3.Connection, nodes.DdlStatement], None]] = {
    nodes.CreatePackage: stored_code.create,  # type: ignore[dict-item]
    nodes.CreateUser: _create_user,  # type: ignore[dict-item]
    nodes.AlterUser: _alter_user,  # type: ignore[dict-item]
    nodes.DropUser: _drop_user,  # type: ignore[dict-item]
    nodes.Grant: _grant,  # type: ignore[dict-item]
    nodes.Revoke: _revoke,  # type: ignore[dict-item]
    nodes.CreateRole: _create_role,  # type: ignore[dict-item]
    nodes.DropRole: _drop_role,  # type: ignore[dict-item]
    nodes.CreateDirectory: _create_directory,  # type: ignore[dict-item]
    nodes.DropDirectory: _drop_directory,  # type: ignore[dict-item]
    nodes.CreateTable: table_ddl.create_table,  # type: ignore[dict-item]
    nodes.DropTable: table_ddl.drop_table,  # type: ignore[dict-item]
    nodes.AlterTable: table_ddl.alter_table,  # type: ignore[dict-item]
    nodes.CreateIndex: table_ddl.create_index,  # type: ignore[dict-item]
    nodes.DropIndex: table_ddl.drop_index,  # type: ignore[dict-item]
    nodes.CreateDatabaseLink: _create_link,  # type: ignore[dict-item]
    nodes.DropDatabaseLink: _drop_link,  # type: ignore[dict-item]
    nodes.CreateTablespace: _create_tablespace,  # type: ignore[dict-item]
    nodes.DropTablespace: _drop_tablespace,  # type: ignore[dict-item]
}
