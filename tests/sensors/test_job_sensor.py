"""JobSensor on the emulator: waits on any existing job by name (issue: operators §6)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Iterator
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
from airflow_datapump.hooks import _pool
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


def now(db: DatabaseHandle) -> str:
    """The database clock's time, with its zone: a ``not_before`` before what happens next."""
    return str(db.now().astimezone().isoformat())


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
    watching, before = sensor(), now(db)
    assert watching.poke({}) is False
    db.execute(CONTROL.format(keep=0))
    with pytest.raises(AirflowException, match="without success"):
        sensor(log_directory="DATA_PUMP_DIR", log_file="EXTERNAL.log", not_before=before).poke({})
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
    before = now(db)
    db.advance(3600)  # EXTERNAL completes and leaves before the sensor first looks
    assert sensor(log_directory="DATA_PUMP_DIR", not_before=before).poke({}) is True


def test_a_job_never_listed_whose_log_says_stopped_fails(db: DatabaseHandle) -> None:
    before = now(db)
    db.execute(CONTROL.format(keep=0))  # killed: gone, its log ends stopped
    with pytest.raises(AirflowException, match="without success"):
        sensor(log_directory="DATA_PUMP_DIR", not_before=before).poke({})


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
    record = {"job": "EXTERNAL", "try": None, "position": 0, "seen": True}  # the first poke saw it
    assert written == [(_shown.KEY, record, where)]


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


# The job in ``with_errors`` is this run's: it ended after this (a never-listed job's log counts
# only from not_before on, and the default, the first poke, may be a second after its end).
EARLIER = "2000-01-01T00:00:00+00:00"


def test_a_job_that_completed_with_errors_passes_only_with_its_codes_allowed(
    with_errors: DatabaseHandle, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A refresh whose import skipped a table's rows must not release the DAG waiting on it:
    "completed with errors" counts as the operators count it, by ``allowed_errors``."""
    with caplog.at_level("INFO"), pytest.raises(AirflowException) as failed:
        sensor(log_directory="DATA_PUMP_DIR", not_before=EARLIER).poke({})
    assert "ORA-02266, ORA-39120 not in allowed_errors" in str(failed.value)
    printed = capsys.readouterr()
    said = printed.out + printed.err + caplog.text
    assert "is no longer listed" in said
    assert "UNDEFINED" not in said  # the emulator's word for "not listed" is no state to show
    with pytest.raises(AirflowSkipException):
        sensor(log_directory="DATA_PUMP_DIR", soft_fail=True, not_before=EARLIER).poke({})
    allowed = sensor(log_directory="DATA_PUMP_DIR", allowed_errors=ALLOWED, not_before=EARLIER)
    assert allowed.poke({}) is True


ALLOWED = ["ORA-39120", "ORA-02266"]


def _final_line_later(db: DatabaseHandle) -> Callable[[], None]:
    """The log without its final line until the returned function writes it: the error lines
    and the line that says "completed with 1 error(s)" are read by different polls."""
    log = db.directory_path() / "EXTERNAL.log"
    whole = log.read_text()
    log.write_text(whole.rstrip("\n").rsplit("\n", 1)[0] + "\n")

    def write_final_line() -> None:
        log.write_text(whole)

    return write_final_line


class _StateStore(dict[str, Any]):
    """The task state store of a rescheduled sensor, as JSON keeps it between task runs."""

    def set(self, key: str, value: Any) -> None:
        self[key] = json.loads(json.dumps(value))

    def delete(self, key: str) -> None:
        self.pop(key, None)


def _poke_as_a_new_task_run(store: _StateStore, allowed: list[str]) -> bool:
    context = {"ti": SimpleNamespace(try_number=1), "task_state_store": store}
    watching = sensor(
        mode="reschedule", log_directory="DATA_PUMP_DIR", not_before=EARLIER, allowed_errors=allowed
    )
    return watching.poke(context)


@pytest.mark.parametrize("allowed", [[], ALLOWED])
def test_a_rescheduled_sensor_judges_the_error_lines_an_earlier_poke_read(
    with_errors: DatabaseHandle, allowed: list[str]
) -> None:
    """Each poke is a new task run: the codes read by an earlier one still count."""
    store = _StateStore()
    write_final_line = _final_line_later(with_errors)
    assert _poke_as_a_new_task_run(store, allowed) is False  # the error lines, no final line yet
    write_final_line()
    if allowed:
        assert _poke_as_a_new_task_run(store, allowed) is True
    else:
        with pytest.raises(AirflowException, match="ORA-02266, ORA-39120 not in allowed_errors"):
            _poke_as_a_new_task_run(store, allowed)


def test_a_deferred_sensor_judges_the_error_lines_its_first_poke_read(with_errors: DatabaseHandle) -> None:
    """The trigger reads on from where the poke stopped: the event carries the poke's codes."""
    write_final_line = _final_line_later(with_errors)
    deferring = sensor(log_directory="DATA_PUMP_DIR", not_before=EARLIER, deferrable=True, poke_interval=0.01)
    with pytest.raises(TaskDeferred) as deferred:
        deferring.execute({})
    assert isinstance(deferred.value.trigger, JobTrigger)
    trigger = JobTrigger(**deferred.value.trigger.serialize()[1])  # as the triggerer builds it
    write_final_line()

    async def wait() -> dict[str, Any]:
        try:
            return dict((await anext(trigger.run())).payload)
        finally:
            await _pool.close_pools()

    event = asyncio.run(wait())
    with pytest.raises(AirflowException, match="ORA-02266, ORA-39120 not in allowed_errors"):
        sensor().execute_complete({}, event)
    assert sensor(allowed_errors=ALLOWED).execute_complete({}, event) is None


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


def test_a_job_that_completed_with_errors_whose_codes_were_not_read_fails() -> None:
    """No log given, or none of its lines read: no code can be shown allowed (the CLI exits 2)."""
    event = {"status": "success", "state": "UNDEFINED", "outcome": "completed with errors", "error_count": 1}
    with pytest.raises(AirflowException, match=r"their codes \(no log read: give log_directory\)"):
        sensor(allowed_errors=ALLOWED).execute_complete({}, event)
    with pytest.raises(AirflowException, match=r"their codes \(none in the log read\)"):
        sensor(allowed_errors=ALLOWED, log_directory="DATA_PUMP_DIR").execute_complete({}, event)


def test_allowed_errors_of_a_sensor_are_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(SpecError) as caught:
        sensor(allowed_errors="ORA-31684")
    assert caught.value.field == "allowed_errors"
