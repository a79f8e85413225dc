"""State on disk: one SQLite file per emulated database.

A worker, a triggerer and the test process each open the same file, so they see one
database, as they would see one Oracle instance. SQLite serialises writers; each write runs
in ``BEGIN IMMEDIATE`` so a read-modify-write (a job's state change, a counter) is atomic
across processes. Each thread has its own connection in WAL mode, so a reader never waits
for a writer (a long export's catch-up, another session's commit): it reads the last
committed state, as Oracle's readers do.

Rows are indexed twice over: ``rows`` by table, and ``row_keys`` by the value of each primary
or unique key, so a uniqueness check costs the same whatever a table holds. Triggers drop a
row's keys with the row, and a job's staged rows (``job_rows``, what an export read at its
start or an import read from its dump file) with the job.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, password TEXT, default_tablespace TEXT, created TEXT NOT NULL,
    account_status TEXT NOT NULL DEFAULT 'OPEN', oracle_maintained INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS roles (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS sys_privs (
    grantee TEXT NOT NULL, privilege TEXT NOT NULL, admin INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grantee, privilege));
CREATE TABLE IF NOT EXISTS obj_privs (
    owner TEXT NOT NULL, object TEXT NOT NULL, grantee TEXT NOT NULL, privilege TEXT NOT NULL,
    PRIMARY KEY (owner, object, grantee, privilege));
CREATE TABLE IF NOT EXISTS plsql_packages (
    owner TEXT NOT NULL, name TEXT NOT NULL, part TEXT NOT NULL, source TEXT NOT NULL,
    declared TEXT NOT NULL, PRIMARY KEY (owner, name, part));
CREATE TABLE IF NOT EXISTS directories (name TEXT PRIMARY KEY, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS db_links (
    owner TEXT NOT NULL, name TEXT NOT NULL, username TEXT NOT NULL, password TEXT,
    service TEXT NOT NULL, PRIMARY KEY (owner, name));
CREATE TABLE IF NOT EXISTS tablespaces (name TEXT PRIMARY KEY, datafile TEXT);
CREATE TABLE IF NOT EXISTS tables (
    owner TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'TABLE',
    tablespace TEXT, definition TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY (owner, name));
CREATE TABLE IF NOT EXISTS indexes (
    owner TEXT NOT NULL, name TEXT NOT NULL, table_owner TEXT NOT NULL, table_name TEXT NOT NULL,
    columns TEXT NOT NULL, tablespace TEXT, uniq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (owner, name));
CREATE TABLE IF NOT EXISTS statistics (
    owner TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (owner, name, kind));
CREATE TABLE IF NOT EXISTS rows (
    rid INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, table_name TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rows_by_table ON rows (owner, table_name);
CREATE TABLE IF NOT EXISTS sessions (
    sid INTEGER PRIMARY KEY AUTOINCREMENT, serial INTEGER NOT NULL, username TEXT NOT NULL,
    pid INTEGER NOT NULL, logon_time TEXT NOT NULL, program TEXT, killed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS row_keys (
    owner TEXT NOT NULL, table_name TEXT NOT NULL, key_id TEXT NOT NULL, key TEXT NOT NULL,
    rid INTEGER NOT NULL, PRIMARY KEY (owner, table_name, key_id, key, rid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS row_keys_by_rid ON row_keys (rid);
CREATE TRIGGER IF NOT EXISTS row_keys_deleted AFTER DELETE ON rows
    BEGIN DELETE FROM row_keys WHERE rid = old.rid; END;
CREATE TRIGGER IF NOT EXISTS row_keys_updated AFTER UPDATE OF data ON rows
    BEGIN DELETE FROM row_keys WHERE rid = old.rid; END;
CREATE TABLE IF NOT EXISTS jobs (
    owner TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL, state TEXT NOT NULL DEFAULT '',
    due TEXT, rate REAL, removable INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (owner, name));
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, due);
CREATE INDEX IF NOT EXISTS jobs_by_rate ON jobs (state, rate);
CREATE INDEX IF NOT EXISTS jobs_removable ON jobs (removable) WHERE removable = 1;
CREATE TABLE IF NOT EXISTS job_rows (
    owner TEXT NOT NULL, job TEXT NOT NULL, rows_id TEXT NOT NULL, seq INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (owner, job, rows_id, seq)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS job_rows_dropped AFTER DELETE ON jobs
    BEGIN DELETE FROM job_rows WHERE owner = old.owner AND job = old.name; END;
CREATE TABLE IF NOT EXISTS attachments (
    sid INTEGER NOT NULL, handle INTEGER NOT NULL, owner TEXT NOT NULL, job_name TEXT NOT NULL,
    PRIMARY KEY (sid, handle));
CREATE INDEX IF NOT EXISTS attachments_by_job ON attachments (owner, job_name);
CREATE TABLE IF NOT EXISTS longops (
    id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT, opname TEXT, target_desc TEXT,
    sofar INTEGER, totalwork INTEGER, units TEXT, message TEXT, start_time TEXT,
    last_update_time TEXT);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL);
"""


_COUNTERS = "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"


def _upgrade(conn: sqlite3.Connection) -> str:
    """SQL that brings a state file an earlier emulator wrote up to this schema: the columns
    later added to ``jobs`` and ``indexes`` (run before SCHEMA, whose indexes name them)."""
    sql = ""
    jobs = _columns(conn, "jobs")
    if jobs and "state" not in jobs:
        sql += (
            "ALTER TABLE jobs ADD COLUMN state TEXT NOT NULL DEFAULT '';"
            "ALTER TABLE jobs ADD COLUMN due TEXT; ALTER TABLE jobs ADD COLUMN rate REAL;"
            "ALTER TABLE jobs ADD COLUMN removable INTEGER NOT NULL DEFAULT 0;"
            "UPDATE jobs SET state = json_extract(data, '$.state'), due = '';"
        )
    indexes = _columns(conn, "indexes")
    if indexes and "uniq" not in indexes:  # CREATE UNIQUE INDEX came later: every index is plain
        sql += "ALTER TABLE indexes ADD COLUMN uniq INTEGER NOT NULL DEFAULT 0;"
    return sql


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _name_flagged_keys(conn: sqlite3.Connection) -> None:
    """An earlier emulator kept a key written in line as a flag on its column, named by a
    checksum of the table's name (so a table's PRIMARY KEY and UNIQUE flags shared one name).
    Each becomes a constraint of its own, as CREATE TABLE now makes it: the first keeps the
    name the dictionary listed, unless its schema already uses it; the others get a SYS_C name
    from the database's sequence. Its index entries stay: they are per column list."""
    from airflow_datapump.testing._backend.catalog import generated_constraint_name

    flagged = conn.execute(
        "SELECT owner, name, definition FROM tables "
        "WHERE definition LIKE '%\"primary_key\": true%' OR definition LIKE '%\"unique\": true%'"
    ).fetchall()
    for owner, name, text in flagged:
        data = json.loads(text)
        used = {
            k["name"]
            for (other,) in conn.execute("SELECT definition FROM tables WHERE owner = ?", (owner,))
            for k in json.loads(other)["constraints"]
        }
        old_name = f"SYS_C00{zlib.crc32(name.encode()) % 10000:04d}"
        for column in data["columns"]:
            if not (column.get("primary_key") or column.get("unique")):
                continue
            kind = "PRIMARY KEY" if column["primary_key"] else "UNIQUE"
            key_name = old_name if old_name not in used else generated_constraint_name(conn)
            used.add(key_name)
            data["constraints"].append({"name": key_name, "kind": kind, "columns": [column["name"]]})
            column["primary_key"] = column["unique"] = False
        conn.execute(
            "UPDATE tables SET definition = ? WHERE owner = ? AND name = ?", (json.dumps(data), owner, name)
        )


class StoreClosedError(RuntimeError):
    """A store was used after the emulator closed it (a straggling thread as it stops)."""


class Store:
    """The SQLite file behind one emulated database."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Counters live in a file of their own: every round trip bumps one, and must not
        # wait for a long transaction on the database's state to do it.
        self.counter_path = path.with_name(f"{path.stem}-counters{path.suffix}")
        self._lock = threading.Lock()
        self._closed = False
        self._connections: dict[tuple[int, int, Path], sqlite3.Connection] = {}
        self._connection().executescript(f"BEGIN IMMEDIATE;{_upgrade(self._connection())}{SCHEMA}COMMIT;")
        with self.write() as db:
            _name_flagged_keys(db)
        self._connection(self.counter_path).executescript(f"BEGIN IMMEDIATE;{_COUNTERS}COMMIT;")

    def _connection(self, path: Path | None = None) -> sqlite3.Connection:
        """This thread's connection, opened on first use (SQLite connections are not shared).

        Keyed by process too: a process forked after the store was used (Airflow's triggerer
        forks its trigger runner) must open its own connection, never use its parent's, which
        SQLite does not allow across a fork.
        """
        if self._closed:
            raise StoreClosedError(f"the emulated database in {self.path.parent} is closed")
        key = (os.getpid(), threading.get_ident(), path or self.path)
        conn = self._connections.get(key)
        if conn is None:
            conn = sqlite3.connect(key[2], timeout=30.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            with self._lock:
                self._connections[key] = conn
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction that holds SQLite's write lock from its first statement."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read: one deferred transaction, so concurrent writers don't tear it."""
        conn = self._connection()
        if conn.in_transaction:  # nested inside write(): already consistent
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def bump(self, name: str, amount: int = 1) -> None:
        """Add to a counter (round trips, sessions opened), atomically across processes."""
        self._connection(self.counter_path).execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
            (name, amount),
        )

    def counters(self) -> dict[str, int]:
        return dict(self._connection(self.counter_path).execute("SELECT name, value FROM counters"))

    def reset_counters(self) -> None:
        self._connection(self.counter_path).execute("DELETE FROM counters")

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.read() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        """Close every thread's connection; later use raises :class:`StoreClosedError`."""
        with self._lock:
            self._closed = True
            for conn in self._connections.values():
                conn.close()
            self._connections.clear()
