"""Run the nightly schema refresh example end to end on the Oracle emulator.

    python scripts/run_schema_refresh_on_emulator.py

No Oracle database is involved: two emulated databases (PROD and TEST) stand in, and the DAG
runs unchanged under ``dag.test()``, deferring to its trigger exactly as it would in a real
deployment. It prints the result first, then what the TEST database holds afterwards.

Safe on a real Airflow host: whatever the environment says (``AIRFLOW_HOME``,
``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN``, ``AIRFLOW_CONFIG``, connections, Variables), the
run uses a scratch Airflow home and metadata database of its own in a temporary folder,
which it removes at the end. Airflow's own output goes to a log in that folder; it is
printed only when the run fails.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES")
# Longer than Airflow's minimum for masking a secret, so no "too short" warning.
PASSWORD = "emulated-demo-Kx4Tq9Wm"


def scratch_environment(home: Path) -> dict[str, str]:
    """The process environment with every Airflow setting replaced by the scratch one's."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AIRFLOW__", "AIRFLOW_CONN_", "AIRFLOW_VAR_")) and name != "AIRFLOW_CONFIG"
    }
    return {
        **kept,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW_CONFIG": str(home / "airflow.cfg"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "example_dags"),
        "AIRFLOW__DATAPUMP__POLL_INTERVAL": "0.1",
    }


def run_refresh() -> tuple[str, list[str]]:
    """Run the example DAG on two emulated databases: the run's state and one line per table."""
    from airflow.utils.db import resetdb

    from airflow_datapump.testing import emulated_oracle

    resetdb()  # the scratch database only: the environment points nowhere else
    with emulated_oracle(clock="wall") as oracle:
        prod, test = oracle.database("PROD"), oracle.database("TEST")
        for conn_id, service in (("ORACLE_SOURCE", "PROD"), ("ORACLE_TARGET", "TEST")):
            oracle.database(service).execute(f'ALTER USER system IDENTIFIED BY "{PASSWORD}"')
            os.environ[f"AIRFLOW_CONN_{conn_id}"] = oracle.connection_uri(service, "system", PASSWORD)
        prod.load_sample_hr()
        test.execute(
            f'CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY "{PASSWORD}" '
            f"USING '{oracle.dsn('PROD')}'"
        )
        run = _load_example().dag.test()
        lines = []
        for table in TABLES:
            rows = test.rows("HR_TEST", table)
            verdict = "equal to" if rows == prod.rows("HR", table) else "DIFFERENT from"
            lines.append(f"TEST.HR_TEST.{table}: {len(rows)} rows, {verdict} PROD.HR.{table}")
        return str(run.state), lines


def _load_example() -> Any:
    spec = importlib.util.spec_from_file_location(
        "refresh", ROOT / "example_dags" / "datapump_schema_refresh.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["refresh"] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="airflow-datapump-demo-"))
    os.environ.clear()
    os.environ.update(scratch_environment(home))
    log = home / "run.log"
    state, lines, error = "failed", [], None
    try:
        with _output_to(log):
            try:
                state, lines = run_refresh()
            except Exception as caught:  # reported below, after the output is back
                error = caught
        ok = state == "success" and error is None and all("equal to" in line for line in lines)
        print(f"Schema refresh on the emulator: {'SUCCESS' if ok else 'FAILED'} (DAG run {state})")
        for line in lines:
            print(line)
        if not ok:
            print(f"{error!r}\n--- Airflow's output ---\n{log.read_text()[-20000:]}", file=sys.stderr)
        return 0 if ok else 1
    finally:
        shutil.rmtree(home, ignore_errors=True)


class _output_to:  # noqa: N801 - used as a context manager, named like one
    """Send this process's stdout and stderr (file descriptors 1 and 2) to a file, then back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.saved: list[int] = []

    def __enter__(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        target = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.saved = [os.dup(1), os.dup(2)]
        os.dup2(target, 1)
        os.dup2(target, 2)
        os.close(target)

    def __exit__(self, *exc: object) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, saved in zip((1, 2), self.saved, strict=True):
            os.dup2(saved, fd)
            os.close(saved)


if __name__ == "__main__":
    sys.exit(main())
