"""Run the CLI in process against an emulated database, as a CliRunner would.

The ``oracle`` and ``db`` fixtures are the hook tests' (a database whose clock stands still).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

import airflow_datapump.cli.actions  # noqa: F401  (Airflow logs its configuration on first import)
from airflow_datapump.cli.main import main
from airflow_datapump.testing import DatabaseHandle
from tests.hooks.conftest import PASSWORD, admin_oracle, db

__all__ = ["PASSWORD", "Result", "admin_oracle", "db", "killed_job", "live_db", "run"]


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def live_db(db: DatabaseHandle) -> DatabaseHandle:
    """A database on the wall clock whose jobs finish in a moment, for --wait and --follow."""
    db.set_clock("wall")
    db.set_job_rate(50_000_000)
    return db


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run("export", "SCHEMAS=HR")`` runs ``airflow-datapump export SCHEMAS=HR``."""
    monkeypatch.delenv("DATAPUMP_PASSWORD", raising=False)

    def invoke(*argv: str) -> Result:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


@pytest.fixture(params=["WRITTEN", "NONE"])
def killed_job(request: pytest.FixtureRequest, db: DatabaseHandle, run: Callable[..., Result]) -> str:
    """An export killed mid-run with ``airflow-datapump kill``, under each reading of whether a
    kill writes a final line (a [U] reading: docs/emulator.md KILL_FINAL_LINE); its name."""
    db.set_reading("KILL_FINAL_LINE", request.param)
    db.set_job_rate(10)
    run("export", "SCHEMAS=HR", "DUMPFILE=k.dmp", "JOB_NAME=EXP_KILLED")
    db.advance(5)
    run("kill", "EXP_KILLED")
    return "EXP_KILLED"
