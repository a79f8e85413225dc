"""Operators take the job as expdp/impdp parameters: parfile=, expdp_args=, impdp_args= (templated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from airflow_datapump import SpecError
from airflow_datapump.exceptions import InvalidArgumentError
from airflow_datapump.operators import ExportOperator, ImportOperator
from airflow_datapump.testing import DatabaseHandle
from tests.operators.test_datapump_operators import context


def test_the_three_arguments_are_templated() -> None:
    for name in ("parfile", "expdp_args", "impdp_args"):
        assert name in ExportOperator.template_fields
        assert name in ImportOperator.template_fields


def test_expdp_args_describe_the_export(db: DatabaseHandle) -> None:
    db.set_clock("wall")
    op = ExportOperator(task_id="e", expdp_args="SCHEMAS=HR DUMPFILE=hr_args.dmp JOB_NAME=EXP_ARGS",
                        deferrable=False, poll_interval=0.001)  # fmt: skip
    spec = op.build_spec(context())
    assert (spec.schemas, spec.dump_files, spec.job_name) == (("HR",), ("hr_args.dmp",), "EXP_ARGS")
    result = op.execute(context())
    assert result["job_name"] == "EXP_ARGS"
    assert (db.directory_path() / "hr_args.dmp").exists()


def test_a_parfile_is_read_when_the_task_runs(db: DatabaseHandle, tmp_path: Path) -> None:
    parfile = tmp_path / "imp.par"
    op = ImportOperator(
        task_id="i", parfile=str(parfile), impdp_args=["REMAP_SCHEMA=HR:HR2"], deferrable=False
    )
    parfile.write_text("SCHEMAS=HR\nDUMPFILE=hr.dmp\nTABLE_EXISTS_ACTION=REPLACE # a comment\n")
    spec = op.build_spec(context())
    assert (spec.operation, spec.schemas, spec.parameter("TABLE_EXISTS_ACTION")) == (
        "IMPORT",
        ("HR",),
        "REPLACE",
    )
    assert [(r.old_value, r.value) for r in spec.remaps] == [("HR", "HR2")]


def test_templated_args_are_checked_when_the_task_runs() -> None:
    op = ExportOperator(task_id="e", expdp_args="SCHEMAS={{ params.schema }} DUMPFILE=x.dmp")  # fine at parse
    op.expdp_args = "SCHEMAS=HR USERID=scott/tiger"  # what rendering produced
    with pytest.raises(SpecError) as caught:
        op.build_spec(context())
    assert caught.value.field == "USERID"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"expdp_args": "SCHEMAS=HR COMPRESSION=bogus"}, "COMPRESSION"),
        ({"impdp_args": "DUMPFILE=a.dmp"}, "impdp_args"),
        ({"expdp_args": "SCHEMAS=HR", "schemas": ["SH"]}, "schemas"),
        ({"expdp_args": "SCHEMAS=HR ATTACH=OLD_JOB"}, "ATTACH"),
        ({"expdp_args": "SCHEMAS=HR ENCRYPTION_MODE=PASSWORD ENCRYPTION_PASSWORD=pw1"}, "expdp_args"),
    ],
)
def test_bad_args_fail_when_the_dag_is_parsed(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(SpecError) as caught:
        ExportOperator(task_id="e", **kwargs)
    assert caught.value.field == field


def test_a_password_variable_answers_the_prompt(db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_VAR_DUMP_PW", "from-variable")
    args = "SCHEMAS=HR ENCRYPTION_MODE=PASSWORD ENCRYPTION_PWD_PROMPT=YES"
    op = ExportOperator(task_id="e", expdp_args=args, encryption_password_variable="dump_pw")
    spec = op.build_spec(context())
    assert spec.encryption_password is not None
    assert spec.encryption_password.reveal() == "from-variable"


def test_a_misspelled_object_type_is_refused_by_the_database_and_said_clearly(db: DatabaseHandle) -> None:
    """EXCLUDE=STATISTIC (for STATISTICS) names no object path of a schema export: Oracle
    refuses the filter with ORA-39041 (docs/emulator.md). The provider cannot know every
    release's paths, so it passes the path on; the database's refusal reaches the user naming
    the filter, and no job is left behind."""
    args = "SCHEMAS=HR DUMPFILE=typo.dmp JOB_NAME=EXP_TYPO EXCLUDE=STATISTIC"
    op = ExportOperator(task_id="e", expdp_args=args, deferrable=False, poll_interval=0.001)
    with pytest.raises(InvalidArgumentError) as caught:
        op.execute(context())
    message = str(caught.value)
    assert "ORA-39041" in message
    assert 'Filter "EXCLUDE_PATH_LIST"' in message
    assert "either identifies all object types or no object types" in message
    # EXCLUDE_PATH_LIST is not what the DBA wrote: the advice names INCLUDE/EXCLUDE and where
    # the paths are listed, and speaks of no "lines above" (the message is one line).
    assert "To fix: an INCLUDE or EXCLUDE object type names no object path" in message
    assert "SCHEMA_EXPORT_OBJECTS" in message
    assert "above" not in message
    assert db.jobs() == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"impdp_args": "DUMPFILE=app_{{ run_id }}_%U.dmp", "schemas": ["APP"]},
        {"parfile": "{{ params.parfile }}", "remap_schemas": {"APP": "APP_TEST"}},
        {"parfile": "/opt/dp/{{ params.name }}.par", "expdp_args": "DUMPFILE=x.dmp"},
    ],
)
def test_other_job_arguments_beside_templated_args_fail_when_the_dag_is_parsed(
    kwargs: dict[str, Any],
) -> None:
    """Which arguments were given is known at parse time even when the expdp/impdp text is a
    template: a combination that can never run must not wait for the export and the copy
    before it to finish first."""
    with pytest.raises(SpecError) as caught:
        ImportOperator(task_id="i", **kwargs)
    assert caught.value.field in ("schemas", "remap_schemas", "expdp_args")


def test_an_import_described_by_a_parfile_deletes_its_dump_files_when_asked(
    db: DatabaseHandle, tmp_path: Path
) -> None:
    """delete_dump_files is what the operator does after the job, which no impdp parameter can
    say: a refresh moved to a parameter file keeps it."""
    db.set_clock("wall")
    ExportOperator(task_id="e", expdp_args="SCHEMAS=HR DUMPFILE=par_%U.dmp", deferrable=False,
                   poll_interval=0.001).execute(context())  # fmt: skip
    parfile = tmp_path / "refresh.par"
    parfile.write_text("SCHEMAS=HR\nREMAP_SCHEMA=HR:HR_PAR\n")
    op = ImportOperator(task_id="i", parfile=str(parfile), impdp_args="DUMPFILE={{ params.dump }}",
                        delete_dump_files=True, deferrable=False, poll_interval=0.001)  # fmt: skip
    op.impdp_args = "DUMPFILE=par_%U.dmp"  # as rendered
    assert op.execute(context())["outcome"] == "successfully completed"
    assert db.rows("HR_PAR", "EMPLOYEES") == db.rows("HR", "EMPLOYEES")
    assert not list(db.directory_path().glob("par_*.dmp"))


def test_delete_dump_files_beside_expdp_args_is_still_refused_for_an_export() -> None:
    with pytest.raises(SpecError) as caught:
        ExportOperator(task_id="e", expdp_args="SCHEMAS=HR DUMPFILE=x.dmp", delete_dump_files=True)
    assert caught.value.field == "delete_dump_files"
