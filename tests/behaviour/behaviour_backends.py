"""Where the behaviour tests run: the emulator (always) or a real Oracle (when configured).

A behaviour test asks its backend for an Airflow connection id, a schema with data, a
directory object and a way to let a job run; it never reaches into the emulator. The live
backend creates a throw-away schema, refuses a database that does not look disposable
(unless ``AIRFLOW_DATAPUMP_LIVE_FORCE=1``), and removes every user, job and file it made.

``AIRFLOW_DATAPUMP_LIVE_DSN`` configures the live run: ``user/password@host:port/service``
for a user with the DATAPUMP roles and READ, WRITE on the directory object (default
``DATA_PUMP_DIR``, or ``AIRFLOW_DATAPUMP_LIVE_DIRECTORY``, created over the server folder
``AIRFLOW_DATAPUMP_LIVE_DIRECTORY_PATH`` when that is set). The example-DAG tests also need
a second directory object over another server folder (``AIRFLOW_DATAPUMP_LIVE_SECOND_DIRECTORY_PATH``)
and a database link from the database to itself, reached at ``AIRFLOW_DATAPUMP_LIVE_LINK_USING``
as the server sees it (default ``localhost:1521/<service>``).
"""

from __future__ import annotations

import os
import re
import secrets
from typing import Any, Protocol

import oracledb

from airflow_datapump import JobSpec
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import JobResult
from airflow_datapump.hooks.datapump import DatapumpHook

LIVE_DSN = "AIRFLOW_DATAPUMP_LIVE_DSN"
DISPOSABLE = re.compile(r"FREE|XE|TEST|CI|DEV|SCRATCH", re.IGNORECASE)
SAMPLE = {
    "REGIONS": (
        "REGION_ID NUMBER PRIMARY KEY, REGION_NAME VARCHAR2(25)",
        [(1, "Europe"), (2, "Americas"), (3, "Asia")],
    ),
    "STAFF": (
        "STAFF_ID NUMBER PRIMARY KEY, NAME VARCHAR2(30) NOT NULL, REGION_ID NUMBER",
        [(10, "Ada", 1), (11, "Bram", 2), (12, "Cleo", 3), (13, "Dario", 1)],
    ),
}


class Backend(Protocol):
    name: str
    conn_id: str
    user: str
    schema: str
    directory: str
    second_directory: str | None
    link: str
    prefix: str
    poll_interval: float

    def run_to_end(self, hook: DatapumpHook, job: JobRef) -> JobResult: ...

    def let_jobs_run(self) -> None:
        """Jobs progress on their own from now on, as they do in a real database."""

    def remember_file(self, directory: str, name: str) -> None:
        """A file a test made that close() must remove."""

    def rows(self, schema: str, table: str) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...


def export_spec(backend: Backend, name: str = "EXP") -> JobSpec:
    """A schema export of the backend's sample, named after the run's prefix."""
    return JobSpec(
        "EXPORT",
        "SCHEMA",
        schemas=[backend.schema],
        directory=backend.directory,
        dump_files=[f"{backend.prefix}_{name}_%U.dmp"],
        reuse_dump_files=True,
        job_name=f"{backend.prefix}_{name}",
    )


def emulator_reading(backend: Backend, name: str, value: str) -> None:
    """On the emulator, one reading of what Oracle leaves open (docs/emulator.md); a real
    Oracle has the one its release has."""
    if backend.name == "emulator":
        backend.db.set_reading(name, value)  # type: ignore[attr-defined]


def parse_dsn(dsn: str) -> tuple[str, str, str]:
    credentials, _, address = dsn.partition("@")
    user, _, password = credentials.partition("/")
    if not (user and password and address):
        raise ValueError(f"{LIVE_DSN} must look like user/password@host:port/service")
    return user, password, address


class LiveBackend:
    """A real database, with a schema of its own for this run."""

    name = "live"

    def __init__(self, dsn: str) -> None:
        user, password, address = parse_dsn(dsn)
        self.admin = oracledb.connect(user=user, password=password, dsn=address)
        self._refuse_unless_disposable(address)
        self.prefix = f"DPT{secrets.token_hex(3).upper()}"
        self.user = user.upper()
        self.schema = f"{self.prefix}_SRC"
        self.directory = os.environ.get("AIRFLOW_DATAPUMP_LIVE_DIRECTORY", "DATA_PUMP_DIR")
        self.second_directory: str | None = None
        self.link = f"{self.prefix}_LOOP"
        self.poll_interval = 1.0
        self._files: list[tuple[str, str]] = []
        host, _, service = address.rpartition("/")
        self._link_using = os.environ.get("AIRFLOW_DATAPUMP_LIVE_LINK_USING", f"localhost:1521/{service}")
        self._password = password
        self.conn_id = "datapump_live"
        os.environ["AIRFLOW_CONN_DATAPUMP_LIVE"] = f"oracle://{user}:{password}@{host}?service_name={service}"
        self._setup()

    def _refuse_unless_disposable(self, address: str) -> None:
        (name,) = self.admin.cursor().execute("SELECT global_name FROM global_name").fetchone()
        if (
            not (DISPOSABLE.search(str(name)) or DISPOSABLE.search(address))
            and os.environ.get("AIRFLOW_DATAPUMP_LIVE_FORCE") != "1"
        ):
            raise RuntimeError(
                f"database {name} does not look disposable "
                "(its name has none of FREE, XE, TEST, CI, DEV, SCRATCH); "
                "set AIRFLOW_DATAPUMP_LIVE_FORCE=1 to run the live suite on it anyway"
            )

    def _setup(self) -> None:
        cursor = self.admin.cursor()
        path = os.environ.get("AIRFLOW_DATAPUMP_LIVE_DIRECTORY_PATH")
        if path:  # a PDB needs a directory object of its own for Data Pump (ORA-39087, ORA-65100)
            cursor.execute(
                f"""CREATE OR REPLACE DIRECTORY "{self.directory}" AS '{path.replace("'", "''")}'"""
            )
        second = os.environ.get("AIRFLOW_DATAPUMP_LIVE_SECOND_DIRECTORY_PATH")
        if second:
            self.second_directory = f"{self.prefix}_COPY"
            cursor.execute(f"""CREATE DIRECTORY "{self.second_directory}" AS '{second.replace("'", "''")}'""")
        cursor.execute(
            f'CREATE DATABASE LINK "{self.link}" CONNECT TO "{self.user}" '
            f"""IDENTIFIED BY "{self._password}" USING '{self._link_using.replace("'", "''")}'"""
        )
        cursor.execute(
            f'CREATE USER "{self.schema}" IDENTIFIED BY "{secrets.token_hex(8)}x" QUOTA UNLIMITED ON users'
        )
        cursor.execute(f'GRANT CREATE SESSION, CREATE TABLE TO "{self.schema}"')
        for table, (columns, rows) in SAMPLE.items():
            cursor.execute(f'CREATE TABLE "{self.schema}"."{table}" ({columns})')
            marks = ", ".join(f":{i + 1}" for i in range(len(rows[0])))
            cursor.executemany(f'INSERT INTO "{self.schema}"."{table}" VALUES ({marks})', rows)
        self.admin.commit()

    def run_to_end(self, hook: DatapumpHook, job: JobRef) -> JobResult:
        return hook.wait(job, poll_interval=1, timeout=900)

    def let_jobs_run(self) -> None:
        """A real database's jobs always do."""

    def remember_file(self, directory: str, name: str) -> None:
        self._files.append((directory, name))

    def rows(self, schema: str, table: str) -> list[tuple[Any, ...]]:
        return list(self.admin.cursor().execute(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1'))

    def close(self) -> None:
        """Remove what this run made: its jobs, its users, its files."""
        hook = DatapumpHook(oracle_conn_id=self.conn_id)
        for job in hook.list_jobs():
            if job.job_name.startswith(self.prefix):
                hook.kill(job.job_name, job.owner)
        cursor = self.admin.cursor()
        for (user,) in list(
            cursor.execute("SELECT username FROM all_users WHERE username LIKE :p", p=f"{self.prefix}%")
        ):
            cursor.execute(f'DROP USER "{user}" CASCADE')
        for suffix in ("_01.dmp", "_02.dmp", "_03.dmp", ".dmp", ".log", ".sql"):
            for name in (
                f"{self.prefix}_EXP{suffix}",
                f"{self.prefix}_IMP{suffix}",
                f"{self.prefix}_X{suffix}",
            ):
                hook.delete_file(self.directory, name)
        for directory, name in self._files:
            hook.delete_file(directory, name)
        hook.close()
        cursor.execute(f'DROP DATABASE LINK "{self.link}"')
        if self.second_directory:
            cursor.execute(f'DROP DIRECTORY "{self.second_directory}"')
        self.admin.close()


class EmulatorBackend:
    """The emulator, with the same sample schema, created through SQL as on a real database."""

    name = "emulator"

    def __init__(self) -> None:
        from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle

        self.oracle = EmulatedOracle().start()
        self.db = self.oracle.database("FREEPDB1")
        self.prefix = "DPT000001"
        self.user = "SYSTEM"
        self.schema = f"{self.prefix}_SRC"
        self.directory = "DATA_PUMP_DIR"
        self.second_directory = f"{self.prefix}_COPY"
        self.link = f"{self.prefix}_LOOP"
        self.poll_interval = 0.05
        self.conn_id = "datapump_emulated"
        os.environ["AIRFLOW_CONN_DATAPUMP_EMULATED"] = self.oracle.connection_uri()
        self.db.create_directory(
            self.second_directory, self.db.directory_path().parent / "copy", grant_to=["SYSTEM"]
        )
        self.db.execute(
            f"CREATE PUBLIC DATABASE LINK {self.link} "
            f"CONNECT TO system IDENTIFIED BY {ADMIN_PASSWORD} USING '{self.oracle.dsn()}'"
        )
        self.db.create_user(self.schema, "pw")
        for table, (columns, rows) in SAMPLE.items():
            self.db.create_table(self.schema, table, [c.strip() for c in _split_columns(columns)], rows)

    def run_to_end(self, hook: DatapumpHook, job: JobRef) -> JobResult:
        return hook.wait(job, poll_interval=0, on_status=lambda status: self.db.advance(5))

    def let_jobs_run(self) -> None:
        self.db.set_clock("wall")
        self.db.set_job_rate(50_000_000)

    def remember_file(self, directory: str, name: str) -> None:
        """The emulated database and its folders go with it."""

    def rows(self, schema: str, table: str) -> list[tuple[Any, ...]]:
        return self.db.rows(schema, table)

    def close(self) -> None:
        self.oracle.stop()
        os.environ.pop("AIRFLOW_CONN_DATAPUMP_EMULATED", None)


def _split_columns(columns: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in columns:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]
