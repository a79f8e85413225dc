"""The drift check: the checked-in expectation, the emulator's tables and the dictionary agree."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import oracledb

from airflow_datapump.testing import ADMIN_PASSWORD, emulated_oracle

ROOT = Path(__file__).parent.parent.parent


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("drift", ROOT / "scripts" / "check_dbms_datapump_drift.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["drift"] = module
    spec.loader.exec_module(module)
    return module


def test_the_checked_in_expectation_is_what_the_emulator_enforces() -> None:
    expected = (Path(__file__).parent / "expected_dbms_datapump.txt").read_text().splitlines()
    assert script().emulator_catalog() == expected


def test_reading_the_dictionary_finds_no_difference_on_the_emulator() -> None:
    """The database-reading path of the script, proved on the emulator's ALL_ARGUMENTS."""
    drift = script()
    with (
        emulated_oracle() as oracle,
        oracledb.connect(user="system", password=ADMIN_PASSWORD, dsn=oracle.dsn()) as conn,
    ):
        live = drift.live_catalog(conn)
    assert live == drift.emulator_catalog()
    assert drift.differences(live, drift.emulator_catalog()) == []


def test_differences_are_listed_from_both_sides() -> None:
    found = script().differences(["A", "B"], ["B", "C"])
    assert found == ["only in the database: A", "only in the emulator: C"]
