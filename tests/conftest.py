"""Test-wide settings that must be in place before anything imports Airflow."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from tests.processes import Postgres, interrupt_on_sigterm

if TYPE_CHECKING:
    from airflow_datapump.testing import EmulatedOracle

_AIRFLOW_HOME = tempfile.mkdtemp(prefix="airflow-datapump-tests-")
os.environ["AIRFLOW_HOME"] = _AIRFLOW_HOME
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).parent.parent / "example_dags")


def pytest_configure(config: pytest.Config) -> None:
    interrupt_on_sigterm()  # a cancelled run still stops the processes its fixtures started


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked with an Airflow feature this Airflow lacks (or has, for the tests of what
    happens without it) are skipped, naming it."""
    from tests.airflow_features import SKIPPED  # imports Airflow: after AIRFLOW_HOME is set above

    for item in items:
        for marker, reason in SKIPPED.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """A fresh metadata database for the dag.test() runs of one module."""
    from airflow.utils.db import resetdb

    resetdb()


@pytest.fixture
def load_example() -> Callable[[str], ModuleType]:
    """Import an example DAG file by name, as the DAG processor would."""
    examples = Path(__file__).parent.parent / "example_dags"

    def load(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(name, examples / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def wire_oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    """The emulator behind its Oracle Net server, reached at its real address as SYSTEM, with HR."""
    from airflow_datapump.testing import EmulatedOracle  # after AIRFLOW_HOME is set above

    with EmulatedOracle() as active:
        monkeypatch.setenv(
            "AIRFLOW_CONN_ORACLE_DEFAULT", active.connection_uri("FREEPDB1", "system", "oracle")
        )
        active.database("FREEPDB1").load_sample_hr()
        yield active


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postgres]:
    """A private PostgreSQL cluster on loopback, Airflow's metadata database for the suites
    that run Airflow as separate processes (end to end, browser); each takes a database."""
    logs = tmp_path_factory.mktemp("postgres-logs")
    cluster = Postgres()
    try:
        cluster.start(logs)
        yield cluster
    finally:
        cluster.stop()
