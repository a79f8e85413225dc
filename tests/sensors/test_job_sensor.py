"""JobSensor on the emulator: waits on any existing job by name (issue: operators §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import JobSpec
from airflow_datapump._compat import (
    AirflowException,
    AirflowRescheduleException,
    AirflowSkipException,
    TaskDeferred,
)
from airflow_datapump.exceptions import SpecError
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.sensors import JobSensor
from airflow_datapump.testing import DatabaseHandle, emulated_oracle
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger

CONTROL = (
    "DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.ATTACH('EXTERNAL', 'SYSTEM'); "
    "DBMS_DATAPUMP.STOP_JOB(h, 1, {keep}); END;"
)


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    with emulated_oracle() as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", oracle.connection_uri())
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        hook = DatapumpHook()
        hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["ext.dmp"], job_name="EXTERNAL"))
        hook.close()
        yield handle


def sensor(**kwargs: object) -> JobSensor:
    return JobSensor(task_id="wait", job_name="EXTERNAL", job_owner="SYSTEM", **kwargs)  # type: ignore[arg-type]


def test_pokes_false_while_running_and_true_once_completed(db: DatabaseHandle) -> None:
    watching = sensor()
    assert watching.poke({}) is False
    db.advance(3600)
    assert watching.poke({}) is True  # seen, then gone from the dictionary: completed (§5)


def test_a_killed_job_is_told_apart_from_a_completed_one_by_its_log(db: DatabaseHandle) -> None:
    """A kill drops the master table, so the job leaves the dictionary like a completed one;
    only its log says it stopped (§2.12, §5)."""
    watching = sensor()
    assert watching.poke({}) is False
    db.execute(CONTROL.format(keep=0))
    with pytest.raises(AirflowException, match="without success"):
        sensor(log_directory="DATA_PUMP_DIR", log_file="EXTERNAL.log").poke({})
    assert watching.poke({}) is True  # seen, then gone without a log: completed (documented)


def test_a_job_never_listed_and_without_a_log_is_awaited_not_taken_as_done(
    db: DatabaseHandle, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A name is not an identity: a misspelled one must not read as a completed job."""
    typo = JobSensor(
        task_id="wait", job_name="NO_SUCH_JOB_TYPO", job_owner="SYSTEM", log_directory="DATA_PUMP_DIR"
    )
    with caplog.at_level("INFO"):
        assert typo.poke({}) is False
        assert typo.poke({}) is False
    said = "NO_SUCH_JOB_TYPO not found; waiting for it to start"
    # Airflow 3.1+ task loggers print (structlog); 3.0's go through the logging module: said once.
    printed = capsys.readouterr()
    assert max((printed.out + printed.err).count(said), caplog.text.count(said)) == 1


def test_a_job_never_listed_times_out(db: DatabaseHandle) -> None:
    typo = JobSensor(
        task_id="wait", job_name="NO_SUCH_JOB_TYPO", job_owner="SYSTEM", poke_interval=0.01, timeout=0.2
    )
    typo.deferrable = False
    with pytest.raises(AirflowException) as timed_out:
        typo.execute({})
    assert type(timed_out.value).__name__ == "AirflowSensorTimeout"


def test_a_job_never_listed_is_judged_by_its_default_log(db: DatabaseHandle) -> None:
    """Only the directory given: its <JOB_NAME>.log decides, as the CLI's status reads it."""
    db.advance(3600)  # EXTERNAL completes and leaves before the sensor first looks
    assert sensor(log_directory="DATA_PUMP_DIR").poke({}) is True


def test_a_job_never_listed_whose_log_says_stopped_fails(db: DatabaseHandle) -> None:
    db.execute(CONTROL.format(keep=0))  # killed: gone, its log ends stopped
    with pytest.raises(AirflowException, match="without success"):
        sensor(log_directory="DATA_PUMP_DIR").poke({})


def test_a_stopped_job_fails_or_soft_fails(db: DatabaseHandle) -> None:
    db.execute(CONTROL.format(keep=1))
    with pytest.raises(AirflowException, match="without success"):
        sensor().poke({})
    with pytest.raises(AirflowSkipException):
        sensor(soft_fail=True).poke({})


def test_reschedule_mode_frees_the_slot_between_pokes_and_holds_nothing_on_the_job(
    db: DatabaseHandle,
) -> None:
    """Between two reschedules the task holds no worker slot; nor may it hold a session
    attached to the job (a DBA's STOP_JOB or a restart must not find us there)."""
    context = {"ti": SimpleNamespace(get_first_reschedule_date=lambda _: None)}
    waiting = sensor(mode="reschedule", poke_interval=300, deferrable=False)
    with pytest.raises(AirflowRescheduleException) as rescheduled:
        waiting.execute(context)  # type: ignore[arg-type]
    assert rescheduled.value.reschedule_date > dt.datetime.now(dt.UTC)
    assert [(j["name"], j["attached_sessions"]) for j in db.jobs()] == [("EXTERNAL", 0)]
    db.advance(3600)
    assert waiting.execute(context) is None  # type: ignore[arg-type]


def test_reschedule_mode_fails_on_a_stopped_job(db: DatabaseHandle) -> None:
    db.execute(CONTROL.format(keep=1))
    context = {"ti": SimpleNamespace(get_first_reschedule_date=lambda _: None)}
    with pytest.raises(AirflowException, match="without success"):
        sensor(mode="reschedule", deferrable=False).execute(context)  # type: ignore[arg-type]


def test_deferrable_sensor_defers_to_the_trigger_without_stopping_on_kill(db: DatabaseHandle) -> None:
    with pytest.raises(TaskDeferred) as deferred:
        sensor(deferrable=True, poke_interval=5).execute({})
    trigger = deferred.value.trigger
    assert isinstance(trigger, JobTrigger)
    assert trigger.on_kill_action == "none"  # somebody else's job
    assert trigger.gone_means_success is True
    assert trigger.seen is True  # the first poke found it listed
    assert sensor().execute_complete({}, {"status": "success", "state": "UNDEFINED"}) is None
    with pytest.raises(AirflowException):
        sensor().execute_complete({}, {"status": "failed", "state": "NOT RUNNING"})


def test_a_deferring_sensor_on_a_job_never_listed_tells_its_trigger(db: DatabaseHandle) -> None:
    typo = JobSensor(task_id="wait", job_name="NO_SUCH_JOB_TYPO", job_owner="SYSTEM", deferrable=True)
    with pytest.raises(TaskDeferred) as deferred:
        typo.execute({})
    trigger = deferred.value.trigger
    assert isinstance(trigger, JobTrigger)
    assert trigger.seen is False
    assert trigger.job["log_file"] is None


def test_a_deferring_sensor_records_where_its_trigger_starts(db: DatabaseHandle) -> None:
    """As the operators do (triggers/_shown.py): the trigger's first read finds a record."""
    written: list[tuple[str, Any, dict[str, Any]]] = []
    store = SimpleNamespace(
        aset=None, aget_one=None, set=lambda key, value, **where: written.append((key, value, where))
    )
    ti = SimpleNamespace(dag_id="d", task_id="wait", run_id="r", map_index=3, try_number=1)
    with patch.object(_shown, "_xcom", lambda: store), pytest.raises(TaskDeferred):
        sensor(deferrable=True, poke_interval=5).execute({"ti": ti})
    where = {"dag_id": "d", "task_id": "wait", "run_id": "r", "map_index": 3}
    assert written == [(_shown.KEY, {"job": "EXTERNAL", "try": None, "position": 0}, where)]


def test_a_poke_interval_of_zero_is_refused_at_parse_time() -> None:
    """Airflow takes 0; it would poll the database (or have the trigger poll it) in a tight loop."""
    with pytest.raises(SpecError) as caught:
        sensor(poke_interval=0)
    assert (caught.value.field, caught.value.value) == ("poke_interval", 0)
    assert sensor(poke_interval=dt.timedelta(seconds=30)).poke_interval == 30.0


TRUNCATE_REFUSED = [
    'ORA-39120: Table "HR_TEST"."DEPARTMENTS" can\'t be truncated, data will be skipped. Failing error is:',
    "ORA-02266: unique/primary keys in table referenced by enabled foreign keys",
]


@pytest.fixture
def with_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseHandle]:
    """EXTERNAL has completed "with 1 error(s)" and left the dictionary; its log is in DATA_PUMP_DIR."""
    with emulated_oracle() as oracle:
        monkeypatch.setenv("AIRFLOW_CONN_ORACLE_DEFAULT", oracle.connection_uri())
        handle = oracle.database("FREEPDB1")
        handle.load_sample_hr()
        handle.next_job_completes_with_errors([TRUNCATE_REFUSED])
        hook = DatapumpHook()
        hook.submit(JobSpec("EXPORT", "SCHEMA", schemas=["HR"], dump_files=["ext.dmp"], job_name="EXTERNAL"))
        hook.close()
        handle.advance(3600)
        yield handle


def test_a_job_that_completed_with_errors_passes_only_with_its_codes_allowed(
    with_errors: DatabaseHandle, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A refresh whose import skipped a table's rows must not release the DAG waiting on it:
    "completed with errors" counts as the operators count it, by ``allowed_errors``."""
    with caplog.at_level("INFO"), pytest.raises(AirflowException) as failed:
        sensor(log_directory="DATA_PUMP_DIR").poke({})
    assert "ORA-02266, ORA-39120 not in allowed_errors" in str(failed.value)
    printed = capsys.readouterr()
    said = printed.out + printed.err + caplog.text
    assert "is no longer listed" in said
    assert "UNDEFINED" not in said  # the emulator's word for "not listed" is no state to show
    with pytest.raises(AirflowSkipException):
        sensor(log_directory="DATA_PUMP_DIR", soft_fail=True).poke({})
    allowed = sensor(log_directory="DATA_PUMP_DIR", allowed_errors=["ORA-39120", "ORA-02266"])
    assert allowed.poke({}) is True


def test_a_deferred_sensor_judges_errors_from_the_triggers_event() -> None:
    event = {
        "status": "success",
        "state": "UNDEFINED",
        "outcome": "completed with errors",
        "error_count": 1,
        "error_lines": TRUNCATE_REFUSED,
    }
    with pytest.raises(AirflowException, match="ORA-02266, ORA-39120 not in allowed_errors"):
        sensor().execute_complete({}, event)
    assert sensor(allowed_errors=["ORA-39120", "ORA-02266"]).execute_complete({}, event) is None


def test_allowed_errors_of_a_sensor_are_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(SpecError) as caught:
        sensor(allowed_errors="ORA-31684")
    assert caught.value.field == "allowed_errors"
