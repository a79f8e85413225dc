"""The whole Airflow stack as separate processes, for the end-to-end tests.

A private PostgreSQL cluster on loopback as the metadata database, Airflow's api-server,
scheduler (LocalExecutor), dag-processor and triggerer, each its own process, and the Oracle
emulator. Everything it starts is stopped by its own process id, also when a test fails:
each child leads a process group of its own, so stopping it reaches the task and trigger
processes it forked and nothing else.

How the Airflow processes reach the emulator is one seam, :class:`EmulatorAccess`: it gives
the environment they start with and the Airflow connection URI for a database. Today the
emulator is activated in each process by an environment variable; an emulator that listens
on a port needs only another ``EmulatorAccess`` (start the server, hand out host:port URIs).
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


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

    def stop(self, grace: float = 10.0) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGTERM)
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

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://airflow@127.0.0.1:{self.port}/airflow"

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
        subprocess.run(
            [binaries / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "airflow", "airflow"],
            check=True,
            capture_output=True,
        )

    def _ready(self) -> bool:
        assert self.process is not None
        if not self.process.alive():
            raise RuntimeError(f"PostgreSQL exited:\n{self.process.tail()}")
        probe = [postgres_bin() / "pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-U", "airflow"]
        return subprocess.run(probe, capture_output=True).returncode == 0

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()  # SIGTERM: PostgreSQL's "smart" shutdown, then SIGKILL
        shutil.rmtree(self.home, ignore_errors=True)


class EmulatorAccess:
    """How Airflow's processes reach the emulator: the seam between the stack and the emulator.

    The emulator's Oracle Net server runs in the test process; every Airflow process reaches
    it as it would reach Oracle, through ordinary connections to its host and port (the real
    driver, thin mode). Nothing is activated inside those processes.
    """

    def __init__(self, state_dir: Path) -> None:
        self.oracle = EmulatedOracle(state_dir, clock="wall")

    def start(self, logs: Path) -> None:
        """Start the server (the processes' connections name its address)."""
        self.oracle.start()

    def env(self) -> dict[str, str]:
        return {}

    def connection_uri(self, service: str) -> str:
        return self.oracle.connection_uri(service, "system", ADMIN_PASSWORD)

    def link_using(self, service: str) -> str:
        """The USING string of a database link to ``service``."""
        return self.oracle.dsn(service)

    def stop(self) -> None:
        self.oracle.stop()


class Airflow:
    """Airflow 3 on PostgreSQL with the LocalExecutor; each component a process of its own."""

    def __init__(self, home: Path, database_url: str, emulator: EmulatorAccess, poll_interval: float):
        self.home = home
        self.logs = home / "process-logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.api_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.api_port}"
        self.processes: list[Process] = []
        self.env = self._environment(database_url, emulator, poll_interval)
        self._token: str | None = None

    def _environment(self, database_url: str, emulator: EmulatorAccess, poll: float) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
        settings = {
            "HOME": str(self.home),
            "CORE__EXECUTOR": "LocalExecutor",
            "CORE__PARALLELISM": "4",
            "CORE__DAGS_FOLDER": str(ROOT / "example_dags"),
            "CORE__LOAD_EXAMPLES": "False",
            "CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "CORE__FERNET_KEY": "",
            "API__BASE_URL": self.base_url,
            "API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "DATABASE__SQL_ALCHEMY_CONN": database_url,
            "DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "TRIGGERER__TRIGGERER_HEALTH_CHECK_THRESHOLD": "5",
            "DATAPUMP__POLL_INTERVAL": str(poll),
        }
        env.update({f"AIRFLOW_{k}" if k == "HOME" else f"AIRFLOW__{k}": v for k, v in settings.items()})
        for conn_id, service in (("ORACLE_SOURCE", "PROD"), ("ORACLE_TARGET", "TEST")):
            env[f"AIRFLOW_CONN_{conn_id}"] = emulator.connection_uri(service)
        env.update(emulator.env())
        return env

    def cli(self, *args: str) -> None:
        airflow = str(Path(sys.executable).parent / "airflow")
        done = subprocess.run([airflow, *args], env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self, component: str, *args: str, name: str | None = None) -> Process:
        airflow = str(Path(sys.executable).parent / "airflow")
        process = Process(name or component, [airflow, component, *args], self.env, self.logs)
        self.processes.append(process)
        return process

    def start_triggerer(self, name: str) -> Process:
        # No log server: two triggerers would fight for its port; the api-server reads the files.
        return self.start("triggerer", "--skip-serve-logs", name=name)

    def start_all(self) -> None:
        self.cli("db", "migrate")
        api = self.start("api-server", "--host", "127.0.0.1", "--port", str(self.api_port), "--workers", "1")
        self.start("scheduler", "--skip-serve-logs")
        self.start("dag-processor")
        self.start_triggerer("triggerer")
        wait_for("the api-server", lambda: self._healthy(api), 120)

    def _healthy(self, api: Process) -> bool:
        if not api.alive():
            raise RuntimeError(f"the api-server exited:\n{api.tail()}")
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=5).status_code == 200
        return False

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()

    # -- the REST API ----------------------------------------------------------------------

    def token(self) -> str:
        """A JWT from the simple auth manager (every user an admin: no password to keep)."""
        if self._token is None:
            reply = httpx.get(f"{self.base_url}/auth/token", timeout=30)
            reply.raise_for_status()
            self._token = str(reply.json()["access_token"])
        return self._token

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token()}"}
        reply = httpx.request(method, f"{self.base_url}/api/v2{path}", headers=headers, timeout=60, **kwargs)
        if reply.status_code >= 400:
            raise AssertionError(f"{method} {path}: {reply.status_code} {reply.text}")
        return reply.json() if reply.content else None


def running_task_processes(ti_id: str) -> list[int]:
    """Processes working on a task instance: LocalExecutor's supervisor titles itself with the id."""
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            text = Path(cmdline).read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if ti_id in text:
                found.append(int(cmdline.split("/")[2]))
    return found


@contextlib.contextmanager
def stack(workdir: Path, poll_interval: float) -> Iterator[tuple[Airflow, EmulatorAccess]]:
    """Start PostgreSQL, the emulator and Airflow; stop them all, whatever happens."""
    postgres = Postgres()
    emulator = EmulatorAccess(workdir / "emulator")
    emulator.start(workdir)  # first: the connections Airflow is given name the server's port
    airflow: Airflow | None = None
    try:
        airflow = Airflow(workdir / "airflow", postgres.url, emulator, poll_interval)
        postgres.start(airflow.logs)
        airflow.start_all()
        yield airflow, emulator
    finally:
        if airflow is not None:
            airflow.stop_all()
        emulator.stop()
        postgres.stop()
