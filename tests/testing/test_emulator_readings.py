"""Where Oracle's documentation leaves a behaviour open, the emulator can take each reading
(``db.set_reading``), and the provider must work under every one of them (issue #11, item 4).

FILE_CHECKS: an export dump file that exists, or an import dump file that is missing, is
refused by ADD_FILE or by START_JOB; the codes and lines are the same either way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from airflow_datapump import JobSpec
from airflow_datapump._compat import AirflowException
from airflow_datapump.core.status import JobState, Verdict
from airflow_datapump.core.submission import JobRef
from airflow_datapump.core.waiting import GONE_GRACE_POLLS
from airflow_datapump.exceptions import InvalidArgumentError, JobExistsError, PrivilegeError
from airflow_datapump.hooks import _pool
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator
from airflow_datapump.sensors import JobSensor
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from airflow_datapump.testing._datapump.rules import READINGS
from airflow_datapump.triggers.datapump import JobTrigger
from tests.emulator_access import (
    admin_oracle,  # noqa: F401  (the fixture ``oracle`` these tests use)
    hook_without_retries,
)
from tests.operators.test_job_identity import context, deferred


@pytest.fixture(params=READINGS["FILE_CHECKS"])
def db(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10_000)
    handle.set_reading("FILE_CHECKS", request.param)
    return handle


@pytest.fixture
def hook(db: DatabaseHandle) -> Iterator[DatapumpHook]:
    with hook_without_retries() as created:
        yield created


def test_the_hook_refuses_an_existing_dump_file_under_either_reading(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    (db.directory_path() / "taken.dmp").write_bytes(b"already here")
    spec = JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["taken.dmp"], job_name="EXP_TAKEN")
    with pytest.raises(InvalidArgumentError) as caught:
        hook.submit(spec)
    assert caught.value.code == "ORA-39001"
    assert any("ORA-31641" in line for line in caught.value.lines)
    assert db.jobs() == []  # the half-defined job is gone either way


def test_the_hook_refuses_a_missing_import_dump_under_either_reading(
    db: DatabaseHandle, hook: DatapumpHook
) -> None:
    spec = JobSpec("IMPORT", "SCHEMA", dump_files=["missing.dmp"], job_name="IMP_MISSING")
    with pytest.raises(InvalidArgumentError) as caught:
        hook.submit(spec)
    assert any("ORA-31640" in line for line in caught.value.lines)
    assert db.jobs() == []


def test_which_call_refuses_follows_the_reading(
    oracle: EmulatedOracle, request: pytest.FixtureRequest, db: DatabaseHandle
) -> None:
    (db.directory_path() / "taken.dmp").write_bytes(b"already here")
    with oracledb.connect(user="system", password="system-secret", dsn=oracle.dsn()) as conn:
        cur = conn.cursor()
        refused_by, code = _refusing_call(
            cur,
            "BEGIN :h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, 'WHICH'); END;",
            "DBMS_DATAPUMP.ADD_FILE(:h, 'taken.dmp', 'DATA_PUMP_DIR')",
            "DBMS_DATAPUMP.METADATA_FILTER(:h, 'SCHEMA_LIST', '''HR''')",
            "DBMS_DATAPUMP.START_JOB(:h)",
        )
    assert code == 39001
    assert refused_by == request.node.callspec.params["db"]


def _refusing_call(cur: oracledb.Cursor, open_block: str, *calls: str) -> tuple[str | None, int | None]:
    """Open a job, then make ``calls`` on it until one raises: that subprogram's name and code."""
    h = cur.var(int)
    cur.execute(open_block, h=h)
    for statement in calls:
        try:
            cur.execute(f"BEGIN {statement}; END;", h=h.getvalue())
        except oracledb.DatabaseError as error:
            return statement.split("(")[0].split(".")[1], error.args[0].code
    return None, None


def test_an_unknown_reading_is_refused(oracle: EmulatedOracle) -> None:
    with pytest.raises(ValueError, match="FILE_CHECKS"):
        oracle.database("FREEPDB1").set_reading("FILE_CHECKS", "SOMETIMES")


# REMAP_PRIVILEGES: a REMAP_SCHEMA into another schema by a user without
# DATAPUMP_IMP_FULL_DATABASE is refused (ORA-31631) by METADATA_REMAP or by START_JOB.


@pytest.fixture(params=READINGS["REMAP_PRIVILEGES"])
def remap_reading(request: pytest.FixtureRequest) -> Iterator[tuple[EmulatedOracle, str]]:
    with EmulatedOracle() as emulator:
        handle = emulator.database("FREEPDB1")
        handle.load_sample_hr()
        handle.set_reading("REMAP_PRIVILEGES", request.param)
        with oracledb.connect(user="system", password="oracle", dsn=emulator.dsn()) as admin:
            admin.cursor().execute("GRANT READ, WRITE ON DIRECTORY data_pump_dir TO hr")
        with oracledb.connect(user="hr", password="hr", dsn=emulator.dsn()) as conn:
            cur = conn.cursor()
            h = cur.var(int)
            cur.execute("BEGIN :h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, 'EXP_OWN'); END;", h=h)
            cur.execute("BEGIN DBMS_DATAPUMP.ADD_FILE(:h, 'own.dmp', 'DATA_PUMP_DIR'); END;", h=h.getvalue())
            cur.execute("BEGIN DBMS_DATAPUMP.START_JOB(:h); DBMS_DATAPUMP.DETACH(:h); END;", h=h.getvalue())
        handle.advance(3600)  # the export runs to its end
        yield emulator, request.param


def test_the_hook_refuses_an_unprivileged_remap_under_either_reading(
    monkeypatch: pytest.MonkeyPatch, remap_reading: tuple[EmulatedOracle, str]
) -> None:
    emulator, _ = remap_reading
    monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", emulator.connection_uri("FREEPDB1", "hr", "hr"))
    spec = JobSpec(
        "IMPORT", "SCHEMA", dump_files=["own.dmp"], remap_schemas={"HR": "HR2"}, job_name="IMP_HR2"
    )
    with hook_without_retries() as hook, pytest.raises(PrivilegeError) as caught:
        hook.submit(spec)
    assert caught.value.code == "ORA-31631"
    assert emulator.database("FREEPDB1").jobs() == []  # the half-defined import is gone either way


def test_which_call_refuses_the_remap_follows_the_reading(remap_reading: tuple[EmulatedOracle, str]) -> None:
    emulator, expected = remap_reading
    with oracledb.connect(user="hr", password="hr", dsn=emulator.dsn()) as conn:
        cur = conn.cursor()
        refused_by, code = _refusing_call(
            cur,
            "BEGIN :h := DBMS_DATAPUMP.OPEN('IMPORT', 'SCHEMA', NULL, 'IMP_WHICH'); END;",
            "DBMS_DATAPUMP.ADD_FILE(:h, 'own.dmp', 'DATA_PUMP_DIR')",
            "DBMS_DATAPUMP.METADATA_REMAP(:h, 'REMAP_SCHEMA', 'HR', 'HR2')",
            "DBMS_DATAPUMP.START_JOB(:h)",
        )
    assert code == 31631
    assert refused_by == expected


# KILL_FINAL_LINE: a STOP_JOB with keep_master 0 (a kill) ends the log with "stopped by user
# request", or leaves the log without a final line. Either way the job leaves the dictionary
# like a completed one, so only the log can tell them apart.


@pytest.fixture(params=READINGS["KILL_FINAL_LINE"])
def killed(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> tuple[DatabaseHandle, JobRef, str]:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10)
    handle.set_reading("KILL_FINAL_LINE", request.param)
    with hook_without_retries() as hook:
        ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["k.dmp"], job_name="EXP_K"))
        handle.advance(5)  # the job is under way
        assert hook.kill(ref.job_name, ref.owner) is True
    return handle, ref, request.param


def test_the_kill_reading_changes_only_the_last_line(killed: tuple[DatabaseHandle, JobRef, str]) -> None:
    db, ref, kill_reading = killed
    assert db.jobs() == []
    assert ref.log_file is not None
    last = (db.directory_path() / ref.log_file).read_text().splitlines()[-1]
    written = "stopped by user request" in last
    assert written is (kill_reading == "WRITTEN")


def test_a_killed_job_never_reads_as_succeeded_under_either_reading(
    killed: tuple[DatabaseHandle, JobRef, str],
) -> None:
    _, ref, _ = killed
    with hook_without_retries() as hook:
        result = hook.wait(ref, poll_interval=0)
    assert result.verdict is Verdict.STOPPED


def test_a_sensor_on_a_killed_job_never_succeeds_under_either_reading(
    killed: tuple[DatabaseHandle, JobRef, str],
) -> None:
    """Never seen listed: only a dated final line makes the log this run's. Without one (NONE)
    the log may as well be an earlier run's kill, so the sensor waits and its timeout fails it."""
    db, ref, kill_reading = killed
    before = (db.now().astimezone() - dt.timedelta(hours=1)).isoformat()  # before the job ran
    watching = JobSensor(
        task_id="wait",
        job_name=ref.job_name,
        job_owner=ref.owner,
        log_directory="DATA_PUMP_DIR",
        log_file=ref.log_file,
        not_before=before,
    )
    if kill_reading == "WRITTEN":
        with pytest.raises(AirflowException, match="without success"):
            watching.poke({})
    else:
        assert [watching.poke({}) for _ in range(GONE_GRACE_POLLS + 2)] == [False] * (GONE_GRACE_POLLS + 2)


@pytest.mark.parametrize("kill_reading", READINGS["KILL_FINAL_LINE"])
def test_a_sensor_that_saw_a_job_killed_fails_under_either_reading(
    oracle: EmulatedOracle, kill_reading: str
) -> None:
    db = oracle.database("FREEPDB1")
    db.load_sample_hr()
    db.set_job_rate(10)
    db.set_reading("KILL_FINAL_LINE", kill_reading)
    with hook_without_retries() as hook:
        ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["k.dmp"], job_name="EXP_K"))
        watching = JobSensor(
            task_id="wait", job_name=ref.job_name, job_owner=ref.owner, log_directory="DATA_PUMP_DIR"
        )
        assert watching.poke({}) is False  # seen listed
        db.advance(5)
        assert hook.kill(ref.job_name, ref.owner) is True
    grace = 0 if kill_reading == "WRITTEN" else GONE_GRACE_POLLS  # polls for a final line to come
    assert [watching.poke({}) for _ in range(grace)] == [False] * grace
    with pytest.raises(AirflowException, match="without success"):
        watching.poke({})


def test_a_deferred_sensor_on_a_killed_job_fails_under_either_reading(
    killed: tuple[DatabaseHandle, JobRef, str],
) -> None:
    _, ref, _ = killed
    trigger = JobTrigger(
        oracle_conn_id="oracle_default", job=ref.to_dict(), poll_interval=0.01, gone_means_success=True
    )

    async def first_event() -> dict[str, Any]:
        try:
            async for event in trigger.run():
                return dict(event.payload)
            raise AssertionError("no event")
        finally:
            await _pool.close_pools()

    assert asyncio.run(first_event())["status"] == "stopped"  # never "success"


# SECOND_ATTACH: a second ATTACH to the same job from one session is refused (ORA-39002) or
# given another handle. The provider never attaches twice: every block that attaches lets its
# handle go when a later call fails, so a pooled session holds nothing between calls.


@pytest.fixture(params=READINGS["SECOND_ATTACH"])
def attach_reading(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10)
    handle.set_reading("SECOND_ATTACH", request.param)
    return handle


def test_a_failed_call_leaves_no_handle_behind_under_either_reading(attach_reading: DatabaseHandle) -> None:
    db = attach_reading
    with hook_without_retries() as hook:
        ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["a.dmp"], job_name="EXP_A"))
        db.advance(5)
        with pytest.raises(Exception, match="ORA-"):
            hook.restart(ref.job_name, ref.owner)  # START_JOB on an executing job fails after ATTACH
        assert [j["attached_sessions"] for j in db.jobs()] == [0]
        for _ in range(2):  # the same session attaches again, once per call
            assert hook.status(ref).state is JobState.EXECUTING
        hook.stop(ref.job_name, ref.owner, immediate=True)
        hook.restart(ref.job_name, ref.owner)
        assert hook.status(ref).state is JobState.EXECUTING


def test_which_second_attach_follows_the_reading(
    oracle: EmulatedOracle, request: pytest.FixtureRequest, attach_reading: DatabaseHandle
) -> None:
    with oracledb.connect(user="system", password="system-secret", dsn=oracle.dsn()) as conn:
        cur = conn.cursor()
        h = cur.var(int)
        cur.execute("BEGIN :h := DBMS_DATAPUMP.OPEN('EXPORT', 'SCHEMA', NULL, 'TWICE'); END;", h=h)
        cur.execute("BEGIN DBMS_DATAPUMP.ADD_FILE(:h, 'twice.dmp', 'DATA_PUMP_DIR'); END;", h=h.getvalue())
        cur.execute("BEGIN DBMS_DATAPUMP.START_JOB(:h); END;", h=h.getvalue())
        second = cur.var(int)
        try:
            cur.execute("BEGIN :h := DBMS_DATAPUMP.ATTACH('TWICE', 'SYSTEM'); END;", h=second)
            outcome = "NEW_HANDLE" if second.getvalue() != h.getvalue() else "SAME"
        except oracledb.DatabaseError as error:
            outcome = "REFUSED" if error.args[0].code == 39002 else str(error)
    assert outcome == request.node.callspec.params["attach_reading"]


# LOG_OPENED: a log file is opened at ADD_FILE, so the run stamp the provider writes with
# LOG_ENTRY before START_JOB goes straight in; or at START_JOB, with that line written first;
# or at START_JOB with it lost. Without its stamp a job cannot be proved a task run's own, so a
# retry must refuse it rather than take it over or start a second job.


@pytest.fixture(params=READINGS["LOG_OPENED"])
def log_reading(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> tuple[DatabaseHandle, str]:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10_000_000)
    handle.set_reading("LOG_OPENED", request.param)
    (handle.directory_path() / "NIGHTLY_EXP.log").write_text("an old run's log\n")
    return handle, request.param


def _nightly_export() -> ExportOperator:
    return ExportOperator(
        task_id="export_hr",
        schemas=["HR"],
        job_name="NIGHTLY_EXP",
        reuse_dump_files=True,
        deferrable=True,
        poll_interval=0.001,
    )


def test_the_run_stamp_is_at_the_top_of_the_log_or_lost(log_reading: tuple[DatabaseHandle, str]) -> None:
    db, opened = log_reading
    deferred(_nightly_export(), context("manual__a"))
    lines = (db.directory_path() / "NIGHTLY_EXP.log").read_text().splitlines()
    assert "an old run's log" not in lines  # overwritten either way
    stamped = "airflow-datapump start" in lines[0]
    assert stamped is (opened != "START_JOB_DROPS")
    assert any(line.startswith('Starting "SYSTEM"."NIGHTLY_EXP"') for line in lines)


def test_a_retry_takes_over_its_own_job_only_when_the_log_proves_it(
    log_reading: tuple[DatabaseHandle, str],
) -> None:
    db, opened = log_reading
    first = deferred(_nightly_export(), context("manual__a"))
    if opened == "START_JOB_DROPS":
        with pytest.raises(JobExistsError, match="does not say which task run started it"):
            _nightly_export().execute(context("manual__a", try_number=2))
    else:
        again = deferred(_nightly_export(), context("manual__a", try_number=2))
        assert again.job["job_name"] == first.job["job_name"]
    assert [j["name"] for j in db.jobs()] == ["NIGHTLY_EXP"]  # never a second job


def test_another_run_is_refused_under_every_reading(log_reading: tuple[DatabaseHandle, str]) -> None:
    db, _ = log_reading
    deferred(_nightly_export(), context("manual__a"))
    with pytest.raises(JobExistsError):
        _nightly_export().execute(context("manual__b"))
    assert [j["name"] for j in db.jobs()] == ["NIGHTLY_EXP"]


def test_a_log_that_cannot_be_created_starts_no_job_under_every_reading(
    log_reading: tuple[DatabaseHandle, str],
) -> None:
    db, _ = log_reading
    (db.directory_path() / "EXP_NOLOG.log").mkdir()  # the OS refuses to create that file
    with hook_without_retries() as hook, pytest.raises(InvalidArgumentError) as caught:
        hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["n.dmp"], job_name="EXP_NOLOG"))
    assert caught.value.code == "ORA-39002"
    assert any("ORA-39070" in line for line in caught.value.lines)
    assert db.jobs() == []  # ADD_FILE or START_JOB refused it: the half-defined job is gone
