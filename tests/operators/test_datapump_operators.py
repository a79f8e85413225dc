"""ExportOperator and ImportOperator on the emulator (issue: operators)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from airflow_datapump import SpecError
from airflow_datapump._compat import TaskDeferred
from airflow_datapump.exceptions import DatapumpError, JobExistsError, JobFailedError
from airflow_datapump.operators import ExportOperator, ImportOperator
from airflow_datapump.testing import DatabaseHandle
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import JobTrigger

STOP = "DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.ATTACH('{name}', 'SYSTEM'); DBMS_DATAPUMP.STOP_JOB(h, 1, 1); END;"  # noqa: E501


def context(run_id: str = "manual__1", try_number: int = 1) -> dict[str, Any]:
    return {"ti": SimpleNamespace(map_index=-1, try_number=try_number, start_date=None), "run_id": run_id}


def export(**kwargs: Any) -> ExportOperator:
    defaults: dict[str, Any] = {
        "task_id": "export_hr",
        "schemas": ["HR"],
        "deferrable": False,
        "poll_interval": 0.001,
    }
    return ExportOperator(**{**defaults, **kwargs})


def test_a_bad_dag_fails_at_parse_with_the_models_message() -> None:
    with pytest.raises(SpecError) as caught:
        export(schemas=["HR') OR ('1'='1"])
    assert caught.value.field == "schemas[0]"
    with pytest.raises(SpecError, match=r"parameters\.COMPRESSION"):
        export(parameters={"COMPRESSION": "bogus"})


def test_templated_fields_are_checked_when_the_task_runs(db: DatabaseHandle) -> None:
    op = export(schemas=["{{ params.schema }}"])  # fine at parse: not rendered yet
    op.schemas = ["not a name!"]  # what rendering produced
    with pytest.raises(SpecError, match="schemas"):
        op.execute(context())


def test_remap_keys_are_templated_like_their_values(db: DatabaseHandle) -> None:
    """Airflow renders dict values only; a refresh parameterised by schema needs the keys too."""
    op = ImportOperator(
        task_id="import_hr",
        dump_files=["hr.dmp"],
        schemas=["{{ params.source }}"],
        remap_schemas={"{{ params.source }}": "{{ params.target }}"},
        deferrable=False,
    )
    op.render_template_fields({"params": {"source": "HR", "target": "HR_COPY"}})  # type: ignore[arg-type]
    assert op.remap_schemas == {"HR": "HR_COPY"}
    assert op.schemas == ["HR"]


def test_deferrable_export_submits_then_defers_to_the_trigger(db: DatabaseHandle) -> None:
    op = export(deferrable=True, timeout=dt.timedelta(hours=2))
    with pytest.raises(TaskDeferred) as deferred:
        op.execute(context())
    trigger = deferred.value.trigger
    assert isinstance(trigger, JobTrigger)
    assert deferred.value.method_name == "execute_complete"
    assert deferred.value.timeout == dt.timedelta(hours=2)
    assert [j["name"] for j in db.jobs()] == [trigger.job["job_name"]]
    assert "op-secret" not in json.dumps(trigger.serialize()[1])


def test_sync_export_waits_and_returns_a_summary(db: DatabaseHandle) -> None:
    db.set_clock("wall")
    summary = export().execute(context())
    assert summary["outcome"] == "successfully completed"
    assert summary["owner"] == "SYSTEM"
    assert summary["rows"]["HR.EMPLOYEES"] == 20
    assert summary["dump_files"] == [f"{summary['job_name']}_%U.dmp"]
    json.dumps(summary)  # plain JSON for XCom


def test_a_job_that_ends_before_the_first_poll_still_reports_its_bytes(db: DatabaseHandle) -> None:
    """Its status never shows bytes (only a running job's does): its log's table sizes count."""
    db.set_clock("wall")
    db.set_job_rate(10_000_000_000)  # done long before the submit's reply is read
    op = export()
    states: list[str] = []
    show = op._log_status
    with patch.object(op, "_log_status", lambda status: (states.append(status.state.value), show(status))):
        summary = op.execute(context())
    assert states[0] == "UNDEFINED"  # the first poll found it gone
    log_text = (db.directory_path() / summary["log_file"]).read_text()
    sizes = re.findall(r"\. \. exported .* ([\d.]+) KB +\d+ rows", log_text)
    assert len(sizes) == 4
    assert summary["bytes"] == round(sum(float(size) * 1024 for size in sizes))


def test_job_name_is_the_same_on_every_try_of_a_run_and_differs_between_runs() -> None:
    op = export()
    first, retry = op.default_job_name(context(try_number=1)), op.default_job_name(context(try_number=3))
    assert first == retry
    assert op.default_job_name(context(run_id="manual__2")) != first
    assert len(first.encode()) <= 30


def test_a_retry_reattaches_to_the_running_job_instead_of_starting_another(db: DatabaseHandle) -> None:
    op = export(deferrable=True)
    with pytest.raises(TaskDeferred) as first:
        op.execute(context(try_number=1))
    with pytest.raises(TaskDeferred) as second:
        op.execute(context(try_number=2))
    assert first.value.trigger.job["job_name"] == second.value.trigger.job["job_name"]
    assert len(db.jobs()) == 1


def test_a_retry_accepts_a_job_that_already_succeeded(db: DatabaseHandle) -> None:
    op = export(deferrable=True)
    with pytest.raises(TaskDeferred):
        op.execute(context())
    db.advance(3600)  # it finished while the task was being retried
    summary = export().execute(context(try_number=2))
    assert summary["outcome"] == "successfully completed"
    assert summary["bytes"] > 0  # from the log it accepted, as a wait would report them
    assert db.jobs() == []


@pytest.mark.parametrize(("if_exists", "state_after"), [("restart", "EXECUTING"), ("replace", "EXECUTING")])
def test_a_retry_restarts_or_replaces_a_stopped_job(
    db: DatabaseHandle, if_exists: str, state_after: str
) -> None:
    op = export(deferrable=True, if_exists=if_exists)
    with pytest.raises(TaskDeferred) as first:
        op.execute(context())
    name = first.value.trigger.job["job_name"]
    db.execute(
        f"DECLARE h NUMBER; BEGIN h := DBMS_DATAPUMP.ATTACH('{name}', 'SYSTEM'); "
        "DBMS_DATAPUMP.STOP_JOB(h, 1, 1); END;"
    )
    with pytest.raises(TaskDeferred):
        export(deferrable=True, if_exists=if_exists).execute(context(try_number=2))
    assert [(j["name"], j["state"]) for j in db.jobs()] == [(name, state_after)]


def test_if_exists_fail_refuses_a_stopped_job(db: DatabaseHandle) -> None:
    with pytest.raises(TaskDeferred) as first:
        export(deferrable=True).execute(context())
    name = first.value.trigger.job["job_name"]
    db.execute(STOP.format(name=name))
    with pytest.raises(JobExistsError):
        export(deferrable=True, if_exists="fail").execute(context(try_number=2))


def test_completed_with_errors_fails_unless_every_error_is_allowed(db: DatabaseHandle) -> None:
    event = {
        "status": "success",
        "job": {
            "job_name": "J",
            "owner": "SYSTEM",
            "operation": "IMPORT",
            "dump_directory": "DATA_PUMP_DIR",
            "dump_files": [],
        },
        "outcome": "completed with errors",
        "error_count": 1,
        "error_lines": ['ORA-31684: Object type USER:"HR" already exists'],
    }
    op = ImportOperator(task_id="imp", dump_files=["x.dmp"])
    with pytest.raises(JobFailedError, match="ORA-31684"):
        op.execute_complete(context(), event)
    allowed = ImportOperator(task_id="imp2", dump_files=["x.dmp"], allowed_errors=["ORA-31684"])
    assert allowed.execute_complete(context(), event)["error_count"] == 1


def test_failed_and_error_events_fail_the_task(db: DatabaseHandle) -> None:
    op = export()
    job = {"job_name": "J", "owner": "SYSTEM", "operation": "EXPORT", "dump_directory": "D", "dump_files": []}
    with pytest.raises(JobFailedError):
        op.execute_complete(
            context(), {"status": "failed", "job": job, "outcome": "stopped due to fatal error"}
        )
    with pytest.raises(Exception, match="DPY-6005"):
        op.execute_complete(context(), {"status": "error", "job": job, "message": "DPY-6005: cannot connect"})


def test_a_retry_resumed_with_the_failed_trys_event_starts_afresh(db: DatabaseHandle) -> None:
    """Airflow 3.0.6 resumes a retry with the event that failed the try before it (no
    apache/airflow#56731): the retry must find its job and wait on it, not fail the same way."""
    with pytest.raises(TaskDeferred) as first:
        export(deferrable=True).execute(context(try_number=1))
    job = first.value.trigger.job
    stale = {"status": "error", "job": job, "message": "DPY-6005: cannot connect", "try_number": 1}
    with pytest.raises(TaskDeferred) as again:
        export(deferrable=True).execute_complete(context(try_number=2), stale)
    assert again.value.trigger.job["job_name"] == job["job_name"]
    assert again.value.trigger.try_number == 2
    assert [j["name"] for j in db.jobs()] == [job["job_name"]]
    with pytest.raises(Exception, match="DPY-6005"):  # the try it was sent to fails with it
        export(deferrable=True).execute_complete(context(try_number=1), stale)


@pytest.mark.parametrize("target", ["SYS", "SYSTEM", "PRECIOUS"])
def test_imports_refuse_oracle_maintained_and_protected_targets(db: DatabaseHandle, target: str) -> None:
    op = ImportOperator(
        task_id="imp",
        dump_files=["x.dmp"],
        remap_schemas={"HR": target},
        protected_schemas=["precious"],
        deferrable=False,
    )
    with pytest.raises(SpecError, match=target):
        op.execute(context())
    assert db.jobs() == []


def test_import_prechecks_its_dump_files(db: DatabaseHandle) -> None:
    (db.directory_path() / "notes.dmp").write_text("not a dump")
    op = ImportOperator(
        task_id="imp", dump_files=["notes.dmp"], remap_schemas={"HR": "HR2"}, deferrable=False
    )
    with pytest.raises(DatapumpError, match=r"notes\.dmp is not a Data Pump dump file"):
        op.execute(context())


def test_export_never_overwrites_a_dump_file_unless_asked(db: DatabaseHandle) -> None:
    (db.directory_path() / "hr_01.dmp").write_bytes(b"\0" * 512)
    with pytest.raises(SpecError, match="reuse_dump_files"):
        export(dump_files=["hr_%U.dmp"]).execute(context())
    db.set_clock("wall")
    assert (
        export(dump_files=["hr_%U.dmp"], reuse_dump_files=True).execute(context())["outcome"]
        == "successfully completed"
    )


def test_import_deletes_its_dump_files_when_asked(db: DatabaseHandle) -> None:
    db.set_clock("wall")
    exported = export(dump_files=["hr_%U.dmp"]).execute(context())
    imported = ImportOperator(
        task_id="imp",
        dump_files=exported["dump_files"],
        remap_schemas={"HR": "HR2"},
        delete_dump_files=True,
        deferrable=False,
        poll_interval=0.001,
    ).execute(context())
    assert imported["outcome"] == "successfully completed"
    assert db.rows("HR2", "EMPLOYEES") == db.rows("HR", "EMPLOYEES")
    assert not list(db.directory_path().glob("hr_*.dmp"))


def test_encryption_password_stays_out_of_templates_summary_and_logs(
    db: DatabaseHandle, caplog: pytest.LogCaptureFixture
) -> None:
    db.set_clock("wall")
    op = export(parameters={"ENCRYPTION_PASSWORD": "dump-secret-7", "ENCRYPTION_MODE": "PASSWORD"})
    assert "dump-secret-7" not in repr([getattr(op, f) for f in op.template_fields])
    summary = op.execute(context())
    assert "dump-secret-7" not in json.dumps(summary)
    assert "dump-secret-7" not in caplog.text
    assert "op-secret" not in caplog.text


def test_on_kill_stops_the_job_it_is_waiting_for(db: DatabaseHandle) -> None:
    op = export(deferrable=True)
    with pytest.raises(TaskDeferred):
        op.execute(context())
    op.on_kill()
    assert db.jobs() == []


class _TaskLog:
    """What an operator writes to its task log (Airflow's structlog is not pytest's caplog)."""

    def __init__(self) -> None:
        self.text = ""

    def info(self, message: str, *args: Any) -> None:
        self.text += (message % args) + "\n"

    debug = warning = info


def test_finishing_after_the_trigger_shows_only_what_it_had_not_shown(
    db: DatabaseHandle, trigger_event: Callable[[JobTrigger], dict[str, Any]]
) -> None:
    op = export(deferrable=True)
    with pytest.raises(TaskDeferred) as deferred:
        op.execute(context())
    trigger = deferred.value.trigger
    db.set_clock("wall")
    event = trigger_event(trigger)
    with (db.directory_path() / trigger.job["log_file"]).open("a") as log_file:
        log_file.write("a line written after the trigger's last look\n")
    task_log = _TaskLog()
    op._cached_logger = task_log  # type: ignore[assignment]
    assert op.execute_complete(context(), event)["outcome"] == "successfully completed"
    assert "after the trigger's last look" in task_log.text  # what is new is shown
    assert "Starting" not in task_log.text  # what the trigger streamed is not shown again


def test_a_sync_wait_shows_each_log_line_once(db: DatabaseHandle) -> None:
    db.set_clock("wall")
    op = export()
    task_log = _TaskLog()
    op._cached_logger = task_log  # type: ignore[assignment]
    op.execute(context())
    assert task_log.text.count('Starting "SYSTEM"') == 1
    assert task_log.text.count("successfully completed") == 1


def test_a_deferring_export_records_where_its_trigger_starts_before_it_defers(db: DatabaseHandle) -> None:
    """The trigger's first read then finds a record (triggers/_shown.py): reading one that does
    not exist puts an ERROR line ("XCom not found") in the triggerer's log."""
    written: list[tuple[str, Any, dict[str, Any]]] = []
    store = SimpleNamespace(
        aset=None, aget_one=None, set=lambda key, value, **where: written.append((key, value, where))
    )
    ti = SimpleNamespace(
        dag_id="d", task_id="export_hr", run_id="manual__1", map_index=-1, try_number=2, start_date=None
    )
    with patch.object(_shown, "_xcom", lambda: store), pytest.raises(TaskDeferred) as deferred:
        export(deferrable=True).execute({**context(), "ti": ti})
    where = {"dag_id": "d", "task_id": "export_hr", "run_id": "manual__1", "map_index": -1}
    record = {"job": deferred.value.trigger.job["job_name"], "try": 2, "position": 0, "seen": True}
    assert written == [(_shown.KEY, record, where)]


def test_a_task_that_succeeds_after_the_trigger_deletes_its_record_of_the_log_shown(
    db: DatabaseHandle, trigger_event: Callable[[JobTrigger], dict[str, Any]]
) -> None:
    """The record (triggers/_shown.py) only serves a rebuilt trigger: the run's XComs lose it."""
    deleted: list[dict[str, Any]] = []
    store = SimpleNamespace(aset=None, aget_one=None, delete=lambda **where: deleted.append(where))
    op = export(deferrable=True)
    with pytest.raises(TaskDeferred) as deferred:
        op.execute(context())
    db.set_clock("wall")
    event = trigger_event(deferred.value.trigger)
    ti = SimpleNamespace(
        dag_id="d", task_id="export_hr", run_id="manual__1", map_index=-1, try_number=1, start_date=None
    )
    with patch.object(_shown, "_xcom", lambda: store):
        assert op.execute_complete({**context(), "ti": ti}, event)["outcome"] == "successfully completed"
    assert deleted == [
        {
            "key": "datapump_log_shown",
            "dag_id": "d",
            "task_id": "export_hr",
            "run_id": "manual__1",
            "map_index": -1,
        }
    ]


def test_a_kept_completed_jobs_event_shows_no_par_token() -> None:
    """The event of a retry's accepted job reaches XCom: a URI's pre-authenticated token is redacted."""
    op = export(job_name="EXP_PAR")
    spec = op.build_spec(context())
    uri = "https://objectstorage.eu-1.oraclecloud.com/p/SECRETTOKEN/n/ns/b/bk/o/x_01.dmp"
    lines = [
        f'ORA-31640: unable to open dump file "{uri}" for read',
        'Job "SYSTEM"."EXP_PAR" completed with 1 error(s) at Wed Dec 2 09:00:00 2026 elapsed 0 00:00:01',
    ]
    event = op._completed(spec, lines)
    assert event is not None
    assert "SECRETTOKEN" not in json.dumps(event)
    assert event["error_lines"][0].count("/p/***/") == 1
