"""One emulated database: its folder, its store, its clock.

A database is named by the service name in the DSN and created on first use under the
emulator's state folder::

    <state>/<SERVICE>/db.sqlite      catalog, rows, jobs, sessions
    <state>/<SERVICE>/db-counters.sqlite   round trips and sessions opened
    <state>/<SERVICE>/dpdump/        DATA_PUMP_DIR

Time is the database's own clock. In ``manual`` mode it stands still until a test advances
it, so job progress is deterministic without sleeping; in ``wall`` mode it follows the real
clock, which is what several processes sharing one database need. Both are stored, so every
process reads the same time.
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from pathlib import Path

from airflow_datapump.testing._backend import catalog, environment, storage
from airflow_datapump.testing._backend.store import Store

DB_VERSION = "19.0.0.0.0"
CLOCK_MODES = ("manual", "wall")


class Database:
    """The state and rules of one emulated Oracle database."""

    def __init__(self, root: Path, service: str, *, clock: str = "manual") -> None:
        self.service = service
        self.folder = root / service
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.folder / "db.sqlite")
        if self.store.setting("created") is None:
            self._bootstrap(clock)

    def _bootstrap(self, clock: str) -> None:
        start = dt.datetime.now().replace(microsecond=0)
        dump_dir = self.folder / "dpdump"
        dump_dir.mkdir(exist_ok=True)
        with self.store.write() as db:
            if db.execute("SELECT 1 FROM settings WHERE key = 'created'").fetchone():
                return  # another process got here first
            catalog.bootstrap(db, start.isoformat(), str(dump_dir))
            storage.bootstrap(db, self.folder)
            environment.bootstrap(db, 1000000, start)
            for key, value in (
                ("clock_mode", clock),
                ("clock_start", start.isoformat()),
                ("clock_offset", "0"),
                ("db_version", DB_VERSION),
                ("scn", "1000000"),
                ("constraint sequence", str(_first_constraint_number(self.service))),
                ("created", start.isoformat()),
            ):
                db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))

    # -- clock --------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        with self.store.read() as db:  # one read: every call asks the time, often twice
            clock = dict(db.execute("SELECT key, value FROM settings WHERE key LIKE 'clock_%'"))
        offset = dt.timedelta(seconds=float(clock.get("clock_offset") or 0))
        if clock.get("clock_mode", "manual") == "wall":
            return dt.datetime.now() + offset
        return dt.datetime.fromisoformat(clock.get("clock_start") or "2026-01-01") + offset

    def advance(self, seconds: float) -> None:
        """Move this database's clock forward (in either mode)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self.store.write() as db:
            (current,) = db.execute("SELECT value FROM settings WHERE key = 'clock_offset'").fetchone()
            db.execute(
                "UPDATE settings SET value = ? WHERE key = 'clock_offset'",
                (str(float(current) + seconds),),
            )

    def set_clock_mode(self, mode: str) -> None:
        if mode not in CLOCK_MODES:
            raise ValueError(f"clock mode {mode!r}: expected one of {CLOCK_MODES}")
        now = self.now()
        with self.store.write() as db:
            db.execute("UPDATE settings SET value = ? WHERE key = 'clock_mode'", (mode,))
            start = now if mode == "manual" else dt.datetime.now()
            db.execute("UPDATE settings SET value = ? WHERE key = 'clock_start'", (start.isoformat(),))
            offset = "0" if mode == "manual" else str((now - dt.datetime.now()).total_seconds())
            db.execute("UPDATE settings SET value = ? WHERE key = 'clock_offset'", (offset,))

    # -- SCN ----------------------------------------------------------------------------

    def next_scn(self) -> int:
        """Advance and return the system change number (every commit moves it)."""
        with self.store.write() as db:
            (scn,) = db.execute("SELECT value FROM settings WHERE key = 'scn'").fetchone()
            db.execute("UPDATE settings SET value = ? WHERE key = 'scn'", (str(int(scn) + 1),))
            environment.record_scn(db, int(scn) + 1, self.now())
        return int(scn) + 1

    def current_scn(self) -> int:
        return int(self.store.setting("scn", "0") or 0)

    @property
    def version(self) -> str:
        return self.store.setting("db_version", DB_VERSION) or DB_VERSION

    def close(self) -> None:
        self.store.close()


def process_alive(pid: int) -> bool:
    """Whether a process that opened a session still exists (its sessions end with it)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _first_constraint_number(service: str) -> int:
    """Where a new database's constraint names start counting. Oracle's numbers come from the
    database's own object numbers, so two databases rarely hand out the same SYS_C name; a
    schema Data Pump copies from one into another keeps its keys' SYS_C names (the dump
    records them), which must not meet the ones the target gives the copied tables' NOT NULL
    constraints (ORA-02264)."""
    return 10_000 + zlib.crc32(service.encode()) % 900 * 1000
