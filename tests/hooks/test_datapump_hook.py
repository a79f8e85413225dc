"""DatapumpHook on the emulator: submit, status, wait, control, files, errors (issue: hook)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import oracledb
import pytest

from airflow_datapump import JobSpec, SpecError
from airflow_datapump.core.status import JobState, JobStatus, Outcome, Verdict
from airflow_datapump.exceptions import (
    DatapumpError,
    InvalidArgumentError,
    JobExistsError,
    JobNotFoundError,
    TransientConnectionError,
)
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from tests.hooks.conftest import PASSWORD

EXPORT_HR = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["hr_%U.dmp"], job_name="EXP_HR")


def test_submit_is_one_round_trip_and_returns_a_reference(db: DatabaseHandle, hook: DatapumpHook) -> None:
    hook.session()  # warm up: the logon is not part of submitting
    db.reset_counters()
    ref = hook.submit(EXPORT_HR)
    assert db.counters() == {"round_trips": 1, "jobs_opened": 1}
    assert (ref.job_name, ref.owner, ref.dump_files, ref.log_file) == (
        "EXP_HR",
        "SYSTEM",
        ("hr_%U.dmp",),
        "EXP_HR.log",
    )
    assert ref.flashback_scn is not None  # exports are consistent by default
    assert [(j["name"], j["state"]) for j in db.jobs()] == [("EXP_HR", "EXECUTING")]


def test_failed_submit_leaves_no_job_and_carries_data_pumps_lines(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    spec = JobSpec("IMPORT", "SCHEMA", dump_files=["missing.dmp"], job_name="IMP_BAD")
    with pytest.raises(InvalidArgumentError) as caught:
        hook.submit(spec)
    assert caught.value.code == "ORA-39001"
    assert any("ORA-31640" in line for line in caught.value.lines)
    assert db.jobs() == []  # the half-defined job was removed
    assert ("IMP_BAD",) not in db.execute("select table_name from dba_tables where owner = 'SYSTEM'")


def test_duplicate_job_name_is_job_exists(db: DatabaseHandle, hook: DatapumpHook) -> None:
    hook.submit(EXPORT_HR)
    with pytest.raises(JobExistsError) as caught:
        hook.submit(EXPORT_HR)
    assert caught.value.code == "ORA-31634"


def test_status_is_one_round_trip_with_progress_and_new_log_lines(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    ref = hook.submit(EXPORT_HR)
    db.set_job_speed("SYSTEM", "EXP_HR", size=1_000_000, rate=100_000)
    db.reset_counters()
    first = hook.status(ref)
    assert db.counters() == {"round_trips": 1}
    assert first.state is JobState.EXECUTING
    assert first.log_lines[0].startswith("airflow-datapump start ")  # written before START_JOB
    assert first.log_lines[1] == 'Starting "SYSTEM"."EXP_HR":'
    db.advance(5)
    second = hook.status(ref, log_position=first.log_position)
    assert 0 < (second.percent_done or 0) < 100
    assert second.total_bytes == 1_000_000
    assert not set(second.log_lines) & set(first.log_lines)  # only what is new


def test_a_finished_job_is_judged_by_its_log_not_by_ora_31626(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    db.advance(3600)
    status = hook.status(ref)
    assert status.state is JobState.UNDEFINED
    assert status.outcome.outcome is Outcome.SUCCEEDED


def test_wait_returns_the_outcome_and_every_log_line(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    seen: list[JobState] = []

    def watch(status: JobStatus) -> None:
        seen.append(status.state)
        db.advance(2)  # the job moves on between polls; no sleeping

    result = hook.wait(ref, poll_interval=0, on_status=watch)
    assert result.verdict is Verdict.SUCCEEDED
    assert result.log_lines[0].startswith("airflow-datapump start ")  # the run stamp comes first
    assert result.log_lines[1].startswith('Starting "SYSTEM"."EXP_HR"')
    assert "Dump file set for SYSTEM.EXP_HR is:" in result.log_lines
    assert seen[0] is JobState.EXECUTING
    # §5: the end is seen as COMPLETED by a client attached at that moment, or as gone.
    assert seen[-1] in (JobState.COMPLETED, JobState.UNDEFINED)
    assert len(seen) > 3


@pytest.mark.parametrize(
    "when",
    [dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1), "SYSTIMESTAMP"],
    ids=["aware", "naive", "expression"],
)
def test_every_form_of_flashback_time_runs_to_completion(
    db: DatabaseHandle, hook: DatapumpHook, when: dt.datetime | str
) -> None:
    spec = JobSpec(
        "EXPORT", "SCHEMA", schemas=["HR"], dump_files=["fb.dmp"], parameters={"FLASHBACK_TIME": when}
    )
    ref = hook.submit(spec)
    result = hook.wait(ref, poll_interval=0, on_status=lambda _: db.advance(5))
    assert result.verdict is Verdict.SUCCEEDED


def test_completed_with_errors_is_a_success_with_its_error_lines(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    db.next_job_completes_with_errors([['ORA-31684: Object type USER:"HR" already exists']])
    ref = hook.submit(EXPORT_HR)
    db.advance(3600)
    result = hook.wait(ref, poll_interval=0)
    assert result.verdict is Verdict.SUCCEEDED
    assert result.outcome.error_count == 1
    assert result.error_lines == ('ORA-31684: Object type USER:"HR" already exists',)


def test_stop_restart_and_kill(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    hook.stop(ref.job_name, ref.owner, immediate=True)
    assert hook.status(ref).state is JobState.NOT_RUNNING
    hook.restart(ref.job_name, ref.owner)
    assert hook.status(ref).state is JobState.EXECUTING
    assert hook.kill(ref.job_name, ref.owner) is True
    assert hook.status(ref).state is JobState.UNDEFINED
    assert hook.kill(ref.job_name, ref.owner) is False  # already gone: ORA-31626 is not an error here


def test_orphans_are_listed_first_then_dropped(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    hook.stop(ref.job_name, ref.owner, immediate=True)
    db.advance(120)
    report = hook.cleanup_orphans()
    assert [(o.job_name, o.state) for o in report.orphans] == [("EXP_HR", JobState.NOT_RUNNING)]
    assert len(hook.list_jobs()) == 1  # a dry run drops nothing
    hook.cleanup_orphans(dry_run=False, older_than=60)
    assert hook.list_jobs() == []


def _hr_hook(oracle: EmulatedOracle, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch) -> DatapumpHook:
    monkeypatch.setenv("AIRFLOW_CONN_HR_CONN", oracle.connection_uri(user="hr", password="hr"))
    db.execute("GRANT READ, WRITE ON DIRECTORY data_pump_dir TO hr")
    return DatapumpHook(oracle_conn_id="hr_conn")


def test_cleanup_on_a_dba_connection_leaves_another_users_stopped_job(
    oracle: EmulatedOracle, db: DatabaseHandle, hook: DatapumpHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HR stopped its job on purpose, to restart it: SYSTEM's clean-up must not drop it."""
    hr = _hr_hook(oracle, db, monkeypatch)
    own = hr.submit(JobSpec("EXPORT", "SCHEMA", dump_files=["own.dmp"], job_name="OWN"))
    hr.stop(own.job_name, own.owner, immediate=True, keep_master=True)
    mine = hook.submit(EXPORT_HR)
    hook.stop(mine.job_name, mine.owner, immediate=True)
    db.advance(2 * 3600)
    report = hook.cleanup_orphans(dry_run=False, older_than=dt.timedelta(hours=1))
    assert [(j.owner, j.job_name) for j in report.orphans] == [("SYSTEM", "EXP_HR")]
    assert [(s.job.owner, s.job.job_name) for s in report.skipped] == [("HR", "OWN")]
    assert "owned by HR" in report.skipped[0].reason
    assert [(j.owner, j.job_name) for j in hook.list_jobs()] == [("HR", "OWN")]
    hr.restart(own.job_name, own.owner)  # still restartable
    hr.close()


def test_cleanup_keeps_a_job_active_within_the_threshold(db: DatabaseHandle, hook: DatapumpHook) -> None:
    db.set_job_rate(10)
    ref = hook.submit(EXPORT_HR)
    db.advance(3000)  # 50 minutes of progress reports, then a stop
    assert hook.status(ref).state is JobState.EXECUTING
    hook.stop(ref.job_name, ref.owner, immediate=True)
    db.advance(1800)  # created 80 minutes ago, but active 30 minutes ago
    report = hook.cleanup_orphans(dry_run=False, older_than=3600)
    assert report.orphans == []
    assert report.skipped[0].job.job_name == "EXP_HR"
    assert "within the 3600 s threshold" in report.skipped[0].reason
    db.advance(3600)
    assert [j.job_name for j in hook.cleanup_orphans(dry_run=False, older_than=3600).orphans] == ["EXP_HR"]
    assert hook.list_jobs() == []


def test_cleanup_needs_a_threshold_to_drop_anything(hook: DatapumpHook) -> None:
    with pytest.raises(SpecError) as caught:
        hook.cleanup_orphans(dry_run=False)
    assert caught.value.field == "older_than"
    with pytest.raises(SpecError, match="older_than"):
        hook.cleanup_orphans(older_than=-1)


def test_cleanup_without_the_catalog_views_drops_nothing(
    oracle: EmulatedOracle, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    hr = _hr_hook(oracle, db, monkeypatch)
    own = hr.submit(JobSpec("EXPORT", "SCHEMA", dump_files=["own.dmp"], job_name="OWN"))
    hr.stop(own.job_name, own.owner, immediate=True)
    db.advance(7 * 86400)
    report = hr.cleanup_orphans(dry_run=False, older_than=60)
    assert report.orphans == []
    assert "cannot be read" in report.skipped[0].reason
    assert [j.job_name for j in hr.list_jobs()] == ["OWN"]
    hr.close()


def test_list_jobs_falls_back_to_user_datapump_jobs(
    oracle: EmulatedOracle, db: DatabaseHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_HR_CONN", oracle.connection_uri(user="hr", password="hr"))
    db.execute("GRANT READ, WRITE ON DIRECTORY data_pump_dir TO hr")
    hr = DatapumpHook(oracle_conn_id="hr_conn")
    hr.submit(JobSpec("EXPORT", "SCHEMA", dump_files=["own.dmp"], job_name="OWN"))  # HR may export itself
    assert [(j.owner, j.job_name) for j in hr.list_jobs()] == [("HR", "OWN")]
    hr.close()


def test_read_log_whole_and_tail(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    db.advance(3600)
    text = hook.read_log(ref)
    assert text.splitlines()[1] == 'Starting "SYSTEM"."EXP_HR":'  # after the run stamp
    assert hook.read_log(ref, tail_lines=1).startswith('Job "SYSTEM"."EXP_HR" successfully completed')
    assert hook.read_log(ref, tail_lines=0) == ""  # none, not the whole log
    with pytest.raises(SpecError, match="tail_lines"):
        hook.read_log(ref, tail_lines=-2)
    whole, end = hook.read_file("DATA_PUMP_DIR", "EXP_HR.log")
    rest, _ = hook.read_file("DATA_PUMP_DIR", "EXP_HR.log", position=10)
    assert whole[10:] == rest
    assert end == len(whole.encode())


def test_dump_files_and_import_precheck(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["p_%U.dmp"], parallel=2))
    db.advance(3600)
    members = hook.dump_file_members("DATA_PUMP_DIR", "p_%U.dmp")
    assert members == ["p_01.dmp", "p_02.dmp"]
    info = hook.dumpfile_info("DATA_PUMP_DIR", "p_01.dmp")
    assert info.is_datapump
    assert ref.job_name in (info.get("job_name") or "")
    (db.directory_path() / "notes.txt").write_text("not a dump\n")
    problems = hook.precheck_import(
        JobSpec("IMPORT", "FULL", dump_files=["p_%U.dmp", "notes.txt", "gone.dmp"])
    )
    assert problems == [
        "notes.txt is not a Data Pump dump file",
        "dump file gone.dmp was not found in directory DATA_PUMP_DIR",
    ]


def test_file_exists_size_and_delete(db: DatabaseHandle, hook: DatapumpHook) -> None:
    (db.directory_path() / "a.txt").write_text("12345")
    assert (hook.file_exists("DATA_PUMP_DIR", "a.txt"), hook.file_size("DATA_PUMP_DIR", "a.txt")) == (True, 5)
    assert hook.delete_file("DATA_PUMP_DIR", "a.txt") is True
    assert hook.delete_file("DATA_PUMP_DIR", "a.txt") is False
    assert hook.file_size("DATA_PUMP_DIR", "a.txt") is None


def test_copy_dump_files_between_databases(
    oracle: EmulatedOracle, db: DatabaseHandle, hook: DatapumpHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§7.5: DBMS_FILE_TRANSFER.GET_FILE pulls the dump over a database link."""
    target = oracle.database("TESTPDB")
    target.execute(
        f'CREATE PUBLIC DATABASE LINK prod CONNECT TO system IDENTIFIED BY "{PASSWORD}" '
        f"USING '{oracle.dsn()}'"
    )
    hook.submit(EXPORT_HR)
    db.advance(3600)
    monkeypatch.setenv("AIRFLOW_CONN_TARGET", oracle.connection_uri("TESTPDB"))
    copier = DatapumpHook(oracle_conn_id="target")
    copier.copy_files(
        ["hr_01.dmp"],
        link="PROD",
        direction="get",
        source_directory="DATA_PUMP_DIR",
        destination_directory="DATA_PUMP_DIR",
    )
    copied = target.directory_path() / "hr_01.dmp"
    assert copied.read_bytes() == (db.directory_path() / "hr_01.dmp").read_bytes()
    copier.close()


def test_status_retries_a_transient_failure(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    db.fail_call("ORA-03113", call="execute")
    assert hook.status(ref).state is JobState.EXECUTING  # reconnected and tried again


def test_status_gives_up_after_the_retry_budget(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)
    db.go_down()
    with pytest.raises(TransientConnectionError):
        hook.status(ref)
    db.come_back()


def test_submit_after_a_lost_reply_finds_the_job_instead_of_starting_another(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    db.lose_reply("DPY-4011")
    ref = hook.submit(EXPORT_HR)
    assert ref.job_name == "EXP_HR"
    assert [j["name"] for j in db.jobs()] == ["EXP_HR"]  # one job, not two


def test_secrets_never_reach_logs_or_errors(
    db: DatabaseHandle, hook: DatapumpHook, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    spec = JobSpec("IMPORT", "SCHEMA", dump_files=["nope.dmp"], encryption_password="enc-secret-42")
    with pytest.raises(InvalidArgumentError) as caught:
        hook.submit(spec)
    texts = [caplog.text, str(caught.value), repr(caught.value.lines), repr(hook)]
    for text in texts:
        assert "enc-secret-42" not in text
        assert "system-secret" not in text


def test_async_status_reuses_pooled_sessions(db: DatabaseHandle, hook: DatapumpHook) -> None:
    ref = hook.submit(EXPORT_HR)

    async def polls() -> list[JobState]:
        states = [(await hook.async_status(ref)).state]  # warm-up opens the pool
        before = db.counters()["sessions_opened"]
        for _ in range(5):
            states.append((await hook.async_status(ref)).state)
        assert db.counters()["sessions_opened"] == before
        assert await hook.async_stop(ref.job_name, ref.owner, immediate=True, keep_master=False) is True
        await _pool.close_pools()
        return states

    assert asyncio.run(polls()) == [JobState.EXECUTING] * 6
    assert db.jobs() == []


def test_thick_mode_without_an_oracle_client_is_a_clear_error(db: DatabaseHandle) -> None:
    """The real driver finds no Oracle Client here (DPI-1047), and once a thin connection
    exists it refuses thick mode (DPY-2019): either way the error names the setting, on the
    sync path and on the async one (which runs thick mode in a thread)."""
    thick = DatapumpHook(thick_mode=True)
    with pytest.raises(DatapumpError, match=r"thick_mode: true \(connection 'oracle_default'") as caught:
        thick.submit(EXPORT_HR)
    assert "DPI-1047" in str(caught.value) or "DPY-2019" in str(caught.value)
    assert isinstance(caught.value.__cause__, oracledb.DatabaseError)
    ref = DatapumpHook().submit(EXPORT_HR)
    with pytest.raises(DatapumpError, match=r"thick_mode: true .*\(DPY-2019\)"):
        asyncio.run(thick.async_status(ref))
    assert db.jobs()[0]["state"] == "EXECUTING"  # nothing reached the database in thick mode
    thick.close()


def test_job_not_found_for_an_unknown_restart(db: DatabaseHandle, hook: DatapumpHook) -> None:
    with pytest.raises(JobNotFoundError):
        hook.restart("NO_SUCH_JOB", "SYSTEM")


def test_a_failed_control_call_leaves_no_handle_on_the_session(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    """START_JOB on a running job is INVALID_STATE (§2.11); the block lets its handle go."""
    ref = hook.submit(EXPORT_HR)
    db.set_job_speed("SYSTEM", "EXP_HR", size=10_000_000)
    with pytest.raises(InvalidArgumentError) as caught:
        hook.restart(ref.job_name, ref.owner)
    assert caught.value.code == "ORA-39004"
    assert hook.status(ref).state is JobState.EXECUTING  # same session attaches again fine
    assert [j.attached_sessions for j in hook.list_jobs()] == [0]


def test_attach_by_name_finds_a_job_started_elsewhere(db: DatabaseHandle, hook: DatapumpHook) -> None:
    started = hook.submit(EXPORT_HR)
    other = DatapumpHook()
    ref = other.attach("EXP_HR", log_directory="DATA_PUMP_DIR", log_file="EXP_HR.log")
    assert (ref.job_name, ref.owner, ref.operation) == (started.job_name, "SYSTEM", "EXPORT")
    assert other.status(ref).log_lines[1] == 'Starting "SYSTEM"."EXP_HR":'  # after the run stamp
    with pytest.raises(JobNotFoundError):
        other.attach("NOT_THERE")
    other.close()


def test_precheck_names_a_hole_in_a_dump_file_set(db: DatabaseHandle, hook: DatapumpHook) -> None:
    hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["g_%U.dmp"], parallel=3))
    db.advance(3600)
    (db.directory_path() / "g_02.dmp").unlink()
    problems = hook.precheck_import(JobSpec("IMPORT", "FULL", dump_files=["g_%U.dmp"]))
    assert problems == ["dump file g_02.dmp is missing from the set g_%U.dmp (it has g_03.dmp)"]


def test_precheck_names_a_dump_too_new_for_the_database(
    oracle: EmulatedOracle, db: DatabaseHandle, hook: DatapumpHook
) -> None:
    hook.submit(EXPORT_HR)
    db.advance(3600)
    old = oracle.database("OLDDB")
    old.set_version("12.1.0.2.0")
    (old.directory_path() / "hr_01.dmp").write_bytes((db.directory_path() / "hr_01.dmp").read_bytes())
    import os

    os.environ["AIRFLOW_CONN_OLD"] = oracle.connection_uri("OLDDB")
    on_old = DatapumpHook(oracle_conn_id="old")
    problems = on_old.precheck_import(JobSpec("IMPORT", "FULL", dump_files=["hr_%U.dmp"]))
    assert problems == [
        "hr_01.dmp has dump format 5.1, newer than this database reads (4.1); "
        "export it again with version set to this database's release"
    ]
    on_old.close()
    del os.environ["AIRFLOW_CONN_OLD"]


def test_precheck_reads_no_dumpfile_info_as_not_a_dump(db: DatabaseHandle, hook: DatapumpHook) -> None:
    """§2.17 allows either answer for a file that is not a dump: filetype 0 or ORA-39211."""
    (db.directory_path() / "plain.dmp").write_text("text")
    db.fail_subprogram(
        "DBMS_DATAPUMP.GET_DUMPFILE_INFO", "ORA-39211: unable to retrieve dumpfile information as specified"
    )
    problems = hook.precheck_import(JobSpec("IMPORT", "FULL", dump_files=["plain.dmp"]))
    assert problems == ["plain.dmp is not a Data Pump dump file (ORA-39211)"]


def _append_import_after_export(db: DatabaseHandle, hook: DatapumpHook) -> JobSpec:
    """HR.NOTES has no key, so an APPEND import that ran twice would double its rows."""
    db.create_table("HR", "NOTES", ["ID NUMBER"], [(1,), (2,), (3,)])
    hook.submit(JobSpec("EXPORT", "TABLE", tables=["HR.NOTES"], dump_files=["notes.dmp"]))
    db.advance(3600)
    return JobSpec(
        "IMPORT",
        "TABLE",
        tables=["HR.NOTES"],
        dump_files=["notes.dmp"],
        remap_schemas={"HR": "HR2"},
        parameters={"TABLE_EXISTS_ACTION": "APPEND"},
        job_name="IMP_NOTES",
    )


def _finishing_before_the_look_up(db: DatabaseHandle, hook: DatapumpHook) -> None:
    """The lost submit's job runs to its end before the hook can look for it."""
    original = hook.run_call

    def run_call(call: Any) -> Any:
        try:
            return original(call)
        except TransientConnectionError:
            db.advance(3600)
            raise

    hook.run_call = run_call  # type: ignore[method-assign]


def test_a_lost_submit_reply_never_runs_a_finished_append_import_twice(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    db.create_user("HR2", "hr2")
    spec = _append_import_after_export(db, hook)
    _finishing_before_the_look_up(db, hook)
    db.lose_reply("DPY-4011")
    ref = hook.submit(spec)
    assert ref.job_name == "IMP_NOTES"
    assert db.jobs() == []
    assert db.rows("HR2", "NOTES") == [(1,), (2,), (3,)]  # once, not doubled
    assert hook.wait(ref, poll_interval=0).verdict is Verdict.SUCCEEDED


def test_async_submit_after_a_lost_reply_finds_the_job(db: DatabaseHandle, hook: DatapumpHook) -> None:
    db.create_user("HR2", "hr2")
    spec = _append_import_after_export(db, hook)
    hook.session()

    async def submit() -> Any:
        db.lose_reply("DPY-4011")
        try:
            return await hook.async_submit(spec)
        finally:
            await _pool.close_pools()

    ref = asyncio.run(submit())
    assert ref.job_name == "IMP_NOTES"
    db.advance(3600)
    assert db.rows("HR2", "NOTES") == [(1,), (2,), (3,)]


def test_a_lost_submit_reply_for_a_submit_that_never_ran_submits_once(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    hook.session()
    db.fail_call("ORA-03113", call="execute")  # fails before doing anything
    ref = hook.submit(EXPORT_HR)
    assert [j["name"] for j in db.jobs()] == [ref.job_name]


def test_a_restart_whose_reply_was_lost_is_not_reported_as_failed(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    ref = hook.submit(EXPORT_HR)
    hook.stop(ref.job_name, ref.owner, immediate=True, keep_master=True)
    assert [j["state"] for j in db.jobs()] == ["NOT RUNNING"]
    db.lose_reply("DPY-4011")
    hook.restart(ref.job_name, ref.owner)  # the retry meets ORA-39004: the job is EXECUTING
    assert [j["state"] for j in db.jobs()] == ["EXECUTING"]


def test_precheck_names_a_missing_last_member_the_export_log_lists(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    """Probing stops at the first missing number, so only the export's own list shows the end."""
    hook.submit(
        JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["l_%U.dmp"], parallel=2, job_name="EXP_L")
    )
    db.advance(3600)
    assert hook.dump_file_members("DATA_PUMP_DIR", "l_%U.dmp") == ["l_01.dmp", "l_02.dmp"]
    assert hook.precheck_import(JobSpec("IMPORT", "FULL", dump_files=["l_%U.dmp"])) == []
    (db.directory_path() / "l_02.dmp").unlink()
    problems = hook.precheck_import(JobSpec("IMPORT", "FULL", dump_files=["l_%U.dmp"]))
    assert problems == [
        "dump file l_02.dmp is missing from the set l_%U.dmp (the export log EXP_L.log lists it)"
    ]
