"""What the PL/SQL and SQL engine asks of the database, answered for one session.

Name resolution follows Oracle's order for what the emulator has: a dictionary view (public
synonym), then a table in the named schema or the session's current schema, each subject to
privileges; ``name@link`` resolves the link (the user's own, then PUBLIC) and reads the table
in the linked database as the link's user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from airflow_datapump.testing._backend import catalog, ddl, environment, integrity, stored_code, tables, views
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._backend.session import statement as session_statement
from airflow_datapump.testing._plsql.ddl import DdlStatement
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.packages import PackageSpec
from airflow_datapump.testing._plsql.runtime import TableSource
from airflow_datapump.testing._values import DataType, Value

if TYPE_CHECKING:
    from airflow_datapump.testing._backend.engine import Backend

_SCHEMA_PREFIXES = ("SYS.", "PUBLIC.")
_ANY_TABLE = ("SELECT ANY TABLE", "INSERT ANY TABLE", "UPDATE ANY TABLE", "DELETE ANY TABLE")
_TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")

# Package and type providers, registered by the modules that implement them.
PackageFactory = Callable[["Backend"], PackageSpec]
TypeProvider = Callable[[str], DataType | None]
PACKAGES: dict[str, PackageFactory] = {}
TYPE_PROVIDERS: list[TypeProvider] = []
# Packages only some databases have (DBMS_CLOUD is installed on few, RDSADMIN only on RDS): a
# database resolves one only once its handle enabled it, else the name is unknown (PLS-00201).
# Each optional package names the switch that gives it (RDSADMIN gives two packages).
OPTIONAL_PACKAGES: dict[str, str] = {}


def package_setting(switch: str) -> str:
    """The settings key that says a database has the optional packages of ``switch``."""
    return f"package {switch}"


def _strip_owner(name: str) -> str:
    for prefix in _SCHEMA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class SessionRuntime:
    """The language engine's view of the database, as seen by one session."""

    def __init__(self, backend: Backend, session: Session) -> None:
        self._backend = backend
        self._session = session

    def package(self, name: str) -> PackageSpec | None:
        bare = _strip_owner(name)
        switch = OPTIONAL_PACKAGES.get(bare)
        if switch is not None and self._session.database.store.setting(package_setting(switch)) is None:
            return None
        found = self._backend.package(bare)
        return found if found is not None else stored_code.package(self._session, name)

    def type(self, name: str) -> DataType | None:
        bare = _strip_owner(name)
        for provider in TYPE_PROVIDERS:
            found = provider(bare)
            if found is not None:
                return found
        return None

    def now(self) -> dt.datetime:
        return self._session.database.now()

    def current_user(self) -> str:
        return self._session.user

    def context_function(self, name: str, args: Sequence[Value]) -> Value:
        return environment.call(self._session, name, args)

    def session(self) -> object:
        return self._session

    def table(self, name: str, schema: str | None, dblink: str | None) -> TableSource:
        if dblink is not None:
            remote = self._backend.link_session(self._session, dblink)
            return SessionRuntime(self._backend, remote).table(name, schema, None)
        if schema in (None, "SYS", "PUBLIC"):
            view = views.open_view(self._session, name)
            if view is not None:
                return view
        return self._stored_table(schema or self._session.current_schema, name)

    def _stored_table(self, owner: str, name: str) -> TableSource:
        session = self._session
        with session.database.store.read() as db:
            definition = catalog.table(db, owner, name)
            visible = definition is not None and (
                owner == session.user
                or any(catalog.has_privilege(db, session.user, p) for p in _ANY_TABLE)
                or any(
                    catalog.has_object_privilege(db, session.user, owner, name, p) for p in _TABLE_PRIVILEGES
                )
            )
        if definition is None or not visible:
            raise ora(942)
        return integrity.ConstrainedTable(session, definition)

    def execute_ddl(self, statement: DdlStatement) -> None:
        ddl.execute(self._session, statement)

    def commit(self) -> None:
        tables.commit(self._session)

    def rollback(self, savepoint: str | None = None) -> None:
        if savepoint is not None:
            self._session.transaction.rollback_to(savepoint)
        else:
            self._session.transaction = self._session.transaction.successor()

    def savepoint(self, name: str) -> None:
        self._session.transaction.savepoint(name)

    def statement(self) -> AbstractContextManager[None]:
        return session_statement(self._session)
