"""The live run's own machinery (set-up, the disposable check, clean-up), exercised for real.

No Oracle database is reachable here, so the live run, in a child process, is pointed at the
emulator's Oracle Net server with an ordinary DSN, exactly as at a real database, and the
behaviour tests then run in their "live" form against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_datapump.testing import ADMIN_PASSWORD, EmulatedOracle

pytestmark = pytest.mark.slow


@pytest.fixture
def oracle(tmp_path: Path) -> Iterator[EmulatedOracle]:
    """The emulator's server, which the child pytest reaches as a live Oracle."""
    with EmulatedOracle(tmp_path / "state", clock="wall") as server:
        yield server


def test_the_live_run_sets_up_runs_and_cleans_up(oracle: EmulatedOracle, tmp_path: Path) -> None:
    database = oracle.database("CITESTDB")  # a name that looks disposable
    database.set_job_rate(100_000_000)
    copies = tmp_path / "copies"
    copies.mkdir()  # the server folder under the second directory object, made by the DBA
    env = {
        **os.environ,
        "AIRFLOW_DATAPUMP_LIVE_DSN": f"system/{ADMIN_PASSWORD}@{oracle.dsn('CITESTDB')}",
        "AIRFLOW_DATAPUMP_LIVE_SECOND_DIRECTORY_PATH": str(copies),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "live",
            "-rs",
            str(Path(__file__).parent),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout
    assert "failed" not in done.stdout
    # Only the emulator-only test is skipped, saying why (and, on Airflow 3.0, the dag.test()
    # ones); a skip for a missing setting would mean part of the live run never ran.
    skips = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert any("emulator only" in line for line in skips), done.stdout[-3000:]
    assert all("emulator only" in line or "dag.test() cannot resume" in line for line in skips), skips
    assert database.execute("SELECT username FROM dba_users WHERE username LIKE 'DPT%'") == []
    assert database.execute("SELECT db_link FROM dba_db_links WHERE db_link LIKE 'DPT%'") == []
    assert (
        database.execute("SELECT directory_name FROM dba_directories WHERE directory_name LIKE 'DPT%'") == []
    )
    assert database.jobs() == []
    for folder in (database.directory_path(), copies):
        assert not [p.name for p in folder.iterdir() if p.name.upper().startswith("DPT")]


def test_a_database_that_does_not_look_disposable_is_refused(oracle: EmulatedOracle) -> None:
    oracle.database("PRODDB")
    env = {
        **os.environ,
        "AIRFLOW_DATAPUMP_LIVE_DSN": f"system/{ADMIN_PASSWORD}@{oracle.dsn('PRODDB')}",
    }
    env.pop("AIRFLOW_DATAPUMP_LIVE_FORCE", None)
    test = str(Path(__file__).parent / "test_behaviour_jobs.py") + "::test_a_failed_submit_leaves_no_job"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "live", test],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "does not look disposable" in done.stdout
