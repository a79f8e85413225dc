"""The Data Pump page in a real browser against a real api-server process (issue: UI).

The api-server reaches the emulated database through the emulator's Oracle Net server with
an ordinary Airflow connection (host, port, service name), as a deployment reaches Oracle.

Debian's Chromium signs in through Airflow's own login page, lists the jobs of an emulated
database, sees when each job started, opens a running job (when it started, which run started it)
and watches its percentage grow as the emulated clock moves,
stops it after the confirmation, and sees it stopped in the emulator; a viewer is refused.
Screenshots of each step are kept as artifacts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from airflow_datapump.ui.links import page_url
from tests.processes import Postgres
from tests.ui.browser_stack import api_server, artifacts_dir, browser_missing, chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing())),
]

CONN_ID = "oracle_ui"
WAIT = 30


@pytest.fixture(scope="module")
def oracle() -> Iterator[EmulatedOracle]:
    """The emulator as an Oracle Net server: the api-server reaches it as it would reach Oracle."""
    with EmulatedOracle() as server:
        yield server


@pytest.fixture(scope="module")
def uri(oracle: EmulatedOracle) -> str:
    """An ordinary Airflow connection to the server's host and port (the real driver, thin mode)."""
    return oracle.connection_uri("FREEPDB1", "system", "oracle")


@pytest.fixture(scope="module")
def stack(
    uri: str, tmp_path_factory: pytest.TempPathFactory, postgres_cluster: Postgres
) -> Iterator[tuple[str, Any]]:
    home = tmp_path_factory.mktemp("airflow-home")
    database_url = postgres_cluster.create_database("airflow_ui_browser")
    with api_server(home, database_url, {f"AIRFLOW_CONN_{CONN_ID.upper()}": uri}) as running:
        yield running


@pytest.fixture(scope="module")
def db(oracle: EmulatedOracle, uri: str) -> Iterator[DatabaseHandle]:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(f"AIRFLOW_CONN_{CONN_ID.upper()}", uri)
        yield handle


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return artifacts_dir(tmp_path)


def _start(name: str, **options: Any) -> None:
    hook = DatapumpHook(oracle_conn_id=CONN_ID, retry=RetryPolicy(initial=0))
    files = [f"{name}_%U.dmp"]
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=files, job_name=name, **options)
    try:
        hook.submit(spec, run=RunStamp("refresh", "export_hr", "manual__browser"), try_number=1)
    finally:
        hook.close()


def _sign_in(driver: Any, url: str, user: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()
    driver.get(f"{url}/auth/login")
    wait = WebDriverWait(driver, WAIT)
    name = wait.until(seen.element_to_be_clickable((By.CSS_SELECTOR, "input:not([type=password])")))
    name.send_keys(user)
    driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "/auth/login" not in d.current_url)


# The page redraws itself every few seconds, so elements are read and clicked in one script,
# never held across a redraw.
_ROWS = (
    "return [...document.querySelectorAll('#jobs tbody tr')].map(r => [...r.cells].map(c => c.textContent));"
)
_FACTS = (
    "const t = [...document.querySelectorAll('#job-facts dt')].map(e => e.textContent);"
    "const v = [...document.querySelectorAll('#job-facts dd')].map(e => e.textContent);"
    "return Object.fromEntries(t.map((k, i) => [k, v[i]]));"
)
_OPEN = (
    "const row = [...document.querySelectorAll('#jobs tbody tr')]"
    ".find(r => r.cells[2].textContent === arguments[0]);"
    "if (row) row.click(); return !!row;"
)


def _cell_text(driver: Any, job: str, column: int) -> str:
    rows = driver.execute_script(_ROWS)
    return next((str(row[column]) for row in rows if row[2] == job), "")


def _fact(driver: Any, name: str) -> str:
    return str(driver.execute_script(_FACTS).get(name, ""))


def _percent(driver: Any) -> int:
    return int(_fact(driver, "Done").rstrip("%") or 0)


def test_an_operator_watches_a_job_grow_and_stops_it(
    stack: tuple[str, dict[str, str]], db: DatabaseHandle, shots: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, passwords = stack
    _start("EXP_BROWSER")
    db.set_job_speed("SYSTEM", "EXP_BROWSER", size=1_000_000, rate=20_000)  # slow enough to watch
    db.advance(10)
    with chromium() as driver:
        wait = WebDriverWait(driver, WAIT)
        _sign_in(driver, url, "admin", passwords["admin"])
        driver.get(f"{url}/datapump/?conn={CONN_ID}")
        wait.until(lambda d: _cell_text(d, "EXP_BROWSER", 5) == "EXECUTING")
        driver.save_screenshot(str(shots / "1-jobs.png"))
        (created,) = db.execute("SELECT created FROM dba_objects WHERE object_name = 'EXP_BROWSER'")
        started = created[0].isoformat(sep=" ", timespec="seconds")
        assert _cell_text(driver, "EXP_BROWSER", 10) == started  # the master table's creation

        assert driver.execute_script(_OPEN, "EXP_BROWSER")
        wait.until(lambda d: _fact(d, "State") == "EXECUTING")
        assert _fact(driver, "Started").startswith(f"{started} (master table created")
        by = _fact(driver, "Started by")
        assert by.startswith("DAG refresh, task export_hr, run manual__browser, try 1, at ")
        assert by.endswith("Z (run stamp)")
        first = _percent(driver)
        wait.until(lambda d: "Starting" in d.find_element(By.ID, "log").text)
        driver.save_screenshot(str(shots / "2-job-open.png"))

        db.advance(10)
        wait.until(lambda d: _percent(d) > first)  # the page refreshes itself
        driver.save_screenshot(str(shots / "3-job-grown.png"))

        driver.find_element(By.ID, "stop").click()
        driver.switch_to.alert.accept()
        wait.until(lambda d: "stop: done" in d.find_element(By.ID, "message").text)
        driver.save_screenshot(str(shots / "4-stopped.png"))
        assert [(j["name"], j["state"]) for j in db.jobs()] == [("EXP_BROWSER", "NOT RUNNING")]

        db.advance(2 * 3600)  # long idle: now provably orphaned
        driver.find_element(By.ID, "find-orphans").click()
        wait.until(lambda d: "EXP_BROWSER" in d.find_element(By.ID, "orphan-list").text)
        driver.save_screenshot(str(shots / "5-orphans-dry-run.png"))
        assert [j["name"] for j in db.jobs()] == ["EXP_BROWSER"]  # the dry run changed nothing
        driver.find_element(By.ID, "cleanup").click()
        driver.switch_to.alert.accept()
        wait.until(lambda d: "dropped 1 job(s)" in d.find_element(By.ID, "message").text)
    assert db.jobs() == []


def test_a_tasks_link_opens_its_job_with_its_log_where_the_task_put_it(
    stack: tuple[str, dict[str, str]], db: DatabaseHandle, shots: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, passwords = stack
    _start("EXP_LINKED", log_file="linked_export.log")  # not where the page would look by itself
    link = page_url(
        CONN_ID, "SYSTEM", "EXP_LINKED", log_directory="DATA_PUMP_DIR", log_file="linked_export.log"
    )
    with chromium() as driver:
        wait = WebDriverWait(driver, WAIT)
        _sign_in(driver, url, "admin", passwords["admin"])
        driver.get(f"{url}{link}")
        wait.until(lambda d: "Starting" in d.find_element(By.ID, "log").text)
        wait.until(lambda d: _fact(d, "Started by").startswith("DAG refresh, task export_hr"))
        driver.save_screenshot(str(shots / "8-linked-job.png"))


def test_the_page_is_in_airflows_navigation(stack: tuple[str, dict[str, str]], shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, passwords = stack
    with chromium() as driver:
        _sign_in(driver, url, "admin", passwords["admin"])
        driver.get(f"{url}/plugin/datapump")
        frame = WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "iframe"))
        assert frame.get_attribute("src").endswith("/datapump/")
        driver.switch_to.frame(frame)
        title = WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "h1"))
        assert title.text == "Oracle Data Pump"
        driver.switch_to.default_content()
        driver.save_screenshot(str(shots / "7-in-airflow.png"))


def test_a_viewer_is_refused(stack: tuple[str, dict[str, str]], db: DatabaseHandle, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, passwords = stack
    with chromium() as driver:
        _sign_in(driver, url, "viewer", passwords["viewer"])
        driver.get(f"{url}/datapump/?conn={CONN_ID}")
        WebDriverWait(driver, WAIT).until(lambda d: "403" in d.find_element(By.ID, "message").text)
        driver.save_screenshot(str(shots / "6-viewer-refused.png"))
        assert "may not read" in driver.find_element(By.ID, "message").text
        assert driver.find_elements(By.CSS_SELECTOR, "#jobs tbody tr") == []
