"""Run the CLI in process against an emulated database, as a CliRunner would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

import airflow_datapump.cli.actions  # noqa: F401  (Airflow logs its configuration on first import)
from airflow_datapump.cli.main import main
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle, emulated_oracle

CONN = "oracle://system:system-secret@db.example.com:1521?service_name=FREEPDB1"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", CONN)
    monkeypatch.delenv("DATAPUMP_PASSWORD", raising=False)
    with emulated_oracle() as active:
        yield active


@pytest.fixture
def db(oracle: EmulatedOracle) -> DatabaseHandle:
    """A database whose jobs stand still until a test advances its clock."""
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10_000)
    return handle


@pytest.fixture
def live_db(db: DatabaseHandle) -> DatabaseHandle:
    """A database on the wall clock whose jobs finish in a moment, for --wait and --follow."""
    db.set_clock("wall")
    db.set_job_rate(50_000_000)
    return db


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """``run("export", "SCHEMAS=HR")`` runs ``airflow-datapump export SCHEMAS=HR``."""

    def invoke(*argv: str) -> Result:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke
