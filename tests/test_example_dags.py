"""The example DAGs run end to end with dag.test() on two emulated databases (issue: operators §9)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import EmulatedOracle, emulated_oracle

pytestmark = [
    pytest.mark.slow,
    pytest.mark.dag_test,
    pytest.mark.emulator_only(
        reason="the example refreshes one database from another over a link: two databases"
    ),
]


@pytest.fixture
def databases(airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    monkeypatch.setenv("AIRFLOW__DATAPUMP__POLL_INTERVAL", "0.05")
    with emulated_oracle(clock="wall") as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_SOURCE", oracle.connection_uri("PROD"))
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_TARGET", oracle.connection_uri("TEST"))
        prod, test = oracle.database("PROD"), oracle.database("TEST")
        prod.load_sample_hr()
        for db in (prod, test):
            db.set_job_rate(50_000_000)
        test.execute(
            "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY oracle "
            f"USING '{oracle.dsn('PROD')}'"
        )
        yield oracle


def test_schema_refresh_copies_hr_into_hr_test(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    dag = load_example("datapump_schema_refresh").dag
    run = dag.test()
    assert run.state == DagRunState.SUCCESS
    prod, test = databases.database("PROD"), databases.database("TEST")
    for table in ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES"):
        assert test.rows("HR_TEST", table) == prod.rows("HR", table)
    assert not list(test.directory_path().glob("hr_*.dmp"))  # the copied dump was deleted
    assert not list(prod.directory_path().glob("hr_*.dmp"))  # and, once imported, the export
    assert list(prod.directory_path().glob("*.log"))  # its log stays, to read what it did
    assert test.jobs() == []  # nothing left behind
    assert prod.jobs() == []


def _removed(run: Any) -> list[str]:
    """What the run's remove_source_dump task returned: the members it deleted."""
    (ti,) = [t for t in run.get_task_instances() if t.task_id == "remove_source_dump"]
    return [str(name) for name in ti.xcom_pull(task_ids="remove_source_dump")]


def test_schema_refresh_runs_without_a_logical_date_and_keeps_each_runs_dump(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    """As triggered from the CLI or REST API in Airflow 3: no logical date, so no ds_nodash.
    Two such runs on one day each have their own dump files (named by run, not by day), and
    each removes only its own from the source once imported."""
    from airflow.utils.state import DagRunState

    dag = load_example("datapump_schema_refresh").dag
    prod = databases.database("PROD").directory_path()
    earlier = prod / "hr_earlier_01.dmp"  # another night's set, kept while its run is away
    earlier.write_bytes(b"not this run's")
    first = dag.test(logical_date=None)
    assert first.state == DagRunState.SUCCESS
    assert first.logical_date is None
    removed_first = _removed(first)  # read before the next dag.test() clears the DAG's runs
    second = dag.test(logical_date=None)
    assert second.state == DagRunState.SUCCESS
    removed_second = _removed(second)
    assert removed_first
    assert len(removed_second) == len(removed_first)
    assert not set(removed_first) & set(removed_second)  # a set of its own each night
    assert [p.name for p in prod.glob("hr_*.dmp")] == [earlier.name]  # only this run's went
    test = databases.database("TEST")
    assert test.rows("HR_TEST", "EMPLOYEES") == databases.database("PROD").rows("HR", "EMPLOYEES")


def test_run_file_names_are_file_safe_and_unique_per_run(load_example: Callable[[str], ModuleType]) -> None:
    from airflow_datapump.core.names import file_name

    name = load_example("datapump_schema_refresh").run_file_name
    ids = ["manual__2026-01-05T10:00:00+00:00", "manual__2026-01-05T10:00:00.5+00:00", "a b", "a_b", "x/../y"]
    names = [name(run_id) for run_id in ids]
    assert len(set(names)) == len(ids)
    for made in names:
        assert file_name(f"hr_{made}_%U.dmp", "dump_files", substitution=True)
        assert all(c.isalnum() or c == "_" for c in made)


def test_sensor_waits_for_an_externally_started_job(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    hook = DatapumpHook(oracle_conn_id="oracle_source")
    hook.submit(
        JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["nightly.dmp"], job_name="EXP_NIGHTLY")
    )
    hook.close()
    dag = load_example("datapump_wait_for_external_job").dag
    run = dag.test(run_conf={"job_name": "EXP_NIGHTLY", "job_owner": "SYSTEM"})
    assert run.state == DagRunState.SUCCESS
    assert databases.database("PROD").jobs() == []


def test_the_quick_start_environment_is_its_own_whatever_was_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every way Airflow could be pointed at a real database is replaced or removed, and the
    emulated connections' password is long enough for Airflow to mask it."""
    import runpy

    from airflow_datapump._compat import conf

    for name, value in {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql://airflow@prod-db/airflow",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD": "cat /etc/airflow/db",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET": "airflow-db",
        "AIRFLOW_CONFIG": "/etc/airflow/airflow.cfg",
        "AIRFLOW_CONN_ORACLE_SOURCE": "oracle://real:real@prod:1521/PROD",
        "AIRFLOW_VAR_DUMP_PASSWORD": "real",
    }.items():
        monkeypatch.setenv(name, value)
    script = runpy.run_path(
        str(Path(__file__).parent.parent / "scripts" / "run_schema_refresh_on_emulator.py")
    )
    env = script["scratch_environment"](tmp_path)
    assert env["AIRFLOW_HOME"] == str(tmp_path)
    assert env["AIRFLOW_CONFIG"] == str(tmp_path / "airflow.cfg")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == f"sqlite:///{tmp_path / 'airflow.db'}"
    assert "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD" not in env
    assert "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET" not in env
    assert "AIRFLOW_VAR_DUMP_PASSWORD" not in env
    # The real connections are gone; the run names the emulator's server once it listens.
    assert "AIRFLOW_CONN_ORACLE_SOURCE" not in env
    shortest = conf.getint("logging", "min_length_masked_secret", fallback=5)
    assert len(script["PASSWORD"]) > shortest


def test_the_readme_quick_start_runs_in_a_scratch_airflow_of_its_own(tmp_path: Path) -> None:
    """Run as on a real Airflow host: the metadata database and home the environment names
    are left exactly as they were, the scratch folder is removed, and the result comes first."""
    import sqlite3
    import subprocess
    import sys

    real_home, scratch = tmp_path / "home", tmp_path / "tmp"
    real_home.mkdir()
    scratch.mkdir()
    real_db = real_home / "airflow.db"
    with sqlite3.connect(real_db) as connection:
        connection.execute("CREATE TABLE dag_run (id INTEGER)")  # a stand-in for a live Airflow
        connection.execute("INSERT INTO dag_run VALUES (42)")
    before = real_db.read_bytes()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(real_home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{real_db}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(real_home),
        "TMPDIR": str(scratch),
    }
    script = Path(__file__).parent.parent / "scripts" / "run_schema_refresh_on_emulator.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "Schema refresh on the emulator: SUCCESS (DAG run success)"
    assert "TEST.HR_TEST.EMPLOYEES: 20 rows, equal to PROD.HR.EMPLOYEES" in lines
    assert real_db.read_bytes() == before  # the environment's database was not touched
    assert sorted(p.name for p in real_home.iterdir()) == ["airflow.db"]
    assert list(scratch.iterdir()) == []  # the scratch Airflow home is gone


# -- the refresh patterns of issue 14 §5; each checks the target's rows equal the source's ------

TABLES = ("REGIONS", "COUNTRIES", "DEPARTMENTS", "EMPLOYEES")


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
    databases: EmulatedOracle,
    load_example: Callable[[str], ModuleType],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from airflow.utils.state import DagRunState

    monkeypatch.setenv("DATAPUMP_DUMP_LOCATION", (tmp_path / "bucket").as_uri())

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


def test_one_table_is_restored_from_a_schema_dump_after_listing_its_contents(
    databases: EmulatedOracle, load_example: Callable[[str], ModuleType]
) -> None:
    from airflow.utils.state import DagRunState

    test = databases.database("TEST")
    test.load_sample_hr()
    test.create_user("HR_RESTORE", "x")
    hook = DatapumpHook(oracle_conn_id="oracle_target")
    job = hook.submit(
        JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["hr_%U.dmp"], job_name="EXP_HR")
    )
    hook.wait(job, poll_interval=0.05)
    contents = hook.dump_contents("DATA_PUMP_DIR", ["hr_%U.dmp"], export_log="EXP_HR.log", poll_interval=0.05)
    hook.close()
    assert contents.header["job_name"] == '"SYSTEM"."EXP_HR"'
    assert sorted(contents.tables()) == ["HR.COUNTRIES", "HR.DEPARTMENTS", "HR.EMPLOYEES", "HR.REGIONS"]
    assert contents.rows["HR.EMPLOYEES"] == len(test.rows("HR", "EMPLOYEES"))
    assert not list(test.directory_path().glob("SQLF_*"))  # the SQL_FILE job's script and log are gone
    dag = load_example("datapump_restore_one_table").dag
    run = dag.test(run_conf={"dump": "hr_%U.dmp", "export_log": "EXP_HR.log", "table": "EMPLOYEES"})
    assert run.state == DagRunState.SUCCESS
    assert test.rows("HR_RESTORE", "EMPLOYEES") == test.rows("HR", "EMPLOYEES")
    restored = test.execute("SELECT table_name FROM dba_tables WHERE owner = 'HR_RESTORE'")
    assert restored == [("EMPLOYEES",)]  # only the one table
