"""A test's handle on one emulated database: set it up, look inside, move its clock, break it.

Set-up helpers run SQL through the same engine a connection uses, as SYS, but outside any
counted session, so benchmarks count only what the code under test does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from airflow_datapump.testing._backend import faults, tables
from airflow_datapump.testing._backend.database import Database
from airflow_datapump.testing._backend.engine import Backend
from airflow_datapump.testing._backend.runtime import SessionRuntime
from airflow_datapump.testing._backend.session import Session
from airflow_datapump.testing._plsql import engine as language
from airflow_datapump.testing._plsql.errors import ora_line
from airflow_datapump.testing._values import Bind, Value, normalize
from airflow_datapump.testing.sample import HR_TABLES

DEFAULT_PRIVILEGES = ("CREATE SESSION", "CREATE TABLE", "UNLIMITED TABLESPACE")


class DatabaseHandle:
    """Helpers on one emulated database, named by its service."""

    def __init__(self, backend: Backend, database: Database) -> None:
        self._backend = backend
        self._database = database

    @property
    def service(self) -> str:
        return self._database.service

    @property
    def folder(self) -> Path:
        return self._database.folder

    # -- SQL as SYS -----------------------------------------------------------------------

    def execute(self, statement: str, binds: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement as SYS and commit; return the rows of a query."""
        session = self._sys_session()
        bound = {k.upper(): Bind(normalize(v)) for k, v in (binds or {}).items()}
        result = language.execute(statement, bound, SessionRuntime(self._backend, session))
        tables.commit(session)
        return [tuple(_plain(v) for v in row) for row in result.rows]

    def create_user(
        self, name: str, password: str, *, privileges: Iterable[str] = DEFAULT_PRIVILEGES
    ) -> None:
        """CREATE USER with the privileges a schema owner usually has."""
        self.execute(f'CREATE USER "{name}" IDENTIFIED BY "{password}"')
        for privilege in privileges:
            self.execute(f'GRANT {privilege} TO "{name}"')

    def create_directory(self, name: str, path: str | Path, *, grant_to: Iterable[str] = ()) -> Path:
        """CREATE DIRECTORY over a real folder (created if missing), with READ, WRITE grants."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        self.execute(f"CREATE OR REPLACE DIRECTORY \"{name}\" AS '{folder}'")
        for user in grant_to:
            self.execute(f'GRANT READ, WRITE ON DIRECTORY "{name}" TO "{user}"')
        return folder

    def directory_path(self, name: str = "DATA_PUMP_DIR") -> Path:
        rows = self.execute(
            "SELECT directory_path FROM dba_directories WHERE directory_name = :n", {"n": name}
        )
        if not rows:
            raise KeyError(f"no directory object {name}")
        return Path(rows[0][0])

    def create_table(
        self, schema: str, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]] = ()
    ) -> None:
        """CREATE TABLE schema.name (columns...) and insert ``rows``."""
        self.execute(f'CREATE TABLE "{schema}"."{name}" ({", ".join(columns)})')
        self.insert(schema, name, rows)

    def insert(self, schema: str, name: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            marks = ", ".join(f":v{i}" for i in range(len(row)))
            self.execute(
                f'INSERT INTO "{schema}"."{name}" VALUES ({marks})',
                {f"v{i}": v for i, v in enumerate(row)},
            )

    def rows(self, schema: str, name: str, order_by: str = "1") -> list[tuple[Any, ...]]:
        return self.execute(f'SELECT * FROM "{schema}"."{name}" ORDER BY {order_by}')

    def load_sample_hr(self, schema: str = "HR", password: str = "hr") -> None:
        """A small HR-like schema: REGIONS, COUNTRIES, DEPARTMENTS, EMPLOYEES with rows."""
        self.create_user(schema, password)
        for table, (columns, rows) in HR_TABLES.items():
            self.create_table(schema, table, columns, rows)

    # -- optional packages ----------------------------------------------------------------

    def enable_package(self, name: str) -> None:
        """Give this database optional packages: ``"DBMS_CLOUD"``, or ``"RDSADMIN"`` (Amazon RDS).

        Without it the package name is unknown to this database, as on a real one where it was
        never installed (PLS-00201 inside ORA-06550).
        """
        from airflow_datapump.testing._backend.runtime import OPTIONAL_PACKAGES, package_setting

        switch = name.upper()
        choices = sorted(set(OPTIONAL_PACKAGES.values()))
        if switch not in choices:
            raise ValueError(f"{name} is not an optional package; one of {', '.join(choices)}")
        self._database.store.set_setting(package_setting(switch), "enabled")
        if switch == "RDSADMIN":  # RDS has BDUMP, where task logs go
            self.create_directory("BDUMP", self.folder / "bdump")

    @property
    def object_store(self) -> Path:
        """The folder DBMS_CLOUD keeps objects in: a bucket is a folder under it (shared by databases)."""
        return self._backend.root / "object-store"

    # -- time, counters, faults ---------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the clock forward; running jobs progress accordingly."""
        self._database.advance(seconds)
        self.bring_jobs_up_to_date()

    # -- Data Pump jobs -----------------------------------------------------------------

    def bring_jobs_up_to_date(self) -> None:
        """Let every job do the work the clock allows (queries of the views do this too)."""
        from airflow_datapump.testing._datapump.views import bring_up_to_date

        bring_up_to_date(self._sys_session())

    def jobs(self) -> list[dict[str, Any]]:
        """Every job whose master table exists, as DBA_DATAPUMP_JOBS shows it."""
        rows = self.execute(
            "SELECT owner_name, job_name, operation, job_mode, state, degree, attached_sessions "
            "FROM dba_datapump_jobs ORDER BY owner_name, job_name"
        )
        keys = ("owner", "name", "operation", "mode", "state", "degree", "attached_sessions")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def set_job_rate(self, bytes_per_second: float) -> None:
        """How fast jobs work, in bytes per second of this database's clock (default 10 MB/s)."""
        self._database.store.set_setting("job_rate", str(float(bytes_per_second)))

    def set_job_speed(
        self, owner: str, name: str, *, rate: float | None = None, size: int | None = None
    ) -> None:
        """Give one job its own rate (bytes/second) or data size (bytes), e.g. to watch it run."""
        from airflow_datapump.testing._datapump import model

        with self._database.store.write() as db:
            job = model.load(db, owner, name)
            if job is None:
                raise KeyError(f"no job {owner}.{name}")
            job.rate = rate if rate is not None else job.rate
            job.size = size if size is not None else job.size
            model.save(db, job)

    def fail_next_job(
        self,
        *,
        at_percent: int = 50,
        lines: Sequence[str] = (ora_line(39126, "KUPW$WORKER.MAIN", "TABLE_DATA"),),
    ) -> None:
        """The next job started fails when its data reaches ``at_percent``, logging ``lines``."""
        self._queue_job_fault({"kind": "fatal", "at_percent": at_percent, "lines": list(lines)})

    def next_job_completes_with_errors(self, errors: Sequence[Sequence[str]]) -> None:
        """The next job started completes "with N error(s)": one error per group of lines."""
        self._queue_job_fault({"kind": "errors", "errors": [list(group) for group in errors]})

    def _queue_job_fault(self, fault: dict[str, Any]) -> None:
        import json

        current = json.loads(self._database.store.setting("job_faults", "[]") or "[]")
        self._database.store.set_setting("job_faults", json.dumps([*current, fault]))

    def _sys_session(self) -> Session:
        return Session(self._database, 0, 0, "SYS", "SYS", sysdba=True, backend=self._backend)

    def now(self) -> Any:
        return self._database.now()

    def set_reading(self, name: str, value: str) -> None:
        """Pick how this database behaves where Oracle's documentation leaves it open, e.g.
        ``set_reading("FILE_CHECKS", "START_JOB")``; the choices are listed in docs/emulator.md."""
        from airflow_datapump.testing._datapump.rules import READINGS

        if value not in READINGS.get(name, ()):
            allowed = {k: list(v) for k, v in READINGS.items()}
            raise ValueError(f"reading {name}={value!r}: expected one of {allowed}")
        self._database.store.set_setting(f"reading:{name}", value)

    def set_version(self, release: str) -> None:
        """The release this database reports (e.g. ``12.1.0.2.0``), learnt by clients at logon."""
        self._database.store.set_setting("db_version", release)

    def set_clock(self, mode: str) -> None:
        self._database.set_clock_mode(mode)

    def counters(self) -> dict[str, int]:
        """Round trips, sessions opened and other counts since the database was created."""
        return self._database.store.counters()

    def reset_counters(self) -> None:
        self._database.store.reset_counters()

    def fail_call(
        self, error: str = "ORA-03113", *, call: str | None = None, after: int = 0, times: int = 1
    ) -> None:
        """Make a round trip fail: the next one (or the one ``after`` more), ``times`` times.

        ``call`` restricts it to one kind: execute, executemany, fetch, commit, ping ...
        """
        fault: dict[str, Any] = {"kind": "call", "error": error, "skip": after, "times": times}
        if call:
            fault["call"] = call
        faults.add(self._database, fault)

    def lose_reply(self, error: str = "DPY-4011", *, call: str = "execute", times: int = 1) -> None:
        """The next ``call`` does its work, then the connection drops before the reply arrives."""
        faults.add(self._database, {"kind": "reply", "error": error, "call": call, "times": times})

    def fail_subprogram(self, name: str, error: str = "ORA-03113", *, times: int = 1, after: int = 0) -> None:
        """Make calls to a package subprogram (``DBMS_DATAPUMP.GET_STATUS``) fail: the next
        one, or the one ``after`` more (a copy that fails halfway), ``times`` times."""
        faults.add(
            self._database,
            {"kind": "subprogram", "name": name.upper(), "error": error, "times": times, "skip": after},
        )

    def fail_connect(self, error: str = "DPY-6005", *, times: int = 1) -> None:
        faults.add(self._database, {"kind": "connect", "error": error, "times": times})

    def add_latency(self, seconds: float) -> None:
        """Add ``seconds`` of real delay to every round trip until :meth:`clear_faults`."""
        faults.add(self._database, {"kind": "latency", "seconds": seconds})

    def go_down(self) -> None:
        """The database stops answering: connections fail, open sessions are lost."""
        faults.add(self._database, {"kind": "down"})

    def come_back(self) -> None:
        faults.clear(self._database, "down")

    def clear_faults(self) -> None:
        faults.clear(self._database)

    def sessions(self) -> list[tuple[int, str]]:
        """(sid, user) of every open session, from any process."""
        with self._database.store.read() as db:
            return [
                (sid, user) for sid, user in db.execute("SELECT sid, username FROM sessions ORDER BY sid")
            ]

    def kill_session(self, sid: int) -> None:
        """ALTER SYSTEM KILL SESSION: its next call gets ORA-00028, then it is gone."""
        with self._database.store.write() as db:
            db.execute("UPDATE sessions SET killed = 1 WHERE sid = ?", (sid,))


def _plain(value: Value) -> Any:
    """Rows as a test wants them: whole numbers as int, others as Decimal."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value
