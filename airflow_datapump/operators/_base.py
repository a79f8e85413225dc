"""What ExportOperator and ImportOperator share: build the job, submit or find it, wait, report
(whether the ended job is a success for the task, and the rest of its log: operators/_report.py).

Retry-safe by construction: the default job name is derived from the DAG, task, run and map
index (not the try), so a retry finds the job its first try started. A running job is
reattached to, a job whose log shows success is accepted, and a stopped one is restarted or
replaced as ``if_exists`` says: never a second job for one task run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseOperator

from airflow_datapump._compat import AirflowException, conf
from airflow_datapump.core import cloud, naming, stamp
from airflow_datapump.core.coerce import as_seconds
from airflow_datapump.core.events import ProgressNotes, event_from_result, finished_event, summary
from airflow_datapump.core.retry import RetryPolicy
from airflow_datapump.core.secret import Secret
from airflow_datapump.core.spec import JobSpec
from airflow_datapump.core.stamp import RunStamp
from airflow_datapump.core.status import JobState, Outcome, read_outcome
from airflow_datapump.core.submission import JobRef
from airflow_datapump.exceptions import JobExistsError, JobFailedError
from airflow_datapump.get_provider_info import DEFAULT_POLL_INTERVAL
from airflow_datapump.hooks.datapump import DatapumpHook
from airflow_datapump.operators import _fields, _identity, _password, _report
from airflow_datapump.operators._identity import run_of as _run_of
from airflow_datapump.operators._identity import try_of as _try_of
from airflow_datapump.triggers import _shown
from airflow_datapump.triggers.datapump import ON_KILL_ACTIONS, JobTrigger
from airflow_datapump.ui.links import DatapumpJobLink

if TYPE_CHECKING:
    import jinja2
    from airflow.sdk import Context

IF_EXISTS = ("restart", "replace", "fail")


class DatapumpOperator(BaseOperator):
    """Submit a Data Pump job and wait for it, deferring the wait when ``deferrable``.

    :param oracle_conn_id: the Airflow ``oracle`` connection. Default ``oracle_default``.
    :param spec: a whole job: a :class:`JobSpec`, its ``to_dict()``, or an oracledb-datapump
        payload; the other job arguments are then not used.
    :param deferrable: wait in the triggerer, holding no worker slot. Default from
        ``[operators] default_deferrable``.
    :param poll_interval: seconds between status polls. Default ``[datapump] poll_interval``, 30.
    :param timeout: how long to wait for the job (seconds or timedelta); None waits forever.
    :param allowed_errors: ORA codes that may appear in "completed with N error(s)" without
        failing the task.
    :param if_exists: what to do with a stopped or NOT RUNNING job of the same name found on a
        retry: ``restart`` it (default), ``replace`` it, or ``fail``.
    :param on_kill: what killing the task does to the job: ``kill`` (default: stop it and drop
        its master table, so nothing is left behind), ``stop`` (keep it restartable) or ``none``.
    :param log_tail_lines: put only the last N lines of the Data Pump log in the task log.
    :param encryption_password_variable: name of an Airflow Variable holding the encryption
        password, read at run time and masked (an alternative to ``encryption_password``).
        ``encryption_password`` itself, or ENCRYPTION_PASSWORD in ``parameters``, may be a
        template such as ``{{ var.value.dump_password }}``: it is rendered when the task runs
        and is never stored with the rendered template fields.

    Job arguments (``schemas``, ``tables``, ``dump_files`` ... as :class:`JobSpec` names them)
    are passed through; those in ``template_fields`` are templated. Or the whole job as
    expdp/impdp takes it: ``parfile`` (a parameter file's path on the worker), ``expdp_args``
    (ExportOperator) or ``impdp_args`` (ImportOperator), a command line or a list of
    ``KEYWORD=value`` words; all three templated.
    """

    operation: ClassVar[str]
    template_fields: Sequence[str] = _fields.TEMPLATED
    operator_extra_links = (DatapumpJobLink(),)
    ui_color = "#f4d35e"

    def __init__(
        self,
        *,
        oracle_conn_id: str = "oracle_default",
        spec: JobSpec | Mapping[str, Any] | None = None,
        deferrable: bool | None = None,
        poll_interval: float | None = None,
        timeout: float | dt.timedelta | None = None,
        allowed_errors: Sequence[str] = (),
        if_exists: str = "restart",
        on_kill: str = "kill",
        log_tail_lines: int | None = None,
        encryption_password_variable: str | None = None,
        **kwargs: Any,
    ) -> None:
        job_args = _fields.take_job_arguments(kwargs)
        password = _password.take(job_args)
        super().__init__(**kwargs)
        _fields.check_choice("if_exists", if_exists, IF_EXISTS)
        _fields.check_choice("on_kill", on_kill, ON_KILL_ACTIONS)
        _fields.whole_spec(spec)
        _fields.optional_name("encryption_password_variable", encryption_password_variable)
        self.oracle_conn_id = oracle_conn_id
        self.spec = spec
        self.deferrable = _fields.deferrable_or_default(deferrable)
        self.poll_interval = as_seconds(
            conf.getfloat("datapump", "poll_interval", fallback=DEFAULT_POLL_INTERVAL)
            if poll_interval is None
            else poll_interval,
            "poll_interval",
        )
        self.timeout = None if timeout is None else as_seconds(timeout, "timeout")
        self.allowed_errors = _fields.error_codes_allowed(allowed_errors)
        self.if_exists = if_exists
        self.on_kill_action = on_kill
        self.log_tail_lines = _fields.line_count("log_tail_lines", log_tail_lines)
        self.encryption_password_variable = encryption_password_variable
        self._encryption_password = password  # never a template field: see operators/_password.py
        self.job_args = job_args
        for name in _fields.TEMPLATED:
            setattr(self, name, job_args.get(name))  # Airflow renders every template field
        for name, value in job_args.items():
            setattr(self, name, value)
        self._job: JobRef | None = None
        # A previous try's finished job: its whole log, read to find how it ended, shown at the finish.
        self._log_read: str | None = None
        self._owned_by: tuple[RunStamp, int | None] | None = None
        self._progress = ProgressNotes()
        _fields.check_at_parse(self, password=self.password_to_check())

    # -- the job -------------------------------------------------------------------------------

    def build_spec(self, context: Mapping[str, Any] | None) -> JobSpec:
        """The job as rendered for this run, with its name and encryption password decided."""
        password = _password.for_run(
            self, self._encryption_password, self.encryption_password_variable, context
        )
        spec = _fields.spec_of(self, self.operation, password=password)
        _password.mask_pars(spec.dump_uris)
        if spec.job_name is None:
            spec = _fields.with_job_name(spec, self.default_job_name(context))
        given = spec.encryption_password
        if password is not None and (given is None or given.is_redacted):
            spec = _fields.with_password(spec, password)
        return spec

    def password_to_check(self) -> Secret | None:
        """For checks that submit nothing: the rules need to know a password will be there."""
        return _password.to_check(self._encryption_password, self.encryption_password_variable)

    def render_template_fields(self, context: Context, jinja_env: jinja2.Environment | None = None) -> None:
        """Render, then keep a password that rendering put into ``parameters`` out of them."""
        super().render_template_fields(context, jinja_env)
        _password.mask_pars(getattr(self, "dump_files", None))  # before Airflow stores them
        self._encryption_password = _password.after_rendering(self, self._encryption_password)

    def default_job_name(self, context: Mapping[str, Any] | None) -> str:
        """The same name on every try of one task run, so a retry finds the job (issue §3)."""
        ti = (context or {}).get("ti")
        run_id = str((context or {}).get("run_id", ""))
        map_index = str(getattr(ti, "map_index", -1))
        prefix = f"{self.operation[:3]}_{self.task_id}"
        return naming.derived_job_name(prefix, self.dag_id, self.task_id, run_id, map_index)

    def hook(self) -> DatapumpHook:
        return DatapumpHook(oracle_conn_id=self.oracle_conn_id, retry=RetryPolicy())

    def render_template(
        self,
        content: Any,
        context: Context,
        jinja_env: jinja2.Environment | None = None,
        seen_oids: set[int] | None = None,
    ) -> Any:
        """Render mapping keys too: Airflow renders only the values of a dict.

        Remaps are keyed by the old name (``{"{{ params.source }}": "{{ params.target }}"}``),
        so a refresh parameterised by schema needs its keys rendered like its values.
        """
        if isinstance(content, dict):
            return {
                self.render_template(key, context, jinja_env, seen_oids): self.render_template(
                    value, context, jinja_env, seen_oids
                )
                for key, value in content.items()
            }
        return super().render_template(content, context, jinja_env, seen_oids)

    def check_safety(
        self,
        spec: JobSpec,
        hook: DatapumpHook,
        run: RunStamp,
        log_lines: list[str] | None = None,
    ) -> None:
        """Refusals before anything starts (``run`` is the task run about to submit); subclasses
        add theirs. ``log_lines``: the job's log as just read, when it was (else read if needed)."""

    # -- running -----------------------------------------------------------------------------

    def execute(self, context: Any) -> Any:
        spec = self.build_spec(context)
        hook = self.hook()
        try:
            found = self._find_or_submit(context, spec, hook)
            if isinstance(found, dict):
                return self._finish(context, found, hook)  # a previous try finished the job
            self._job = found
            self._owned_by = (_run_of(self, context), _try_of(context))
            _remember(context, found)
            if found.log_file is None:
                self.log.info(
                    "Job %s.%s writes no log file (NOLOGFILE=YES): its progress and end are read from "
                    "the job's status",
                    found.owner,
                    found.job_name,
                )
            if self.deferrable:
                trigger = JobTrigger(
                    oracle_conn_id=self.oracle_conn_id,
                    job=found.to_dict(),
                    poll_interval=self.poll_interval,
                    on_kill=self.on_kill_action,
                    run=self._owned_by[0].to_dict(),
                    try_number=self._owned_by[1],
                )
                _shown.start(context, trigger)
                self.defer(
                    trigger=trigger,
                    method_name="execute_complete",
                    timeout=dt.timedelta(seconds=self.timeout) if self.timeout else None,
                )
            result = hook.wait(
                found, poll_interval=self.poll_interval, timeout=self.timeout, on_status=self._log_status
            )
            return self._finish(context, event_from_result(found, result), hook)
        finally:
            hook.close()

    def execute_complete(self, context: Any, event: dict[str, Any] | None = None) -> Any:
        if _identity.from_an_earlier_try(event, context):
            # Airflow 3.0.6 keeps a deferred task's resume point across retries
            # (apache/airflow#56704): this try never deferred, so it starts as a try does.
            self.log.info(
                "The trigger event is try %s's; this is try %s: starting afresh",
                (event or {}).get("try_number"),
                _try_of(context),
            )
            return self.execute(context)
        with _shown.cleared_after(context):
            if not event:
                raise AirflowException("The Data Pump trigger ended without an event")
            if event.get("status") == "error":
                raise AirflowException(f"Waiting for the Data Pump job failed: {event.get('message')}")
            hook = self.hook()
            try:
                return self._finish(context, event, hook)
            finally:
                hook.close()

    def _find_or_submit(self, context: Any, spec: JobSpec, hook: DatapumpHook) -> JobRef | dict[str, Any]:
        """This run's job: reattached, accepted as done, restarted, or submitted; never another's."""
        run, tries = _run_of(self, context), _try_of(context)
        name = str(spec.job_name)
        remembered = _remembered(context)
        owner = remembered.owner if remembered is not None and remembered.job_name == name else None
        existing = hook.find_job(name, owner)
        log_lines: list[str] | None = None  # the log as read here, unless a kill below changes it
        if existing is None:
            read = hook.read_job_log(_fields.ref_for(spec, ""))
            log_lines = read[0].splitlines() if read else []
            previous = self._previous_outcome(spec, log_lines, run)
            if previous is not None:
                return previous
        else:
            ref = _fields.ref_for(spec, existing.owner)
            read = hook.read_job_log(ref)
            _identity.check_ours(ref, existing.state, read, run)
            if existing.state.is_active or existing.state is JobState.IDLING:
                if _identity.claim(self.log, ref, hook, run, tries, self.poll_interval):
                    return ref
                return self._find_or_submit(context, spec, hook)  # it was stopped: decide again
            kept = self._completed(spec, read[0].splitlines() if read else [])
            if kept is not None:  # completed, its master table kept (KEEP_MASTER=1): not restartable
                return kept
            if self.if_exists == "fail":
                raise JobExistsError(
                    f"Job {existing.owner}.{name} exists and is {existing.state.value}", job_name=name
                )
            if self.if_exists == "restart":
                self.log.info("Restarting stopped job %s.%s", existing.owner, name)
                hook.restart(name, existing.owner, mark=stamp.new_mark("start", run, tries))
                return ref
            self.log.info("Replacing stopped job %s.%s", existing.owner, name)
            hook.kill(name, existing.owner)
        self.check_safety(spec, hook, run, log_lines)
        return hook.submit(spec, run=run, try_number=tries)

    def _previous_outcome(self, spec: JobSpec, lines: list[str], run: RunStamp) -> dict[str, Any] | None:
        """A job of this name that already ended (``lines``: its log): if the log proves it was
        this run's, it says whether a retry has work to do; another run's is none of its business."""
        start = stamp.started_by(lines)
        if start is None or start.run != run:
            return None
        # A job that did not complete: what its try left is check_safety's to judge (by identity).
        return self._completed(spec, lines)

    def _completed(self, spec: JobSpec, lines: list[str]) -> dict[str, Any] | None:
        """The finished event of this run's job whose log says it completed, else None."""
        lines = [cloud.redacted_uri(line) for line in lines]  # the event reaches XCom: no PAR token
        outcome = read_outcome(lines, str(spec.job_name))
        if outcome.outcome not in (Outcome.SUCCEEDED, Outcome.COMPLETED_WITH_ERRORS):
            return None
        self.log.info("A previous try's job %s already completed: %s", spec.job_name, outcome.line)
        owner = outcome.line.split('"')[1] if outcome.line else ""
        # Nothing of it has been shown by this try: position 0 has the whole log shown.
        ref = _fields.ref_for(spec, owner)
        self._log_read = "\n".join(lines)
        event = finished_event(
            ref, status="success", state="UNDEFINED", outcome=outcome, lines=lines, log_position=0
        )
        event["previous_try"] = True  # judged again, not run again: a failure says how to rerun
        return event

    def _log_status(self, status: Any) -> None:
        for line in status.log_lines:
            self.log.info("%s", line)
        if (note := self._progress.note(status)) is not None:
            self.log.info("%s", note)

    def _finish(self, context: Any, event: dict[str, Any], hook: DatapumpHook) -> dict[str, Any]:
        job = JobRef.from_dict(event["job"])
        shown = int(event.get("log_position") or 0)
        text, self._log_read = self._log_read, None
        _report.show_rest_of_log(self.log, job, hook, shown, self.log_tail_lines, text)
        _report.check_outcome(job, event, self.allowed_errors)
        self.after_success(context, job, hook)
        return summary(event, started=_report.started(context), finished=dt.datetime.now(dt.UTC).isoformat())

    def after_success(self, context: Any, job: JobRef, hook: DatapumpHook) -> None:
        """Work after a successful job; subclasses add theirs."""

    def on_kill(self) -> None:
        if self._job is None or self.on_kill_action == "none":
            return
        hook = self.hook()
        try:
            run, tries = self._owned_by or (None, None)
            if not _identity.may_stop(hook, self._job, run, tries):
                self.log.info(
                    "Job %s.%s belongs to a later try now; leaving it", self._job.owner, self._job.job_name
                )
                return
            if self.on_kill_action == "kill":
                hook.kill(self._job.job_name, self._job.owner)
            else:
                hook.stop(self._job.job_name, self._job.owner, immediate=True, keep_master=True)
        finally:
            hook.close()


def _remembered(context: Any) -> JobRef | None:
    """The job an earlier try of this task started, from the task state store (3.3+)."""
    store = context.get("task_state_store") if hasattr(context, "get") else None
    if store is None:
        return None
    with contextlib.suppress(Exception):
        stored = store.get("datapump_job")
        if isinstance(stored, dict):
            return JobRef.from_dict(stored)
    return None


def _remember(context: Any, job: JobRef) -> None:
    """Airflow 3.3's task state store survives retries (XCom does not): keep the job there."""
    store = context.get("task_state_store") if hasattr(context, "get") else None
    if store is not None:
        # An older API or a store that is not set up: the derived name still finds the job.
        with contextlib.suppress(Exception):
            store.set("datapump_job", job.to_dict())


__all__ = ["DatapumpOperator", "JobFailedError"]
