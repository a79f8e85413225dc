"""Behaviour of exports and imports through the hook, written once for every backend.

On a plain run these pass on the emulator and are reported as skipped ("not configured") for
a real Oracle; with AIRFLOW_DATAPUMP_LIVE_DSN set they also run on the real database.
"""

from __future__ import annotations

import re

import pytest
from behaviour_backends import SAMPLE, Backend, emulator_reading, export_spec

from airflow_datapump import JobSpec
from airflow_datapump.core.status import JobState, Outcome, Verdict
from airflow_datapump.exceptions import InvalidArgumentError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing._datapump.rules import READINGS

WRITE_TEXT = """
DECLARE
  f UTL_FILE.FILE_TYPE;
BEGIN
  f := UTL_FILE.FOPEN(:directory, :file_name, 'w');
  UTL_FILE.PUT_LINE(f, 'this is not a dump file');
  UTL_FILE.FCLOSE(f);
END;"""


def exported(backend: Backend, hook: DatapumpHook) -> JobSpec:
    spec = export_spec(backend)
    result = backend.run_to_end(hook, hook.submit(spec))
    assert result.verdict is Verdict.SUCCEEDED, result.log_lines[-5:]
    return spec


@pytest.fixture
def hook(backend: Backend) -> DatapumpHook:
    created = DatapumpHook(oracle_conn_id=backend.conn_id)
    yield created  # type: ignore[misc]
    created.close()


def test_export_succeeds_and_its_log_and_dump_say_so(backend: Backend, hook: DatapumpHook) -> None:
    spec = export_spec(backend)
    job = hook.submit(spec)
    result = backend.run_to_end(hook, job)
    assert result.verdict is Verdict.SUCCEEDED
    assert result.outcome.outcome is Outcome.SUCCEEDED
    assert any(
        line.startswith(f"Dump file set for {job.owner}.{job.job_name} is:") for line in result.log_lines
    )
    member = hook.dump_file_members(backend.directory, spec.dump_files[0])[0]
    info = hook.dumpfile_info(backend.directory, member)
    assert info.is_datapump
    assert job.job_name in (info.get("job_name") or "")


def test_import_with_remap_recreates_the_schema(backend: Backend, hook: DatapumpHook) -> None:
    spec = exported(backend, hook)
    target = f"{backend.prefix}_DST"
    imported = JobSpec(
        "IMPORT",
        "SCHEMA",
        directory=backend.directory,
        dump_files=list(spec.dump_files),
        schemas=[backend.schema],
        remap_schemas={backend.schema: target},
        parameters={"TABLE_EXISTS_ACTION": "REPLACE"},
        job_name=f"{backend.prefix}_IMP",
    )
    result = backend.run_to_end(hook, hook.submit(imported))
    assert result.verdict is Verdict.SUCCEEDED, result.log_lines[-5:]
    for table in SAMPLE:
        assert backend.rows(target, table) == backend.rows(backend.schema, table)


ONE_RUN_LIVE = pytest.mark.emulator_only(reason="a real Oracle prints the line one way: one run is enough")


@pytest.mark.parametrize(
    "reading",
    [
        reading if index == 0 else pytest.param(reading, marks=ONE_RUN_LIVE)
        for index, reading in enumerate(READINGS["TABLE_EXISTS_LINE"])
    ],
)
def test_importing_over_existing_tables_with_skip_logs_each_table_kept(
    backend: Backend, hook: DatapumpHook, reading: str
) -> None:
    """TABLE_EXISTS_ACTION=SKIP leaves existing tables and logs ORA-39151's text for each
    (§2.9). 11.2 logs print its code and count it as an error (§5.1), a 12c+ log prints the
    text alone and does not (docs/emulator.md, TABLE_EXISTS_LINE): the error lines hold it
    exactly when the log prints the code. A real Oracle has one reading, so it runs once."""
    emulator_reading(backend, "TABLE_EXISTS_LINE", reading)
    spec = exported(backend, hook)
    skipping = JobSpec(
        "IMPORT",
        "SCHEMA",
        directory=backend.directory,
        dump_files=list(spec.dump_files),
        schemas=[backend.schema],
        parameters={"TABLE_EXISTS_ACTION": "SKIP"},
        job_name=f"{backend.prefix}_IMP",
    )
    result = backend.run_to_end(hook, hook.submit(skipping))
    assert result.verdict is Verdict.SUCCEEDED
    kept = [line for line in result.log_lines if "All dependent metadata and data will be skipped" in line]
    assert sorted(re.findall(r'Table "[^"]+"\."([^"]+)" exists', "\n".join(kept))) == sorted(SAMPLE)
    coded = [line for line in kept if "ORA-39151: " in line]
    if backend.name == "emulator":
        assert len(coded) == (len(kept) if reading == "COUNTED" else 0)
    counted = [line for line in result.error_lines if "ORA-39151" in line]
    assert len(counted) == len(coded)
    if coded:
        assert result.outcome.outcome is Outcome.COMPLETED_WITH_ERRORS
        assert result.outcome.error_count >= len(coded)
    for table in SAMPLE:
        assert sorted(backend.rows(backend.schema, table)) == sorted(SAMPLE[table][1])


def test_a_finished_job_is_judged_by_its_log(backend: Backend, hook: DatapumpHook) -> None:
    job = hook.submit(export_spec(backend))
    backend.run_to_end(hook, job)
    status = hook.status(job)
    assert status.state is JobState.UNDEFINED
    assert status.outcome.outcome is Outcome.SUCCEEDED


def test_a_failed_submit_leaves_no_job(backend: Backend, hook: DatapumpHook) -> None:
    missing = JobSpec(
        "IMPORT",
        "SCHEMA",
        directory=backend.directory,
        dump_files=[f"{backend.prefix}_X.dmp"],
        job_name=f"{backend.prefix}_X",
    )
    with pytest.raises(InvalidArgumentError):
        hook.submit(missing)
    assert hook.find_job(f"{backend.prefix}_X") is None


def test_precheck_refuses_a_file_that_is_not_a_dump(backend: Backend, hook: DatapumpHook) -> None:
    name = f"{backend.prefix}_X.dmp"
    hook.session().cursor().execute(WRITE_TEXT, directory=backend.directory, file_name=name)
    problems = hook.precheck_import(
        JobSpec("IMPORT", "SCHEMA", directory=backend.directory, dump_files=[name])
    )
    assert problems == [f"{name} is not a Data Pump dump file"]


def test_kill_removes_the_job(backend: Backend, hook: DatapumpHook) -> None:
    job = hook.submit(export_spec(backend))
    hook.kill(job.job_name, job.owner)  # may race with a quick job's end; either way it is gone
    assert hook.find_job(job.job_name) is None


@pytest.mark.emulator_only(
    reason="stopping a job midway needs one slow enough, which the emulator's clock makes certain"
)
def test_stopped_job_is_an_orphan_until_restarted(backend: Backend, hook: DatapumpHook) -> None:
    job = hook.submit(export_spec(backend))
    hook.stop(job.job_name, job.owner, immediate=True)
    assert [o.job_name for o in hook.cleanup_orphans().orphans] == [job.job_name]
    hook.restart(job.job_name, job.owner)
    assert backend.run_to_end(hook, job).verdict is Verdict.SUCCEEDED
    assert hook.cleanup_orphans().orphans == []
