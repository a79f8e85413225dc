"""Readings of what Oracle leaves open about jobs that are not running (issue #11, item 4).

STOP_IDLING: STOP_JOB on an IDLING job (a stopped job just attached to) stops it again, or
behaves like DETACH (§2.12 says so; §5 and §11.3 kill a stopped job that way). KEPT_COMPLETED:
ATTACH to a completed job kept by KEEP_MASTER=1 gives a handle (START_JOB then ORA-39004) or
ORA-31626. OTHER_OWNER_STOPPED: a privileged ATTACH to another user's stopped job restarts it
or is refused with ORA-31631. Under every reading the provider's kill, clean-up, stop and
restart leave no master table behind where they promise to drop one, and a retry never starts
a second job.
"""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from airflow_datapump import JobSpec
from airflow_datapump.core import calls
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.status import JobState
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import PrivilegeError, SpecError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import ExportOperator
from airflow_datapump.testing import DatabaseHandle, EmulatedOracle
from airflow_datapump.testing._datapump.rules import READINGS
from tests.emulator_access import (
    admin_oracle,  # noqa: F401  (the fixture ``oracle`` these tests use)
    hook_without_retries,
)
from tests.operators.test_job_identity import context, deferred, nightly_export


def _database(oracle: EmulatedOracle, reading: str, value: str) -> DatabaseHandle:
    handle = oracle.database("FREEPDB1")
    handle.load_sample_hr()
    handle.set_job_rate(10)
    handle.set_reading(reading, value)
    return handle


@pytest.fixture
def hook(oracle: EmulatedOracle) -> Iterator[DatapumpHook]:
    with hook_without_retries() as created:
        yield created


def _stopped_job(db: DatabaseHandle, hook: DatapumpHook, name: str = "EXP_S") -> JobRef:
    ref = hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=[f"{name}.dmp"], job_name=name))
    db.advance(5)
    hook.stop(ref.job_name, ref.owner, immediate=True)
    assert [j["state"] for j in db.jobs()] == ["NOT RUNNING"]
    return ref


# -- STOP_IDLING ------------------------------------------------------------------------------


@pytest.fixture(params=READINGS["STOP_IDLING"])
def idling(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> tuple[DatabaseHandle, str]:
    return _database(oracle, "STOP_IDLING", request.param), request.param


def test_which_stop_of_an_idling_job_follows_the_reading(
    oracle: EmulatedOracle, idling: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, value = idling
    _stopped_job(db, hook)
    with oracledb.connect(user="system", password="system-secret", dsn=oracle.dsn()) as conn:
        conn.cursor().execute(
            "DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.ATTACH('EXP_S', 'SYSTEM'); "
            "DBMS_DATAPUMP.STOP_JOB(h, 1, 0); END;"
        )
    left = [j["state"] for j in db.jobs()]
    assert left == ([] if value == "STOPS" else ["IDLING"])  # a DETACH leaves the master table


def test_a_kill_of_a_stopped_job_drops_it_under_either_reading(
    idling: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = idling
    ref = _stopped_job(db, hook)
    assert hook.kill(ref.job_name, ref.owner) is True
    assert db.jobs() == []
    assert db.execute("SELECT COUNT(*) FROM user_tables WHERE table_name = 'EXP_S'") == [(0,)]


def test_cleanup_drops_a_stopped_orphan_under_either_reading(
    idling: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = idling
    _stopped_job(db, hook)
    db.advance(3600)
    report = hook.cleanup_orphans(dry_run=False, older_than=60)
    assert [j.job_name for j in report.orphans] == ["EXP_S"]
    assert db.jobs() == []


def test_a_graceful_stop_of_a_stopped_job_keeps_it_restartable_under_either_reading(
    idling: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = idling
    ref = _stopped_job(db, hook)
    hook.stop(ref.job_name, ref.owner)  # STOP_JOB on the IDLING job: stopped again, or detached
    assert [j["attached_sessions"] for j in db.jobs()] == [0]
    hook.restart(ref.job_name, ref.owner)
    assert hook.status(ref).state is JobState.EXECUTING


def test_a_retry_replacing_its_stopped_job_starts_one_job_under_either_reading(
    idling: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = idling
    deferred(nightly_export(), context("manual__a"))
    db.advance(5)
    hook.stop("NIGHTLY_EXP", "SYSTEM", immediate=True)
    db.set_job_rate(10_000_000)
    db.set_clock("wall")
    replacing = nightly_export(if_exists="replace", deferrable=False)
    result = replacing.execute(context("manual__a", try_number=2))  # kill, then submit again
    assert result["outcome"] == "successfully completed"
    assert db.jobs() == []


# -- KEPT_COMPLETED ---------------------------------------------------------------------------


@pytest.fixture(params=READINGS["KEPT_COMPLETED"])
def kept(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> tuple[DatabaseHandle, str]:
    db = _database(oracle, "KEPT_COMPLETED", request.param)
    db.set_job_rate(10_000_000)
    db.set_clock("wall")
    return db, request.param


def _kept_export(**kwargs: object) -> ExportOperator:
    return ExportOperator(
        task_id="export_hr",
        schemas=["HR"],
        job_name="KEPT_EXP",
        parameters={"KEEP_MASTER": 1},
        reuse_dump_files=True,
        poll_interval=0.001,
        **kwargs,  # type: ignore[arg-type]
    )


def test_which_attach_to_a_kept_job_follows_the_reading(
    oracle: EmulatedOracle, kept: tuple[DatabaseHandle, str]
) -> None:
    db, value = kept
    assert _kept_export().execute(context("manual__a"))["outcome"] == "successfully completed"
    assert [j["state"] for j in db.jobs()] == ["NOT RUNNING"]
    with oracledb.connect(user="system", password="system-secret", dsn=oracle.dsn()) as conn:
        h = conn.cursor().var(int)
        try:
            conn.cursor().execute("BEGIN :h := DBMS_DATAPUMP.ATTACH('KEPT_EXP', 'SYSTEM'); END;", h=h)
            conn.cursor().execute("BEGIN DBMS_DATAPUMP.START_JOB(:h); END;", h=h.getvalue())
            code = 0
        except oracledb.DatabaseError as error:
            code = error.args[0].code
    assert code == (39004 if value == "ATTACHES" else 31626)


@pytest.mark.parametrize("if_exists", ["restart", "replace", "fail"])
def test_a_retry_accepts_its_kept_completed_job_under_either_reading(
    kept: tuple[DatabaseHandle, str], if_exists: str
) -> None:
    db, _ = kept
    _kept_export().execute(context("manual__a"))
    again = _kept_export(if_exists=if_exists).execute(context("manual__a", try_number=2))
    assert again["outcome"] == "successfully completed"
    log = (db.directory_path() / "KEPT_EXP.log").read_text()
    assert '"try":1' in log  # the first try's job, not run again
    assert '"try":2' not in log
    assert [j["state"] for j in db.jobs()] == ["NOT RUNNING"]  # kept, as KEEP_MASTER asked


def test_a_kill_and_cleanup_drop_a_kept_completed_job_under_either_reading(
    kept: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = kept
    _kept_export().execute(context("manual__a"))
    assert hook.kill("KEPT_EXP", "SYSTEM") is True
    assert db.jobs() == []
    _kept_export().execute(context("manual__b"))
    db.set_clock("manual")
    db.advance(3600)
    assert [j.job_name for j in hook.cleanup_orphans(dry_run=False, older_than=60).orphans] == ["KEPT_EXP"]
    assert db.jobs() == []


# -- OTHER_OWNER_STOPPED ----------------------------------------------------------------------


@pytest.fixture(params=READINGS["OTHER_OWNER_STOPPED"])
def others(request: pytest.FixtureRequest, oracle: EmulatedOracle) -> tuple[DatabaseHandle, str]:
    """HR's own export, stopped: another user's job that is not running."""
    db = _database(oracle, "OTHER_OWNER_STOPPED", request.param)
    db.execute("GRANT READ, WRITE ON DIRECTORY data_pump_dir TO hr")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRFLOW_CONN_HR", oracle.connection_uri("FREEPDB1", "hr", "hr"))
        hr = DatapumpHook(oracle_conn_id="hr", retry=RetryPolicy(initial=0))
        try:
            _stopped_job(db, hr, "HR_EXP")
        finally:
            hr.close()
    return db, request.param


def test_which_attach_to_another_users_stopped_job_follows_the_reading(
    oracle: EmulatedOracle, others: tuple[DatabaseHandle, str]
) -> None:
    _, value = others
    with oracledb.connect(user="system", password="system-secret", dsn=oracle.dsn()) as conn:
        h = conn.cursor().var(int)
        try:
            conn.cursor().execute("BEGIN :h := DBMS_DATAPUMP.ATTACH('HR_EXP', 'HR'); END;", h=h)
            outcome = "ATTACHES"
        except oracledb.DatabaseError as error:
            outcome = "REFUSED" if error.args[0].code == 31631 else str(error)
    assert outcome == value


def test_a_kill_and_cleanup_of_another_users_stopped_job_under_either_reading(
    others: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = others
    assert hook.kill("HR_EXP", "HR") is True
    assert db.jobs() == []


def test_cleanup_of_every_owner_drops_another_users_orphan_under_either_reading(
    others: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = others
    db.advance(3600)
    report = hook.cleanup_orphans(dry_run=False, owner="*", older_than=60)
    assert [(j.owner, j.job_name) for j in report.orphans] == [("HR", "HR_EXP")]
    assert db.jobs() == []


def test_restarting_another_users_job_is_refused_under_either_reading(
    others: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, _ = others
    with pytest.raises(PrivilegeError):
        hook.restart("HR_EXP", "HR")  # §2.3: such users "cannot restart" it
    assert [j["state"] for j in db.jobs()] in (["NOT RUNNING"], ["IDLING"])


def test_cleanup_skips_an_orphan_it_may_not_drop_under_either_reading(
    oracle: EmulatedOracle, others: tuple[DatabaseHandle, str], hook: DatapumpHook
) -> None:
    db, value = others
    db.execute("CREATE USER ops IDENTIFIED BY ops")
    db.execute("GRANT CREATE SESSION, CREATE TABLE, UNLIMITED TABLESPACE TO ops")
    db.execute("GRANT DATAPUMP_EXP_FULL_DATABASE, DATAPUMP_IMP_FULL_DATABASE, SELECT_CATALOG_ROLE TO ops")
    db.execute("GRANT READ, WRITE ON DIRECTORY data_pump_dir TO ops")
    db.advance(3600)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRFLOW_CONN_OPS", oracle.connection_uri("FREEPDB1", "ops", "ops"))
        ops = DatapumpHook(oracle_conn_id="ops", retry=RetryPolicy(initial=0))
        try:
            report = ops.cleanup_orphans(dry_run=False, owner="*", older_than=60)
        finally:
            ops.close()
    if value == "ATTACHES":  # the roles let it attach and kill, as §2.3 says
        assert [j.job_name for j in report.orphans] == ["HR_EXP"]
        assert db.jobs() == []
    else:  # ATTACH refused, and DROP TABLE needs DROP ANY TABLE: left, with the reason
        assert report.orphans == []
        assert [s.job.job_name for s in report.skipped] == ["HR_EXP"]
        assert "could not be dropped" in report.skipped[0].reason
        assert [j["name"] for j in db.jobs()] == ["HR_EXP"]


def test_dropping_a_master_table_already_gone_is_quiet(oracle: EmulatedOracle, hook: DatapumpHook) -> None:
    hook.run_call(calls.drop_master("NO_SUCH_JOB", "SYSTEM"))  # the job's own end got there first
    with pytest.raises(SpecError, match="job_name"):
        calls.drop_master('BAD"NAME', "SYSTEM")  # refused before any database call


@pytest.mark.parametrize(
    ("job_name", "owner", "field"),
    [('BAD"NAME', "SYSTEM", "job_name"), ("EXP", 'SYS"TEM', "owner"), ('"EXP"', "SYSTEM", "job_name")],
)
def test_a_name_with_a_double_quote_is_refused_before_any_database_call(
    job_name: str, owner: str, field: str
) -> None:
    with pytest.raises(SpecError) as caught:
        calls.drop_master(job_name, owner)  # no database here at all: refused in Python
    assert caught.value.field == field
    assert caught.value.value == (job_name if field == "job_name" else owner)
    assert 'without "' in caught.value.allowed


@pytest.mark.parametrize("job_name", ["exp_low", "Exp_Mixed", "EXP_UPPER", "exp with space"])
def test_dropping_a_master_table_keeps_the_stored_names_case(
    oracle: EmulatedOracle, hook: DatapumpHook, job_name: str
) -> None:
    db = oracle.database("FREEPDB1")
    spellings = ["exp_low", "Exp_Mixed", "EXP_MIXED", "EXP_LOW", "EXP_UPPER", "exp with space"]
    for name in spellings:
        db.execute(f'CREATE TABLE SYSTEM."{name}" (n NUMBER)')
    hook.run_call(calls.drop_master(job_name, "SYSTEM"))
    left = {name for (name,) in db.execute("SELECT table_name FROM dba_tables WHERE owner = 'SYSTEM'")}
    assert job_name not in left
    assert set(spellings) - {job_name} <= left
