"""What the operator tests share: an emulated database behind the default connection, and a
way to let a deferred task's trigger run to its event."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from airflow_datapump.hooks import _pool
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from airflow_datapump.triggers.datapump import JobTrigger
from tests.emulator_access import admin_uri

PASSWORD = "op-secret"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    with emulated_oracle() as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", admin_uri(oracle, PASSWORD))
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        handle.set_job_rate(10_000_000)
        yield handle


def load_dag_file(path: Path) -> ModuleType:
    """Import a DAG file as the DAG processor does (dag.test() finds it in the dags folder)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def trigger_event() -> Callable[[JobTrigger], dict[str, Any]]:
    """Run a trigger as the triggerer would, to the one event it yields."""

    def run(trigger: JobTrigger) -> dict[str, Any]:
        async def first() -> dict[str, Any]:
            try:
                async for event in trigger.run():
                    return dict(event.payload)
                raise AssertionError("the trigger ended without an event")
            finally:
                await _pool.close_pools()

        return asyncio.run(first())

    return run
