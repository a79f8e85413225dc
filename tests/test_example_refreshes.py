"""The refresh pattern example DAGs run end to end on two emulated databases (issue 14 §5).

Each checks that the target's rows equal the source's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from airflow_datapump.testing import EmulatedOracle, emulated_oracle

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dag_test,
    pytest.mark.emulator_only(reason="the refreshes move data between two databases"),
]
TABLES = ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES")


@pytest.fixture
def databases(airflow_db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[EmulatedOracle]:
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORACLE_SOURCE", "oracle://system:x@prod.example.com:1521?service_name=PROD"
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORACLE_TARGET", "oracle://system:x@test.example.com:1521?service_name=TEST"
    )
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", "0.05")
    monkeypatch.setenv("DATAPUMP_DUMP_LOCATION", (tmp_path / "bucket").as_uri())
    with emulated_oracle(clock="wall") as oracle:
        prod, test = oracle.database("PROD"), oracle.database("TEST")
        prod.load_sample_hr()
        for db in (prod, test):
            db.set_job_rate(50_000_000)
        test.execute(
            "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY x "
            "USING 'prod.example.com/PROD'"
        )
        yield oracle


def _same_rows(oracle: EmulatedOracle, target_schema: str) -> None:
    prod, test = oracle.database("PROD"), oracle.database("TEST")
    for table in TABLES:
        assert test.rows(target_schema, table) == prod.rows("HR", table)


def test_network_mode_refresh_needs_no_dump_file(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    dag = load_example("datapump_refresh_network").dag
    assert dag.test().state == DagRunState.SUCCESS
    _same_rows(databases, "HR_NET")
    assert not list(databases.database("TEST").directory_path().glob("*.dmp"))
    assert not list(databases.database("PROD").directory_path().glob("*.dmp"))


def test_producer_and_consumer_refresh_through_object_storage_chained_by_the_asset(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType], tmp_path: Path
) -> None:
    from airflow.utils.state import DagRunState

    module = load_example("datapump_refresh_through_object_storage")
    producer, consumer = (module.DAGS[name] for name in ("datapump_dump_producer", "datapump_dump_consumer"))
    assert module.DUMPS.uri in str(consumer.timetable.asset_condition)  # scheduled on the upload
    assert module.DUMPS.uri in [getattr(o, "uri", None) for o in producer.get_task("upload").outlets]
    assert producer.test().state == DagRunState.SUCCESS
    uploaded = sorted(p.name for p in (tmp_path / "bucket").iterdir())
    assert uploaded[-1].endswith(".manifest.json")
    assert not list(databases.database("PROD").directory_path().glob("*.dmp"))  # deleted once uploaded
    assert consumer.test().state == DagRunState.SUCCESS
    _same_rows(databases, "HR_COPY")
    assert not list(databases.database("TEST").directory_path().glob("*.dmp"))  # deleted after import


def test_incremental_export_moves_each_intervals_rows_once(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    import pendulum
    from airflow.utils.state import DagRunState

    prod, test = databases.database("PROD"), databases.database("TEST")
    test.create_user("HR_INC", "x")
    dag = load_example("datapump_incremental_export").dag
    intervals = []
    for year in (2016, 2017):
        run = dag.test(logical_date=pendulum.datetime(year, 1, 1, tz="UTC"))
        assert run.state == DagRunState.SUCCESS
        intervals.append(
            (run.data_interval_start.replace(tzinfo=None), run.data_interval_end.replace(tzinfo=None))
        )
    moved = test.rows("HR_INC", "EMPLOYEES")
    wanted = [r for r in prod.rows("HR", "EMPLOYEES") if any(a <= r[4] < b for a, b in intervals)]
    assert moved == wanted
    assert wanted  # the intervals are not empty
    assert len(moved) < len(prod.rows("HR", "EMPLOYEES"))
