"""Dump files in several directory objects (Utilities guide: ``DUMPFILE=[directory_object:]
file_name [, ...]``, ``LOGFILE=directory_object:file_name``): each ADD_FILE gets its file's own
directory, and the checks before an export or an import look in each file's directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core.status import Verdict
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.hooks.conftest import run_to_end


@pytest.fixture
def db(wire_oracle: EmulatedOracle, tmp_path: Path) -> DatabaseHandle:
    handle = wire_oracle.database("FREEPDB1")
    handle.set_job_rate(10_000_000)
    for name in ("DP1", "DP2", "LOGS"):
        handle.create_directory(name, tmp_path / name.lower(), grant_to=["SYSTEM"])
    return handle


def test_an_export_spreads_its_files_over_two_directories_and_the_import_reads_both(
    db: DatabaseHandle, hook: DatapumpHook, tmp_path: Path
) -> None:
    export = JobSpec.from_expdp(
        "SCHEMAS=HR DUMPFILE=DP1:a%U.dmp,DP2:b%U.dmp LOGFILE=LOGS:hr_export.log PARALLEL=2"
    )
    assert export.dump_locations() == (("DP1", "a%U.dmp"), ("DP2", "b%U.dmp"))
    assert run_to_end(db, hook, export) is Verdict.SUCCEEDED
    assert sorted(p.name for p in (tmp_path / "dp1").iterdir()) == ["a01.dmp"]
    assert sorted(p.name for p in (tmp_path / "dp2").iterdir()) == ["b01.dmp"]
    assert (tmp_path / "logs" / "hr_export.log").exists()
    db.create_user("HR2", "hr2")
    imported = JobSpec.from_impdp("DUMPFILE=DP1:a%U.dmp,DP2:b%U.dmp REMAP_SCHEMA=HR:HR2 SCHEMAS=HR")
    assert hook.precheck_import(imported) == []
    assert run_to_end(db, hook, imported) is Verdict.SUCCEEDED
    assert db.rows("HR2", "EMPLOYEES") == db.rows("HR", "EMPLOYEES")


def test_the_import_precheck_looks_for_each_file_in_its_own_directory(
    db: DatabaseHandle, hook: DatapumpHook, tmp_path: Path
) -> None:
    assert run_to_end(db, hook, JobSpec.from_expdp("SCHEMAS=HR DUMPFILE=DP1:only.dmp")) is Verdict.SUCCEEDED
    found = JobSpec.from_impdp("DIRECTORY=DP2 DUMPFILE=DP1:only.dmp")
    assert hook.precheck_import(found) == []
    missing = JobSpec.from_impdp("DIRECTORY=DP1 DUMPFILE=only.dmp,DP2:only.dmp")
    assert hook.precheck_import(missing) == ["dump file only.dmp was not found in directory DP2"]


def test_the_simple_form_is_unchanged_and_round_trips() -> None:
    spec = JobSpec.from_expdp("SCHEMAS=HR DIRECTORY=DP DUMPFILE=a.dmp,DP2:b.dmp,DP:c.dmp")
    assert spec.directory == "DP"
    assert spec.dump_files == ("a.dmp", "DP2:b.dmp", "c.dmp")
    assert "DUMPFILE=a.dmp,DP2:b.dmp,c.dmp" in spec.to_expdp()
    assert JobSpec.from_expdp(spec.to_expdp()) == spec
    assert JobSpec.from_json(spec.to_json()) == spec
    one = JobSpec.from_expdp("SCHEMAS=HR DUMPFILE=DP1:x.dmp")
    assert (one.directory, one.dump_files, one.log_directory) == ("DP1", ("x.dmp",), "DATA_PUMP_DIR")
    python = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["a.dmp", '"Mixed":b.dmp'])
    assert python.dump_locations() == (("DATA_PUMP_DIR", "a.dmp"), ("Mixed", "b.dmp"))


def test_an_export_with_asset_outlets_refuses_several_directories() -> None:
    from airflow_datapump.assets import dump_set_asset
    from airflow_datapump.exceptions import SpecError
    from airflow_datapump.operators import ExportOperator
    from airflow_datapump.operators._identity import run_of

    op = ExportOperator(
        task_id="export_hr",
        expdp_args="SCHEMAS=HR DUMPFILE=DP1:a%U.dmp,DP2:b%U.dmp",
        outlets=[dump_set_asset("localhost:1521/FREEPDB1", "DP1", "hr")],
    )
    spec = JobSpec.from_expdp("SCHEMAS=HR DUMPFILE=DP1:a%U.dmp,DP2:b%U.dmp")
    with pytest.raises(SpecError, match="these are in DP1, DP2"):
        op.check_safety(spec, None, run_of(op, {}))  # type: ignore[arg-type]


def test_the_copy_and_object_storage_tasks_refuse_a_file_of_another_directory() -> None:
    from airflow_datapump.core.transfer import check_dump_files
    from airflow_datapump.exceptions import SpecError

    with pytest.raises(SpecError) as caught:
        check_dump_files("dump_files", ["a.dmp", "DP2:b.dmp"])
    assert caught.value.field == "dump_files[1]"
    assert "one task per directory" in caught.value.allowed
