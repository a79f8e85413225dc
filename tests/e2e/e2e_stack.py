"""The whole Airflow stack as separate processes, for the end-to-end tests.

A private PostgreSQL cluster on loopback as the metadata database, Airflow's api-server,
scheduler (LocalExecutor), dag-processor and triggerer, each its own process, and the Oracle
emulator. Everything it starts is stopped by its own process id, also when a test fails:
each child leads a process group of its own, so stopping it reaches the task and trigger
processes it forked and nothing else.

The Airflow processes reach the emulator as a deployment reaches Oracle (:class:`EmulatorAccess`):
the emulator's Oracle Net server runs as a process of its own on a loopback port, and Airflow
has ordinary connections to that host and port. No process of Airflow's has the emulator in
its environment; the tests check that.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from airflow_datapump.testing import EmulatedOracle
from tests.processes import Process, free_port, wait_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ADMIN_PASSWORD = "oracle"  # the emulator's SYS and SYSTEM password until a statement changes it
EMULATOR_ENV_PREFIX = "AIRFLOW_DATAPUMP_EMULATOR"  # what activates the emulator in a process
USER = "admin"  # the simple auth manager's one user, an admin, with a password in a file
# The Airflow connections the example DAGs use, and the emulated database each reaches.
CONNECTIONS = {"oracle_source": "PROD", "oracle_target": "TEST", "oracle_default": "REQUESTS"}


class EmulatorAccess:
    """How Airflow's processes reach the emulator: its Oracle Net server, as they would reach Oracle.

    The server is ``python -m airflow_datapump.testing serve``, a process of its own on a
    loopback port; Airflow gets ordinary ``oracle://`` connections to that host and port, and
    nothing of the emulator in its environment. The test process opens the same state folder
    (``oracle``) to prepare databases and look at their jobs, as a DBA's own session would.
    """

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir = state_dir
        self.oracle = EmulatedOracle(state_dir, clock="wall")
        self.host = "127.0.0.1"
        self.port = free_port()
        self.process: Process | None = None

    def start(self, logs: Path) -> None:
        argv = [sys.executable, "-m", "airflow_datapump.testing", "serve", "--host", self.host]
        argv += ["--port", str(self.port), "--state", str(self.state_dir), "--clock", "wall"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
        self.process = Process("emulator-server", argv, env, logs)
        process = self.process
        wait_for("the emulator's Oracle Net server", lambda: listening(process, self.host, self.port), 60)

    def connection_uri(self, service: str) -> str:
        """An ordinary Airflow connection: SYSTEM with its real password, on the server's port."""
        return f"oracle://system:{ADMIN_PASSWORD}@{self.host}:{self.port}?service_name={service}"

    def link_using(self, service: str) -> str:
        """The USING string of a database link to ``service`` (Easy Connect, like Oracle's)."""
        return f"{self.host}:{self.port}/{service}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
        self.oracle.backend.shutdown()


class Airflow:
    """Airflow 3 on PostgreSQL with the LocalExecutor; each component a process of its own."""

    def __init__(self, home: Path, database_url: str, emulator: EmulatorAccess, poll_interval: float):
        self.home = home
        self.logs = home / "process-logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.api_port = free_port()
        self.log_server_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.api_port}"
        self.processes: list[Process] = []
        self.password = secrets.token_urlsafe(16)
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
            "CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
            "CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self._passwords_file()),
            "CORE__FERNET_KEY": "",
            "API__BASE_URL": self.base_url,
            "API__SECRET_KEY": secrets.token_urlsafe(64),  # signs the log server's requests
            "API_AUTH__JWT_SECRET": secrets.token_hex(32),
            # Every component's logs served on loopback, as a deployment serves them (see start_all).
            "CORE__HOSTNAME_CALLABLE": "e2e_loopback.hostname",  # on their PYTHONPATH
            "LOGGING__WORKER_LOG_SERVER_PORT": str(self.log_server_port),
            "LOGGING__TRIGGER_LOG_SERVER_PORT": str(self.log_server_port),
            "DATABASE__SQL_ALCHEMY_CONN": database_url,
            "DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "TRIGGERER__TRIGGERER_HEALTH_CHECK_THRESHOLD": "5",
            "DATAPUMP__POLL_INTERVAL": str(poll),
            # A retry (the example export has two) starts seconds after its try failed, not 5 min.
            "CORE__DEFAULT_TASK_RETRY_DELAY": "5",
        }
        env.update({f"AIRFLOW_{k}" if k == "HOME" else f"AIRFLOW__{k}": v for k, v in settings.items()})
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
        for conn_id, service in CONNECTIONS.items():
            env[f"AIRFLOW_CONN_{conn_id.upper()}"] = emulator.connection_uri(service)
        return env

    def _passwords_file(self) -> Path:
        path = self.home / "simple_auth_manager_passwords.json"
        path.write_text(json.dumps({USER: self.password}))
        path.chmod(0o600)
        return path

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
        return self.start("triggerer", "--skip-serve-logs", name=name)  # the stack's log server serves

    def start_log_server(self) -> Process:
        """Airflow's log server, on loopback, for every component of this one-host stack.

        The api-server reads a running or deferred task's log from the log server of the
        worker or triggerer that has it, as in a deployment; a component's own log server
        would listen on every interface (Airflow's binds ``[::]``), and two triggerers on one
        host would contend for its one port. This one serves the same folder they would.
        """
        argv = [sys.executable, "-m", "e2e_loopback", str(self.log_server_port)]
        process = Process("log-server", argv, self.env, self.logs)
        self.processes.append(process)
        return process

    def start_all(self) -> None:
        self.cli("db", "migrate")
        api = self.start("api-server", "--host", "127.0.0.1", "--port", str(self.api_port), "--workers", "1")
        logs = self.start_log_server()
        self.start("scheduler", "--skip-serve-logs")
        self.start("dag-processor")
        self.start_triggerer("triggerer")
        wait_for("the api-server", lambda: self._healthy(api), 120)
        wait_for("the log server", lambda: listening(logs, "127.0.0.1", self.log_server_port), 60)

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
        """A JWT for the admin user, asked for as the README's curl line asks."""
        if self._token is None:
            body = {"username": USER, "password": self.password}
            reply = httpx.post(f"{self.base_url}/auth/token", json=body, timeout=30)
            reply.raise_for_status()
            self._token = str(reply.json()["access_token"])
        return self._token

    def unpause_once_parsed(self, dag_id: str) -> None:
        """Wait for the dag-processor to have written ``dag_id``, then unpause it."""

        def parsed() -> bool:
            try:
                return bool(self.api("GET", f"/dags/{dag_id}"))
            except AssertionError:  # 404 until the dag-processor has written it
                return False

        wait_for(f"the dag-processor to parse {dag_id}", parsed, 180)
        self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token()}"}
        reply = httpx.request(method, f"{self.base_url}/api/v2{path}", headers=headers, timeout=60, **kwargs)
        if reply.status_code >= 400:
            raise AssertionError(f"{method} {path}: {reply.status_code} {reply.text}")
        return reply.json() if reply.content else None


def listening(process: Process, host: str, port: int) -> bool:
    """Whether ``process`` accepts connections on ``host``:``port`` yet; fails if it exited."""
    if not process.alive():
        raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def process_group(leader: int) -> list[int]:
    """Every live process in the group ``leader`` leads (a component and what it forked)."""
    members = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # Field 5 is the process group; the command name before it may hold spaces.
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == leader:
                members.append(int(stat.split("/")[2]))
    return members


def process_environment(pid: int) -> dict[str, str]:
    """A live process's environment, as the kernel keeps it."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.decode(errors="replace").partition("=") for item in raw.split(b"\0") if item)
    return {key: value for key, _, value in pairs}


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
def stack(workdir: Path, database_url: str, poll_interval: float) -> Iterator[tuple[Airflow, EmulatorAccess]]:
    """Start the emulator's server and Airflow on ``database_url``; stop them, whatever happens."""
    emulator = EmulatorAccess(workdir / "emulator")
    airflow = Airflow(workdir / "airflow", database_url, emulator, poll_interval)
    try:
        emulator.start(airflow.logs)
        airflow.start_all()
        yield airflow, emulator
    finally:
        airflow.stop_all()
        emulator.stop()
