"""The CLI's export and import take the parameters added to the expdp/impdp mapping:
REMAP_DATA, NOLOGFILE and dump files in several directories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.cli.conftest import Result

FAST = ("--wait", "--poll-interval", "0.05", "--no-progress")


@pytest.fixture
def db(wire_oracle: EmulatedOracle, tmp_path: Path) -> DatabaseHandle:
    handle = wire_oracle.database("FREEPDB1")
    handle.set_clock("wall")
    handle.set_job_rate(50_000_000)
    for name in ("DP1", "DP2"):
        handle.create_directory(name, tmp_path / name.lower(), grant_to=["SYSTEM"])
    handle.execute(
        "CREATE OR REPLACE PACKAGE hr.mask_pkg AS FUNCTION mask(p IN VARCHAR2) RETURN VARCHAR2; END;"
    )
    handle.execute(
        "CREATE OR REPLACE PACKAGE BODY hr.mask_pkg AS FUNCTION mask(p IN VARCHAR2) RETURN VARCHAR2 IS "
        "BEGIN RETURN 'X'; END; END;"
    )
    return handle


def test_export_with_remap_data_nologfile_and_two_directories(
    db: DatabaseHandle, run: Callable[..., Result], tmp_path: Path
) -> None:
    started = run("export", "TABLES=HR.REGIONS", "DUMPFILE=DP1:r.dmp", "NOLOGFILE=YES")
    assert started.code == 0
    assert "no log file (NOLOGFILE=YES)" in started.out
    done = run(
        "export",
        "TABLES=HR.REGIONS",
        "DUMPFILE=DP1:a%U.dmp,DP2:b%U.dmp",
        "PARALLEL=2",
        "REMAP_DATA=HR.REGIONS.REGION_NAME:HR.MASK_PKG.MASK",
        *FAST,
    )
    assert done.code == 0, done.err
    assert (tmp_path / "dp1" / "a01.dmp").exists()
    assert (tmp_path / "dp2" / "b01.dmp").exists()
    db.create_user("HR2", "hr2")
    loaded = run("import", "DUMPFILE=DP1:a%U.dmp,DP2:b%U.dmp", "REMAP_SCHEMA=HR:HR2", *FAST)
    assert loaded.code == 0, loaded.err
    assert {name for _, name in db.rows("HR2", "REGIONS")} == {"X"}
