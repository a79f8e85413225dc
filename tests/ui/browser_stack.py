"""A real ``airflow api-server`` process with the provider's plugin, and a headless Chromium.

The api-server runs as its own process group, on a loopback port, over a metadata database
of its own in the test session's PostgreSQL cluster (as the end-to-end stack's), and reaches
an emulated Oracle through the emulator's Oracle Net server, which shares its state folder
with the test (the test moves the emulated clock; the server sees it on its next call). It is
stopped by its own process id, also when a test fails. The browser is Debian's Chromium driven by its
chromedriver through Selenium; screenshots go to ``DATAPUMP_ARTIFACTS`` (default: a folder
under the test's temporary directory), which CI keeps.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.processes import Process, free_port, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
USERS = {"admin": "admin", "viewer": "viewer"}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None (CI installs what they need)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return "Debian's chromium and chromium-driver are not installed"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (the 'browser' extra)"
    return None


@contextmanager
def api_server(
    home: Path, database_url: str, extra_env: dict[str, str]
) -> Iterator[tuple[str, dict[str, str]]]:
    """Migrate the metadata database at ``database_url`` and serve Airflow's api-server on it;
    yields its URL and the users' passwords."""
    passwords = {user: f"{user}-pw-{os.getpid()}" for user in USERS}
    (home / "passwords.json").write_text(json.dumps(passwords))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")},
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database_url,
        "AIRFLOW__CORE__AUTH_MANAGER": (
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(f"{u}:{r}" for u, r in USERS.items()),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        **extra_env,
    }
    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    argv = [airflow, "api-server", "-H", "127.0.0.1", "-p", str(port), "-w", "1"]
    server = Process("api-server", argv, env, home)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for("the api-server to be healthy", lambda: _healthy(url, server), 120, interval=0.5)
        yield url, passwords
    finally:
        server.stop(grace=20)  # its process group: uvicorn's workers with it


def _healthy(url: str, server: Process) -> bool:
    if not server.alive():
        raise RuntimeError(f"api-server exited:\n{server.tail()}")
    try:
        with urllib.request.urlopen(f"{url}/api/v2/monitor/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextmanager
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def artifacts_dir(fallback: Path) -> Path:
    folder = Path(os.environ.get("DATAPUMP_ARTIFACTS") or fallback) / "ui-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
