"""The emulated server as the driver sees it: logons, statements, round trips, sessions.

One :class:`Backend` serves every emulated database under one state folder. Each driver
call that is a round trip in python-oracledb thin mode arrives here once and is counted, so
the counters are what a benchmark reads. Statements go to the PL/SQL and SQL engine with a
:class:`~.runtime.SessionRuntime`; nothing here looks at statement text, and who may log on
is :mod:`.logon`'s to say.
"""

from __future__ import annotations

import dataclasses
import os
import random
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from airflow_datapump.testing._backend import faults, link_secret, logon, tables
from airflow_datapump.testing._backend.database import Database, process_alive
from airflow_datapump.testing._backend.runtime import PACKAGES, SessionRuntime
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._engine import (
    ColumnDescription,
    ConnectRequest,
    EngineError,
    SessionRef,
    SessionUpdate,
    StatementKind,
    StatementResult,
)
from airflow_datapump.testing._plsql import engine as language
from airflow_datapump.testing._plsql.errors import OracleError, ora
from airflow_datapump.testing._plsql.packages import CallContext, PackageSpec
from airflow_datapump.testing._values import Bind, CollectionType, DataType, ObjectType, RecordType, Value

# Called with (store connection, sid) when a session ends, in this process or (found dead)
# in another; Data Pump detaches the session's jobs here.
SESSION_END_HOOKS: list[Callable[[Database, sqlite3.Connection, int], None]] = []


class Backend:
    """Every emulated database under one folder, and the sessions of this process."""

    def __init__(self, root: Path, *, clock: str = "manual") -> None:
        self.root = root
        self.clock = clock
        self._databases: dict[str, Database] = {}
        self._packages: dict[str, PackageSpec] = {}
        self._lock = threading.RLock()

    # -- databases ----------------------------------------------------------------------

    def database(self, service: str) -> Database:
        with self._lock:
            if service not in self._databases:
                self._databases[service] = Database(self.root, service, clock=self.clock)
            return self._databases[service]

    def package(self, name: str) -> PackageSpec | None:
        with self._lock:
            if name not in self._packages and name in PACKAGES:
                self._packages[name] = _with_faults(PACKAGES[name](self))
            return self._packages.get(name)

    def shutdown(self) -> None:
        """Close every database's store (the emulator is stopping)."""
        with self._lock:
            for database in self._databases.values():
                database.close()
            self._databases.clear()

    # -- logon --------------------------------------------------------------------------

    def connect(self, request: ConnectRequest) -> SessionRef:
        database = self.database(request.service_name)
        faults.before_connect(database)
        user = logon.canonical_user(request.user)
        sysdba = request.mode == logon.SYSDBA
        with database.store.write() as db:
            logon.check_logon(db, user, request.password, sysdba)
            session_user = "SYS" if sysdba else user
            cursor = db.execute(
                "INSERT INTO sessions (serial, username, pid, logon_time, program) VALUES (?, ?, ?, ?, ?)",
                (
                    random.randint(1, 65535),
                    session_user,
                    os.getpid(),
                    database.now().isoformat(),
                    request.program,
                ),
            )
            sid = int(cursor.lastrowid or 0)
            (serial,) = db.execute("SELECT serial FROM sessions WHERE sid = ?", (sid,)).fetchone()
        database.store.bump("round_trips")  # a refused logon is not counted
        database.store.bump("sessions_opened")
        return Session(database, sid, serial, session_user, session_user, sysdba=sysdba, backend=self)

    def link_session(self, session: Session, link: str) -> Session:
        """A session in the database a link points to, opened once per local session."""
        opened = session.state.setdefault("db_links", {})
        assert isinstance(opened, dict)
        if link in opened:
            return opened[link]  # type: ignore[no-any-return]
        with session.database.store.read() as db:
            row = db.execute(
                "SELECT username, password, service FROM db_links WHERE name = ? AND owner IN (?, 'PUBLIC') "
                "ORDER BY owner = 'PUBLIC'",
                (link, session.user),
            ).fetchone()
            password = link_secret.unseal(db, row[1]) if row is not None else None
        if row is None:
            raise ora(2019)
        request = ConnectRequest(service_name=logon.service_of(row[2]), user=row[0], password=password)
        remote = self.connect(request)
        assert isinstance(remote, Session)
        opened[link] = remote
        return remote

    # -- statements ---------------------------------------------------------------------

    def execute(
        self,
        session: SessionRef,
        statement: str,
        binds: dict[str, Bind] | list[Bind],
        *,
        kind_hint: StatementKind | None = None,
    ) -> StatementResult:
        current = self._round_trip(session, "execute")
        result = self._run(current, statement, binds)
        faults.after_call(current.database, current, "execute")
        return result

    def executemany(
        self,
        session: SessionRef,
        statement: str,
        bind_rows: list[dict[str, Bind]] | list[list[Bind]],
        *,
        batch_errors: bool = False,
    ) -> StatementResult:
        current = self._round_trip(session, "executemany")
        total = StatementResult()
        executions: list[dict[str, Bind] | list[Bind]] = list(bind_rows)
        for offset, binds in enumerate(executions):
            # Each execution is a statement of its own: a failing one stops the call, and the
            # rows the ones before it changed stay (python-oracledb reports their count).
            try:
                result = self._run(current, statement, binds)
            except OracleError as err:
                if batch_errors:
                    total.batch_errors.append((offset, err.code, err.message))
                    continue
                err.rowcount = total.rowcount
                err.transaction_in_progress = current.transaction.active
                raise
            total.rowcount += result.rowcount
            total.is_plsql = result.is_plsql
        total.transaction_in_progress = current.transaction.active
        return total

    def _run(self, session: Session, statement: str, binds: dict[str, Bind] | list[Bind]) -> StatementResult:
        parsed = language.parse(statement)
        if isinstance(binds, list):
            if len(binds) != len(parsed.bind_names):
                raise ora(1008)
            named = dict(zip(parsed.bind_names, binds, strict=True))
        else:
            named = {name.upper(): bind for name, bind in binds.items()}
        result = language.run(parsed, named, SessionRuntime(self, session))
        if session.autocommit and result.statement_kind == "DML":
            tables.commit(session)
        columns = None
        if result.columns is not None:
            columns = [
                ColumnDescription(name, data_type, null_ok=i not in result.not_null)
                for i, (name, data_type) in enumerate(result.columns)
            ]
        return StatementResult(
            columns=columns,
            rows=result.rows,
            rowcount=result.rowcount,
            is_query=result.statement_kind == "SELECT",
            is_plsql=result.statement_kind == "PLSQL",
            transaction_in_progress=session.transaction.active,
        )

    def _round_trip(self, ref: SessionRef, kind: str) -> Session:
        session = _session(ref)
        database = session.database
        faults.before_call(database, session, kind)
        database.store.bump("round_trips")
        with database.store.read() as db:
            killed = db.execute("SELECT killed FROM sessions WHERE sid = ?", (session.sid,)).fetchone()
        if killed is None or killed[0]:
            session.killed = True
            raise EngineError(4011, "DPY", "DPY-4011: the database or network closed the connection")
        return session

    def fetch_round_trip(self, session: SessionRef) -> None:
        self._round_trip(session, "fetch")

    def lob_round_trip(self, session: SessionRef, operation: str) -> None:
        self._round_trip(session, f"lob_{operation}")

    def commit(self, session: SessionRef) -> None:
        tables.commit(self._round_trip(session, "commit"))

    def rollback(self, session: SessionRef) -> None:
        current = self._round_trip(session, "rollback")
        current.transaction = type(current.transaction)()

    def ping(self, session: SessionRef) -> None:
        self._round_trip(session, "ping")

    def cancel(self, session: SessionRef) -> None:
        self._round_trip(session, "cancel")

    def close(self, session: SessionRef) -> None:
        current = _session(session)
        if current.closed:
            return
        current.closed = True
        for remote in list(dict(current.state.get("db_links", {})).values()):  # type: ignore[call-overload]
            self.close(remote)
        current.transaction = type(current.transaction)()  # uncommitted work is rolled back
        database = current.database
        database.store.bump("round_trips")
        with database.store.write() as db:
            end_session(database, db, current.sid)

    def get_type(self, session: SessionRef, name: str) -> ObjectType | CollectionType:
        current = self._round_trip(session, "gettype")
        found = SessionRuntime(self, current).type(name.upper())
        if isinstance(found, ObjectType | CollectionType):
            return found
        raise EngineError(2035, "DPY", f"DPY-2035: invalid object type name: {name}")

    def type_by_oid(self, session: SessionRef, oid: bytes) -> ObjectType | CollectionType | RecordType | None:
        """The named type with this OID (how the Oracle Net server types an object bind)."""
        from airflow_datapump.testing._backend.type_dictionary import by_oid

        entry = by_oid(_session(session), oid)
        found = entry.type if entry is not None else None
        return found if isinstance(found, ObjectType | CollectionType | RecordType) else None

    def type_identity(
        self, session: SessionRef, data_type: DataType
    ) -> tuple[str, str | None, str, bytes] | None:
        """Owner, package, name and OID of a named type; None for a type the dictionary does
        not list (how the Oracle Net server describes an object column)."""
        from airflow_datapump.testing._backend.type_dictionary import entry_of

        entry = entry_of(_session(session), data_type)
        return None if entry is None else (entry.owner, entry.package, entry.name, entry.oid)

    def session_update(self, session: SessionRef, update: SessionUpdate) -> None:
        current = _session(session)
        for key, value in update.attributes.items():
            if key == "CURRENT_SCHEMA":
                current.current_schema = value or current.user
            else:
                current.attributes[key] = value
        if update.call_timeout is not None:
            current.call_timeout_ms = update.call_timeout
        if update.autocommit is not None:
            current.autocommit = update.autocommit

    def server_version(self, session: SessionRef) -> str:
        return _session(session).database.version

    def returning_binds(self, session: SessionRef, statement: str) -> int:
        return language.returning_binds(statement)

    def read_bfile(self, session: SessionRef, directory: str, filename: str) -> bytes | None:
        """A BFILE's bytes, read as the session's user; None when the file does not exist.

        Local: the LOB operation that needs it is counted by :meth:`lob_round_trip`. Missing
        directory objects or privileges read as a missing file, as DBMS_LOB.FILEEXISTS does.
        """
        from airflow_datapump.testing._backend.files import BackendFiles
        from airflow_datapump.testing._packages.files_api import DirectoryError

        current = _session(session)
        try:
            folder = BackendFiles(self).directory_path(current, directory, "READ")
        except DirectoryError:
            return None
        path = folder / filename
        return path.read_bytes() if path.is_file() else None

    def offers(self, service: str) -> bool:
        """Whether the listener offers ``service``: every name does, except during an outage.

        Local: the Oracle Net listener asks before it accepts a connection, as a listener
        knows the services registered with it (a database that is down deregisters).
        """
        return not faults.is_down(self.database(service))

    def logon_verifier(self, service: str, user: str) -> str | None:
        """The stored 12c verifier of ``user`` in ``service``'s database; None if no such user.

        Local (no round trip): the Oracle Net server asks before the logon it serves.
        """
        with self.database(service).store.read() as db:
            return logon.stored_verifier(db, user)

    # -- sessions elsewhere -------------------------------------------------------------

    def purge_dead_sessions(self, database: Database) -> None:
        """End the sessions of processes that no longer exist (their jobs detach)."""
        with database.store.write() as db:
            for sid, pid in db.execute("SELECT sid, pid FROM sessions").fetchall():
                if not process_alive(pid):
                    end_session(database, db, sid)


def _with_faults(spec: PackageSpec) -> PackageSpec:
    """Let injected faults strike calls to named subprograms (``DBMS_DATAPUMP.GET_STATUS``)."""

    def guarded(qualified: str, impl: Callable[..., Value]) -> Callable[..., Value]:
        def call(ctx: CallContext, args: dict[str, Value]) -> Value:
            session = ctx.session
            if isinstance(session, Session):
                faults.before_subprogram(session.database, qualified)
            return impl(ctx, args)

        return call

    spec.subprograms = {
        name: [dataclasses.replace(sub, impl=guarded(f"{spec.name}.{name}", sub.impl)) for sub in overloads]
        for name, overloads in spec.subprograms.items()
    }
    return spec


def end_session(database: Database, db: sqlite3.Connection, sid: int) -> None:
    for hook in SESSION_END_HOOKS:
        hook(database, db, sid)
    db.execute("DELETE FROM sessions WHERE sid = ?", (sid,))


def _session(ref: SessionRef) -> Session:
    if not isinstance(ref, Session):
        raise EngineError(1001, "DPY", "DPY-1001: not connected to database")
    if ref.closed:
        raise EngineError(1001, "DPY", "DPY-1001: not connected to database")
    return ref


__all__ = ["SESSION_END_HOOKS", "Backend", "OracleError", "end_session"]
