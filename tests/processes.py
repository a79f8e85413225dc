"""Processes the slow test suites start, and the private PostgreSQL cluster they share.

Each child runs in a process group of its own and is stopped by its own id (SIGTERM, then
SIGKILL to whatever of the group is left), also when a test fails and when the test run
itself is cancelled (SIGTERM: :func:`interrupt_on_sigterm`). The PostgreSQL cluster is
Airflow's metadata database for the end-to-end stack and for the browser tests' api-server:
one cluster per test session (``postgres_cluster`` in tests/conftest.py), one database each.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def interrupt_on_sigterm() -> None:
    """Make SIGTERM to this test run unwind it as Ctrl-C does, so fixtures stop what they started.

    A cancelled CI job sends SIGTERM, whose default action ends the process at once: no
    fixture's clean-up runs, and the children it started in sessions of their own (PostgreSQL,
    Airflow's components, the emulator's server) would live on. As KeyboardInterrupt, pytest
    tears every fixture down before it exits; a second SIGTERM (make passes one on to its
    child, say) is ignored, so it cannot cut that clean-up short. A process forked from this
    one inherits the handler and ends on SIGTERM as it would have without it.
    """
    runner = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != runner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        signal.signal(signum, signal.SIG_IGN)
        raise KeyboardInterrupt(f"the test run received {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, interrupt)


def free_port() -> int:
    """An ephemeral loopback port (the kernel picks it; the child binds it right after)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, interval: float = 0.25) -> T:
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Process:
    """One child process in a process group of its own, stopped by its id."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logs: Path, **popen: Any) -> None:
        self.name = name
        self.log_path = logs / f"{name}.log"
        with self.log_path.open("ab") as out:
            self.popen = subprocess.Popen(
                argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **popen
            )
        self.pid = self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill9(self) -> None:
        """A crash: SIGKILL to the process and every process it forked."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(30)

    def stop(self, grace: float = 10.0, first: signal.Signals = signal.SIGTERM) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, first)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(grace)
        # Whatever of the group is left (a task process, a trigger runner) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(10)

    def tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def postgres_bin() -> Path:
    """PostgreSQL's server programs: where Debian's packages put them, or on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    found = candidates[-1] if candidates else shutil.which("initdb")
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install -y postgresql)")
    return Path(found).parent


class Postgres:
    """A private cluster: its own folder, loopback port and socket folder, trust auth."""

    def __init__(self) -> None:
        # Its own folder in the system temp dir: pytest's are private to this user, and the
        # server may run as another.
        self.home = Path(tempfile.mkdtemp(prefix="airflow-datapump-e2e-pg-"))
        self.port = free_port()
        self.process: Process | None = None
        # initdb and postgres refuse to run as root; Debian's package adds a postgres user.
        self._as = {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}

    def create_database(self, name: str) -> str:
        """A new database in the cluster; its SQLAlchemy URL (Airflow's sync driver)."""
        argv = [postgres_bin() / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "airflow", name]
        subprocess.run(argv, check=True, capture_output=True)
        return f"postgresql+psycopg2://airflow@127.0.0.1:{self.port}/{name}"

    def start(self, logs: Path) -> None:
        data, sockets = self.home / "data", self.home / "sockets"
        for folder in (data, sockets):
            folder.mkdir(exist_ok=True)
            if self._as:
                shutil.chown(folder, "postgres", "postgres")
        self.home.chmod(0o755)
        binaries = postgres_bin()
        subprocess.run(
            [binaries / "initdb", "-D", data, "-U", "airflow", "--auth=trust", "--no-sync"],
            check=True,
            capture_output=True,
            **self._as,  # type: ignore[call-overload]
        )
        argv = [str(binaries / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(self.port)]
        argv += ["-k", str(sockets), "-c", "fsync=off", "-c", "max_connections=200"]
        self.process = Process("postgres", argv, dict(os.environ), logs, **self._as)
        wait_for("PostgreSQL to accept connections", self._ready, 60)

    def _ready(self) -> bool:
        assert self.process is not None
        if not self.process.alive():
            raise RuntimeError(f"PostgreSQL exited:\n{self.process.tail()}")
        probe = [postgres_bin() / "pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-U", "airflow"]
        return subprocess.run(probe, capture_output=True).returncode == 0

    def stop(self) -> None:
        if self.process is not None:
            # SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to leave.
            self.process.stop(first=signal.SIGINT)
        shutil.rmtree(self.home, ignore_errors=True)
