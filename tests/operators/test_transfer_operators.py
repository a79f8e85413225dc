"""The copy and transfer operators, and the Asset events they and the export emit (issue 14 §1, §2, §4)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from airflow.sdk import Asset
from airflow.sdk.execution_time.context import OutletEventAccessors

from airflow_datapump import SpecError
from airflow_datapump.assets import dump_set_asset, dump_set_uri
from airflow_datapump.operators import (
    CopyDumpFilesOperator,
    DumpFromObjectStorageOperator,
    DumpToObjectStorageOperator,
    ExportOperator,
)
from airflow_datapump.testing import EmulatedOracle, emulated_oracle


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatedOracle]:
    with emulated_oracle() as active:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_SOURCE", active.connection_uri("PROD"))
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_TARGET", active.connection_uri("TEST"))
        prod = active.database("PROD")
        prod.load_sample_hr()
        prod.set_job_rate(10_000_000)
        active.database("TEST").execute(
            "CREATE PUBLIC DATABASE LINK prod_link CONNECT TO system IDENTIFIED BY oracle "
            f"USING '{active.dsn('PROD')}'"
        )
        yield active


def _context() -> dict[str, Any]:
    ti = SimpleNamespace(map_index=-1, try_number=1, start_date=None)
    return {"ti": ti, "run_id": "manual__1", "outlet_events": OutletEventAccessors()}


def test_an_export_declares_its_dump_set_and_the_event_carries_job_scn_sizes_and_rows(
    oracle: EmulatedOracle,
) -> None:
    asset = dump_set_asset("prod.example.com/PROD", "DATA_PUMP_DIR", "hr_%U.dmp")
    op = ExportOperator(
        task_id="export_hr",
        oracle_conn_id="oracle_source",
        schemas=["HR"],
        dump_files=["hr_%U.dmp"],
        deferrable=False,
        poll_interval=0.001,
        outlets=[asset],
    )
    oracle.database("PROD").set_clock("wall")  # the job runs while the operator waits
    context = _context()
    summary = op.execute(context)
    extra = context["outlet_events"][asset].extra
    folder = oracle.database("PROD").directory_path()
    assert extra["job_name"] == summary["job_name"]
    assert extra["files"] == ["hr_01.dmp"]
    assert extra["sizes"] == {"hr_01.dmp": (folder / "hr_01.dmp").stat().st_size}
    assert extra["bytes"] == extra["sizes"]["hr_01.dmp"]
    assert isinstance(extra["flashback_scn"], int)
    assert extra["rows"]["HR.EMPLOYEES"] == len(oracle.database("PROD").rows("HR", "EMPLOYEES"))
    assert asset.uri == "datapump://prod.example.com:1521/PROD/DATA_PUMP_DIR/hr_%25U.dmp"


def test_copy_operator_pulls_the_set_and_emits_where_it_landed(oracle: EmulatedOracle) -> None:
    (oracle.database("PROD").directory_path() / "s_01.dmp").write_bytes(os.urandom(2048))
    landed = dump_set_asset("test.example.com/TEST", "DATA_PUMP_DIR", "s_%U.dmp")
    op = CopyDumpFilesOperator(
        task_id="copy",
        source_conn_id="oracle_source",
        destination_conn_id="oracle_target",
        link="PROD_LINK",
        dump_files="s_%U.dmp",
        delete_source=True,
        about={"job_name": "EXP_S", "flashback_scn": 42, "rows": {"HR.X": 1}},
        outlets=[landed],
    )
    context = _context()
    result = op.execute(context)
    assert result["files"] == ["s_01.dmp"]
    assert result["bytes"] == 2048
    assert context["outlet_events"][landed].extra == result
    assert result["flashback_scn"] == 42
    assert (oracle.database("TEST").directory_path() / "s_01.dmp").stat().st_size == 2048
    assert not (oracle.database("PROD").directory_path() / "s_01.dmp").exists()


def test_object_storage_operators_round_trip_and_add_the_folder_asset(
    oracle: EmulatedOracle, tmp_path: Path
) -> None:
    data = os.urandom(3000)
    (oracle.database("PROD").directory_path() / "o.dmp").write_bytes(data)
    folder = tmp_path.as_uri()
    up = DumpToObjectStorageOperator(
        task_id="up", oracle_conn_id="oracle_source", destination=folder, dump_files=["o.dmp"]
    )
    assert [o.uri for o in up.outlets] == [Asset(uri=folder).uri]
    context = _context()
    assert up.execute(context)["files"] == ["o.dmp"]
    assert context["outlet_events"][up.outlets[0]].extra["bytes"] == 3000
    down = DumpFromObjectStorageOperator(
        task_id="down", oracle_conn_id="oracle_target", source=folder, dump_files=["o.dmp"]
    )
    assert down.execute(_context())["destination"] == "DATA_PUMP_DIR"
    assert (oracle.database("TEST").directory_path() / "o.dmp").read_bytes() == data
    templated = DumpToObjectStorageOperator(task_id="t", destination="s3://b/{{ ds }}", dump_files=["o.dmp"])
    assert templated.outlets == []  # known only at run time


def test_bad_arguments_name_the_field_before_any_database_call() -> None:
    with pytest.raises(SpecError, match="direction: 'pull' is not allowed"):
        CopyDumpFilesOperator(
            task_id="c",
            source_conn_id="a",
            destination_conn_id="b",
            link="L",
            dump_files=["x"],
            direction="pull",
        )
    with pytest.raises(SpecError, match="chunk_bytes"):
        DumpToObjectStorageOperator(
            task_id="u", destination="file:///tmp/x", dump_files=["x"], chunk_bytes=10
        )
    op = DumpToObjectStorageOperator(task_id="u2", destination="file:///tmp/x", dump_files=[])
    with pytest.raises(SpecError, match="dump_files"):
        op.execute(_context())


def test_dump_set_uris_are_normalised_and_checked() -> None:
    assert Asset(uri="datapump://DB.Example.com/prod/data_pump_dir/hr.dmp").uri == (
        "datapump://db.example.com:1521/PROD/DATA_PUMP_DIR/hr.dmp"
    )
    assert dump_set_uri("db:1600/PROD", "DIR", "a b") == "datapump://db:1600/PROD/DIR/a%20b"
    with pytest.raises(ValueError, match="three path parts"):
        Asset(uri="datapump://db.example.com/PROD/hr.dmp")
    with pytest.raises(ValueError, match="host"):
        dump_set_uri("PROD", "DIR", "hr.dmp")
